"""From a raw webhook to an aduan.

1. ``store_event`` (webhook view, ``actions/store.py``): the raw event is written, and a drain
   armed, in one transaction; the webhook answers 200 only after that commit. A redelivered
   event (same body, same Telegram ``update_id``) hits the unique constraint and is
   acknowledged without work.
2. A drain (``actions/drain.py``) claims waiting events in batches and runs ``run_attempt``
   on each; ``do_process_event`` does the same for one event (replay). The adapter parses the
   event; each message is
   claimed once (unique per account + platform message id) and then joins the thread of the
   sender's open aduan, becomes a new aduan, or — public comments needing no police action —
   goes to the moderation stream. Delivery statuses update our outgoing messages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from posko.aduan import events
from posko.aduan.actions import do_add_incoming_message, do_submit_aduan
from posko.aduan.actions.common import composed_actions, nested_atomic, one_savepoint
from posko.aduan.actions.intake import Reporter
from posko.aduan.actions.photos import raise_priority_for_photos
from posko.aduan.actions.system import do_record_system_message
from posko.aduan.models import Aduan, AduanMessage
from posko.aduan.models import DeliveryState as AduanDelivery
from posko.aduan.models import MessageKind as AduanMessageKind
from posko.aduan.models.choices import OPEN_STATUSES, Category, Priority, Tone
from posko.aduan.photos import CleanPhoto
from posko.aduan.triage import triage_text
from posko.channels.actions.attachments import (
    MAX_CHANNEL_PHOTOS,
    refs_to_data,
    schedule_media_retry,
    store_message_media,
    stored_photos,
)
from posko.channels.actions.outbound import do_apply_status
from posko.channels.actions.store import body_key as body_key
from posko.channels.actions.store import store_event as store_event
from posko.channels.base import Incoming, MalformedEvent, Parsed, SendError
from posko.channels.crypto import CredentialsUnreadable
from posko.channels.dispatch import queue_comment_reply, queue_direct_message
from posko.channels.http import client
from posko.channels.keywords import handle_keyword, may_be_keyword
from posko.channels.models import (
    DEFAULT_NOTICES,
    ChannelAccount,
    ChannelMessage,
    ChannelMessageState,
    Contact,
    ContactIdentity,
    Conversation,
    EventState,
    InboundEvent,
    MessageKind,
    ModerationItem,
    NoticeEvent,
    NoticeTemplate,
)
from posko.channels.registry import adapter_for
from posko.channels.signatures import meta_signature_valid
from posko.core.memo import batch_memo, memoized
from posko.core.task_options import with_priority

log = logging.getLogger(__name__)

MAX_EVENT_ATTEMPTS = 6
# After this long an attempt that has not finished is taken for dead (worker crash) and resumed.
EVENT_LEASE = timedelta(minutes=15)
# Public comments in these categories need no police action: moderation stream, not aduan.
NO_ACTION_CATEGORIES = frozenset({Category.APRESIASI, Category.LAINNYA})
QUESTION_WORDS = (
    "?",
    "mohon",
    "tolong",
    "bagaimana",
    "gimana",
    "apakah",
    "kapan",
    "dimana",
    "di mana",
    "info",
    "syarat",
    "cara",
    "bisa",
    "minta",
    "lapor",
)


def account_for(platform: str, external_id: str) -> ChannelAccount | None:
    """The active account (with its Polres); read once per drain batch (``core.memo``)."""
    return memoized(
        ("channel_account", platform, external_id),
        lambda: (
            ChannelAccount.objects.select_related("polres")
            .filter(platform=platform, external_id=external_id, is_active=True)
            .first()
        ),
    )


def _app_secret(account: ChannelAccount) -> str | None:
    """The account's app secret (decrypted once per drain batch), None when unreadable."""

    def read() -> str | None:
        try:
            return str(account.credentials.get("app_secret", ""))
        except CredentialsUnreadable:
            return None

    return memoized(("channel_app_secret", account.pk), read)


