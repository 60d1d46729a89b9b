"""Test kit for channels: a local fake HTTP server standing in for platform APIs, recorded
fixtures, and signing helpers. No network: every outbound call in tests goes to 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from posko.channels.signatures import hmac_sha256_hex

CHANNELS_DIR = Path(__file__).resolve().parent


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Responder = Reply | Callable[[Recorded], Reply]


@dataclass
class _Route:
    method: str
    pattern: re.Pattern[str]
    responder: Responder
    times: int | None


class FakeApi:
    """A threaded HTTP server on 127.0.0.1 answering scripted routes and recording every
    request. Routes added later win; a route with ``times`` is used that many times."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorded = Recorded(self.command, self.path, dict(self.headers.items()), body)
                reply = fake._dispatch(recorded)
                data = reply.body
                headers = dict(reply.headers)
                if reply.json is not None:
                    data = json.dumps(reply.json).encode()
                    headers.setdefault("Content-Type", "application/json")
                self.send_response(reply.status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PUT = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def route(
        self,
        method: str,
        path_regex: str,
        reply: Responder | None = None,
        *,
        times: int | None = None,
        **reply_kwargs: Any,
    ) -> None:
        responder = reply if reply is not None else Reply(**reply_kwargs)
        with self._lock:
            self._routes.append(
                _Route(method.upper(), re.compile(path_regex + r"(\?.*)?$"), responder, times)
            )

    def _dispatch(self, recorded: Recorded) -> Reply:
        with self._lock:
            self.requests.append(recorded)
            for route in reversed(self._routes):
                if route.method == recorded.method and route.pattern.match(recorded.path):
                    if route.times is not None:
                        route.times -= 1
                        if route.times <= 0:
                            self._routes.remove(route)
                    responder = route.responder
                    break
            else:
                return Reply(404, json={"error": {"message": "no fake route", "code": 0}})
        return responder(recorded) if callable(responder) else responder

    def calls(self, method: str, path_regex: str) -> list[Recorded]:
        pattern = re.compile(path_regex + r"(\?.*)?$")
        return [r for r in self.requests if r.method == method and pattern.match(r.path)]


def fixture_bytes(platform_dir: str, name: str) -> bytes:
    """A recorded payload, byte for byte (signatures cover the raw bytes)."""
    return (CHANNELS_DIR / platform_dir / "fixtures" / f"{name}.json").read_bytes()


def fixture_json(platform_dir: str, name: str) -> Any:
    return json.loads(fixture_bytes(platform_dir, name))


def compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def meta_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac_sha256_hex(secret, body)


# Platform media hosts in recorded fixtures, served by the fake under /cdn/<host>/… in tests.
CDN_HOSTS = ("scontent.cdninstagram.com", "scontent.xx.fbcdn.net", "pbs.twimg.com")


def via_fake_cdn(payload: bytes, fake_url: str) -> bytes:
    """A recorded API answer whose platform CDN URLs point at the fake (same paths)."""
    for host in CDN_HOSTS:
        payload = payload.replace(f"https://{host}/".encode(), f"{fake_url}/cdn/{host}/".encode())
        escaped = f"https:\\/\\/{host}\\/".encode()
        payload = payload.replace(escaped, f"{fake_url}/cdn/{host}/".encode())
    return payload


def photo_with_gps(size: tuple[int, int] = (64, 48), color: str = "red") -> bytes:
    """A JPEG carrying EXIF GPS coordinates (what a phone camera writes)."""
    import io

    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PoskoCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (2.0, 52.0, 41.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (108.0, 17.0, 19.0)
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def has_gps(data: bytes) -> bool:
    import io

    from PIL import ExifTags, Image

    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def drain_queued() -> bool:
    """A drain of waiting inbound events is queued and has not started (see actions/drain.py):
    every event stored since is covered by it."""
    from django_tasks_db.models import DBTaskResult

    from posko.channels.models import DrainArm

    armed = DrainArm.objects.filter(armed_at__isnull=False).exists()
    return (
        armed
        and DBTaskResult.objects.filter(
            status="READY", task_path__endswith="drain_inbound_events"
        ).exists()
    )
