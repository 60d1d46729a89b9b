"""Watchlists and feeds of a Polres: added, edited and switched off by Humas/PID, the
pimpinan or the cyber unit (officers of Satreskrim); each save one audit row. Enabling a feed
starts its polling chain (on commit)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from posko.aduan.access import officer_of
from posko.org.models import Role, Satuan, Unit
from posko.patrol.actions.claims import PatrolPermissionDenied, record_patrol_audit
from posko.patrol.models import Feed, FeedKind, Watchlist

MANAGER_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN})


class WatchError(ValueError):
    pass


def is_cyber_unit(user: User) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.unit.satuan == Satuan.SATRESKRIM


def may_manage_watch(user: User) -> bool:
    officer = officer_of(user)
    return officer is not None and (officer.role in MANAGER_ROLES or is_cyber_unit(user))


def manager_polres(user: User) -> Unit:
    officer = officer_of(user)
    if officer is None or not may_manage_watch(user) or officer.unit.polres is None:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    polres: Unit = officer.unit.polres
    return polres


def _terms(values: list[str] | None) -> list[str]:
    return [v.strip() for v in values or [] if v.strip()][:200]


def do_save_watchlist(
    watchlist: Watchlist | None, *, acting_user: User, fields: dict[str, Any]
) -> Watchlist:
    polres = manager_polres(acting_user)
    if watchlist is not None and watchlist.polres_id != polres.pk:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    name = str(fields.get("name") or "").strip()
    keywords = _terms(fields.get("keywords"))
    hashtags = [t.lstrip("#") for t in _terms(fields.get("hashtags"))]
    accounts = [a.lstrip("@") for a in _terms(fields.get("accounts"))]
    if not name:
        raise WatchError(_("Nama daftar pantau wajib diisi."))
    if not (keywords or hashtags or accounts):
        raise WatchError(_("Isi paling sedikit satu kata kunci, tagar atau akun."))
    with transaction.atomic():
        w = watchlist or Watchlist(polres=polres, owner=acting_user)
        w.name, w.keywords, w.hashtags, w.accounts = name[:120], keywords, hashtags, accounts
        w.places = _terms(fields.get("places"))
        w.category = str(fields.get("category") or "")[:60]
        w.priority = int(fields.get("priority") or 2)
        w.enabled = bool(fields.get("enabled", True))
        w.save()
        record_patrol_audit(
            polres, "watchlist_saved", actor=acting_user, watchlist=w.pk, enabled=w.enabled
        )
    return w


def do_save_feed(feed: Feed | None, *, acting_user: User, fields: dict[str, Any]) -> Feed:
    from posko.channels.models import ChannelAccount, Platform

    polres = manager_polres(acting_user)
    if feed is not None and feed.polres_id != polres.pk:
        raise PatrolPermissionDenied(_("Anda tidak berwenang untuk tindakan ini."))
    kind = str(fields.get("kind") or "")
    if kind not in FeedKind.values:
        raise WatchError(_("Jenis sumber tidak dikenal."))
    watchlist = fields.get("watchlist")
    account = fields.get("account")
    if watchlist is not None and watchlist.polres_id != polres.pk:
        raise WatchError(_("Daftar pantau bukan milik Polres ini."))
    if account is not None and account.polres_id != polres.pk:
        raise WatchError(_("Akun bukan milik Polres ini."))
    if kind == FeedKind.RSS and not fields.get("url"):
        raise WatchError(_("Alamat RSS/Atom wajib diisi."))
    if kind == FeedKind.X_SEARCH and (
        watchlist is None or account is None or account.platform != Platform.X
    ):
        raise WatchError(_("Pencarian X membutuhkan daftar pantau dan akun X."))
    if kind == FeedKind.TELEGRAM and (account is None or account.platform != Platform.TELEGRAM):
        raise WatchError(_("Sumber Telegram membutuhkan akun bot Telegram."))
    assert account is None or isinstance(account, ChannelAccount)
    with transaction.atomic():
        f = feed or Feed(polres=polres)
        f.kind, f.name = kind, str(fields.get("name") or kind)[:120]
        f.url = str(fields.get("url") or "")[:500]
        f.watchlist, f.account = watchlist, account
        f.enabled = bool(fields.get("enabled", True))
        f.save()
        record_patrol_audit(polres, "feed_saved", actor=acting_user, feed=f.pk, enabled=f.enabled)
        if f.enabled:  # a new or switched-on feed starts its chain; a live one is left alone
            from posko.core.chains import ensure_chain
            from posko.patrol.actions.feeds import feed_chain

            ensure_chain(feed_chain(f.pk))
    return f
