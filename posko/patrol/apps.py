from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolConfig(AppConfig):
    name = "posko.patrol"
    label = "patrol"
    verbose_name = _("Patroli siber")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from posko.core.chains import register_chains
        from posko.patrol.actions.feeds import feed_chains
        from posko.patrol.subscribers import connect

        connect()
        register_chains("patrol.poll_feed", feed_chains)
