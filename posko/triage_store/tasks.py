from __future__ import annotations

from django.contrib.auth.models import User
from django_tasks import task

from posko.org.models import Unit


@task()
def retrain_triage_model(polres_id: int, user_id: int | None) -> dict[str, object]:
    from posko.triage_store.actions.training import do_retrain_triage_model

    polres = Unit.objects.get(pk=polres_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    result = do_retrain_triage_model(polres, acting_user=user)
    return {
        "version": result.version.version,
        "activated": result.activated,
        "score_current": result.current_score,
        "score_new": result.new_score,
    }
