"""POSKO_TASK_BACKEND picks the database backend (default) or RQ on Redis, in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django_tasks import task_backends
from posko.channels.tasks import drain_inbound_events
from posko.demo.management.commands.serve import worker_command
print(json.dumps({
    "backend": type(task_backends["default"]).__name__,
    "apps": [a for a in settings.INSTALLED_APPS if "rq" in a],
    "worker": worker_command()[3:],
    "drain_priority": drain_inbound_events.priority,
    "redis": getattr(settings, "RQ_QUEUES", {}).get("default", {}).get("URL"),
}))
"""


def _probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("POSKO_")}
    clean.update(POSKO_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="posko.config.settings")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, check=False
    )


def _settings(tmp_path: Path, **env: str) -> dict[str, object]:
    result = _probe(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_database_backend_is_the_default_and_keeps_processing_first(tmp_path: Path) -> None:
    found = _settings(tmp_path)
    assert found["backend"] == "DatabaseBackend"
    assert found["apps"] == []
    assert found["worker"] == ["db_worker", "--queue-name", "*", "--interval", "1", "--no-reload"]
    assert found["drain_priority"] == 10  # processing before due housekeeping


def test_rq_runs_on_redis_with_rq_workers_and_no_priorities(tmp_path: Path) -> None:
    found = _settings(tmp_path, POSKO_TASK_BACKEND="RQ", POSKO_REDIS_URL="redis://127.0.0.1:6379/9")
    assert found["backend"] == "RQBackend"
    assert found["apps"] == ["django_rq", "django_tasks_rq"]
    assert found["worker"] == [
        "rqworker",
        "default",
        "--job-class",
        "django_tasks_rq.Job",
        "--with-scheduler",
    ]
    assert found["drain_priority"] == 0  # RQ has no priorities: the option is left out
    assert found["redis"] == "redis://127.0.0.1:6379/9"


def test_an_unknown_backend_stops_at_start_with_the_choices(tmp_path: Path) -> None:
    result = _probe(tmp_path, POSKO_TASK_BACKEND="celery")
    assert result.returncode != 0
    assert "POSKO_TASK_BACKEND='celery': choose one of database, rq" in result.stderr
