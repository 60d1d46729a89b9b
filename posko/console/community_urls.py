"""Console routes of the community work (included under /posko/komunitas/)."""

from django.urls import path

from posko.console import community_views as views

urlpatterns = [
    path("", views.programmes, name="community"),
    path("kegiatan/<id:pk>/", views.event_detail, name="community_event"),
    path("sambang/", views.sambang, name="community_sambang"),
    path("mitra/", views.stakeholders, name="community_stakeholders"),
    path("info/", views.tips, name="community_tips"),
    path("info/<id:pk>/", views.tip_detail, name="community_tip"),
    path("tukar-jaga/", views.swaps, name="community_swaps"),
]
