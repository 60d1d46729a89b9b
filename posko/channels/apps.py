from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "posko.channels"
    label = "channels"
    verbose_name = "Kanal"

    def ready(self) -> None:
        from posko.aduan.audit import register_audit_kinds
        from posko.channels.actions.moderation import AUDIT_KINDS
        from posko.channels.subscribers import connect

        connect()
        register_audit_kinds(AUDIT_KINDS)
