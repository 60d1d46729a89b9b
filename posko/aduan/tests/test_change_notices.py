"""Change notices after commit, one by one or held for a batch (aduan/events.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

import pytest
from django.db import transaction

from posko.aduan import events
from posko.aduan.events import ChangeNotice, EventKind
from posko.aduan.models import Aduan
from posko.aduan.tests.factories import make_aduan
from posko.org.models import Unit


class Undo(Exception):
    pass


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[ChangeNotice]]]:
    calls: list[list[ChangeNotice]] = []

    def listener(notices: Sequence[ChangeNotice]) -> None:
        calls.append(list(notices))

    monkeypatch.setattr(events, "_change_listeners", [listener])
    monkeypatch.setattr(events, "_subscribers", defaultdict(list))  # notices only
    yield calls


@pytest.fixture
def aduan(polres: Unit) -> Aduan:
    return make_aduan(polres)


def emit_in_transaction(aduan: Aduan, kind: EventKind, *, undo: bool = False) -> None:
    try:
        with transaction.atomic():
            events.emit(kind, aduan)
            if undo:
                raise Undo
    except Undo:
        pass


@pytest.mark.django_db(transaction=True)
def test_each_commit_is_heard_once_it_committed(
    heard: list[list[ChangeNotice]], aduan: Aduan
) -> None:
    emit_in_transaction(aduan, EventKind.CREATED)
    emit_in_transaction(aduan, EventKind.ASSIGNED, undo=True)
    assert heard == [[(EventKind.CREATED, aduan.pk)]]


@pytest.mark.django_db(transaction=True)
def test_held_notices_arrive_together_without_the_rolled_back_ones(
    heard: list[list[ChangeNotice]], aduan: Aduan
) -> None:
    with events.notices_held():
        emit_in_transaction(aduan, EventKind.CREATED)
        emit_in_transaction(aduan, EventKind.ASSIGNED, undo=True)
        emit_in_transaction(aduan, EventKind.STATUS_CHANGED)
        assert heard == []
    assert heard == [[(EventKind.CREATED, aduan.pk), (EventKind.STATUS_CHANGED, aduan.pk)]]


@pytest.mark.django_db(transaction=True)
def test_what_committed_is_heard_even_when_the_batch_ends_in_an_error(
    heard: list[list[ChangeNotice]], aduan: Aduan
) -> None:
    with pytest.raises(RuntimeError), events.notices_held():
        emit_in_transaction(aduan, EventKind.CREATED)
        raise RuntimeError("worker stopped")
    assert heard == [[(EventKind.CREATED, aduan.pk)]]


@pytest.mark.django_db(transaction=True)
def test_a_held_block_inside_another_hands_its_notices_to_the_outer_one(
    heard: list[list[ChangeNotice]], aduan: Aduan
) -> None:
    from posko.aduan.actions.common import composed_actions

    with events.notices_held():
        with composed_actions():  # one transaction of several actions: holds its notices too
            events.emit(EventKind.CREATED, aduan)
            events.emit(EventKind.ASSIGNED, aduan)
        assert heard == []
        emit_in_transaction(aduan, EventKind.STATUS_CHANGED)
    assert heard == [
        [
            (EventKind.CREATED, aduan.pk),
            (EventKind.ASSIGNED, aduan.pk),
            (EventKind.STATUS_CHANGED, aduan.pk),
        ]
    ]
