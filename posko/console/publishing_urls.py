"""Console routes of publishing (included under /posko/publikasi/ in the console namespace)."""

from django.urls import path

from posko.console import publishing_views as views

urlpatterns = [
    path("", views.post_list, name="publishing"),
    path("baru/", views.compose, name="publishing_compose"),
    path("kalender/", views.calendar, name="publishing_calendar"),
    path("pelanggan/", views.subscribers, name="publishing_subscribers"),
    path("<int:pk>/", views.detail, name="publishing_detail"),
    path("<int:pk>/ubah/", views.edit, name="publishing_edit"),
    path(
        "<int:pk>/akun/<int:target_id>/<slug:action>/",
        views.target_action,
        name="publishing_target",
    ),
    path("<int:pk>/<slug:action>/", views.post_action, name="publishing_action"),
]

# Planning: recurring series, CSV import/export, the traffic map (publishing_plan_views.py).
from posko.console import publishing_plan_views as plan  # noqa: E402

urlpatterns += [
    path("seri/", plan.series_list, name="publishing_series"),
    path("seri/<int:pk>/", plan.series_detail, name="publishing_series_detail"),
    path("seri/<int:pk>/batal/", plan.series_cancel, name="publishing_series_cancel"),
    path("seri/<int:pk>/setujui/", plan.series_approve, name="publishing_series_approve"),
    path("impor/", plan.import_posts, name="publishing_import"),
    path("ekspor.csv", plan.export_csv, name="publishing_export"),
    path("peta/<int:pk>/", plan.attach_map, name="publishing_map"),
]
