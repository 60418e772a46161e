from django.apps import AppConfig


class OITConfig(AppConfig):
    name = "prongsai.oit"
    label = "oit"
    verbose_name = "OIT"
    default_auto_field = "django.db.models.BigAutoField"
