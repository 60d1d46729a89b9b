"""Staff console: thin views — validate a form, call one action, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from posko.aduan.access import (
    AduanNotFound,
    AduanPermissionDenied,
    access_aduan_by_code,
    can_change,
    can_dispatch,
    can_intake,
    can_set_subject,
    officer_of,
    record_restricted_views,
    reporter_identity,
    visible_aduan,
)
from posko.aduan.actions import (
    do_add_message,
    do_assign_aduan,
    do_change_status,
    do_correct_labels,
    do_submit_aduan,
)
from posko.aduan.actions.approvals import (
    ReplyApprovalError,
    do_submit_reply_draft,
    reply_needs_approval,
)
from posko.aduan.actions.assign import AssignmentError
from posko.aduan.actions.intake import Reporter
from posko.aduan.actions.labels import LabelError
from posko.aduan.actions.status import StatusTransitionError
from posko.aduan.actions.subject import SubjectError, do_set_complaint_subject
from posko.aduan.inbox import (
    COUNT_CAP,
    OPEN,
    InboxFilters,
    attach_related,
    capped_count,
    change_stamp,
    inbox_counts,
    inbox_queryset,
)
from posko.aduan.models import Aduan, DraftState
from posko.aduan.models.choices import CLOSED_STATUSES, REASON_REQUIRED, TRANSITIONS
from posko.channels.dispatch import reply_blocked_reason
from posko.console.forms import (
    AssignForm,
    InboxFilterForm,
    IntakeForm,
    LabelForm,
    LoginForm,
    ReplyForm,
    StatusForm,
    SubjectForm,
    is_field_officer,
    picker_units,
)
from posko.console.inbox_rows import inbox_rows
from posko.console.two_factor import second_step_url, two_factor_pending
from posko.core.types import staff_user
from posko.org.models import Officer, Role, Unit
from posko.workbench.actions import canned_replies_for
from posko.workbench.macros import macros_for, may_edit_macros, saved_views_for
from posko.workbench.reply_check import check_reply

View = Callable[..., HttpResponseBase]


def forbidden(request: HttpRequest, message: Any) -> HttpResponse:
    """A styled 403 page (``templates/403.html``) that says why, in the console's frame."""
    return render(request, "403.html", {"exception": str(message)}, status=403)


def officer_required(view: View) -> View:
    """Logged-in staff with an officer profile; others are sent to the login page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        officer = officer_of(request.user)
        if officer is None or officer.unit.polres is None:
            return forbidden(request, _("Akun ini belum terdaftar sebagai personel Posko."))
        if two_factor_pending(request):
            return redirect(second_step_url(request, request.get_full_path()))
        request.officer = officer  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    """Password login. django-axes (authentication backend and middleware) locks an address, and
    a username from that address, out after repeated failures; a user whose role needs two-factor
    goes on to the code (or enrolment) page."""

    template_name = "console/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if two_factor_pending(self.request):
            return second_step_url(self.request, url)
        return url

    def get_default_redirect_url(self) -> str:
        """The Kapolres/Wakapolres land on the command view; everyone else on the inbox."""
        officer = officer_of(self.request.user)
        if officer is not None and officer.role == Role.PIMPINAN:
            return resolve_url("command:view")
        return super().get_default_redirect_url()


def polres_of_request(request: HttpRequest) -> Unit:
    polres = request.officer.unit.polres  # type: ignore[attr-defined]
    assert polres is not None
    return polres


# The inbox's stat cards: (key in counts, label, query string, is-the-current-filter test).
STAT_CARDS = (
    ("open", _lazy("terbuka"), "status=terbuka"),
    ("overdue", _lazy("lewat SLA"), "overdue=on"),
    ("baru", _lazy("baru"), "status=baru"),
    ("diverifikasi", _lazy("diverifikasi"), "status=diverifikasi"),
    ("ditangani", _lazy("ditangani"), "status=ditangani"),
    ("selesai", _lazy("selesai"), "status=selesai"),
)


def _stat_cards(filters: InboxFilters, counts: dict[str, Any]) -> list[dict[str, Any]]:
    """Each card links to the list it counts; the one matching the filter is marked."""
    values = {"open": counts["open"], "overdue": counts["overdue"], **counts["status"]}
    current = (
        "overdue" if filters.overdue else ("open" if filters.status == OPEN else filters.status)
    )
    return [
        {
            "key": key,
            "label": label,
            "query": query,
            "value": values.get(key, 0),
            "capped": key in counts.get("capped", ()),
            "current": key == current,
        }
        for key, label, query in STAT_CARDS
    ]


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (``capped`` says when it stopped there): the inbox never
    counts a whole Polda's table to number its pages."""

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list)  # type: ignore[arg-type]

    @property
    def capped(self) -> bool:
        return self.count >= COUNT_CAP


