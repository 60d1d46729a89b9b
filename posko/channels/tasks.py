"""Background tasks of the channels (Django Tasks API; primitive arguments, one action each)."""

from __future__ import annotations

from django_tasks import task

from posko.channels.actions.inbound import do_process_event
from posko.channels.actions.outbound import do_send_delivery
from posko.core.task_options import with_priority

# Work that citizens wait for (an acknowledged message, a reply going out) runs before
# scheduled housekeeping (SLA checks, leases, polls), which keeps the default priority 0: the
# database backend otherwise takes every due scheduled task before any immediate one.
PROCESSING_PRIORITY = 10


@task(**with_priority(PROCESSING_PRIORITY))
def process_inbound_event(event_id: int, lease_of: int | None = None) -> str:
    return do_process_event(event_id, lease_of)


@task(**with_priority(PROCESSING_PRIORITY))
def drain_inbound_events() -> str:
    from posko.channels.actions.drain import do_drain_events

    return do_drain_events()


@task()
def sweep_waiting_events() -> str:
    from posko.channels.actions.drain import do_sweep_waiting_events

    return do_sweep_waiting_events()


@task(**with_priority(PROCESSING_PRIORITY))
def send_delivery(delivery_id: int) -> str:
    return do_send_delivery(delivery_id)


@task()
def poll_x_mentions(account_id: int) -> str:
    from posko.channels.actions.polling import do_poll_x_mentions

    return do_poll_x_mentions(account_id)


@task()
def send_status_notice(aduan_id: int, event: str, reason: str = "") -> str:
    from posko.channels.actions.notices import do_send_status_notice

    return do_send_status_notice(aduan_id, event, reason)


@task()
def poll_email(account_id: int) -> str:
    from posko.channels.actions.polling import do_poll_email

    return do_poll_email(account_id)


@task()
def fetch_message_media(message_id: int, attempt: int = 1) -> str:
    from posko.channels.actions.attachments import do_fetch_message_media

    return do_fetch_message_media(message_id, attempt)


@task()
def poll_tagged(account_id: int) -> str:
    """Safety net for Instagram tags / Facebook Page tags that raised no webhook."""
    from posko.channels.actions.polling import do_poll_tagged

    return do_poll_tagged(account_id)
