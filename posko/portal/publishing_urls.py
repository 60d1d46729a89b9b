"""Public pages of publishing: ``/langganan/`` (subscribe, double opt-in) and the public
address of approved post photos (Instagram fetches ``image_url`` from here)."""

from __future__ import annotations

from django.urls import path

from posko.portal import publishing_views as portal_views

urlpatterns = [
    path("langganan/", portal_views.subscribe, name="langganan"),
    path("langganan/konfirmasi/", portal_views.confirm, name="langganan_konfirmasi"),
    path("publikasi/foto/<str:token>/", portal_views.media, name="publikasi_foto"),
    path("imbauan/", portal_views.appeals, name="imbauan"),
    path("kegiatan/", portal_views.events, name="kegiatan"),
    path("ronda/<str:token>/", portal_views.ronda, name="ronda"),
    path("info/", portal_views.tips, name="info"),
]
