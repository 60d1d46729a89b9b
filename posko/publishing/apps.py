from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "posko.publishing"
    label = "publishing"
    verbose_name = "Publikasi"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from posko.aduan.audit import register_audit_kinds
        from posko.publishing.audit_kinds import DETAILS, KINDS

        register_audit_kinds(KINDS, DETAILS)

        from posko.channels.models import ChannelMessage
        from posko.publishing.keywords import on_channel_message

        post_save.connect(on_channel_message, sender=ChannelMessage, dispatch_uid="posko-keywords")
