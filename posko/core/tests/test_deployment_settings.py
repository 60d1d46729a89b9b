"""Settings that only show in a fresh process: HSTS behind HTTPS, private data files, 2FA roles."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (x integer)")
cache.set("probe", 1)
default_storage.save("aduan/2026/probe.jpg", ContentFile(b"x"))
print(json.dumps({
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "roles": settings.POSKO_2FA_ROLES,
}))
"""


def _run(data_dir: Path, **env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POSKO_")}
    clean.update(POSKO_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="posko.config.settings")
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_hsts_only_behind_https(tmp_path: Path) -> None:
    assert _run(tmp_path / "plain")["hsts"] == 0
    assert _run(tmp_path / "https", POSKO_SECURE_COOKIES="1")["hsts"] >= 365 * 24 * 3600  # type: ignore[operator]


def test_two_factor_roles_default_and_override(tmp_path: Path) -> None:
    assert _run(tmp_path)["roles"] == ["admin", "pimpinan", "propam", "operator"]
    assert _run(tmp_path, POSKO_2FA_ROLES="")["roles"] == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "var"
    # An older install: the database file was world-readable before this start.
    data.mkdir()
    (data / "posko.sqlite3").touch()
    (data / "posko.sqlite3").chmod(0o644)
    data.chmod(0o755)
    _run(data)
    assert _mode(data) == 0o700
    assert _mode(data / "posko.sqlite3") == 0o600
    assert _mode(data / "secret_key") == 0o600
    assert _mode(data / "media") == 0o700
    assert _mode(data / "media" / "aduan" / "2026") == 0o700
    assert _mode(data / "media" / "aduan" / "2026" / "probe.jpg") == 0o600
    assert _mode(data / "cache") == 0o700
    cache_files = list((data / "cache").iterdir())
    assert cache_files and all(_mode(f) & 0o077 == 0 for f in cache_files)