def _render_inbox(
    request: HttpRequest,
    *,
    title: str,
    filters: InboxFilters,
    form: InboxFilterForm | None,
    query: QueryDict | None = None,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    from posko.console.tools_views import bulk_form

    query = request.GET if query is None else query
    now = timezone.now()
    field = is_field_officer(request.officer)  # type: ignore[attr-defined]
    visible = visible_aduan(request.user)
    listed = inbox_queryset(request.user, filters, now=now, visible=visible)
    # The header's counts and the list's own (capped) count: one statement.
    counts = inbox_counts(
        request.user,
        now=now,
        assigned_officer=filters.assigned_officer,
        listed=listed,
        visible=visible,
    )
    paginator = CappedPaginator(listed, 50)
    paginator.count = counts["listed"]  # the cached_property, already known
    page = paginator.get_page(query.get("page"))
    units = list(picker_units(polres_of_request(request)))  # the pickers' and the rows'
    if form is not None:
        form.use_units(units)
    page.object_list = attach_related(list(page.object_list), known_units=units)
    record_restricted_views(request.user, page.object_list, via="inbox")
    context = {
        "title": title,
        "form": form,
        "page": page,
        "rows": inbox_rows(page.object_list, now, pick=not field),
        "now": now,
        "counts": counts,
        "stat_cards": _stat_cards(filters, counts),
        "can_intake": can_intake(request.user),
        "querystring": query.urlencode(),
        # A field officer works one aduan at a time from a phone: no bulk actions.
        "bulk_form": None if field else bulk_form(polres_of_request(request), units),
        "saved_views": list(saved_views_for(request.user)),
        "may_share_views": may_edit_macros(request.user),
        **(extra or {}),
    }
    template = "console/_inbox_live.html" if request.htmx else "console/inbox.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def inbox_response(
    request: HttpRequest, query: QueryDict, *, extra: dict[str, Any], status: int
) -> HttpResponse:
    """The inbox for ``query`` (a bulk change answered in place)."""
    form = InboxFilterForm(
        query or None,
        polres=polres_of_request(request),
        officer=request.officer,  # type: ignore[attr-defined]
    )
    return _render_inbox(
        request,
        title=_("Kotak masuk aduan"),
        filters=form.filters(),
        form=form,
        query=query,
        extra=extra,
        status=status,
    )


@officer_required
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(
        request.GET or None,
        polres=polres_of_request(request),
        officer=request.officer,  # type: ignore[attr-defined]
    )
    return _render_inbox(request, title=_("Kotak masuk aduan"), filters=form.filters(), form=form)


@officer_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    officer: Officer = request.officer  # type: ignore[attr-defined]
    # No filter bar here, but the stat cards' links (?status=…, ?overdue=on) apply.
    form = InboxFilterForm(request.GET or None, polres=polres_of_request(request))
    return _render_inbox(
        request,
        title=_("Tugas saya"),
        filters=form.filters(assigned_officer=officer.pk),
        form=None,
        extra={"on_leave": officer.on_leave, "my_tasks": True},
    )


def _get_aduan(request: HttpRequest, code: str, *, record_view: bool = True) -> Aduan:
    try:
        return access_aduan_by_code(request.user, code, record_view=record_view)
    except AduanNotFound as exc:
        raise Http404(_("Aduan tidak ditemukan.")) from exc


def _reply_form(aduan: Aduan, form: ReplyForm | None) -> ReplyForm:
    """The reply form, its text checked as the officer types (htmx → ``reply_check``)."""
    form = form or ReplyForm(current=aduan.status)
    form.fields["text"].widget.attrs.update(
        {
            "hx-post": reverse("console:reply_check", args=[aduan.code]),
            "hx-trigger": "input changed delay:700ms",
            "hx-target": "#reply-check",
            "hx-include": "closest form",
            "aria-describedby": "reply-check",
        }
    )
    return form


