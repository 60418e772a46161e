from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "prongsai.search"
    verbose_name = _("การค้นหา")

    def ready(self):
        from prongsai.search import signals

        signals.connect()
