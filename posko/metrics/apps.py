from django.apps import AppConfig


class MetricsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "posko.metrics"
    label = "metrics"
    verbose_name = "Metrik"

    def ready(self) -> None:
        from posko.aduan import events
        from posko.metrics.subscriber import on_aduan_changes

        events.subscribe_changes(on_aduan_changes)
