"""Match texts (aduan, posts) against a Polres's approved registry."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from django.db import transaction

from posko.aduan.actions.common import record_audit
from posko.aduan.actions.system import do_send_system_reply
from posko.org.models import Unit
from posko.patrol.engine import Claim, ClaimMatcher, MatchResult
from posko.patrol.models import AduanClaimMatch, ClaimStatus, HoaxClaim

if TYPE_CHECKING:
    from posko.aduan.models import Aduan


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


CLARIFICATION_REPLY = "Terima kasih telah bertanya. Klarifikasi resmi {polres}: {text}"


def do_match_aduan(aduan_id: int) -> str:
    """Match one aduan's text; store the suggestion/auto match (idempotent). On "auto",
    an aduan that came in on a connected channel gets the published clarification back
    through the channel's outbound machinery (Meedan Check's rule: only published
    clarifications are sent, and never on "suggest")."""
    from posko.aduan.models import Aduan

    aduan = Aduan.objects.select_related("polres").filter(pk=aduan_id).first()
    if aduan is None:
        return "missing"
    res = match_texts(aduan.polres, [aduan.text])[0]
    if res.decision == "none" or res.best is None:
        return "none"
    with transaction.atomic():
        match, created = AduanClaimMatch.objects.update_or_create(
            aduan=aduan,
            defaults={
                "claim_id": int(res.best),
                "score": res.matches[0].score,
                "decision": res.decision,
            },
        )
        record_audit(
            aduan, "hoax_claim_matched", actor=None, claim=match.claim_id, decision=res.decision
        )
        if created and res.decision == "auto":
            return _send_clarification(aduan, match.claim)
    return res.decision


def _send_clarification(aduan: Aduan, claim: HoaxClaim) -> str:
    """On the origin channel (the reporter of a web report reads the tracking page; officers
    see the match), unless the platform would refuse a reply now."""
    text = CLARIFICATION_REPLY.format(polres=aduan.polres.name, text=claim.clarification)
    message = do_send_system_reply(
        aduan, text, audit_action="hoax_clarification_sent", claim=claim.pk
    )
    return "auto (clarification sent)" if message is not None else "auto"
