from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "prongsai.workspace"
    default_auto_field = "django.db.models.BigAutoField"
