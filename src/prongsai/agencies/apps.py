from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "prongsai.agencies"
    default_auto_field = "django.db.models.BigAutoField"
