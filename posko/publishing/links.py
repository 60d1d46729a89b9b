"""Public addresses of publishing objects (routes in ``posko.portal.publishing_urls``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from posko.publishing.models import PostMedia


def media_url(media: PostMedia) -> str:
    """The public address of an approved post photo (Instagram fetches ``image_url``)."""
    path_ = reverse("publikasi_foto", args=[media.public_token])
    return f"{settings.POSKO_PUBLIC_URL.rstrip('/')}{path_}"