def receiving_account(
    event: InboundEvent, platform: str, external_id: str
) -> ChannelAccount | None:
    """The account an item of ``event`` is addressed to, or None.

    Events stored with their account (the URL or the poll named it) need nothing more. A Meta
    webhook (one URL for every app) names its account only inside the payload, so the account
    found there must itself have signed the event: a signature made with another tenant's
    app secret never delivers into this account."""
    if event.account is not None:
        return event.account
    account = account_for(platform, external_id)
    if account is None:
        return None
    header = (event.headers or {}).get("X-Hub-Signature-256")
    secret = _app_secret(account)
    if secret is None:
        return None
    return account if meta_signature_valid(bytes(event.body), header, [secret]) else None


def do_process_event(event_id: int, lease_of: int | None = None) -> str:
    """Process one stored event. Safe to run again (replay): each message is claimed once.

    Each attempt enqueues, in the transaction that counts it, a watchdog run of the task
    (``lease_of`` = that attempt) for ``EVENT_LEASE`` later. When the worker died during the
    attempt, the event is still ``received`` with the same count then, and the watchdog
    processes it again; otherwise the watchdog does nothing.

    Every path is capped: after ``MAX_EVENT_ATTEMPTS`` attempts (died, failed to send, or
    raised) the event is ``failed`` with its last error, visible and replayable."""
    from posko.channels.tasks import process_inbound_event

    with transaction.atomic():
        event = InboundEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            return "missing"
        if lease_of is not None and (
            event.state != EventState.RECEIVED or event.attempts != lease_of
        ):
            return "lease: nothing to resume"
        if event.state == EventState.RECEIVED and event.attempts >= MAX_EVENT_ATTEMPTS:
            _finish(event, EventState.FAILED, event.error or "batas percobaan tercapai")
            return "failed"
        event.attempts += 1
        until = timezone.now() + EVENT_LEASE
        # The lease also keeps drains (``actions/drain.py``) off this attempt.
        InboundEvent.objects.filter(pk=event.pk).update(attempts=event.attempts, leased_until=until)
        process_inbound_event.using(**with_priority(0), run_after=until).enqueue(
            event.pk, event.attempts
        )
    return run_attempt(event)


def run_attempt(event: InboundEvent) -> str:
    """One counted attempt at an event (its attempt and lease already recorded)."""
    try:
        return _process(event)
    except Exception as exc:  # any bug: counted, recorded, retried, capped
        log.exception("channels: processing event #%s failed", event.pk)
        return _failed_attempt(event, exc)


def _failed_attempt(event: InboundEvent, exc: Exception) -> str:
    return _retry_or_fail(event, f"{exc.__class__.__name__}: {exc}")


class _RunAlone(Exception):
    """Inside a batch: this event's savepoint was undone; process it on its own afterwards."""


# Inside a batch's transaction a lock wait is cut short (PostgreSQL ``lock_timeout``): the
# event is put back and processed on its own after the batch commits. The batch never waits
# for another transaction while holding its own locks, so two workers cannot deadlock.
BATCH_LOCK_TIMEOUT_MS = 200


def run_batch(batch: list[InboundEvent]) -> None:
    """Process a drain's claimed events. Those without media to download go together, in one
    transaction with a savepoint per event: one commit (one WAL flush) for the lot instead of
    several per message, and the tasks they enqueue commit with them. An event with media, or
    one whose savepoint had to be undone (a row locked by another worker, a database error),
    is processed on its own, outside it (no download holds the batch open; no lock wait
    inside it). Change notices are held and handed over together (one metrics refresh per
    batch), and the routing and SLA reads every message repeats are made once
    (``core.memo``)."""
    together: list[tuple[InboundEvent, Parsed | None]] = []
    alone: list[InboundEvent] = []
    with events.notices_held(), batch_memo():
        for event in batch:
            parsed = _parse(event)  # parsed once; None: malformed (recorded by ``_process``)
            if parsed is not None and any(item.media for item in parsed.messages):
                alone.append(event)
            else:
                together.append((event, parsed))
        parsed_together = [p for _, p in together if p]
        token = _handled_before.set(_handled_messages(parsed_together))
        senders = _known_senders.set(_senders_known(parsed_together))
        try:
            alone += _run_together(together)
        finally:
            _known_senders.reset(senders)
            _handled_before.reset(token)
        for event in alone:
            run_attempt(event)  # parses again: nothing of an undone attempt is reused


def _parse(event: InboundEvent) -> Parsed | None:
    try:
        return adapter_for(event.platform).parse(bytes(event.body))
    except MalformedEvent:
        return None


