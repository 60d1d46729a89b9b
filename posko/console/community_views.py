"""Console pages of the community work: programmes and events (with the publicity prepared
for the composer), Jumat Curhat aspirations and their follow-up, the sambang log, the
stakeholders of each desa and sharing with them, anonymous tips, ronda swap requests.
Thin views: validate a form, call one action, render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from posko.channels.models import DeliveryState
from posko.console.community_forms import (
    AspirationForm,
    EventForm,
    ProgrammeForm,
    SambangForm,
    ShareForm,
    StakeholderForm,
    TipReplyForm,
)
from posko.console.views import forbidden, officer_required, polres_of_request
from posko.core.types import staff_user
from posko.org.models import Role
from posko.org.permissions import NotPermitted
from posko.publishing.access import COMPOSE_ROLES, can_see_phone_numbers, visible_posts
from posko.publishing.actions.common import PostError
from posko.publishing.actions.community import (
    COMMUNITY_ROLES,
    EventInput,
    do_create_event,
    do_create_programme,
    do_follow_up_aspiration,
    do_log_sambang,
    do_record_aspiration,
    do_set_event_state,
)
from posko.publishing.actions.ronda_swaps import do_decide_swap, may_decide
from posko.publishing.actions.stakeholders import (
    NO_CHANNEL,
    do_remove_stakeholder,
    do_save_stakeholder,
    do_share_with_stakeholders,
    share_counts,
    share_state,
    shown_address,
    visible_stakeholders,
)
from posko.publishing.actions.tips import do_reply_tip, read_tip, visible_tips
from posko.publishing.models import (
    Post,
    Programme,
    ProgrammeEvent,
    RondaSwapRequest,
    RondaSwapState,
    SambangVisit,
    StakeholderRole,
    StakeholderShare,
)

READ_ROLES = COMMUNITY_ROLES | {Role.AUDITOR}


def _state_label(state: str) -> str:
    if state == NO_CHANNEL:
        return _("tanpa akun kanal")
    return str(dict(DeliveryState.choices).get(state, state))


def _role(request: HttpRequest) -> str:
    return str(request.officer.role)  # type: ignore[attr-defined]


def _run(form: forms.Form, action: Any) -> bool:
    """Call the action; its errors go on the form. False when it refused."""
    try:
        action()
    except PostError as exc:
        for error in exc.errors:
            form.add_error(None, error)
        return False
    return True


@officer_required
def programmes(request: HttpRequest) -> HttpResponseBase:
    if _role(request) not in READ_ROLES:
        return forbidden(request, _("Anda tidak berwenang membuka program kemitraan."))
    polres = polres_of_request(request)
    which = request.POST.get("form")
    programme_form = ProgrammeForm(request.POST if which == "programme" else None)
    event_form = EventForm(request.POST if which == "event" else None, polres=polres)
    user = staff_user(request)
    try:
        if which == "programme" and programme_form.is_valid():
            data = programme_form.cleaned_data
            if _run(
                programme_form,
                lambda: do_create_programme(polres, acting_user=user, **data),
            ):
                messages.success(request, _("Program tersimpan."))
                return redirect("console:community")
        if which == "event" and event_form.is_valid():
            data = dict(event_form.cleaned_data)
            programme = data.pop("programme")
            if _run(
                event_form,
                lambda: do_create_event(programme, EventInput(**data), acting_user=user),
            ):
                messages.success(request, _("Kegiatan dijadwalkan."))
                return redirect("console:community")
    except NotPermitted as exc:
        return forbidden(request, str(exc))
    events = (
        ProgrammeEvent.objects.filter(programme__polres=polres)
        .filter(starts_at__gte=timezone.now() - timedelta(days=30))
        .select_related("programme", "desa", "post")
        .order_by("starts_at")[:200]
    )
    return render(
        request,
        "publishing/console_community.html",
        {
            "programmes": Programme.objects.filter(polres=polres),
            "events": events,
            "programme_form": programme_form,
            "event_form": event_form,
            "may_manage": _role(request) in COMMUNITY_ROLES,
            "may_compose": _role(request) in COMPOSE_ROLES,
        },
        status=400 if request.method == "POST" else 200,
    )


@officer_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    if _role(request) not in READ_ROLES:
        return forbidden(request, _("Anda tidak berwenang membuka program kemitraan."))
    polres = polres_of_request(request)
    event = (
        ProgrammeEvent.objects.filter(programme__polres=polres, pk=pk)
        .select_related("programme", "desa", "post")
        .first()
    )
    if event is None:
        raise Http404
    form = AspirationForm(request.POST if request.POST.get("form") == "aspiration" else None)
    user = staff_user(request)
    try:
        if request.POST.get("form") == "aspiration" and form.is_valid():
            data = form.cleaned_data
            if _run(form, lambda: do_record_aspiration(event, acting_user=user, **data)):
                return redirect("console:community_event", event.pk)
        if request.POST.get("form") == "state":
            state = request.POST.get("state", "")
            if _run(form, lambda: do_set_event_state(event, state, acting_user=user)):
                return redirect("console:community_event", event.pk)
        if request.POST.get("form") == "follow_up":
            aspiration = event.aspirations.filter(pk=request.POST.get("aspiration") or 0).first()
            if aspiration is None:
                raise Http404
            if _run(
                form,
                lambda: do_follow_up_aspiration(
                    aspiration, request.POST.get("follow_up", ""), acting_user=user
                ),
            ):
                messages.success(request, _("Aspirasi ditindaklanjuti."))
                return redirect("console:community_event", event.pk)
    except NotPermitted as exc:
        return forbidden(request, str(exc))
    return render(
        request,
        "publishing/console_event.html",
        {
            "event": event,
            "aspirations": event.aspirations.select_related("aduan"),
            "form": form,
            "may_manage": _role(request) in COMMUNITY_ROLES,
            "may_compose": _role(request) in COMPOSE_ROLES,
        },
        status=400 if request.method == "POST" else 200,
    )


@officer_required
def sambang(request: HttpRequest) -> HttpResponseBase:
    if _role(request) not in READ_ROLES:
        return forbidden(request, _("Anda tidak berwenang membuka program kemitraan."))
    polres = polres_of_request(request)
    officer = request.officer  # type: ignore[attr-defined]
    is_bhabin = officer.role == Role.BHABINKAMTIBMAS
    form = SambangForm(request.POST or None, polres=polres)
    if request.method == "POST" and is_bhabin and form.is_valid():
        data = form.cleaned_data
        try:
            if _run(form, lambda: do_log_sambang(officer, acting_user=staff_user(request), **data)):
                messages.success(request, _("Kunjungan sambang tercatat."))
                return redirect("console:community_sambang")
        except NotPermitted as exc:
            return forbidden(request, str(exc))
    visits = SambangVisit.objects.filter(polres=polres).select_related("officer__user", "desa")
    if is_bhabin:
        visits = visits.filter(officer=officer)
    return render(
        request,
        "publishing/console_sambang.html",
        {"form": form, "visits": visits[:200], "may_log": is_bhabin},
        status=400 if request.method == "POST" else 200,
    )


def _post_to_share(request: HttpRequest, polres: Any) -> Post | None:
    """``?publikasi=<id>``: share this alert or appeal (its text and desa prefilled)."""
    raw = request.GET.get("publikasi", "")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return visible_posts(request.user).filter(polres=polres, pk=int(raw)).first()


@officer_required
def stakeholders(request: HttpRequest) -> HttpResponseBase:
    if _role(request) not in READ_ROLES:
        return forbidden(request, _("Anda tidak berwenang membuka daftar mitra."))
    polres = polres_of_request(request)
    which = request.POST.get("form")
    form = StakeholderForm(request.POST if which == "stakeholder" else None, polres=polres)
    post = _post_to_share(request, polres)
    share_initial = {"text": post.text, "desa": list(post.desa.all())} if post else None
    share_form = ShareForm(
        request.POST if which == "share" else None, polres=polres, initial=share_initial
    )
    user = staff_user(request)
    rows = visible_stakeholders(polres)
    try:
        if which == "stakeholder" and form.is_valid():
            data = form.cleaned_data
            if _run(form, lambda: do_save_stakeholder(polres, acting_user=user, **data)):
                messages.success(request, _("Mitra tersimpan."))
                return redirect("console:community_stakeholders")
        if which == "share" and share_form.is_valid():
            text, desa = share_form.cleaned_data["text"], list(share_form.cleaned_data["desa"])
            if _run(
                share_form,
                lambda: do_share_with_stakeholders(
                    polres, text=text, desa=desa, acting_user=user, post=post
                ),
            ):
                messages.success(request, _("Dibagikan ke mitra desa terpilih."))
                return redirect("console:community_stakeholders")
        if which == "remove":
            stakeholder = rows.filter(pk=request.POST.get("stakeholder") or 0).first()
            if stakeholder is None:
                raise Http404
            do_remove_stakeholder(stakeholder, acting_user=user)
            return redirect("console:community_stakeholders")
    except NotPermitted as exc:
        return forbidden(request, str(exc))
    desa_code = request.GET.get("desa", "")[:20]
    if desa_code:
        rows = rows.filter(desa__code=desa_code)
    full = can_see_phone_numbers(request.user)
    shares = StakeholderShare.objects.filter(polres=polres).prefetch_related("desa")[:20]
    return render(
        request,
        "publishing/console_stakeholders.html",
        {
            "listing": [{"s": s, "address": shown_address(s, full=full)} for s in rows[:500]],
            "form": form,
            "share_form": share_form,
            "shares": [
                {
                    "share": s,
                    "counts": share_counts(s),
                    "copies": [
                        (c.stakeholder, _state_label(share_state(c)))
                        for c in s.deliveries.select_related("stakeholder", "delivery")
                    ],
                }
                for s in shares
            ],
            "roles": StakeholderRole.choices,
            "full": full,
            "may_manage": _role(request) in COMPOSE_ROLES,
        },
        status=400 if request.method == "POST" else 200,
    )


@officer_required
def tips(request: HttpRequest) -> HttpResponse:
    rows = visible_tips(request.user).order_by("-received_on", "-id")[:200]
    return render(request, "publishing/console_tips.html", {"tips": rows})


@officer_required
def tip_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = staff_user(request)
    try:
        tip = read_tip(user, pk)
    except NotPermitted as exc:
        return forbidden(request, str(exc))
    form = TipReplyForm(request.POST or None, initial={"reply": tip.reply})
    if request.method == "POST" and form.is_valid():
        reply = form.cleaned_data["reply"]
        try:
            if _run(form, lambda: do_reply_tip(tip, reply, acting_user=user)):
                messages.success(request, _("Tanggapan tersimpan."))
                return redirect("console:community_tip", tip.pk)
        except NotPermitted as exc:
            return forbidden(request, str(exc))
    return render(request, "publishing/console_tip.html", {"tip": tip, "form": form})


@officer_required
def swaps(request: HttpRequest) -> HttpResponseBase:
    polres = polres_of_request(request)
    user = staff_user(request)
    pending = RondaSwapRequest.objects.filter(
        member__shift__post__polres=polres, state=RondaSwapState.PENDING
    ).select_related("member__shift__post__desa", "member__shift__coordinator")
    mine = [s for s in pending if may_decide(user, s)]
    if request.method == "POST":
        swap = next((s for s in mine if str(s.pk) == request.POST.get("swap")), None)
        if swap is None:
            return forbidden(request, _("Hanya koordinator jaga yang memutuskan tukar jaga."))
        try:
            do_decide_swap(swap, approve=request.POST.get("decision") == "setuju", acting_user=user)
        except PostError as exc:
            messages.error(request, str(exc))
        except NotPermitted as exc:
            return forbidden(request, str(exc))
        return redirect("console:community_swaps")
    return render(request, "publishing/console_swaps.html", {"swaps": mine})
