from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "posko.publishing"
    label = "publishing"
    verbose_name = "Publikasi"