def _run_together(group: list[tuple[InboundEvent, Parsed | None]]) -> list[InboundEvent]:
    """Run ``group`` in one transaction; the events to run again on their own are returned."""
    if not group:
        return []
    again: list[InboundEvent] = []
    finished: list[InboundEvent] = []
    with composed_actions():  # the aduan actions join the batch's transaction
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = {BATCH_LOCK_TIMEOUT_MS}")
        for event, parsed in group:
            try:
                _attempt_in_savepoint(event, parsed, finished)
            except _RunAlone:
                again.append(event)
        # the final states of the events kept, in one UPDATE (it commits with their work)
        InboundEvent.objects.bulk_update(finished, ["state", "error", "processed_at"])
    return again


def _attempt_in_savepoint(
    event: InboundEvent, parsed: Parsed | None, finished: list[InboundEvent]
) -> str:
    """One event in its savepoint, the only one it opens (``one_savepoint``): the actions it
    calls open none and write their audit rows in one INSERT. An error undoes the event's
    savepoint; a lock held by another worker, or a conflict an action would have caught and
    resolved in a savepoint of its own (``_run_alone_after``), sends the event to run again on
    its own, where every action has its savepoints. Other errors are counted as before. The
    event's final state, once its savepoint is kept, joins ``finished`` (written by the batch
    in one UPDATE)."""
    own: list[InboundEvent] = []
    try:
        token = _finishing.set(own)
        try:
            with transaction.atomic():
                with one_savepoint():
                    result = _process(event, parsed)
                if transaction.get_rollback():
                    # an error was caught inside after it had spoilt the savepoint
                    raise _RunAlone
        finally:
            _finishing.reset(token)
        finished += own
        return result
    except _RunAlone:
        raise
    except Exception as exc:  # as in run_attempt: this event's work alone is undone
        if _run_alone_after(exc):
            raise _RunAlone from exc
        log.exception("channels: processing event #%s failed", event.pk)
        return _failed_attempt(event, exc)


# A unique conflict (a message or sender created meanwhile, a tracking code taken) is what an
# action resolves in a savepoint of its own; a spoilt transaction (an error caught inside)
# is what that savepoint would have prevented. Both: run the event again on its own.
_RECOVERABLE = (IntegrityError, TransactionManagementError)
_LOCK_CONFLICTS = frozenset({"55P03", "40P01"})  # lock_not_available, deadlock_detected


def _run_alone_after(exc: Exception) -> bool:
    """Whether an error inside a batch's event is one its run on its own may not meet (a
    lock held by another worker) or resolves (see ``_RECOVERABLE``); any other error (a
    database fault, a bug) is counted as a failed attempt, as on its own."""
    if isinstance(exc, _RECOVERABLE):
        return True
    return isinstance(exc, OperationalError) and (
        getattr(exc.__cause__, "sqlstate", None) in _LOCK_CONFLICTS
    )


def _process(event: InboundEvent, parsed: Parsed | None = None) -> str:
    """Process one event; ``parsed``: its body already parsed by the batch (None: parse it)."""
    if parsed is None:
        try:
            parsed = adapter_for(event.platform).parse(bytes(event.body))
        except MalformedEvent as exc:
            _finish(event, EventState.FAILED, f"Format tidak dikenal: {exc}")
            return "malformed"

    unknown_statuses = 0
    notes: list[str] = list(parsed.skipped)
    try:
        for item in parsed.messages:
            account = receiving_account(event, item.platform, item.account_external_id)
            if account is None:
                notes.append(f"akun tidak dikenal {item.account_external_id}")
                continue
            notes.append(f"{item.external_id}: {do_ingest_message(account, item, event)}")
        for status in parsed.statuses:
            account = receiving_account(event, status.platform, status.account_external_id)
            if account is None:
                notes.append(f"akun tidak dikenal {status.account_external_id}")
            elif not do_apply_status(account, status):
                unknown_statuses += 1
    except (SendError, OSError) as exc:
        # Media download or storage failed: retry the whole event later (messages already
        # claimed and finished are skipped on the next run).
        return _retry_or_fail(event, f"{exc.__class__.__name__}: {exc}")

    if unknown_statuses:
        # A status may overtake the commit of our send; try again a little later.
        if event.attempts < MAX_EVENT_ATTEMPTS:
            return _retry_or_fail(
                event, f"{unknown_statuses} status untuk pesan yang belum dikenal"
            )
        notes.append(f"{unknown_statuses} status untuk pesan yang tidak dikenal")
    has_work = bool(parsed.messages or parsed.statuses)
    _finish(event, EventState.PROCESSED if has_work else EventState.IGNORED, "; ".join(notes))
    return "processed" if has_work else "ignored"


