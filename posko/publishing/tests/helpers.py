"""Small helpers for reading what the fake platforms received."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs

import time_machine
from django.utils import timezone

from posko.channels.testing import Recorded
from posko.core.testing import run_tasks


def form(request: Recorded) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}


def multipart(request: Recorded) -> dict[str, bytes]:
    """Field name -> value of a multipart/form-data body (files included, as bytes)."""
    boundary = re.search(r"boundary=([^;]+)", request.headers["Content-Type"])
    assert boundary is not None
    parts: dict[str, bytes] = {}
    for chunk in request.body.split(b"--" + boundary.group(1).encode()):
        head, _sep, value = chunk.partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]+)"', head)
        if name:
            parts[name.group(1).decode()] = value.rsplit(b"\r\n", 1)[0]
    return parts


def run_tasks_at(moment: datetime) -> str:
    with time_machine.travel(moment, tick=True):
        return run_tasks()


def later(**delta: float) -> datetime:
    return timezone.now() + timedelta(**delta)
