"""The inbox rows built in Python (console/inbox_rows.py) are byte for byte the HTML the
template loop they replaced produced, for every kind of row and in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from posko.aduan.actions.incidents import do_join_incident
from posko.aduan.inbox import InboxFilters, inbox_queryset
from posko.aduan.models import AduanPhoto
from posko.aduan.tests.factories import make_aduan
from posko.console.inbox_rows import inbox_rows
from posko.org.models import Officer, Unit
from posko.regions.models import Region

# The loop of console/_inbox_table.html before the rows moved to Python (verbatim).
FORMER_LOOP = """{% load i18n posko_tags %}{% for a in page %}
    {% with overdue=a.due|is_overdue %}
    <tr class="row--{{ a.priority }}{% if overdue %} row--overdue{% endif %}" data-code="{{ a.code }}" data-priority="{{ a.priority }}" data-stamp="{{ a.updated_at|date:'U' }}">
      <td class="cell-pick"><input type="checkbox" name="codes" value="{{ a.code }}" form="bulk-form" aria-label="{% blocktranslate with code=a.code %}Pilih {{ code }}{% endblocktranslate %}" data-bulk-pick><input type="hidden" name="page_codes" value="{{ a.code }}"></td>
      <td class="cell-prio"><span class="prio prio--{{ a.priority }}">{{ a.priority|label:"priority" }}</span></td>
      <td class="cell-code mono"><a href="{% url 'console:aduan_detail' a.code %}">{{ a.code }}</a></td>
      <td class="cell-text"><a href="{% url 'console:aduan_detail' a.code %}">{{ a.text|truncatechars:110 }}</a>
        <small class="muted">{{ a.channel|label:"channel" }} · {{ a.received_at|date:"j M H:i" }}{% if a.incident_id %} · {% blocktranslate with number=a.incident_id %}insiden #{{ number }}{% endblocktranslate %}{% endif %}{% if a.has_photo %} · <span class="tag tag--photo" data-testid="photo-marker">{% translate "foto" %}</span>{% endif %}{% if a.tone == 'provokatif' %} · <span class="tag tag--warn">{% translate "provokatif" %}</span>{% endif %}</small></td>
      <td class="cell-cat">{{ a.category|label:"category" }}</td>
      <td class="cell-loc">{% if a.desa %}{{ a.desa.name }}{% elif a.kecamatan %}{% blocktranslate with name=a.kecamatan.name %}Kec. {{ name }}{% endblocktranslate %}{% else %}<span class="muted">—</span>{% endif %}{% if a.polsek %}<small class="muted">{{ a.polsek.name }}</small>{% endif %}</td>
      <td class="cell-unit">{{ a.handling_unit.name|default:"—" }}{% if a.assigned_officer %}<small class="muted">{{ a.assigned_officer }}</small>{% endif %}</td>
      <td class="cell-status"><span class="status status--{{ a.status }}">{{ a.status|label:"status" }}</span></td>
      <td class="cell-sla {% if overdue %}sla--late{% else %}sla--ok{% endif %}">{% if a.due %}{% sla_state a.due now %}<small class="muted">{{ a.due|date:"j M H:i" }}</small>{% else %}—{% endif %}</td>
    </tr>
    {% endwith %}
  {% endfor %}"""  # noqa: E501


@pytest.fixture
def varied(polres: Unit, officers: dict[str, Officer]) -> None:
    now = timezone.now()
    first = make_aduan(
        polres,
        desa="19.06.02.2001",
        priority="darurat",
        tone="provokatif",
        text="Jalan <rusak> & berlubang " * 8,
        received_at=now - timedelta(days=3),
        assigned_officer=officers["satlantas"],
    )
    second = make_aduan(polres, desa="19.06.02.2001", channel="wa", handling_unit=None)
    do_join_incident(second, first, acting_user=officers["operator"].user)
    AduanPhoto.objects.create(
        aduan=second, image="aduan/x.jpg", content_type="image/jpeg", size=1, width=1, height=1
    )
    kecamatan_only = make_aduan(polres, priority="tinggi", polsek=None)
    kecamatan_only.kecamatan = Region.objects.get(code="19.06.02")
    kecamatan_only.save(update_fields=["kecamatan"])
    make_aduan(polres, priority="rendah", polsek=None, handling_unit=None)  # no place at all
    make_aduan(polres, status="ditangani", first_responded_at=now)  # resolution clock
    make_aduan(polres, status="selesai", received_at=now - timedelta(days=40))  # no clock


@pytest.mark.parametrize("language", ["id", "en"])
def test_rows_match_the_former_template(
    polres: Unit, officers: dict[str, Officer], varied: None, language: str
) -> None:
    now = timezone.now()
    page = list(inbox_queryset(officers["operator"].user, InboxFilters(status="semua"), now=now))
    assert len(page) == 6
    dues = [getattr(a, "due", None) for a in page]
    assert any(getattr(a, "has_photo", False) for a in page) and any(a.incident_id for a in page)
    assert None in dues and any(due and due < now for due in dues)
    with translation.override(language):
        former = Template(FORMER_LOOP).render(Context({"page": page, "now": now}))
        built = "".join(inbox_rows(page, now))
    assert built == former


def test_rows_without_the_pick_cell_are_the_same_rows_without_it(
    polres: Unit, officers: dict[str, Officer], varied: None
) -> None:
    """A field officer's rows (no bulk actions) lose exactly the checkbox cell."""
    now = timezone.now()
    page = list(inbox_queryset(officers["operator"].user, InboxFilters(status="semua"), now=now))
    with_pick = inbox_rows(page, now)
    without = inbox_rows(page, now, pick=False)
    assert len(without) == len(with_pick) == 6
    for full, bare in zip(with_pick, without, strict=True):
        start = full.index('      <td class="cell-pick">')
        end = full.index("</td>\n", start) + len("</td>\n")
        assert bare == full[:start] + full[end:]
        assert "data-bulk-pick" not in bare and 'name="page_codes"' not in bare
