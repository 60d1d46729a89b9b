from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "posko.console"
    verbose_name = "Konsol petugas"
