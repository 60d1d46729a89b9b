from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


class ErrorOut(Schema):
    message: str


class AcceptedOut(Schema):
    """Recorded, but restricted: the recorder may not read it back (e.g. routed to Propam)."""

    code: str
    message: str


class ReporterOut(Schema):
    anonymous: bool
    confidential: bool = False
    name: str
    phone: str
    email: str


class MessageOut(Schema):
    kind: str
    text: str
    channel: str
    author: str | None
    delivery_state: str
    delivery_error: str
    created_at: datetime


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    reason: str
    created_at: datetime


class AduanOut(Schema):
    code: str
    status: str
    category: str
    priority: str
    tone: str
    channel: str
    text: str
    received_at: datetime
    kecamatan_code: str | None
    desa_code: str | None
    desa_name: str | None
    handling_unit: str | None
    polsek: str | None
    assigned_officer: str | None
    incident: int | None
    first_response_due: datetime | None
    resolution_due: datetime | None
    first_responded_at: datetime | None
    due: datetime | None
    overdue: bool
    reporter: ReporterOut


class AduanDetailOut(AduanOut):
    messages: list[MessageOut]
    status_history: list[StatusChangeOut]


class AduanListOut(Schema):
    count: int
    count_capped: bool = False  # count stopped at its cap: there are at least that many
    items: list[AduanOut]


class AduanIn(Schema):
    text: str = Field(min_length=5, max_length=5000)
    channel: str = "api"
    reporter_name: str = Field("", max_length=120)
    reporter_phone: str = Field("", max_length=30)
    reporter_email: str = Field("", max_length=254)
    anonymous: bool = False
    confidential: bool = False
    desa_code: str | None = Field(None, max_length=20)
    category: str | None = Field(None, max_length=30)
    latitude: Decimal | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: Decimal | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    received_at: datetime | None = None


class ReplyIn(Schema):
    text: str = Field(min_length=1, max_length=5000)
    internal: bool = False


class StatusIn(Schema):
    status: str
    reason: str = Field("", max_length=2000)