# Inside a batch's event savepoint: where its final state waits for the batch's one UPDATE.
_finishing: ContextVar[list[InboundEvent] | None] = ContextVar("channels_finishing", default=None)


def _finish(event: InboundEvent, state: str, note: str) -> None:
    values = {"state": state, "error": note[:5000], "processed_at": timezone.now()}
    pending = _finishing.get()
    if pending is not None:
        pending.append(InboundEvent(pk=event.pk, **values))
        return
    InboundEvent.objects.filter(pk=event.pk).update(**values)


def _retry_or_fail(event: InboundEvent, reason: str) -> str:
    """Retry later: the event waits (leased) until its back-off ends, then a drain takes it."""
    from posko.channels.tasks import drain_inbound_events

    if event.attempts >= MAX_EVENT_ATTEMPTS:
        _finish(event, EventState.FAILED, reason)
        return "failed"
    retry_at = timezone.now() + timedelta(seconds=10 * 2 ** (event.attempts - 1))
    with transaction.atomic():
        InboundEvent.objects.filter(pk=event.pk).update(error=reason[:5000], leased_until=retry_at)
        drain_inbound_events.using(run_after=retry_at + timedelta(seconds=1)).enqueue()
    return "retry"


def _identity(item: Incoming) -> tuple[ContactIdentity, bool]:
    """The sender's identity, and whether it (and its contact) was created just now."""
    # Its own transaction when called alone; inside a batch's event it needs no savepoint of
    # its own (every error it lets out undoes the event's savepoint).
    known = _known_senders.get()
    key = (item.platform, item.sender_id)
    with transaction.atomic(savepoint=False):
        identity = (
            ContactIdentity.objects.select_for_update()
            .filter(platform=item.platform, external_id=item.sender_id)
            .first()
            if known is None or key in known
            else None  # not there when the batch began: created below (a race: run alone)
        )
        if identity is None:
            if known is not None:
                known.add(key)
            try:
                with nested_atomic():
                    contact = Contact.objects.create(display_name=item.sender_name[:200])
                    created = ContactIdentity.objects.create(
                        contact=contact,
                        platform=item.platform,
                        external_id=item.sender_id,
                        display_name=item.sender_name[:200],
                        username=item.sender_username[:200],
                        phone=item.sender_phone[:40],
                    )
                    return created, True
            except IntegrityError:
                identity = ContactIdentity.objects.get(
                    platform=item.platform, external_id=item.sender_id
                )
        changed = []
        for field, value in (
            ("display_name", item.sender_name[:200]),
            ("username", item.sender_username[:200]),
            ("phone", item.sender_phone[:40]),
        ):
            if value and getattr(identity, field) != value:
                setattr(identity, field, value)
                changed.append(field)
        if changed:
            identity.save(update_fields=changed)
    return identity, False


def _claim(
    account: ChannelAccount, item: Incoming, event: InboundEvent | None, identity: ContactIdentity
) -> ChannelMessage | None:
    """The message row, created once. None when it was already handled (redelivery)."""
    try:
        with nested_atomic():
            return ChannelMessage.objects.create(
                account=account,
                event=event,
                external_id=item.external_id,
                identity=identity,
                kind=item.kind,
                message_type=item.message_type[:20],
                text=item.text,
                data={
                    **item.data,
                    "reply_target": item.reply_target,
                    "subject": item.subject,
                    "media": refs_to_data(item.media),
                },
                sent_at=item.sent_at,
            )
    except IntegrityError:
        existing = ChannelMessage.objects.get(account=account, external_id=item.external_id)
        # A previous run stopped half-way (crash before linking): resume it.
        return existing if existing.state == ChannelMessageState.PENDING else None


