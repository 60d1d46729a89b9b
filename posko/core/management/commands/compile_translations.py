"""``posko compile_translations``: every ``.po`` under LOCALE_PATHS to its ``.mo``, with Babel.

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt`` on the machine; Babel is a
Python package (a dev dependency), so any checkout with ``uv sync`` can compile. The ``.mo``
files are committed: servers never compile, and a test checks that they match their ``.po``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

Messages = dict[tuple[Any, Any], Any]


def po_files() -> list[Path]:
    """Every catalog source under LOCALE_PATHS (``<lang>/LC_MESSAGES/<domain>.po``)."""
    return sorted(po for root in settings.LOCALE_PATHS for po in Path(root).rglob("*.po"))


def duplicate_msgids(po: Path) -> list[str]:
    """Msgids defined twice in ``po`` (with the same context). Babel keeps the later one
    silently and GNU msgfmt refuses the file; a union merge of two branches can produce them."""
    seen: set[tuple[str, str]] = set()
    duplicates: list[str] = []
    context = ""
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt "):
            context = line
        elif line.startswith("msgid "):
            key = (context, line)
            context = ""
            if key in seen and line != 'msgid ""':
                duplicates.append(line[len("msgid ") :])
            seen.add(key)
    return duplicates


def compile_po(po: Path) -> bytes:
    """The ``.mo`` bytes for one ``.po``; refuses a catalog whose placeholders do not match
    (``%(name)s`` in the msgid but not in the msgstr, or the other way round) or that defines a
    msgid twice."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source, abort_invalid=True)
    problems = [
        f"{po}: {message.id!r}: {error}" for message, errors in catalog.check() for error in errors
    ]
    problems += [f"{po}: {msgid}: didefinisikan dua kali" for msgid in duplicate_msgids(po)]
    if problems:
        raise CommandError("\n".join(problems))
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def mo_messages(data: bytes) -> Messages:
    """The translations a ``.mo`` holds, keyed by (msgid, context); the header is left out
    (it names the Babel version that wrote the file). Plural messages are tuples of forms."""
    from babel.messages.mofile import read_mo

    def frozen(value: Any) -> Any:  # plural messages come back as lists, contexts as bytes
        if isinstance(value, bytes):
            return value.decode()
        return tuple(value) if isinstance(value, list) else value

    catalog = read_mo(io.BytesIO(data))
    return {(frozen(m.id), frozen(m.context)): frozen(m.string) for m in catalog if m.id}


def untranslated(po: Path) -> list[str]:
    """Msgids of ``po`` with an empty or fuzzy translation (Django would show Indonesian)."""
    from babel.messages.pofile import read_po

    with po.open("rb") as source:
        catalog = read_po(source)
    missing = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and (message.fuzzy or not all(strings)):
            missing.append(str(message.id))
    return missing


class Command(BaseCommand):
    help = (
        "Kompilasi terjemahan: setiap .po di LOCALE_PATHS menjadi .mo (dengan Babel). "
        "--check: hanya periksa bahwa .mo yang ada sesuai dengan .po-nya."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="jangan menulis apa pun; gagal jika ada .mo yang usang atau belum ada",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import babel  # noqa: F401
        except ImportError as exc:  # a production install without the dev group
            raise CommandError(
                "Babel belum terpasang: jalankan `uv sync` (dependensi dev)."
            ) from exc
        pos = po_files()
        if not pos:
            raise CommandError(f"Tidak ada berkas .po di {settings.LOCALE_PATHS}.")
        stale: list[Path] = []
        for po in pos:
            mo = po.with_suffix(".mo")
            compiled = compile_po(po)
            current = mo.read_bytes() if mo.exists() else None
            up_to_date = current is not None and mo_messages(current) == mo_messages(compiled)
            for msgid in untranslated(po):
                self.stderr.write(f"{po}: belum diterjemahkan: {msgid!r}")
            if options["check"]:
                if not up_to_date:
                    stale.append(mo)
                continue
            if current == compiled:
                self.stdout.write(f"{mo}: sudah mutakhir")
                continue
            mo.write_bytes(compiled)
            self.stdout.write(f"{mo}: {len(mo_messages(compiled))} pesan")
        if stale:
            names = ", ".join(str(mo) for mo in stale)
            raise CommandError(f"Usang: {names} — jalankan `posko compile_translations`.")
