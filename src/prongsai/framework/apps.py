from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "prongsai.framework"
    default_auto_field = "django.db.models.BigAutoField"
