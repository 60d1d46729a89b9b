from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "posko.training"
    verbose_name = "Latihan petugas"

    def ready(self) -> None:
        from posko.aduan.audit import register_audit_kinds
        from posko.training.actions import AUDIT_KINDS

        register_audit_kinds(AUDIT_KINDS)
