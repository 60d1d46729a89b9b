"""Shared fixtures: the demo tenant (Polres Belitung Timur), a second Polres, officers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from posko.aduan.actions.onboarding import do_onboard_polres
from posko.org.actions.officers import ensure_officer
from posko.org.lookup import satuan_of
from posko.org.models import Officer, Role, Unit, UnitKind
from posko.regions.models import Region

PASSWORD = "uji-sandi-rahasia-123"


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Files Posko writes at run time (trained triage models, the demo password) go to the test's
    # own directory: parallel test processes share POSKO_DATA_DIR.
    settings.DATA_DIR = tmp_path / "posko-data"
    settings.DATA_DIR.mkdir()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests log staff in with Client.login/force_login (no request for django-axes, no second
    # factor); the tests of login security turn both back on with the `login_security` fixture.
    settings.AXES_ENABLED = False
    settings.POSKO_2FA_ROLES = []
    cache.clear()
    _empty_task_queue()
    yield
    cache.clear()


def _empty_task_queue() -> None:
    """On the RQ backend the queue lives in Redis, outside the test's database transaction:
    start each test with an empty one (the database backend's queue is rolled back with the
    test). scripts/test points POSKO_REDIS_URL at a database of its own."""
    from django.conf import settings

    if settings.POSKO_TASK_BACKEND == "rq":
        import django_rq

        django_rq.get_connection("default").flushdb()


@pytest.fixture
def login_security(settings: Any) -> None:
    """Production login rules: django-axes lock-outs and two-factor for the default roles."""
    settings.AXES_ENABLED = True
    settings.POSKO_2FA_ROLES = ["admin", "pimpinan", "propam", "operator"]


@pytest.fixture
def polres(db: None) -> Unit:
    return do_onboard_polres(
        "19.06", "BLT", "Polres Belitung Timur", "Polda Kepulauan Bangka Belitung"
    )


@pytest.fixture
def other_polres(db: None) -> Unit:
    return do_onboard_polres("19.02", "BLG", "Polres Belitung", "Polda Kepulauan Bangka Belitung")


def make_officer(username: str, role: str, unit: Unit, **kwargs: Any) -> Officer:
    return ensure_officer(
        username, role=role, unit=unit, full_name=username.title(), password=PASSWORD, **kwargs
    )


@pytest.fixture
def officers(polres: Unit, other_polres: Unit) -> dict[str, Officer]:
    """One officer per role in Polres Belitung Timur, plus an operator of another Polres."""

    def sat(code: str) -> Unit:
        unit = satuan_of(polres, code)
        assert unit is not None
        return unit

    gantung = Unit.objects.get(parent=polres, kind=UnitKind.POLSEK, name="Polsek Gantung")
    return {
        "admin": make_officer("admin", Role.ADMIN, polres),
        "operator": make_officer("operator", Role.OPERATOR, sat("humas")),
        "kapolres": make_officer("kapolres", Role.PIMPINAN, polres),
        "auditor": make_officer("auditor", Role.AUDITOR, polres),
        "propam": make_officer("propam", Role.PROPAM, sat("propam"), is_unit_head=True),
        "satlantas": make_officer("satlantas", Role.PETUGAS, sat("satlantas"), is_unit_head=True),
        "satreskrim": make_officer("satreskrim", Role.PETUGAS, sat("satreskrim")),
        "samapta": make_officer("samapta", Role.PETUGAS, sat("samapta"), is_unit_head=True),
        "ppa": make_officer("ppa", Role.PETUGAS, sat("ppa")),
        "polsek_gantung": make_officer("polsek.gantung", Role.PETUGAS, gantung),
        "bhabin_gantung": make_officer(
            "bhabin.gantung",
            Role.BHABINKAMTIBMAS,
            gantung,
            desa=[Region.objects.get(code="19.06.02.2001")],
        ),
        "other_operator": make_officer(
            "operator.blg",
            Role.OPERATOR,
            satuan_of(other_polres, "humas"),  # type: ignore[arg-type]
        ),
    }
