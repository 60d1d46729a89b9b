from django.urls import path

from posko.metrics import satisfaction_views, views

app_name = "metrics"
urlpatterns = [
    path("transparansi/", views.transparansi, name="transparansi"),
    path("lacak/<str:code>/kepuasan/", satisfaction_views.answer, name="satisfaction"),
]
