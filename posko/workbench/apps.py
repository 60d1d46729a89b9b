from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "posko.workbench"
    verbose_name = "Perangkat kerja operator"

    def ready(self) -> None:
        from posko.workbench.macros import register

        register()
