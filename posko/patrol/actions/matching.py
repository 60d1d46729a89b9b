"""Match texts (aduan, posts) against a Polres's approved registry."""

from __future__ import annotations

from functools import lru_cache

from django.db import transaction

from posko.org.models import Unit
from posko.patrol.engine import Claim, ClaimMatcher, MatchResult
from posko.patrol.models import AduanClaimMatch, ClaimStatus, HoaxClaim


@lru_cache(maxsize=16)
def _matcher(polres_id: int, version: tuple[int, int, str]) -> ClaimMatcher:
    rows = HoaxClaim.objects.filter(polres_id=polres_id, status=ClaimStatus.APPROVED)
    return ClaimMatcher([Claim(str(c.pk), c.claim, c.verdict, c.clarification) for c in rows])


def registry_matcher(polres: Unit) -> ClaimMatcher:
    qs = HoaxClaim.objects.filter(polres=polres, status=ClaimStatus.APPROVED)
    last = qs.order_by("-published_at").values_list("published_at", flat=True).first()
    return _matcher(
        polres.pk,
        (qs.count(), max((c for c in qs.values_list("pk", flat=True)), default=0), str(last)),
    )


def match_texts(polres: Unit, texts: list[str]) -> list[MatchResult]:
    matcher = registry_matcher(polres)
    if not matcher.claims:
        return [MatchResult((), "none") for _ in texts]
    return matcher.match(texts)


def do_match_aduan(aduan_id: int) -> str:
    """Match one aduan's text; store the suggestion/auto match (idempotent)."""
    from posko.aduan.models import Aduan

    aduan = Aduan.objects.select_related("polres").filter(pk=aduan_id).first()
    if aduan is None:
        return "missing"
    res = match_texts(aduan.polres, [aduan.text])[0]
    if res.decision == "none" or res.best is None:
        return "none"
    with transaction.atomic():
        AduanClaimMatch.objects.update_or_create(
            aduan=aduan,
            defaults={
                "claim_id": int(res.best),
                "score": res.matches[0].score,
                "decision": res.decision,
            },
        )
    return res.decision
