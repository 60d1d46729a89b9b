from django.apps import AppConfig


class MetricsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "posko.metrics"
    label = "metrics"
    verbose_name = "Metrik"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from posko.aduan import events
        from posko.aduan.audit import register_audit_kinds
        from posko.core.chains import register_chains
        from posko.metrics.subscriber import on_aduan_changes
        from posko.metrics.tasks import monthly_chain

        register_chains("metrics.monthly_reports", lambda: [monthly_chain()])
        events.subscribe_changes(on_aduan_changes)
        register_audit_kinds({"monthly_report_generated": _("Laporan bulanan dibuat")})
