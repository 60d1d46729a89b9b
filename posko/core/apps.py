from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "posko.core"
    verbose_name = "Posko"

    def ready(self) -> None:
        from posko.core import (
            audit_port,
            chains,
            login_security,  # noqa: F401 - connects the login signal receivers
        )
        from posko.core.models import SecurityKind

        chains.register_chains("core.", chains.ensure_spec)
        audit_port.register_kinds({kind.value: kind.label for kind in SecurityKind})
