from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "posko.publishing"
    label = "publishing"
    verbose_name = "Publikasi"

    def ready(self) -> None:
        from posko.aduan.audit import register_audit_kinds
        from posko.publishing.audit_kinds import (
            COMMUNITY_DETAILS,
            COMMUNITY_KINDS,
            DETAILS,
            KINDS,
        )

        register_audit_kinds(KINDS, DETAILS)
        register_audit_kinds(COMMUNITY_KINDS, COMMUNITY_DETAILS)

        from posko.channels.keywords import register_keyword_handler
        from posko.publishing.keywords import keyword_handler

        register_keyword_handler(keyword_handler)
