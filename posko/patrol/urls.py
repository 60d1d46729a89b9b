from django.urls import path

from posko.patrol import console_pages

app_name = "patrol"
urlpatterns = [
    path("register/", console_pages.registry, name="registry"),
    path("register/<int:pk>/setujui/", console_pages.approve, name="approve"),
    path("antrean/", console_pages.queue, name="queue"),
    path("antrean/<int:pk>/tinjau/", console_pages.review, name="review"),
    path("lonjakan/", console_pages.spikes, name="spikes"),
]
