"""The translation catalogs: complete, and the committed .mo is what the .po compiles to."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from posko.core.management.commands.compile_translations import (
    compile_po,
    mo_messages,
    po_files,
    untranslated,
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_there_is_an_english_catalog() -> None:
    english = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    assert english in po_files()


@pytest.mark.parametrize("po", po_files(), ids=lambda p: p.parent.parent.name)
def test_committed_mo_matches_its_po(po: Path) -> None:
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `posko compile_translations` and commit it"
    compiled = mo_messages(compile_po(po))
    committed = mo_messages(mo.read_bytes())
    missing = {key for key in compiled if key not in committed}
    stale = {key for key in committed if compiled.get(key) != committed[key]}
    assert not missing and not stale, (
        f"{mo} is out of date (run `posko compile_translations`): "
        f"missing {sorted(map(str, missing))[:5]}, stale {sorted(map(str, stale))[:5]}"
    )


@pytest.mark.parametrize("po", po_files(), ids=lambda p: p.parent.parent.name)
def test_every_msgid_has_a_translation(po: Path) -> None:
    assert untranslated(po) == []
    with po.open("rb") as source:
        catalog = read_po(source)
    for message in catalog:
        if not message.id:
            continue
        # Same named placeholders on both sides (a missing one would drop the value).
        assert sorted(PLACEHOLDER.findall(str(message.id))) == sorted(
            PLACEHOLDER.findall(str(message.string))
        ), message.id
    assert not list(catalog.obsolete), "remove the obsolete (#~) entries"


def test_the_committed_catalogs_pass_the_command_check() -> None:
    out = StringIO()
    call_command("compile_translations", "--check", stdout=out, stderr=out)
    assert "belum diterjemahkan" not in out.getvalue()


def test_the_command_compiles_and_flags_stale_catalogs(tmp_path: Path, settings: Any) -> None:
    messages = tmp_path / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po = messages / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Laporan"\nmsgstr "Report"\n\n#, python-format\n'
        'msgid "Kontak %(polres)s"\nmsgstr "Contact %(polres)s"\n\n'
        'msgid "Beranda"\nmsgstr ""\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    with pytest.raises(CommandError, match="Usang"):
        call_command("compile_translations", "--check", stdout=StringIO(), stderr=StringIO())

    err = StringIO()
    call_command("compile_translations", stdout=StringIO(), stderr=err)
    assert "belum diterjemahkan: 'Beranda'" in err.getvalue()
    compiled = mo_messages((messages / "django.mo").read_bytes())
    assert compiled == {
        ("Laporan", None): "Report",
        ("Kontak %(polres)s", None): "Contact %(polres)s",
    }
    call_command("compile_translations", "--check", stdout=StringIO(), stderr=StringIO())

    po.write_text(po.read_text().replace('"Report"', '"Complaint"'), encoding="utf-8")
    with pytest.raises(CommandError, match="Usang"):
        call_command("compile_translations", "--check", stdout=StringIO(), stderr=StringIO())


def test_the_command_refuses_mismatched_placeholders(tmp_path: Path, settings: Any) -> None:
    messages = tmp_path / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(
        '#, python-format\nmsgid "Kontak %(polres)s"\nmsgstr "Contact %(unit)s"\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    with pytest.raises(CommandError, match="Kontak"):
        call_command("compile_translations", stdout=StringIO(), stderr=StringIO())
    assert not (messages / "django.mo").exists()


def test_the_command_refuses_a_msgid_defined_twice(tmp_path: Path, settings: Any) -> None:
    """A union merge of two branches once left "alasan" defined twice; Babel kept the later one
    silently, GNU msgfmt refuses such a file."""
    messages = tmp_path / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(
        'msgid "alasan"\nmsgstr "reason"\n\nmsgid "Poin"\nmsgstr "Points"\n'
        'msgid "alasan"\nmsgstr "cause"\n\nmsgctxt "x"\nmsgid "Poin"\nmsgstr "Score"\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    with pytest.raises(CommandError, match=r"alasan.*dua kali") as refused:
        call_command("compile_translations", stdout=StringIO(), stderr=StringIO())
    assert "Poin" not in str(refused.value)  # the same msgid in another context is allowed
    assert not (messages / "django.mo").exists()


def test_plural_and_context_messages_compile_and_check(tmp_path: Path, settings: Any) -> None:
    messages = tmp_path / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, python-format\nmsgid "%(counter)s komentar"\nmsgid_plural "%(counter)s komentar"\n'
        'msgstr[0] "%(counter)s comment"\nmsgstr[1] "%(counter)s comments"\n\n'
        'msgctxt "pengiriman"\nmsgid "Diterima"\nmsgstr "Delivered"\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compile_translations", stdout=StringIO(), stderr=StringIO())
    compiled = mo_messages((messages / "django.mo").read_bytes())
    assert compiled == {
        (("%(counter)s komentar", "%(counter)s komentar"), None): (
            "%(counter)s comment",
            "%(counter)s comments",
        ),
        ("Diterima", "pengiriman"): "Delivered",
    }
    call_command("compile_translations", "--check", stdout=StringIO(), stderr=StringIO())
