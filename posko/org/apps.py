from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "posko.org"
    verbose_name = "Organisasi"

    def ready(self) -> None:
        from posko.org.actions.assignment import register_audit_kinds

        register_audit_kinds()
