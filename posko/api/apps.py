from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "posko.api"
    verbose_name = "API"
