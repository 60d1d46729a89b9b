"""Comments under a published post: the moderation stream already receives them (Facebook
``feed`` comments carry ``post_id``, Instagram ``comments`` carry the media id); they are
linked to the post through its targets' external ids."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from posko.channels.models import ChannelMessage
from posko.publishing.models import Post, TargetStatus

COMMENT_KEYS = ("post_id", "media_id")


def post_comments(post: Post) -> QuerySet[ChannelMessage]:
    """The comments received on this post's accounts under the ids it was published as."""
    match = Q()
    for target in post.targets.filter(status=TargetStatus.PUBLISHED).exclude(external_id=""):
        for key in COMMENT_KEYS:
            match |= Q(account_id=target.account_id, **{f"data__{key}": target.external_id})
    if not match:
        return ChannelMessage.objects.none()
    return (
        ChannelMessage.objects.filter(match, kind="comment")
        .select_related("account", "identity", "moderation_item")
        .order_by("sent_at", "id")
    )