def needs_no_police_action(category: str, priority: str, tone: str, text: str) -> bool:
    """Public comments for the moderation stream instead of the inbox: praise, chatter,
    information without a question, and provocative comments (not emergencies)."""
    if category in NO_ACTION_CATEGORIES:
        return True
    lowered = text.lower()
    if category == Category.INFORMASI and not any(w in lowered for w in QUESTION_WORDS):
        return True
    # Provocation goes to the stream (flagged) unless someone may be in danger right now;
    # operators turn it into an aduan there when it does report something.
    return tone == Tone.PROVOKATIF and priority != Priority.DARURAT


def _open_conversation(account: ChannelAccount, identity: ContactIdentity) -> Conversation | None:
    return (
        Conversation.objects.select_related("aduan")
        .filter(
            contact_id=identity.contact_id,
            aduan__polres_id=account.polres_id,
            aduan__status__in=OPEN_STATUSES,
        )
        .order_by("-created_at")
        .first()
    )


def _message_text(item: Incoming) -> str:
    text = item.text.strip()
    if text:
        return text
    labels = {"image": "Foto", "video": "Video", "audio": "Pesan suara", "document": "Dokumen"}
    kinds = sorted({labels.get(m.media_type, "Berkas") for m in item.media})
    return f"({', '.join(kinds) or 'Pesan'} tanpa keterangan)"


class AlreadyLinked(Exception):
    """The channel message was linked by another run meanwhile (replay, concurrent worker)."""


def _link_checked(message: ChannelMessage, aduan: Aduan, aduan_message_id: int | None) -> None:
    """Link the message to its aduan under a row lock, inside the transaction that created the
    aduan (or thread message). A message already linked raises ``AlreadyLinked``, which rolls
    that transaction back: a replay after a crash can never produce a second aduan."""
    if not _link(message, aduan, aduan_message_id):
        raise AlreadyLinked(message.pk)


# Inside a batch: (account id, message id) of the batch's messages handled before it began,
# read in one query. A message handled meanwhile is still refused by ``_claim``.
_handled_before: ContextVar[frozenset[tuple[int, str]] | None] = ContextVar(
    "channels_handled_before", default=None
)


def _handled_messages(parsed: list[Parsed]) -> frozenset[tuple[int, str]]:
    ids = {item.external_id for p in parsed for item in p.messages}
    if not ids:
        return frozenset()
    rows = (
        ChannelMessage.objects.filter(external_id__in=ids)
        .exclude(state=ChannelMessageState.PENDING)
        .values_list("account_id", "external_id")
    )
    return frozenset(rows)


# Inside a batch: (platform, sender id) of the batch's senders known before it began (and
# those it created since), read in one query; any other sender is new.
_known_senders: ContextVar[set[tuple[str, str]] | None] = ContextVar(
    "channels_known_senders", default=None
)


def _senders_known(parsed: list[Parsed]) -> set[tuple[str, str]]:
    keys = {(item.platform, item.sender_id) for p in parsed for item in p.messages}
    if not keys:
        return set()
    rows = ContactIdentity.objects.filter(
        external_id__in={sender for _, sender in keys}
    ).values_list("platform", "external_id")
    return {row for row in rows if row in keys}


def _already_handled(account: ChannelAccount, item: Incoming) -> bool:
    handled = _handled_before.get()
    if handled is not None:
        return (account.pk, item.external_id) in handled
    return (
        ChannelMessage.objects.filter(account=account, external_id=item.external_id)
        .exclude(state=ChannelMessageState.PENDING)
        .exists()
    )


def _complete(account: ChannelAccount, item: Incoming, event: InboundEvent | None) -> Incoming:
    """A mention webhook carries ids only: the adapter fetches text, author, link and photos.
    A temporary failure retries the event; the last attempt (or a permanent refusal) keeps the
    placeholder text, so the mention still reaches the inbox."""
    complete = getattr(adapter_for(account.platform), "complete", None)
    if complete is None or not item.data.get("fetch"):
        return item
    try:
        with client() as http:
            completed: Incoming = complete(http, account, item)
            return completed
    except SendError as exc:
        if exc.retryable and (event is None or event.attempts < MAX_EVENT_ATTEMPTS):
            raise
        item.data["fetch_error"] = exc.reason
        return item


