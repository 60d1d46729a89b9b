"""The metrics layer: aggregate rows maintained as aduan change, so every dashboard, report
and roll-up reads a table whose size is bounded by days × dimension values, not by aduan.

One aduan contributes the same measures to one row per dimension (``all``, ``polsek``,
``satuan``, ``category``, ``channel``, ``desa``, ``officer``) of the day it was received (its
cohort), and again to the rows of that month; under a Polda, also to the Polda's rows of
``ROLLUP_DIMENSIONS``. ``DeadlineRow`` counts the open aduan per running SLA deadline.
``MetricFact`` remembers each aduan's last contribution so a change subtracts the old one and
adds the new one; ``posko metrics rebuild`` recomputes everything from scratch.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posko.aduan.models import Aduan
from posko.org.models import Unit

DIMENSIONS = ("all", "polsek", "satuan", "category", "channel", "desa", "officer")
DAY, MONTH = "d", "m"  # grains: a row per day, and the same figures per calendar month
# Dimensions whose values are the same in every Polres: an aduan of a Polres under a Polda
# also adds to the Polda's rows of these (``polres`` = the Polda), so a Kapolda's view reads
# one unit's rows with their histograms instead of every Polres's.
ROLLUP_DIMENSIONS = ("all", "category", "channel")

# Integer measures summed in SQL (histograms live in ``HIST_FIELDS``).
COUNT_FIELDS = (
    "received",
    "open",
    "responded",
    "first_met",
    "resolved",
    "resolution_met",
    "rejected",
    "redirected",
    "reopened",
    "escalated",
    "corrections",
    "csat_count",
    "csat_solved",
    "csat_rating_sum",
)
HIST_FIELDS = ("fr", "rs", "rt")


class MetricRow(models.Model):
    key = models.CharField(max_length=120, unique=True)
    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    # ``d``: the day the aduan were received; ``m``: the month (``day`` = its first day), so a
    # period of whole months reads at most one row per month and dimension value.
    grain = models.CharField(max_length=1, default=DAY)
    day = models.DateField()
    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=40, blank=True)
    restricted = models.BooleanField(default=False)

    received = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    first_met = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolution_met = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    redirected = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)
    corrections = models.IntegerField(default=0)
    csat_count = models.IntegerField(default=0)
    csat_solved = models.IntegerField(default=0)
    csat_rating_sum = models.IntegerField(default=0)
    # Histograms, fixed-width (``buckets.py``: a count per bucket, 4-byte big-endian): the
    # first-response and resolution durations (log-spaced minute buckets) and the CSAT
    # ratings (bucket = rating).
    fr = models.BinaryField(default=b"")
    rs = models.BinaryField(default=b"")
    rt = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("baris metrik")
        verbose_name_plural = _("baris metrik")
        indexes = [
            models.Index(
                fields=["polres", "grain", "dimension", "day"], name="metric_polres_dim_day"
            ),
            # The histograms of a few chosen values (the rows a roll-up shows): index probes,
            # not every row of the dimension.
            models.Index(
                fields=["polres", "grain", "dimension", "value", "day"],
                name="metric_polres_dim_value_day",
            ),
            # The dashboards' sums over whole months from the index alone (PostgreSQL: an
            # index-only scan of the month rows; elsewhere a partial index without INCLUDE).
            models.Index(
                fields=["polres", "dimension", "day"],
                include=["value", "restricted", *COUNT_FIELDS],
                condition=models.Q(grain=MONTH),
                name="metric_month_sums",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class MetricFact(models.Model):
    """The contribution an aduan last made to the rows: its signature (polres, day, restricted,
    dimension values; see ``contributions.keys_of``) and its measures."""

    aduan_id = models.BigIntegerField(primary_key=True)
    keys = models.JSONField(default=list)
    measures = models.JSONField(default=dict)
    # Its signature in ``DeadlineRow`` while open (``contributions.deadline_keys_of``), or [].
    due = models.JSONField(default=list)

    class Meta:
        verbose_name = _("fakta metrik")
        verbose_name_plural = _("fakta metrik")

    def __str__(self) -> str:
        return str(self.aduan_id)


# Grains of ``DeadlineRow``: open aduan per hour, day and month of their running deadline
# (UTC-aligned, so each hour lies in one day and each day in one month), and ``ESCALATED``:
# the escalated ones still open (``start`` = ``EPOCH``), whatever their deadline.
HOUR, DEADLINE_DAY, DEADLINE_MONTH, ESCALATED = "h", "d", "m", "e"
DEADLINE_DIMENSIONS = ("satuan", "polsek", "officer")  # a total is the sum over satuan


class DeadlineRow(models.Model):
    """How many open aduan have their running SLA deadline (``open_due_expression``: the
    first-response deadline until answered, then the resolution deadline) in one hour, day or
    month, per satuan, Polsek and officer, maintained with the other rows. "Overdue now"
    is then a sum of the months before this one, the days of this month before today and the
    hours of today before this one (a few hundred rows whatever the backlog), plus the aduan
    due within this hour read live. ``restricted`` and ``subject`` (the unit/member a complaint
    is about, "unit/officer", "" for none) let the reader apply the permission scope."""

    key = models.CharField(max_length=160, unique=True)
    polres = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=1)
    start = models.DateTimeField()
    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=40, blank=True)
    restricted = models.BooleanField(default=False)
    subject = models.CharField(max_length=40, blank=True)
    open = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("baris tenggat")
        verbose_name_plural = _("baris tenggat")
        indexes = [
            models.Index(fields=["polres", "grain", "start"], name="deadline_polres_grain_start")
        ]

    def __str__(self) -> str:
        return self.key


class Satisfaction(models.Model):
    """The citizen's answer after an aduan was closed as selesai (asked once, one reminder)."""

    aduan = models.OneToOneField(Aduan, on_delete=models.CASCADE, related_name="satisfaction")
    asked_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    solved = models.BooleanField(null=True)
    rating = models.PositiveSmallIntegerField(null=True)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("kepuasan pelapor")
        verbose_name_plural = _("kepuasan pelapor")

    def __str__(self) -> str:
        return f"{self.aduan_id}: {self.rating}"


class MonthlyReport(models.Model):
    """The PDF of one month of a Polres, or of a Polda (its Polres together). One row per unit
    and month: a second schedule chain or a second worker never generates a month twice
    (``actions.reports``); "buat sekarang" in the console regenerates it in place."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the month's first day
    pdf = models.BinaryField(editable=False)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="monthly_report_unit_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"
