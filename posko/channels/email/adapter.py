"""E-mail: the Polres mailbox is polled over IMAP (each new message is stored raw as an event,
like a webhook: ``fetch_new``); ``parse`` turns one RFC 5322 message into an ``Incoming`` (plain
text part, quoted history cut off, image and PDF attachments as media); replies go out by SMTP
with ``In-Reply-To``/``References`` so the citizen's mail program keeps the thread. See doc.md.

Account: ``external_id`` is the mailbox address. ``config``: ``imap_host``, ``imap_port``
(993), ``imap_ssl`` (true), ``imap_user`` (the address), ``imap_folder`` (INBOX),
``smtp_host``, ``smtp_port`` (587), ``smtp_security`` ("starttls", "ssl" or "none"),
``smtp_user`` (the address), ``from_name``, ``poll_seconds``. Credentials: ``imap_password``,
``smtp_password``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import imaplib
import re
import smtplib
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, getaddresses, make_msgid, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from django.conf import settings

from posko.channels.base import Incoming, MalformedEvent, MediaRef, Parsed, SendError

if TYPE_CHECKING:
    import httpx

    from posko.channels.models import ChannelAccount, OutboundDelivery

PLATFORM = "email"
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_PER_POLL = 50
KEPT_ATTACHMENTS = {"image": "image", "application/pdf": "document"}
# Where the quoted history of a reply starts (Gmail, Outlook, Apple Mail, Indonesian clients).
QUOTE_STARTS = re.compile(
    r"^(On .{3,200} wrote:|Pada .{3,200} menulis:|-{2,} ?(Original Message|Pesan Asli) ?-{2,}"
    r"|From: .+|Dari: .+)\s*$",
    re.IGNORECASE,
)
MSGID = re.compile(r"<[^<>\s]+>")


# Parsing ------------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts)).strip()


def strip_quoted(text: str) -> str:
    """The new part of a reply: cut at the quoted history and drop trailing ``>`` lines."""
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if QUOTE_STARTS.match(line.strip()) and index > 0:
            lines = lines[:index]
            break
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    return "\n".join(lines).strip()


def message_id_of(raw: bytes) -> str:
    """The Message-ID, or a stable stand-in from the bytes when the sender gave none."""
    msg = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    found = MSGID.findall(str(msg.get("Message-ID", "")))
    if found:
        return found[0][:200]
    return f"<{hashlib.sha256(raw).hexdigest()}@tanpa-message-id.posko>"


def dedupe_key(raw: bytes) -> str:
    """Raw events of e-mail are unique per Message-ID (a message copied to another folder or
    fetched again after a UIDVALIDITY change is stored once)."""
    return "msgid:" + hashlib.sha256(message_id_of(raw).encode()).hexdigest()


def is_automatic(msg: EmailMessage, sender: str) -> bool:
    """Out-of-office replies, bounces and mailing lists: not from a citizen."""
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(msg.get("Precedence", "")).strip().lower()
    local = sender.split("@", 1)[0]
    return (
        auto != "no"
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or bool(msg.get("X-Autoreply") or msg.get("X-Autorespond"))
        or local in ("mailer-daemon", "postmaster", "noreply", "no-reply")
    )


def _sent_at(msg: EmailMessage) -> datetime:
    now = datetime.now(UTC)
    try:
        value = parsedate_to_datetime(str(msg.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return now
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return min(value, now)  # a sender's clock in the future must not move SLA clocks


def _body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return strip_quoted(content)


def _attachments(msg: EmailMessage) -> list[MediaRef]:
    media: list[MediaRef] = []
    for part in msg.iter_attachments():
        content_type = part.get_content_type()
        kind = KEPT_ATTACHMENTS.get(content_type) or KEPT_ATTACHMENTS.get(
            content_type.split("/")[0]
        )
        if kind is None or not isinstance(part, EmailMessage):
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data or len(data) > MAX_ATTACHMENT_BYTES:
            continue
        # The bytes travel inside the reference (the raw message is the only copy).
        encoded = base64.b64encode(data).decode()
        media.append(
            MediaRef(
                media_type=kind,
                ref=f"data:{content_type};base64,{encoded}",
                mime_type=content_type,
                caption=(part.get_filename() or "")[:200],
                filename=(part.get_filename() or "")[:200],
            )
        )
    return media


def parse(body: bytes) -> Parsed:
    if len(body) > MAX_MESSAGE_BYTES:
        raise MalformedEvent("e-mail terlalu besar")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(body)
    except (ValueError, LookupError) as exc:
        raise MalformedEvent(f"bukan e-mail: {exc.__class__.__name__}") from exc
    if not isinstance(msg, EmailMessage):
        raise MalformedEvent("bukan e-mail")
    name, sender = parseaddr(str(msg.get("From", "")))
    sender = sender.strip().lower()
    if "@" not in sender:
        raise MalformedEvent("e-mail tanpa pengirim")
    parsed = Parsed()
    if is_automatic(msg, sender):
        parsed.skipped.append(f"balasan otomatis/daftar surat dari {sender}")
        return parsed
    to = [addr.lower() for _, addr in getaddresses([str(v) for v in msg.get_all("To", [])])]
    references = MSGID.findall(str(msg.get("References", "")))
    in_reply_to = MSGID.findall(str(msg.get("In-Reply-To", "")))
    subject = str(msg.get("Subject", "")).strip()
    text = _body_text(msg)
    media = _attachments(msg)
    is_reply = bool(in_reply_to) or subject.lower().startswith(("re:", "balas:", "aw:"))
    if subject and not is_reply and subject.lower() not in text.lower():
        text = f"{subject}\n\n{text}".strip()  # a new report: the subject is part of it
    parsed.messages.append(
        Incoming(
            platform=PLATFORM,
            account_external_id=to[0] if to else "",
            external_id=message_id_of(body),
            sender_id=sender,
            sender_name=name.strip()[:200],
            kind="direct",
            message_type="email",
            text=text,
            media=media,
            sent_at=_sent_at(msg),
            subject=subject[:300],
            data={"references": references[-20:], "in_reply_to": in_reply_to[:1]},
        )
    )
    return parsed


def fetch_media(http: httpx.Client, account: ChannelAccount, ref: MediaRef) -> tuple[bytes, str]:
    """Attachments arrive inside the message: the reference carries the bytes."""
    header, _, data = ref.ref.partition(",")
    if not header.startswith("data:") or not header.endswith(";base64"):
        raise SendError("Lampiran e-mail tidak terbaca.", retryable=False)
    return base64.b64decode(data), header[5:-7] or ref.mime_type


# IMAP ---------------------------------------------------------------------------------------


def _timeout() -> float:
    return float(settings.POSKO_CHANNEL_HTTP_TIMEOUT)


def _cursor(account: ChannelAccount) -> tuple[str, int]:
    """``account.cursor`` = "<UIDVALIDITY>:<last UID seen>"."""
    validity, _, uid = account.cursor.partition(":")
    return validity, int(uid) if uid.isdigit() else 0


def fetch_new(account: ChannelAccount) -> tuple[list[tuple[int, bytes]], str]:
    """New messages of the mailbox since the cursor, oldest first (at most ``MAX_PER_POLL``),
    and the cursor to store after them. Read-only: flags are not changed."""
    config = account.config
    host = str(config.get("imap_host", ""))
    if not host:
        raise SendError("Server IMAP belum diatur (imap_host).", retryable=False)
    use_ssl = bool(config.get("imap_ssl", True))
    port = int(config.get("imap_port", 993 if use_ssl else 143))
    user = str(config.get("imap_user") or account.external_id)
    password = str(account.credentials.get("imap_password", ""))
    folder = str(config.get("imap_folder", "INBOX"))
    validity, last = _cursor(account)
    found: list[tuple[int, bytes]] = []
    try:
        imap: imaplib.IMAP4 = (
            imaplib.IMAP4_SSL(host, port, timeout=_timeout())
            if use_ssl
            else imaplib.IMAP4(host, port, timeout=_timeout())
        )
        try:
            imap.login(user, password)
            status, _ = imap.select(folder, readonly=True)
            if status != "OK":
                raise SendError(f"Folder IMAP {folder} tidak dapat dibuka.", retryable=False)
            current = _response_code(imap, "UIDVALIDITY")
            if current != validity:
                last = 0  # the mailbox was rebuilt: read it again (Message-ID dedup)
            status, data = imap.uid("SEARCH", f"UID {last + 1}:*")
            if status != "OK":
                raise SendError("Pencarian IMAP gagal.", retryable=True)
            uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > last)
            for uid in uids[:MAX_PER_POLL]:
                status, data = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next((p[1] for p in data if isinstance(p, tuple)), None)
                if status == "OK" and isinstance(raw, bytes):
                    found.append((uid, raw))
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                imap.logout()
    except imaplib.IMAP4.error as exc:
        raise SendError(f"IMAP menolak: {exc}", retryable=False) from exc
    except (OSError, EOFError) as exc:
        raise SendError(
            f"Gagal terhubung ke server IMAP {host}: {exc.__class__.__name__}", retryable=True
        ) from exc
    newest = max([last, *(uid for uid, _ in found)])
    return found, f"{current}:{newest}"


def _response_code(imap: imaplib.IMAP4, code: str) -> str:
    _, values = imap.response(code)
    value = values[0] if values else b""
    return value.decode() if isinstance(value, bytes) else str(value or "")


# SMTP ---------------------------------------------------------------------------------------


def compose(account: ChannelAccount, delivery: OutboundDelivery) -> EmailMessage:
    """The reply: threaded under the citizen's last message, subject with the tracking code."""
    from posko.channels.models import ChannelMessage, Conversation

    config = account.config
    address = account.external_id
    domain = address.rsplit("@", 1)[-1] or "posko.invalid"
    subject, code = "", ""
    conversation = None
    if delivery.message_id is not None:
        conversation = (
            Conversation.objects.select_related("aduan")
            .filter(aduan__messages__pk=delivery.message_id)
            .first()
        )
    if conversation is not None:
        subject, code = conversation.subject, conversation.aduan.code
    subject = subject or "Laporan Anda"
    if not subject.lower().startswith(("re:", "balas:")):
        subject = f"Re: {subject}"
    if code and code not in subject:
        subject = f"{subject} [{code}]"
    msg = EmailMessage()
    display = str(config.get("from_name") or account.name)
    local, _, host = address.partition("@")
    msg["From"] = Address(display_name=display, username=local, domain=host)
    msg["To"] = delivery.recipient
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(idstring="posko", domain=domain)
    msg["Auto-Submitted"] = "no"
    if delivery.reply_to.startswith("<"):
        earlier = (
            ChannelMessage.objects.filter(account=account, external_id=delivery.reply_to)
            .values_list("data", flat=True)
            .first()
        )
        refs = [r for r in (earlier or {}).get("references", []) if isinstance(r, str)]
        msg["In-Reply-To"] = delivery.reply_to
        msg["References"] = " ".join([*refs[-10:], delivery.reply_to])
    msg.set_content(delivery.text)
    return msg


