from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "posko.org"
    verbose_name = "Organisasi"
