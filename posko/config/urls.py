from django.conf import settings
from django.urls import include, path
from django.views.static import serve

from posko.api.service import api
from posko.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("hooks/", include("posko.channels.urls")),
    path("open311/v2/", include("posko.open311.urls")),
    path("", include("posko.metrics.urls")),
    path("posko/komando/", include("posko.metrics.console_urls")),
    path("posko/laporan-bulanan/", include("posko.metrics.report_urls")),
    path("posko/", include("posko.console.urls")),
    path("posko/patroli/", include("posko.console.patrol_urls")),
    # The portal's language switcher posts here (Django's set_language: sets the cookie).
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("posko.portal.publishing_urls")),
    path("", include("posko.portal.urls")),
    # Aduan photos are served to staff only (console view checks access); this route
    # serves nothing public: MEDIA files are never linked from public pages.
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