def send(http: httpx.Client, account: ChannelAccount, delivery: OutboundDelivery) -> str:
    """Send the reply by SMTP; returns its Message-ID (the delivery's external id)."""
    config = account.config
    host = str(config.get("smtp_host", ""))
    if not host:
        raise SendError("Server SMTP belum diatur (smtp_host).", retryable=False)
    security = str(config.get("smtp_security", "starttls")).lower()
    port = int(config.get("smtp_port", 465 if security == "ssl" else 587))
    user = str(config.get("smtp_user") or account.external_id)
    password = str(account.credentials.get("smtp_password", ""))
    msg = compose(account, delivery)
    try:
        smtp: smtplib.SMTP = (
            smtplib.SMTP_SSL(host, port, timeout=_timeout())
            if security == "ssl"
            else smtplib.SMTP(host, port, timeout=_timeout())
        )
        with smtp:
            if security == "starttls":
                smtp.starttls()
            if password:
                smtp.login(user, password)
            refused = smtp.send_message(msg, from_addr=account.external_id)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reason = next(iter(exc.recipients.values()), (550, b""))
        raise SendError(
            f"Alamat e-mail pelapor ditolak server: {code} {_text(reason)}".strip(),
            retryable=400 <= code < 500,
        ) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError("Login SMTP ditolak: periksa sandi SMTP.", retryable=False) from exc
    except smtplib.SMTPResponseException as exc:
        raise SendError(
            f"Server SMTP menolak: {exc.smtp_code} {_text(exc.smtp_error)}".strip(),
            retryable=400 <= exc.smtp_code < 500,
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(
            f"Gagal mengirim lewat SMTP {host}: {exc.__class__.__name__}", retryable=True
        ) from exc
    if refused:
        raise SendError(f"Alamat e-mail pelapor ditolak: {refused}", retryable=False)
    return str(msg["Message-ID"])


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
