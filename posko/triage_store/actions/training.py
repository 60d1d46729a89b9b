"""Retraining the triage model of a Polres from the base training set plus its operators'
label corrections, with evaluation against the current model before activation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.core import audit_port
from posko.org.models import Unit
from posko.org.permissions import TRIAGE_SETUP_ROLES, authorize_in_polres
from posko.triage import TriageInput, Triager
from posko.triage.build import DATA_DIR as TRIAGE_DATA_DIR
from posko.triage.build import TRAIN_PATH, load_examples
from posko.triage.evaluation import evaluate
from posko.triage.model import train
from posko.triage_store.loader import forget_triagers, kabupaten_of, landmarks_of, triager_for
from posko.triage_store.models import TriageModelVersion

DEV_PATH = TRIAGE_DATA_DIR / "dev.jsonl"
# A correction is one operator's deliberate judgement about a real message of this Polres:
# it weighs more than one line of the generic base set.
CORRECTION_WEIGHT = 3
HEADS = ("category", "priority", "tone")


@dataclass(frozen=True)
class RetrainResult:
    version: TriageModelVersion
    activated: bool
    current_score: float
    new_score: float
    corrections_right: float | None


ExampleSource = Callable[[Unit], list[dict[str, Any]]]
# Where corrected examples come from: registered by the domains that hold them (the aduan
# domain registers its corrected aduan in ``AduanConfig.ready``); this app imports none.
_example_sources: list[ExampleSource] = []


def register_example_source(source: ExampleSource) -> None:
    if source not in _example_sources:
        _example_sources.append(source)


def correction_examples(polres: Unit) -> list[dict[str, Any]]:
    """Every registered source's examples ({text, category, priority, tone}) for the Polres."""
    return [example for source in _example_sources for example in source(polres)]


def score(triager: Triager, gold: list[dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    """Mean macro-F1 over category, priority and tone."""
    pred = [triager.classify(TriageInput(id=str(i), text=g["text"])) for i, g in enumerate(gold)]
    report = evaluate(gold, pred)
    return sum(report[h]["macro_f1"] for h in HEADS) / len(HEADS), report


def _accuracy_on(triager: Triager, examples: list[dict[str, Any]]) -> float | None:
    if not examples:
        return None
    right = 0
    for ex in examples:
        r = triager.classify(TriageInput(id="c", text=ex["text"]))
        right += all(getattr(r, h) == ex[h] for h in HEADS)
    return right / len(examples)


def do_retrain_triage_model(
    polres: Unit, *, force: bool = False, acting_user: User | None = None
) -> RetrainResult:
    """Train a new version, evaluate new vs. current on the held-out development set, and
    activate the new one only if it is not worse (or ``force``)."""
    corrections = correction_examples(polres)
    examples = load_examples(TRAIN_PATH) + corrections * CORRECTION_WEIGHT
    kabupaten, landmarks = kabupaten_of(polres), landmarks_of(polres)
    tokenizer = Triager(kabupaten, landmarks, use_model=False).tokens_for_model
    bundle = train(examples, tokenizer, meta={"polres": polres.code_prefix})
    candidate = Triager(kabupaten, landmarks, model=bundle)

    held_out = load_examples(DEV_PATH)
    current_score, _ = score(triager_for(polres), held_out)
    new_score, report = score(candidate, held_out)
    activate = force or new_score >= current_score

    with transaction.atomic(durable=True):
        last = TriageModelVersion.objects.filter(polres=polres).aggregate(m=Max("version"))["m"]
        number = (last or 0) + 1
        directory = Path(settings.DATA_DIR) / "triage-models" / polres.code_prefix
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"v{number}.npz"
        bundle.save(path)
        version = TriageModelVersion.objects.create(
            polres=polres,
            version=number,
            path=str(path),
            examples=len(examples),
            corrections=len(corrections),
            metrics={
                "held_out": DEV_PATH.name,
                "held_out_n": report["n"],
                "score_new": new_score,
                "score_current": current_score,
                **{f"{h}_macro_f1": report[h]["macro_f1"] for h in HEADS},
                "darurat": report["darurat"],
            },
            note="dipaksa aktif" if force and new_score < current_score else "",
            created_by=acting_user,
        )
        if activate:
            _activate(version, polres=polres, acting_user=acting_user)
    return RetrainResult(
        version=version,
        activated=activate,
        current_score=current_score,
        new_score=new_score,
        corrections_right=_accuracy_on(candidate, corrections),
    )


def _activate(
    version: TriageModelVersion | None,
    *,
    polres: Unit,
    acting_user: User | None = None,
) -> None:
    before = (
        TriageModelVersion.objects.filter(polres=polres, is_active=True)
        .values_list("version", flat=True)
        .first()
    )
    TriageModelVersion.objects.filter(polres=polres, is_active=True).update(is_active=False)
    transaction.on_commit(forget_triagers)  # (an update sends no signal)
    if version is not None:
        version.is_active = True
        version.activated_at = timezone.now()
        version.activated_by = acting_user
        version.save(update_fields=["is_active", "activated_at", "activated_by"])
    audit_port.record_change(
        polres,
        "triage_model_activated",
        actor=acting_user,
        target="triage_model",
        before=before,
        after=version.version if version is not None else None,
    )


def _authorize(acting_user: User | None, polres: Unit) -> None:
    """A person must hold a triage-setup role in the Polres; ``None`` is Posko itself (the
    retrain task, an administrator's ``posko triage`` command on the server)."""
    if acting_user is not None:
        message = _("Hanya operator atau pimpinan yang dapat mengelola model triase.")
        authorize_in_polres(acting_user, TRIAGE_SETUP_ROLES, polres, message)


@transaction.atomic(durable=True)
def do_activate_triage_model(
    polres: Unit, version_number: int | None, *, acting_user: User | None = None
) -> TriageModelVersion | None:
    """Roll back (or forward) to a version; ``None`` returns to the model shipped with Posko."""
    _authorize(acting_user, polres)
    if version_number is None:
        _activate(None, polres=polres, acting_user=acting_user)
        return None
    version = TriageModelVersion.objects.get(polres=polres, version=version_number)
    _activate(version, polres=polres, acting_user=acting_user)
    return version


@transaction.atomic(durable=True)
def do_request_triage_retrain(polres: Unit, *, acting_user: User) -> None:
    """Queue a retrain in the background (training takes seconds to minutes)."""
    from posko.triage_store.tasks import retrain_triage_model

    _authorize(acting_user, polres)
    audit_port.record_change(
        polres, "triage_retrain_requested", actor=acting_user, target="triage_model"
    )

    polres_id, user_id = polres.pk, acting_user.pk
    transaction.on_commit(lambda: retrain_triage_model.enqueue(polres_id, user_id))
