"""Test helpers shared by every app's tests."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def run_tasks() -> str:
    """Run every due background task through the real backend and worker.

    Tasks were enqueued on commit (use ``django_capture_on_commit_callbacks(execute=True)``
    or a transactional test); their arguments went through serialization into the database
    (or Redis, with ``POSKO_TASK_BACKEND=rq``), exactly as in production.
    """
    from django.conf import settings

    if settings.POSKO_TASK_BACKEND == "rq":
        return _run_rq_tasks()
    out = StringIO()
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        "*",
        "--no-reload",
        stdout=out,
        stderr=out,
        verbosity=0,
    )
    return out.getvalue()


def _run_rq_tasks() -> str:
    """RQ's own worker in burst mode, in this process (so it sees the test's database): due
    scheduled jobs are moved to the queue first, then the queue is worked until empty."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True, with_scheduler=True, logging_level="WARNING")
    return f"{worker.successful_job_count} tasks, {worker.failed_job_count} failed"
