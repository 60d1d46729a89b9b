"""Background tasks of publishing (Django Tasks API; primitive arguments, one action each)."""

from __future__ import annotations

from django_tasks import task

from posko.publishing.actions.publish import do_check_publishing, do_publish_target


@task()
def publish_target(target_id: int, job_key: str) -> str:
    return do_publish_target(target_id, job_key)


@task()
def check_publishing(target_id: int, attempt: int) -> str:
    return do_check_publishing(target_id, attempt)


@task()
def send_alert_batch(alert_id: int) -> str:
    from posko.publishing.actions.alerts import do_send_alert_batch

    return do_send_alert_batch(alert_id)


@task()
def send_subscription_code(subscriber_id: int) -> str:
    from posko.publishing.actions.subscribers import do_send_code

    return do_send_code(subscriber_id)


@task()
def send_ronda_reminders(shift_id: int) -> str:
    from posko.publishing.actions.ronda import do_send_ronda_reminders

    return do_send_ronda_reminders(shift_id)


@task()
def pull_results(target_id: int, step: int) -> str:
    from posko.publishing.results import do_pull_results

    return do_pull_results(target_id, step)
