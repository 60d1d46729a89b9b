"""Subscription keywords in private messages, answered through the channels' keyword hook
(``posko.channels.keywords``, registered in ``PublishingConfig.ready``): the message is the
opt-in, from the number or chat that will receive the alerts, and never becomes an aduan.

* ``BERHENTI`` / ``STOP`` / ``/stop`` (WhatsApp, SMS, Telegram): unsubscribes at once.
* ``DAFTAR <nama desa>`` (WhatsApp, SMS, Telegram): subscribes to that desa's alerts.
* ``/start`` (Telegram; ``/start <kode desa tanpa titik>`` from a deep link
  ``t.me/<bot>?start=1906022001``): subscribes, or asks for the desa when none is given."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from posko.channels.keywords import KeywordOutcome
from posko.channels.models import ChannelAccount
from posko.org.lookup import polres_desa
from posko.publishing.actions.common import PostError
from posko.publishing.actions.subscribers import (
    STOP_WORDS,
    do_register_subscriber,
    do_unsubscribe,
)
from posko.regions.models import Region

logger = logging.getLogger(__name__)
SUBSCRIBE_WORDS = frozenset({"daftar", "/start"})


def find_desa(account: ChannelAccount, wanted: str) -> Region | None:
    """A desa of the account's Polres by name (case-insensitive) or by code, with or without
    dots (Telegram deep links allow letters, digits, ``_`` and ``-`` only)."""
    wanted = wanted.strip().replace("_", " ")
    candidates = polres_desa(account.polres)
    digits = wanted.replace(".", "")
    if digits.isdigit() and len(digits) == 10:
        code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
        return candidates.filter(code=code).first()
    return candidates.filter(name__iexact=wanted).first()


def keyword_handler(account: ChannelAccount, address: str, text: str) -> KeywordOutcome | None:
    word, _sep, rest = text.strip().partition(" ")
    word = word.lower().split("@")[0]  # Telegram groups send "/start@NamaBot"
    channel = account.platform
    if word in STOP_WORDS and not rest.strip():
        do_unsubscribe(account.polres, channel, address)
        return KeywordOutcome(
            "unsubscribed",
            _(
                "Anda berhenti berlangganan peringatan Polres. Kirim DAFTAR <nama desa> untuk "
                "berlangganan lagi."
            ),
        )
    if word not in SUBSCRIBE_WORDS:
        return None
    ask = _("Kirim DAFTAR <nama desa>, misalnya: DAFTAR Gantung.")
    if not rest.strip():
        return KeywordOutcome("needs desa", ask)
    desa = find_desa(account, rest)
    if desa is None:
        return KeywordOutcome("unknown desa", _("Desa tidak dikenal di wilayah Polres ini. ") + ask)
    try:
        do_register_subscriber(account.polres, address, desa, source="kata_kunci", channel=channel)
    except PostError:
        logger.info("keyword subscription refused for an invalid address")
        return KeywordOutcome("invalid", "")
    reply = _("Terdaftar: peringatan untuk Desa %(desa)s. Kirim BERHENTI untuk berhenti.")
    return KeywordOutcome("subscribed", reply % {"desa": desa.name})