def _keyword(
    account: ChannelAccount, message: ChannelMessage, identity: ContactIdentity
) -> str | None:
    """A subscription keyword (``channels.keywords``): handled by its registered handler, the
    message marked ``keyword`` and the reply queued, in one transaction; never an aduan."""
    if not may_be_keyword(account, message.text):
        return None  # the common case: no savepoint for it
    address = identity.phone or identity.external_id
    with nested_atomic():
        outcome = handle_keyword(account, address, message.text)
        if outcome is None:
            return None
        ChannelMessage.objects.filter(pk=message.pk).update(state=ChannelMessageState.KEYWORD)
        if outcome.reply:
            queue_direct_message(account, identity.external_id, outcome.reply)
    return outcome.result


def do_ingest_message(account: ChannelAccount, item: Incoming, event: InboundEvent | None) -> str:
    if _already_handled(account, item):
        return "duplicate"
    item = _complete(account, item, event)
    identity, new_contact = _identity(item)
    message = _claim(account, item, event, identity)
    if message is None:
        return "duplicate"
    if item.kind == MessageKind.DIRECT:
        keyword = _keyword(account, message, identity)
        if keyword is not None:
            return f"keyword {keyword}"
    media = store_message_media(account, message, item.media)
    text = _message_text(item)

    def retry_media_later() -> None:
        if media.missing:  # the aduan keeps its text; the photos follow in the background
            schedule_media_retry(message.pk)

    # a contact created just now has no conversation yet
    conversation = None if new_contact else _open_conversation(account, identity)
    if conversation is not None:

        def link_followup(aduan_message: AduanMessage) -> None:
            assert conversation is not None
            _link_checked(message, conversation.aduan, aduan_message.pk)
            fields = ["last_inbound_at", "last_inbound_external_id"]
            conversation.last_inbound_at = item.sent_at
            conversation.last_inbound_external_id = item.external_id
            if item.kind == MessageKind.DIRECT and conversation.account_id == account.pk:
                conversation.identity = identity  # the citizen moved to a private chat
                fields.append("identity")
            conversation.save(update_fields=fields)
            retry_media_later()

        try:
            do_add_incoming_message(
                conversation.aduan,
                text,
                channel=account.platform,
                received_at=item.sent_at,
                photos=media.photos[:MAX_CHANNEL_PHOTOS],
                on_added=link_followup,
            )
        except AlreadyLinked:
            return "duplicate"
        return f"thread {conversation.aduan.code}"

    public = item.kind in (MessageKind.COMMENT, MessageKind.MENTION)
    if public:
        result = triage_text(
            account.polres, text, channel=account.platform, received_at=item.sent_at
        )
        if needs_no_police_action(result.category, result.priority, result.tone, text):
            with nested_atomic():
                ModerationItem.objects.create(
                    polres=account.polres,
                    message=message,
                    category=result.category,
                    tone=result.tone,
                    priority=result.priority,
                    provocative=result.tone == Tone.PROVOKATIF or result.category == Category.HOAKS,
                    created_at=item.sent_at,
                )
                ChannelMessage.objects.filter(pk=message.pk).update(
                    state=ChannelMessageState.MODERATION
                )
                retry_media_later()
            return "moderation"

    try:
        aduan = create_aduan_from_message(
            account,
            message,
            item=item,
            text=text,
            photos=media.photos[:MAX_CHANNEL_PHOTOS],
            then=lambda _aduan: retry_media_later(),
        )
    except AlreadyLinked:
        return "duplicate"
    return f"aduan {aduan.code}"


