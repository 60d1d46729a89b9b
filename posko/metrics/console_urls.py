from django.urls import path

from posko.metrics import command

app_name = "command"
urlpatterns = [
    path("", command.command_view, name="view"),
]
