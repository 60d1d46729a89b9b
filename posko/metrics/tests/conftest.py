"""The channels' fake-platform fixtures, for asking the satisfaction question on WhatsApp."""

from posko.channels.conftest import fake_api, whatsapp_account  # noqa: F401
