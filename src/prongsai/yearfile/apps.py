from django.apps import AppConfig


class YearfileConfig(AppConfig):
    name = "prongsai.yearfile"
    default_auto_field = "django.db.models.BigAutoField"
