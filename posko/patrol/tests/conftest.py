"""The channel fixtures (fake platform API, configured WhatsApp account) for patrol tests."""

from posko.channels.conftest import fake_api, whatsapp_account

__all__ = ["fake_api", "whatsapp_account"]
