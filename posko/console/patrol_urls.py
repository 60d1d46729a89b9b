from django.urls import path

import posko.core.limits  # noqa: F401 - registers the <id:…> converter
from posko.console import patrol_views as console_pages
from posko.console import patrol_watch_views as watch_pages

app_name = "patrol"
urlpatterns = [
    path("register/", console_pages.registry, name="registry"),
    path("register/<id:pk>/setujui/", console_pages.approve, name="approve"),
    path("antrean/", console_pages.queue, name="queue"),
    path("antrean/<id:pk>/tinjau/", console_pages.review, name="review"),
    path("lonjakan/", console_pages.spikes, name="spikes"),
    path("daftar-pantau/", watch_pages.watchlists, name="watchlists"),
    path("sumber/", watch_pages.feeds, name="feeds"),
    path("peringatan/", watch_pages.warnings, name="warnings"),
    path("antrean/<id:pk>/peringatkan/", watch_pages.warning_start, name="warning_start"),
    path("peringatan/<id:pk>/setujui/", watch_pages.warning_approve, name="warning_approve"),
    path("peringatan/<id:pk>/bukti/", watch_pages.warning_evidence, name="warning_evidence"),
    path("peringatan/<id:pk>/kirim-ulang/", watch_pages.warning_resend, name="warning_resend"),
]
