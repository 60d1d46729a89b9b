"""The console as an installable app: web manifest and service worker, both served under
/posko/ so that the worker's scope is the console (a worker under /static/ could not be)."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

# The shell: what the console needs to draw itself. Pages (with personal data) are never
# cached; offline, a navigation shows the offline page.
SHELL = (
    "posko/posko.css",
    "posko/posko.js",
    "posko/console.js",
    "posko/live.js",
    "posko/icon.svg",
    "posko/offline.html",
    "django_htmx/htmx-2.min.js",
)


def manifest(request: HttpRequest) -> JsonResponse:
    inbox = reverse("console:inbox")
    return JsonResponse(
        {
            "name": _("Konsol Posko"),
            "short_name": "Posko",
            "start_url": inbox,
            "scope": inbox,
            "display": "standalone",
            "background_color": "#f4f6f9",
            "theme_color": "#0f2740",
            "lang": "id",
            "icons": [
                {"src": static("posko/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
    )


def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL]
    version = hashlib.sha256("|".join(shell).encode()).hexdigest()[:12]
    body = render_to_string(
        "console/sw.js",
        {"shell": shell, "offline": static("posko/offline.html"), "version": version},
    )
    return HttpResponse(
        body,
        content_type="application/javascript",
        headers={"Service-Worker-Allowed": reverse("console:inbox"), "Cache-Control": "no-cache"},
    )
