from django.apps import AppConfig


class AduanConfig(AppConfig):
    name = "posko.aduan"
    verbose_name = "Aduan"
