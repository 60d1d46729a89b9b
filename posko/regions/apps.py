from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "posko.regions"
    verbose_name = "Wilayah"
