from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "posko.demo"
    verbose_name = "Demo"
