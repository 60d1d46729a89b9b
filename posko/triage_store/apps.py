from django.apps import AppConfig


class TriageStoreConfig(AppConfig):
    name = "posko.triage_store"
    label = "triage_store"
    verbose_name = "Triase: model dan landmark per Polres"

    def ready(self) -> None:
        from posko.triage_store.audit_kinds import register

        register()
