from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "posko.core"
    verbose_name = "Posko"

    def ready(self) -> None:
        from posko.core import login_security  # noqa: F401 - connects the login signal receivers
