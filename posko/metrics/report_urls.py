from django.urls import path

from posko.metrics import report_views

app_name = "reports"
urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("buat/", report_views.report_generate, name="generate"),
    path("<id:pk>/unduh/", report_views.report_download, name="download"),
]
