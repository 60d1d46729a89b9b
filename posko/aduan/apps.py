from django.apps import AppConfig


class AduanConfig(AppConfig):
    name = "posko.aduan"
    verbose_name = "Aduan"

    def ready(self) -> None:
        from posko.aduan.selectors import correction_examples
        from posko.triage_store.actions.training import register_example_source

        register_example_source(correction_examples)