def create_aduan_from_message(
    account: ChannelAccount,
    message: ChannelMessage,
    *,
    item: Incoming | None = None,
    text: str | None = None,
    photos: list[CleanPhoto] | None = None,
    acting_user: Any = None,
    then: Callable[[Aduan], None] | None = None,
) -> Aduan:
    """A new aduan from a channel message, with the conversation that replies will use; a
    public comment also gets the Polres's public acknowledgement (no personal data).

    The link message → aduan, the conversation and the acknowledgement commit in the aduan's
    own transaction (``on_created``), together with ``then`` (the moderation stream marks its
    item there). Raises ``AlreadyLinked`` — and creates nothing — when the message already
    belongs to an aduan."""
    identity = message.identity
    is_public = message.kind in (MessageKind.COMMENT, MessageKind.MENTION)
    reporter = Reporter(
        name=identity.display_name or identity.username,
        phone=identity.phone,
        email=identity.external_id if account.platform == "email" else "",
    )
    reply_target = str(message.data.get("reply_target") or "") or message.external_id
    # A photo the account is only tagged in cannot be commented on (Meta); an account can turn
    # the automatic public acknowledgement off (config ``public_ack: false``).
    can_reply = message.data.get("public_reply", True) is not False
    acknowledge = can_reply and account.config.get("public_ack", True) is not False

    photo_list = photos if photos is not None else stored_photos(message)
    origins: dict[int, tuple[Conversation, str]] = {}

    def link(aduan: Aduan) -> None:
        _link_checked(message, aduan, aduan.intake_message_id)
        raise_priority_for_photos(aduan, len(photo_list))  # intake stored each of them
        conversation = Conversation.objects.create(
            aduan=aduan,
            account=account,
            contact_id=identity.contact_id,
            identity=identity,
            public_comment_id=(
                reply_target if is_public and can_reply and account.platform != "x" else ""
            ),
            subject=str(message.data.get("subject") or "")[:300],
            last_inbound_at=message.sent_at,
            last_inbound_external_id=message.external_id,
        )
        origins[aduan.pk] = (conversation, message.kind)
        if is_public and acknowledge and account.platform in ("instagram", "facebook"):
            # The automatic public acknowledgement is part of the thread (with its delivery
            # state) but does not stop the first-response clock: no officer has answered yet.
            ack_text = notice_text(aduan)
            ack = do_record_system_message(
                aduan,
                kind=AduanMessageKind.PUBLIC_REPLY,
                text=ack_text,
                channel=account.platform,
                delivery_state=AduanDelivery.PENDING,
                audit_action="public_ack_queued",
            )
            queue_comment_reply(account, conversation.public_comment_id, ack_text, message=ack)
        if then is not None:
            then(aduan)

    token = _intake_origins.set(origins)
    try:
        return do_submit_aduan(
            account.polres,
            text=text or message.text or "(tanpa teks)",
            channel=account.platform,
            reporter=reporter,
            latitude=item.latitude if item else None,
            longitude=item.longitude if item else None,
            photos=photo_list,
            received_at=message.sent_at,
            acting_user=acting_user,
            on_created=link,
        )
    finally:
        _intake_origins.reset(token)


# The conversation an intake from a channel message has just created, and the kind of that
# message, by aduan id: the receipt its CREATED event queues in the same transaction uses
# them instead of reading back what was just written.
_intake_origins: ContextVar[dict[int, tuple[Conversation, str]] | None] = ContextVar(
    "channels_intake_origins", default=None
)


def intake_origin(aduan: Aduan) -> tuple[Conversation, str] | None:
    """(conversation, kind of the first message) of an aduan being created from a channel
    message in this context, or None (read them from the database)."""
    origins = _intake_origins.get()
    return origins.get(aduan.pk) if origins else None


def notice_text(aduan: Aduan, event: str = NoticeEvent.COMMENT_ACK, **extra: str) -> str:
    template = memoized(  # read once per drain batch
        ("notice_template", aduan.polres_id, str(event)),
        lambda: NoticeTemplate.objects.filter(
            polres_id=aduan.polres_id, event=event, is_active=True
        ).first(),
    )
    text = template.text if template else DEFAULT_NOTICES[event]
    values = {"code": aduan.code, "polres": aduan.polres.name, "unit": "", **extra}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return DEFAULT_NOTICES[event].format(**values)


def _link(message: ChannelMessage, aduan: Aduan, aduan_message_id: int | None) -> int:
    """Link the message unless it is linked already; 1 when linked. One conditional UPDATE:
    it takes the row lock and re-checks the condition on the row as committed by a transaction
    it waited for (PostgreSQL re-evaluates the WHERE; SQLite serializes writers)."""
    return ChannelMessage.objects.filter(
        pk=message.pk,
        aduan__isnull=True,
        state__in=(ChannelMessageState.PENDING, ChannelMessageState.MODERATION),
    ).update(state=ChannelMessageState.THREAD, aduan=aduan, aduan_message_id=aduan_message_id)
