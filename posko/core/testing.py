"""Test helpers shared by every app's tests."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def run_tasks() -> str:
    """Run every due background task through the real database backend and worker.

    Tasks were enqueued on commit (use ``django_capture_on_commit_callbacks(execute=True)``
    or a transactional test); their arguments went through JSON serialization into the
    database, exactly as in production.
    """
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
