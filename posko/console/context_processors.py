from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from posko.org.permissions import (
    CHANNEL_ADMIN_ROLES,
    DISPATCH_ROLES,
    MODERATION_ROLES,
    REPLY_APPROVER_ROLES,
    SETTINGS_ROLES,
    officer_of,
)

# Console pages reached from the "Administrasi" page (highlight its nav link there).
ADMIN_PAGES = frozenset(
    {
        "administration",
        "landmarks",
        "triage_models",
        "sla_settings",
        "assignment_settings",
        "reply_policy_settings",
        "channel_accounts",
        "channel_account_new",
        "channel_account_edit",
        "notice_templates",
        "canned_replies",
        "canned_reply_edit",
        "macros",
        "macro_edit",
    }
)


def posko(request: HttpRequest) -> dict[str, Any]:
    officer = officer_of(request.user) if hasattr(request, "user") else None
    unread = 0
    if officer is not None:
        unread = officer.notifications.filter(read_at__isnull=True).count()
    return {
        "current_officer": officer,
        "unread_notifications": unread,
        "console_can_dispatch": officer is not None and officer.role in DISPATCH_ROLES,
        "console_can_configure": officer is not None and officer.role in SETTINGS_ROLES,
        "console_can_moderate": officer is not None and officer.role in MODERATION_ROLES,
        "console_can_manage_channels": officer is not None and officer.role in CHANNEL_ADMIN_ROLES,
        "console_admin_pages": ADMIN_PAGES,
        "console_can_approve": officer is not None and officer.role in REPLY_APPROVER_ROLES,
    }
