from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AssessmentsConfig(AppConfig):
    name = "prongsai.assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Results stored before their final figures were kept (or loaded with raw SQL) get them after
        # migrate; the framework app seeds the catalogues first (it comes earlier in INSTALLED_APPS).
        post_migrate.connect(_fill_stale, sender=self, dispatch_uid="prongsai.assessments.fill_stale")


def _fill_stale(sender, using="default", **kwargs):
    from prongsai.assessments.models import ITAResult
    from prongsai.assessments.services import recompute_many

    recompute_many(ITAResult.objects.using(using).filter(computed_at__isnull=True))