def _detail_context(request: HttpRequest, aduan: Aduan, **forms: Any) -> dict[str, Any]:
    polres = aduan.polres
    return {
        "aduan": aduan,
        "reporter": reporter_identity(request.user, aduan),
        "now": timezone.now(),
        "thread": aduan.messages.select_related("author", "delivery").all(),
        "reply_blocked": reply_blocked_reason(aduan),
        "canned": canned_replies_for(aduan),
        "macros": macros_for(aduan),
        # Drafts arise where approval is needed: restricted aduan and incidents.
        "drafts": aduan.reply_drafts.select_related("author", "reviewer").exclude(
            state=DraftState.SENT
        )
        if aduan.is_restricted or aduan.incident_id
        else [],
        "needs_approval": reply_needs_approval(aduan, request.user),
        "audit": aduan.audit_events.select_related("actor").all(),
        "photos": aduan.photos.all(),
        "corrections": aduan.corrections.select_related("actor").all(),
        "incident_peers": (
            visible_aduan(request.user).filter(incident_id=aduan.incident_id).exclude(pk=aduan.pk)
            if aduan.incident_id
            else []
        ),
        "can_change": can_change(request.user, aduan),
        "can_dispatch": can_dispatch(request.user),
        "reply_form": _reply_form(aduan, forms.get("reply_form")),
        "status_form": forms.get("status_form") or StatusForm(current=aduan.status),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            polres=polres,
            initial={"unit": aduan.handling_unit_id, "officer": aduan.assigned_officer_id},
        ),
        "can_set_subject": aduan.is_restricted and can_set_subject(request.user),
        "subject_form": forms.get("subject_form")
        or SubjectForm(
            polres=polres,
            initial={"unit": aduan.subject_unit_id, "officer": aduan.subject_officer_id},
        ),
        "label_form": forms.get("label_form")
        or LabelForm(
            polres=polres,
            initial={
                "category": aduan.category,
                "priority": aduan.priority,
                "tone": aduan.tone,
                "desa": aduan.desa_id or "",
            },
        ),
    }


@officer_required
def aduan_detail(request: HttpRequest, code: str) -> HttpResponse:
    aduan = _get_aduan(request, code)
    return render(request, "console/aduan_detail.html", _detail_context(request, aduan))


def _change_view(
    form_name: str,
    build_form: Callable[[HttpRequest, Aduan], Any],
    apply: Callable[[HttpRequest, Aduan, Any], str],
) -> View:
    """A POST view on one aduan: check access, validate the form, call one action."""

    @officer_required
    @require_POST
    def view(request: HttpRequest, code: str) -> HttpResponseBase:
        aduan = _get_aduan(request, code, record_view=False)
        form = build_form(request, aduan)
        status = 400
        if form.is_valid():
            try:
                messages.success(request, apply(request, aduan, form.cleaned_data))
                return redirect("console:aduan_detail", code=aduan.code)
            except AduanPermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            except AduanNotFound as exc:
                raise Http404(_("Aduan tidak ditemukan.")) from exc
            except (
                ValueError,
                StatusTransitionError,
                AssignmentError,
                LabelError,
                SubjectError,
            ) as exc:
                form.add_error(None, str(exc))
        context = _detail_context(
            request, _get_aduan(request, code, record_view=False), **{form_name: form}
        )
        return render(request, "console/aduan_detail.html", context, status=status)

    return view


def _apply_reply(request: HttpRequest, aduan: Aduan, data: dict[str, Any]) -> str:
    """The reply, then (when chosen) the status change in the same submit. The transition is
    checked first, so a refused status never leaves a reply sent on its own."""
    new_status = data.get("status") or ""
    if new_status and new_status not in TRANSITIONS.get(aduan.status, frozenset()):
        raise StatusTransitionError(_("Perubahan status ini tidak diizinkan."))
    reopening = aduan.status in CLOSED_STATUSES
    if new_status and data["internal"] and (new_status in REASON_REQUIRED or reopening):
        raise StatusTransitionError(
            _("Status ini memerlukan alasan untuk pelapor: kirim sebagai balasan publik.")
        )
    if (
        not data["internal"]
        and not data.get("urgent")
        and reply_needs_approval(aduan, request.user)
    ):
        if new_status:
            raise ReplyApprovalError(
                _("Balasan yang perlu persetujuan tidak dapat digabung dengan perubahan status.")
            )
        do_submit_reply_draft(aduan, data["text"], acting_user=staff_user(request))
        return _("Balasan disimpan sebagai draf dan menunggu persetujuan pimpinan.")
    do_add_message(
        aduan,
        data["text"],
        public=not data["internal"],
        urgent=bool(data.get("urgent")) and not data["internal"],
        acting_user=staff_user(request),
    )
    done = (
        _("Catatan internal disimpan.") if data["internal"] else _("Balasan terkirim ke pelapor.")
    )
    if new_status:
        aduan.refresh_from_db()
        # A public reply doubles as the reason the reporter reads; a note does not.
        reason = "" if data["internal"] else data["text"]
        do_change_status(aduan, new_status, reason=reason, acting_user=staff_user(request))
        done = f"{done} {_('Status aduan diperbarui.')}"
    return done


def _apply_status(request: HttpRequest, aduan: Aduan, data: dict[str, Any]) -> str:
    do_change_status(aduan, data["status"], reason=data["reason"], acting_user=staff_user(request))
    return _("Status aduan diperbarui.")


