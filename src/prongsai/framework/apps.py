from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FrameworkConfig(AppConfig):
    name = "prongsai.framework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The shipped catalogue files seed the database after every migrate (and every test flush).
        post_migrate.connect(_seed, sender=self, dispatch_uid="prongsai.framework.seed")


def _seed(sender, using="default", **kwargs):
    from prongsai.framework.store import sync_shipped

    sync_shipped()
