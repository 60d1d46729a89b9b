from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class RequestSizeLimitMiddleware:
    """413 for a request body larger than ``POSKO_MAX_REQUEST_BYTES``, decided from its
    Content-Length before a byte of it is read (Django's own limits apply to form fields,
    not to uploaded files); 400 for a query string carrying NUL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if "%00" in request.META.get("QUERY_STRING", ""):
            # NUL in a parameter: no text field can hold it (PostgreSQL refuses it outright).
            # The API answers as it does for any invalid parameter (422, JSON).
            message = "Permintaan tidak valid: parameter memuat karakter NUL."
            if request.path_info.startswith("/api/"):
                return JsonResponse({"message": message}, status=422)
            return HttpResponse(
                message + "\n", status=400, content_type="text/plain; charset=utf-8"
            )
        if length > settings.POSKO_MAX_REQUEST_BYTES:
            return HttpResponse(
                "Kiriman terlalu besar. Kurangi jumlah atau ukuran foto, lalu coba lagi.\n",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy (the Content-Security-Policy is django-csp's, settings.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=()")
        return response


# The API and the channel webhooks speak Indonesian whatever a user chose (API error messages
# are part of the integration contract); the portal and the staff console follow the choice.
INDONESIAN_ONLY_PREFIXES = ("/api/", "/hooks/")


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language (language cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many
    Indonesian phones and office PCs are set to English, and Posko speaks Indonesian first.
    The cookie is the one Django's ``set_language`` view sets (the ID/EN switcher of the portal
    and of the staff console, ``/i18n/setlang/``); the API and the webhooks ignore it
    (``INDONESIAN_ONLY_PREFIXES``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = settings.LANGUAGE_CODE
        translated = not request.path_info.startswith(INDONESIAN_ONLY_PREFIXES)
        if translated:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if translated:
            # The same URL answers in either language: caches must key on the cookie.
            patch_vary_headers(response, ("Cookie",))
        return response
