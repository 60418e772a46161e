from django.apps import AppConfig


class MemosConfig(AppConfig):
    name = "prongsai.memos"
    default_auto_field = "django.db.models.BigAutoField"
