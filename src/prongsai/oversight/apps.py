from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "prongsai.oversight"
    default_auto_field = "django.db.models.BigAutoField"
