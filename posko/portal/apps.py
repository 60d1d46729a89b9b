from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "posko.portal"
    verbose_name = "Portal publik"
