"""The command view's table rows built in Python (metrics/command_rows.py) are byte for byte
the HTML the template loops they replaced produced, for a Kapolres's view and a Kapolda's
roll-up, in both languages, with and without thousands grouping; and the medians settled
at once (queries.settle) are those of each row's own histograms."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from posko.aduan.models.choices import Status
from posko.aduan.tests.factories import make_aduan
from posko.conftest import make_officer
from posko.metrics.actions.refresh import do_rebuild_metrics
from posko.metrics.buckets import N_BUCKETS, quantile_minutes
from posko.metrics.command_rows import CommandTables
from posko.metrics.queries import SETTLED, Figures, settle
from posko.org.models import Officer, Role, Unit

pytestmark = pytest.mark.django_db

# The loops of metrics/command.html and metrics/_command_table.html before the rows moved
# to Python (verbatim).
FORMER = {
    "comparison": """{% load metrics_tags %}{% for unit, f in comparison %}<tr><th scope="row">{{ unit.name }}</th><td data-v="{{ f.received }}">{{ f.received }}</td><td>{{ f.open }}</td><td>{{ f.first_median|duration }}</td><td>{{ f.first_met_pct|pct }}</td><td>{{ f.resolution_met_pct|pct }}</td></tr>{% endfor %}""",  # noqa: E501
    "months": """{% load metrics_tags %}{% for m in months %}<tr><th scope="row">{{ m.value }}</th><td data-v="{{ m.received }}">{{ m.received }}</td><td data-v="{{ m.resolved }}">{{ m.resolved }}</td><td>{{ m.first_median|duration }}</td><td>{{ m.first_met_pct|pct }}</td></tr>{% endfor %}""",  # noqa: E501
    "categories": """{% load metrics_tags %}{% for c in categories %}<tr><th scope="row"><a href="{% url 'console:inbox' %}?status=semua&amp;category={{ c.value|urlencode }}">{{ c.label }}</a></th><td data-v="{{ c.received }}">{{ c.received }}</td><td>{{ c.open }}</td><td>{{ c.resolution_median|duration }}</td><td>{{ c.resolution_met_pct|pct }}</td></tr>{% endfor %}""",  # noqa: E501
    "channels": """{% load metrics_tags %}{% for c in channels %}<tr><th scope="row"><a href="{% url 'console:inbox' %}?status=semua&amp;channel={{ c.value|urlencode }}">{{ c.label }}</a></th><td data-v="{{ c.received }}">{{ c.received }}</td><td>{{ c.open }}</td><td>{{ c.first_median|duration }}</td></tr>{% endfor %}""",  # noqa: E501
    "table": """{% load i18n metrics_tags %}{% for r in rows %}<tr><th scope="row">{% if param and r.value %}<a href="{% url 'console:inbox' %}?status=terbuka&amp;{{ param }}={{ r.value }}">{{ r.label }}</a>{% else %}{{ r.label }}{% endif %}</th><td data-v="{{ r.open }}">{{ r.open }}</td><td data-v="{{ r.overdue }}">{% if r.overdue and param and r.value %}<a href="{% url 'console:inbox' %}?status=terbuka&amp;overdue=on&amp;{{ param }}={{ r.value }}">{{ r.overdue }}</a>{% else %}{{ r.overdue }}{% endif %}</td><td>{{ r.received }}</td><td>{{ r.first_median|duration }}</td><td>{{ r.first_met_pct|pct }}</td><td>{{ r.resolution_median|duration }}</td><td>{{ r.csat_avg|default:"—" }}</td></tr>{% empty %}<tr><td colspan="8">{% translate "Belum ada data pada periode ini." %}</td></tr>{% endfor %}""",  # noqa: E501
}
TABLES = {"satuan": "unit", "polsek": "polsek", "officers": ""}


@pytest.fixture
def varied(polres: Unit, other_polres: Unit, officers: dict[str, Officer]) -> None:
    """Aduan over months, categories, channels and officers: overdue, answered late and
    early, resolved, open; an officer and a Polres whose names need escaping."""
    now = timezone.now()
    user = officers["satreskrim"].user
    user.first_name, user.last_name = "D'Arc &", "<Reskrim>"
    user.save()
    other_polres.name = "Polres Belitung & <Uji>"
    other_polres.save()
    staff = [officers["satreskrim"], officers["satlantas"], None]
    for i in range(24):
        received = now - timedelta(days=(i * 23) % 330, hours=2)
        closed = i % 3 != 1
        make_aduan(
            polres if i % 4 else other_polres,
            category=["pencurian", "narkoba", "asusila_kdrt", "lalu_lintas"][i % 4],
            channel=["web", "whatsapp", "telepon"][i % 3],
            assigned_officer=staff[i % 3] if i % 4 else None,
            received_at=received,
            status=Status.SELESAI if closed else Status.DITANGANI,
            first_responded_at=received + timedelta(minutes=7 + 97 * i),
            resolved_at=received + timedelta(hours=1 + 13 * i) if closed else None,
        )
    make_aduan(polres, category="asusila_kdrt", received_at=now - timedelta(days=3))  # late
    do_rebuild_metrics()


def _former(name: str, context: Any) -> str:
    if name in TABLES:
        values = {"rows": context[name], "param": TABLES[name]}
    else:
        values = {name: context[name]}
    return Template(FORMER["table" if name in TABLES else name]).render(Context(values))


def _spice(context: Any) -> None:
    """Figures the data set lacks: satisfaction answers, a count in the thousands."""
    for name in TABLES:
        for i, row in enumerate(context[name][:2]):
            row.counts["csat_count"] = 3 + i
            row.counts["csat_rating_sum"] = 13 + 3 * i  # 4,3 and 4,0
    if context["months"]:
        context["months"][0].counts["received"] = 123_456


@pytest.mark.parametrize("grouping", [False, True])
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("username", ["kapolres", "kapolda"])
def test_tables_match_the_former_template_loops(
    polres: Unit,
    officers: dict[str, Officer],
    varied: None,
    settings: Any,
    language: str,
    username: str,
    grouping: bool,
) -> None:
    settings.POSKO_METRICS_CACHE_SECONDS = 0
    settings.USE_THOUSAND_SEPARATOR = grouping
    assert polres.parent is not None
    make_officer("kapolda", Role.PIMPINAN, polres.parent)
    client = Client()
    client.force_login(Officer.objects.get(user__username=username).user)
    context = client.get("/posko/komando/", headers={"accept-language": language}).context
    assert isinstance(context["tables"], CommandTables)
    _spice(context)
    names = [*TABLES, "months", "categories", "channels"]
    if username == "kapolda":
        names.append("comparison")
        assert len(context["comparison"]) == 2
    with translation.override(language):
        tables = CommandTables({n: context[n] for n in names}, context["comparison"])
        for name in names:
            built = getattr(tables, name)()
            assert built == _former(name, context), name
            assert built.count("<tr>") == max(1, len(context[name])), name
    rows = [r for name in TABLES for r in context[name]]
    assert any(r.overdue for r in rows) and any(r.first_median for r in rows)
    assert "D&#x27;Arc &amp; &lt;Reskrim&gt;" in tables.officers()  # escaped as the template
    if username == "kapolda":
        assert "Polres Belitung &amp; &lt;Uji&gt;" in tables.comparison()


def test_settled_quantiles_equal_each_rows_own() -> None:
    rng = random.Random(12)
    rows, expected = [], []
    for _ in range(400):
        hist: dict[str, Any] = {}
        for name in ("fr", "rs"):
            if rng.random() < 0.15:
                hist[name] = None
            else:
                counts = np.zeros(N_BUCKETS, dtype=np.int64)
                for _ in range(rng.choice([0, 1, 2, 5, 40])):
                    counts[rng.randrange(N_BUCKETS)] += rng.choice([1, 1, 3, 1000])
                hist[name] = counts
        rows.append(Figures(fr=hist["fr"], rs=hist["rs"]))
        expected.append(tuple(quantile_minutes(hist[name], q) for name, q in SETTLED))
    before = [(r.first_median, r.first_p90, r.resolution_median, r.resolution_p90) for r in rows]
    assert before == expected
    settle(rows)
    after = [(r.first_median, r.first_p90, r.resolution_median, r.resolution_p90) for r in rows]
    assert after == expected
    assert all(r.fr is None and r.rs is None for r in rows)
    assert any(v is None for t in expected for v in t) and any(v for t in expected for v in t)
    with pytest.raises(ValueError):
        rows[0].add_figures(Figures())