def _apply_assign(request: HttpRequest, aduan: Aduan, data: dict[str, Any]) -> str:
    do_assign_aduan(aduan, data["unit"], officer=data["officer"], acting_user=staff_user(request))
    return _("Penugasan diperbarui.")


def _apply_labels(request: HttpRequest, aduan: Aduan, data: dict[str, Any]) -> str:
    corrections = do_correct_labels(
        aduan,
        acting_user=staff_user(request),
        category=data["category"],
        priority=data["priority"],
        tone=data["tone"],
        desa=data["desa"],
    )
    if not corrections:
        return _("Tidak ada label yang berubah.")
    return ngettext(
        "%(count)d label dikoreksi.", "%(count)d label dikoreksi.", len(corrections)
    ) % {"count": len(corrections)}


def _apply_subject(request: HttpRequest, aduan: Aduan, data: dict[str, Any]) -> str:
    do_set_complaint_subject(
        aduan, unit=data["unit"], officer=data["officer"], acting_user=staff_user(request)
    )
    return _("Pihak yang diadukan dicatat; aduan ini tertutup bagi mereka.")


reply = _change_view("reply_form", lambda r, a: ReplyForm(r.POST, current=a.status), _apply_reply)
change_status = _change_view(
    "status_form", lambda r, a: StatusForm(r.POST, current=a.status), _apply_status
)
assign = _change_view(
    "assign_form", lambda r, a: AssignForm(r.POST, polres=a.polres), _apply_assign
)
set_subject = _change_view(
    "subject_form", lambda r, a: SubjectForm(r.POST, polres=a.polres), _apply_subject
)
correct_labels = _change_view(
    "label_form", lambda r, a: LabelForm(r.POST, polres=a.polres), _apply_labels
)


@officer_required
def intake(request: HttpRequest) -> HttpResponse:
    if not can_intake(request.user):
        return forbidden(request, _("Anda tidak berwenang mencatat aduan."))
    polres = polres_of_request(request)
    form = IntakeForm(request.POST or None, polres=polres)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        aduan = do_submit_aduan(
            polres,
            text=d["text"],
            channel=d["channel"],
            reporter=Reporter(
                name=d["reporter_name"], phone=d["reporter_phone"], anonymous=d["anonymous"]
            ),
            desa=d["desa"],
            category=d["category"] or None,
            acting_user=staff_user(request),
        )
        messages.success(request, _("Aduan %(code)s tercatat.") % {"code": aduan.code})
        try:
            access_aduan_by_code(request.user, aduan.code, record_view=False)
        except AduanNotFound:
            # e.g. a complaint about a member, routed to Propam: the recorder may not see it.
            messages.info(
                request, _("Aduan ini bersifat terbatas dan diteruskan ke satuan berwenang.")
            )
            return redirect("console:inbox")
        return redirect("console:aduan_detail", code=aduan.code)
    return render(
        request, "console/intake.html", {"form": form}, status=400 if form.errors else 200
    )


@officer_required
def photo(request: HttpRequest, code: str, photo_id: int) -> HttpResponseBase:
    aduan = _get_aduan(request, code, record_view=False)
    item = get_object_or_404(aduan.photos, pk=photo_id)
    record_restricted_views(request.user, [aduan], via="photo")
    return FileResponse(item.image.open("rb"), content_type=item.content_type)


@officer_required
def notifications(request: HttpRequest) -> HttpResponse:
    officer: Officer = request.officer  # type: ignore[attr-defined]
    items = list(officer.notifications.select_related("aduan")[:100])
    officer.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "console/notifications.html", {"items": items})


@officer_required
def inbox_stamp(request: HttpRequest) -> HttpResponse:
    """The live inbox's poll: 304 while nothing changed (one cheap query), else the new stamp.

    Polling a stamp, not a server-sent event stream: Posko ships gunicorn's sync workers, where
    each open stream would hold a whole worker; a poll every few seconds holds none."""
    officer: Officer = request.officer  # type: ignore[attr-defined]
    etag = f'"{change_stamp(officer)}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers=headers)
    unread = officer.notifications.filter(read_at__isnull=True).count()
    return JsonResponse({"stamp": etag.strip('"'), "unread": unread}, headers=headers)


@officer_required
@require_POST
def reply_check(request: HttpRequest, code: str) -> HttpResponse:
    """What a public reply lacks or how it sounds, while the officer types (advisory)."""
    aduan = _get_aduan(request, code, record_view=False)
    internal = bool(request.POST.get("internal"))
    findings = [] if internal else check_reply(request.POST.get("text", "")[:5000], aduan)
    return render(request, "console/_reply_check.html", {"findings": findings})
