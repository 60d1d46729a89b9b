from django.apps import AppConfig


class AduanConfig(AppConfig):
    name = "posko.aduan"
    verbose_name = "Aduan"

    def ready(self) -> None:
        from posko.aduan.selectors import correction_examples
        from posko.triage_store.actions.training import register_example_source

        register_example_source(correction_examples)

        from posko.aduan.audit import record_from_port, register_audit_kinds
        from posko.core import audit_port

        audit_port.connect(register=register_audit_kinds, writer=record_from_port)
