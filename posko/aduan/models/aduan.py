from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.aduan.models.choices import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    RESTRICTED_CATEGORIES,
    Category,
    Channel,
    Priority,
    Status,
    Tone,
)
from posko.org.models import Officer, Unit
from posko.regions.models import Region


class Incident(models.Model):
    """One real-world event that several aduan describe."""

    polres = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    created_at = models.DateTimeField(default=timezone.now)
    flagged = models.BooleanField(
        _("ditandai sensitif"),
        default=False,
        help_text=_("Balasan pada insiden ini memerlukan persetujuan pimpinan."),
    )

    class Meta:
        verbose_name = _("insiden")
        verbose_name_plural = _("insiden")

    def __str__(self) -> str:
        return f"INS-{self.pk}"


def open_due_expression() -> models.Case:
    """The running SLA deadline of an open aduan (first response until answered, then
    resolution). The inbox orders by exactly this expression, so the indexes below serve it."""
    return models.Case(
        models.When(first_responded_at__isnull=True, then=models.F("first_response_due")),
        default=models.F("resolution_due"),
        output_field=models.DateTimeField(),
    )


def due_expression() -> models.Case:
    """As :func:`open_due_expression`, NULL for a closed aduan (sorted last)."""
    return models.Case(
        # sorted(): the SQL must not depend on a frozenset's per-process order (index match).
        models.When(status__in=sorted(CLOSED_STATUSES), then=models.Value(None)),
        models.When(first_responded_at__isnull=True, then=models.F("first_response_due")),
        default=models.F("resolution_due"),
        output_field=models.DateTimeField(),
    )


OPEN_ONLY = models.Q(status__in=sorted(OPEN_STATUSES))
# What ``visible_aduan``'s scope reads of a row besides the Polres (the covering indexes'
# included columns).
SCOPE_COLUMNS = [
    "category",
    "handling_unit",
    "polsek",
    "assigned_officer",
    "subject_unit",
    "subject_officer",
]
# What the running deadline (``open_due_expression``) reads.
DEADLINE_COLUMNS = ["first_responded_at", "first_response_due", "resolution_due"]


