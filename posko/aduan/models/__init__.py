from posko.aduan.models.aduan import Aduan, AduanPhoto, Incident
from posko.aduan.models.approval import DraftState, ReplyDraft, ReplyPolicy
from posko.aduan.models.audit import AuditEvent, LabelCorrection, StatusChange
from posko.aduan.models.choices import (
    Category,
    Channel,
    Priority,
    Status,
    Tone,
)
from posko.aduan.models.policy import Notification, ServiceHours, SlaPolicy
from posko.aduan.models.thread import AduanMessage, DeliveryState, MessageKind

__all__ = [
    "Aduan",
    "AduanMessage",
    "AduanPhoto",
    "AuditEvent",
    "Category",
    "Channel",
    "DeliveryState",
    "DraftState",
    "Incident",
    "LabelCorrection",
    "MessageKind",
    "Notification",
    "Priority",
    "ReplyDraft",
    "ReplyPolicy",
    "ServiceHours",
    "SlaPolicy",
    "Status",
    "StatusChange",
    "Tone",
]
