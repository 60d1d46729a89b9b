"""One rule for "this desa is in this Polres" (``posko.org.lookup``): every publishing entry
point refuses a desa of another Polres."""

from __future__ import annotations

import pytest

from posko.channels.models import ChannelAccount
from posko.console.publishing_forms import ComposeForm
from posko.org.models import Officer, Unit
from posko.portal.publishing_views import SubscribeForm
from posko.publishing.actions.common import PostError
from posko.publishing.actions.compose import Draft, do_create_post
from posko.publishing.actions.ronda import do_create_ronda_post
from posko.publishing.actions.subscribers import do_request_subscription
from posko.publishing.keywords import keyword_handler
from posko.publishing.models import Post, RondaPost, Subscriber
from posko.regions.models import Region, RegionLevel

GANTUNG = "19.06.02.2001"


def _foreign_desa() -> Region:
    """A desa of Polres Belitung (19.02) whose name no desa of Belitung Timur carries."""
    own = set(Region.objects.filter(code__startswith="19.06.").values_list("name", flat=True))
    desa = (
        Region.objects.filter(level=RegionLevel.DESA, code__startswith="19.02.")
        .exclude(name__in=own)
        .order_by("code")
        .first()
    )
    assert desa is not None
    return desa


@pytest.mark.django_db
def test_composer_refuses_a_desa_of_another_polres(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    foreign = _foreign_desa()
    draft = Draft(
        kind="peringatan_keamanan",
        text="Waspada pencurian motor.",
        accounts=[accounts["facebook"]],
        fields={"area": "Gantung", "what_to_do": "Kunci ganda"},
        desa=[Region.objects.get(code=GANTUNG), foreign],
    )
    with pytest.raises(PostError) as caught:
        do_create_post(polres, draft, acting_user=officers["operator"].user)
    assert any(foreign.name in e and "bukan wilayah Polres ini" in e for e in caught.value.errors)
    assert not Post.objects.exists()
    draft.desa = [Region.objects.get(code=GANTUNG)]
    post = do_create_post(polres, draft, acting_user=officers["operator"].user)
    assert list(post.desa.values_list("code", flat=True)) == [GANTUNG]


@pytest.mark.django_db
def test_ronda_post_subscription_and_keyword_refuse_a_desa_of_another_polres(
    officers: dict[str, Officer],
    polres: Unit,
    other_polres: Unit,
    accounts: dict[str, ChannelAccount],
) -> None:
    foreign = _foreign_desa()
    with pytest.raises(PostError):
        do_create_ronda_post(polres, foreign, "Pos 1", acting_user=officers["operator"].user)
    assert not RondaPost.objects.exists()
    do_create_ronda_post(
        polres, Region.objects.get(code=GANTUNG), "Pos 1", acting_user=officers["operator"].user
    )
    assert RondaPost.objects.count() == 1
    with pytest.raises(PostError) as caught:
        do_request_subscription(polres, "081234567890", foreign)
    assert caught.value.errors == ["Wilayah tidak dikenal di Polres ini."]
    with pytest.raises(PostError):
        do_request_subscription(polres, "081234567890", foreign.parent)  # type: ignore[arg-type]
    outcome = keyword_handler(accounts["telegram"], "5550001", f"DAFTAR {foreign.name}")
    assert outcome is not None and outcome.result == "unknown desa"
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_forms_offer_only_the_polres_own_desa(polres: Unit, other_polres: Unit) -> None:
    foreign = _foreign_desa()
    compose = ComposeForm(polres=polres)
    offered = set(compose.fields["desa"].queryset.values_list("code", flat=True))  # type: ignore[attr-defined]
    assert GANTUNG in offered and foreign.code not in offered
    assert all(code.startswith("19.06.") for code in offered)
    subscribe = SubscribeForm(polres=polres)
    codes = {code for code, _label in subscribe.fields["area"].choices if code}  # type: ignore[attr-defined]
    assert GANTUNG in codes and foreign.code not in codes
    assert foreign.parent.code not in codes  # type: ignore[union-attr]
    kecamatan = Region.objects.get(code=GANTUNG).parent
    assert kecamatan is not None and kecamatan.code in codes