class Aduan(models.Model):
    """A complaint or report from the public, whatever channel it came through."""

    polres = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="aduan", verbose_name=_("Polres")
    )
    code = models.CharField(_("kode lacak"), max_length=13, unique=True)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)

    # Reporter (optional; never shown on public pages).
    anonymous = models.BooleanField(_("anonim"), default=False)
    # Identity kept but shown only to the handling unit's head, Propam and the Kapolres
    # (``aduan.access.may_see_reporter``).
    confidential = models.BooleanField(_("rahasia"), default=False)
    reporter_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("telepon pelapor"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("e-mail pelapor"), blank=True)

    # SHA-256 of the per-report secret key with which the reporter adds information
    # (``aduan.reporter_key``); the key itself is shown once and never stored.
    reporter_key_hash = models.CharField(max_length=64, blank=True, editable=False)

    text = models.TextField(_("isi aduan"))
    kecamatan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan"),
    )
    desa = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa"),
    )
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    # Triage labels (current values; corrections are kept in LabelCorrection).
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    priority = models.CharField(_("prioritas"), max_length=10, choices=Priority.choices)
    priority_rank = models.PositiveSmallIntegerField(default=3, editable=False)
    tone = models.CharField(_("nada"), max_length=12, choices=Tone.choices)
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="aduan"
    )

    # Handling.
    handling_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_aduan",
        verbose_name=_("satuan penanganan"),
    )
    polsek = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polsek_aduan",
        verbose_name=_("Polsek"),
    )
    assigned_officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_aduan",
        verbose_name=_("petugas"),
        db_index=False,  # ``aduan_assigned_desa`` leads with it
    )
    # For complaints about police members: who the complaint is about (hidden from them).
    subject_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("satuan yang diadukan"),
    )
    subject_officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("anggota yang diadukan"),
    )

    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.BARU
    )

    # SLA clocks.
    first_response_due = models.DateTimeField(_("batas respons pertama"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("batas penyelesaian"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("respons pertama"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("dieskalasi"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # Set by intake on the returned instance only, for showing once to the reporter.
    issued_reporter_key: str = ""
    # Set by intake on the returned instance only: the report's own message (its first).
    intake_message_id: int | None = None

    class Meta:
        verbose_name = _("aduan")
        verbose_name_plural = _("aduan")
        indexes = [
            # Inbox order per status, and the header's capped counts per status: the included
            # columns are every one the permission scope reads, so a count is an index-only
            # scan of at most COUNT_CAP entries, whatever the table's size (at 1 M aduan the
            # heap visits cost 1-10 ms per count).
            models.Index(
                fields=["polres", "status", "priority_rank", "first_response_due"],
                name="aduan_inbox_order",
                include=SCOPE_COLUMNS,
            ),
            models.Index(fields=["polres", "received_at"], name="aduan_polres_received"),
            # The live inbox's change stamp: max(updated_at) of the Polres, one index probe.
            models.Index(fields=["polres", "updated_at"], name="aduan_polres_updated"),
            # Inbox order of the open queue (the default view): a walk of this small partial
            # index yields the first page without sorting the open aduan.
            models.Index(
                models.F("polres"),
                models.F("priority_rank"),
                open_due_expression(),
                models.F("received_at"),
                models.F("id"),
                name="aduan_open_queue",
                condition=OPEN_ONLY,
            ),
            # Overdue filter and counts (inbox header, command view's live lists per satuan,
            # Polsek and officer): a range on the running deadline of open aduan, covering
            # every column the grouped count and the permission scope read, so it is an
            # index-only scan of the open backlog, whatever the total. (It replaced
            # ``aduan_open_due``, the same key without the included columns.)
            models.Index(
                models.F("polres"),
                open_due_expression(),
                name="aduan_open_live",
                condition=OPEN_ONLY,
                include=[*SCOPE_COLUMNS, *DEADLINE_COLUMNS],
            ),
            # Escalated aduan still open (the command view's count): a handful of entries.
            models.Index(
                fields=["polres"],
                name="aduan_open_escalated",
                condition=OPEN_ONLY & models.Q(escalated_at__isnull=False),
                include=["subject_unit", "subject_officer", "escalated_at"],
            ),
            # A Bhabinkamtibmas's inbox and counts: their desa's aduan per status (covering, as
            # ``aduan_inbox_order``, and with the deadlines: the overdue count too is an
            # index-only scan; at 1 M aduan 0.5 ms instead of 33 ms for a bitmap AND).
            models.Index(
                fields=["desa", "status", "priority_rank"],
                name="aduan_desa_status",
                include=["polres", *SCOPE_COLUMNS, *DEADLINE_COLUMNS],
            ),
            # An officer's aduan ("Tugas saya", capacity), and whether a Bhabinkamtibmas has any
            # outside their desa (``access._bhabin_scope``): an index-only walk.
            models.Index(fields=["assigned_officer", "desa"], name="aduan_assigned_desa"),
            # Inbox order with status "semua": every aduan, closed ones (NULL) last.
            models.Index(
                models.F("polres"),
                models.F("priority_rank"),
                due_expression(),
                models.F("received_at"),
                models.F("id"),
                name="aduan_all_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_restricted(self) -> bool:
        return self.category in RESTRICTED_CATEGORIES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def current_due(self) -> datetime | None:
        """The SLA deadline now running: first response until answered, then resolution."""
        if not self.is_open:
            return None
        if self.first_responded_at is None:
            return self.first_response_due
        return self.resolution_due

    def is_overdue(self, now: datetime | None = None) -> bool:
        due = self.current_due
        return due is not None and due < (now or timezone.now())


class AduanPhoto(models.Model):
    """A photo attached to an aduan, re-encoded on upload (metadata stripped)."""

    aduan = models.ForeignKey(Aduan, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="aduan/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto")

    def __str__(self) -> str:
        return f"{self.aduan_id}: {self.image.name}"
