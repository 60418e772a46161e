from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "prongsai.jobs"
    verbose_name = _("งานตามกำหนดเวลา")
    default_auto_field = "django.db.models.BigAutoField"
