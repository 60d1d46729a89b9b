"""Planned posts in bulk: CSV import (all or nothing, an Indonesian error per row with its line
number) and CSV export (no personal data: no names, numbers or accounts' credentials)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.channels.models import ChannelAccount
from posko.org.models import Unit
from posko.publishing.access import can_compose
from posko.publishing.actions.common import PostError, record
from posko.publishing.actions.compose import Draft, do_create_post
from posko.publishing.kinds import KIND_FIELDS
from posko.publishing.limits import LIMITS
from posko.publishing.models import Post, PostKind

MAX_CSV_BYTES = 1024 * 1024
MAX_ROWS = 500
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M")
FIELD_NAMES = sorted({f.name for fields in KIND_FIELDS.values() for f in fields})
COLUMNS = ["waktu_terbit", "jenis", "judul", "teks", "akun", *FIELD_NAMES]
REQUIRED_COLUMNS = ("waktu_terbit", "jenis", "teks", "akun")
# A cell a spreadsheet would run as a formula is exported behind an apostrophe (and read back
# without it).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _unsafe(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def _kind(value: str) -> str | None:
    value = value.strip()
    for kind in PostKind:
        if value.lower() in (kind.value, str(kind.label).lower()):
            return kind.value
    return None


def _time(value: str) -> datetime | None:
    for fmt in TIME_FORMATS:
        try:
            naive = datetime.strptime(value.strip(), fmt)  # noqa: DTZ007 (made aware below)
        except ValueError:
            continue
        return timezone.make_aware(naive)
    return None


def _accounts(polres: Unit, value: str) -> tuple[list[ChannelAccount], list[str]]:
    by_platform: dict[str, ChannelAccount] = {}
    for account in ChannelAccount.objects.filter(
        polres=polres, platform__in=list(LIMITS), is_active=True
    ).order_by("id"):
        by_platform.setdefault(account.platform, account)
    chosen, unknown = [], []
    for word in (w.strip().lower() for w in value.replace(",", ";").split(";")):
        if not word:
            continue
        if word in by_platform:
            chosen.append(by_platform[word])
        else:
            unknown.append(word)
    return chosen, unknown


def _row_draft(polres: Unit, row: dict[str, str]) -> tuple[Draft | None, list[str]]:
    errors: list[str] = []
    kind = _kind(row.get("jenis") or "")
    if kind is None:
        errors.append(_("jenis “%(value)s” tidak dikenal") % {"value": row.get("jenis") or ""})
    when = _time(row.get("waktu_terbit") or "")
    if when is None:
        errors.append(_("waktu_terbit harus berbentuk TTTT-BB-HH JJ:MM"))
    accounts, unknown = _accounts(polres, row.get("akun") or "")
    if unknown:
        errors.append(_("akun tidak tersedia: %(names)s") % {"names": ", ".join(unknown)})
    if errors or kind is None:
        return None, errors
    draft = Draft(
        kind=kind,
        text=row.get("teks") or "",
        title=row.get("judul") or "",
        accounts=accounts,
        fields={name: row.get(name) or "" for name in FIELD_NAMES},
        publish_at=when,
    )
    return draft, []


def read_rows(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_CSV_BYTES:
        raise PostError(_("Berkas CSV terlalu besar (maksimal 1 MB)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PostError(_("Berkas CSV harus disimpan sebagai UTF-8.")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise PostError(_("Kolom wajib tidak ada: %(columns)s") % {"columns": ", ".join(missing)})
    reader.fieldnames = header
    rows = [{k: _unsafe((v or "").strip()) for k, v in r.items() if k} for r in reader]
    if not rows:
        raise PostError(_("Berkas CSV tidak berisi baris publikasi."))
    if len(rows) > MAX_ROWS:
        raise PostError(_("Maksimal %(max)d baris per impor.") % {"max": MAX_ROWS})
    return rows


def do_import_posts(polres: Unit, data: bytes, *, acting_user: User) -> list[Post]:
    """Drafts from a CSV of planned posts. Every row is checked like a post in the composer;
    one bad row and nothing is saved (errors: "Baris N: …", N the line in the file)."""
    if not can_compose(acting_user):
        raise PostError(_("Anda tidak berwenang menyusun publikasi."))
    rows = read_rows(data)
    errors: list[str] = []
    posts: list[Post] = []
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            draft, problems = _row_draft(polres, row)
            if draft is not None:
                try:
                    posts.append(do_create_post(polres, draft, acting_user=acting_user))
                except PostError as exc:
                    problems = exc.errors
            errors.extend(
                _("Baris %(line)d: %(error)s") % {"line": line, "error": p} for p in problems
            )
        if errors:
            raise PostError(errors)
        record(posts[0], "imported", actor=acting_user, count=len(posts))
    return posts


def export_posts(posts: Iterable[Post]) -> str:
    """The planned posts as CSV in the import's own columns (plus status), readable back."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, "status"])
    for post in posts:
        when = (
            timezone.localtime(post.publish_at).strftime("%Y-%m-%d %H:%M")
            if post.publish_at
            else ""
        )
        platforms = ";".join(sorted({t.platform for t in post.targets.all()}))
        fields = [str(post.fields.get(name, "")) for name in FIELD_NAMES]
        cells = [post.title, post.text, platforms, *fields]
        writer.writerow([when, post.kind, *(_safe(c) for c in cells), post.status])
    return out.getvalue()
