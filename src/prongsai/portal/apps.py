from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "prongsai.portal"
    verbose_name = "เว็บไซต์สาธารณะ"
