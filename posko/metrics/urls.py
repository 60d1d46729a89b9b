from django.urls import path

from posko.metrics import views

app_name = "metrics"
urlpatterns = [
    path("transparansi/", views.transparansi, name="transparansi"),
]
