from django.urls import path

import posko.core.limits  # noqa: F401 - registers the <id:…> converter
from posko.console import patrol_views as console_pages

app_name = "patrol"
urlpatterns = [
    path("register/", console_pages.registry, name="registry"),
    path("register/<id:pk>/setujui/", console_pages.approve, name="approve"),
    path("antrean/", console_pages.queue, name="queue"),
    path("antrean/<id:pk>/tinjau/", console_pages.review, name="review"),
    path("lonjakan/", console_pages.spikes, name="spikes"),
]
