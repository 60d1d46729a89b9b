"""Webhook routes, mounted at ``/hooks/``."""

from django.urls import path

from posko.channels import webhooks

app_name = "hooks"
urlpatterns = [
    path("whatsapp/", webhooks.whatsapp, name="whatsapp"),
    path("meta/", webhooks.meta, name="meta"),
    path("telegram/<slug:slug>/", webhooks.telegram, name="telegram"),
    path("sms/<slug:slug>/", webhooks.sms, name="sms"),
    path("x/<slug:slug>/", webhooks.x, name="x"),
    # Benchmark baselines (do nothing): full middleware stack, and the webhooks' fast path.
    path("ping/", webhooks.ping, name="ping"),
    path("ping/lean/", webhooks.ping_lean, name="ping-lean"),
]
