"""Test kit for e-mail: tiny IMAP4rev1 and SMTP servers on 127.0.0.1 (threads), enough for
``imaplib`` and ``smtplib`` as Posko uses them. No network, no TLS (accounts in tests use
``imap_ssl: false`` and ``smtp_security: "none"``)."""

from __future__ import annotations

import base64
import shlex
import socketserver
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Base:
    def __init__(self, handler: type[socketserver.StreamRequestHandler]) -> None:
        self._server = _Server(("127.0.0.1", 0), handler)
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.lock = threading.Lock()
        self.commands: list[str] = []

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> Any:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


# IMAP ---------------------------------------------------------------------------------------


class FakeImap(_Base):
    """One mailbox (INBOX) with messages under increasing UIDs. ``SEARCH UID n:*`` follows
    RFC 3501: "*" is the highest UID, so a range past it still returns the last message."""

    def __init__(self, user: str, password: str, uidvalidity: int = 1) -> None:
        super().__init__(_ImapHandler)
        self.user, self.password = user, password
        self.uidvalidity = uidvalidity
        self.messages: list[tuple[int, bytes]] = []
        self.next_uid = 1

    def add(self, raw: bytes) -> int:
        with self.lock:
            uid = self.next_uid
            self.next_uid += 1
            self.messages.append((uid, raw))
            return uid

    def rebuild(self, uidvalidity: int) -> None:
        """The server renumbered the mailbox (new UIDVALIDITY, UIDs from 1)."""
        with self.lock:
            self.uidvalidity = uidvalidity
            self.messages = [(i, raw) for i, (_, raw) in enumerate(self.messages, start=1)]
            self.next_uid = len(self.messages) + 1


class _ImapHandler(socketserver.StreamRequestHandler):
    def send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        fake: FakeImap = self.server.fake  # type: ignore[attr-defined]
        self.send("* OK Fake IMAP4rev1 siap")
        authed = False
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            tag, _, rest = line.partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            with fake.lock:
                fake.commands.append(command if command != "LOGIN" else "LOGIN ***")
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1")
                self.send(f"{tag} OK CAPABILITY selesai")
            elif command == "LOGIN":
                parts = shlex.split(args)
                authed = parts == [fake.user, fake.password]
                if authed:
                    self.send(f"{tag} OK LOGIN selesai")
                else:
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
            elif command == "LOGOUT":
                self.send("* BYE sampai jumpa")
                self.send(f"{tag} OK LOGOUT selesai")
                return
            elif command == "NOOP":
                self.send(f"{tag} OK NOOP")
            elif not authed:
                self.send(f"{tag} NO belum login")
            elif command in ("SELECT", "EXAMINE"):
                with fake.lock:
                    count, validity, nxt = len(fake.messages), fake.uidvalidity, fake.next_uid
                self.send(f"* {count} EXISTS")
                self.send("* 0 RECENT")
                self.send(f"* OK [UIDVALIDITY {validity}] UIDs valid")
                self.send(f"* OK [UIDNEXT {nxt}] Predicted next UID")
                mode = "READ-ONLY" if command == "EXAMINE" else "READ-WRITE"
                self.send(f"{tag} OK [{mode}] {command} selesai")
            elif command == "UID":
                self._uid(fake, tag, args)
            else:
                self.send(f"{tag} BAD perintah tidak dikenal")

    def _uid(self, fake: FakeImap, tag: str, args: str) -> None:
        sub, _, rest = args.partition(" ")
        sub = sub.upper()
        with fake.lock:
            messages = list(fake.messages)
        highest = messages[-1][0] if messages else 0
        if sub == "SEARCH":
            spec = rest.split()[-1]
            wanted = _uid_set(spec, highest)
            found = [str(uid) for uid, _ in messages if uid in wanted]
            self.send("* SEARCH" + "".join(f" {u}" for u in found))
            self.send(f"{tag} OK SEARCH selesai")
        elif sub == "FETCH":
            spec = rest.split(" ", 1)[0]
            wanted = _uid_set(spec, highest)
            for seq, (uid, raw) in enumerate(messages, start=1):
                if uid in wanted:
                    head = f"* {seq} FETCH (UID {uid} BODY[] {{{len(raw)}}}\r\n".encode()
                    self.wfile.write(head + raw + b")\r\n")
            self.send(f"{tag} OK FETCH selesai")
        else:
            self.send(f"{tag} BAD UID {sub} tidak didukung")


def _uid_set(spec: str, highest: int) -> set[int]:
    wanted: set[int] = set()
    for piece in spec.split(","):
        first, _, last = piece.partition(":")
        a = highest if first == "*" else int(first)
        b = a if not last else (highest if last == "*" else int(last))
        low, high = min(a, b), max(a, b)
        wanted.update(range(low, high + 1))
    return wanted


# SMTP ---------------------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        parsed = BytesParser(policy=policy.default).parsebytes(self.data)
        assert isinstance(parsed, EmailMessage)
        return parsed


class FakeSmtp(_Base):
    """Accepts mail; ``reject`` maps a recipient to an SMTP reply ("550 5.1.1 …", "451 …")."""

    def __init__(self, user: str = "", password: str = "") -> None:
        super().__init__(_SmtpHandler)
        self.user, self.password = user, password
        self.received: list[Received] = []
        self.reject: dict[str, str] = {}


class _SmtpHandler(socketserver.StreamRequestHandler):
    def send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        fake: FakeSmtp = self.server.fake  # type: ignore[attr-defined]
        self.send("220 fake.smtp ESMTP siap")
        sender, recipients = "", list[str]()
        authed = not fake.password
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            with fake.lock:
                fake.commands.append(verb)
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-fake.smtp\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
            elif verb == "AUTH":
                parts = line.split()
                decoded = base64.b64decode(parts[2]).split(b"\0") if len(parts) > 2 else []
                authed = decoded[1:] == [fake.user.encode(), fake.password.encode()]
                self.send("235 2.7.0 OK" if authed else "535 5.7.8 Authentication failed")
            elif verb == "MAIL":
                if not authed:
                    self.send("530 5.7.0 Authentication required")
                    continue
                sender, recipients = line.split(":", 1)[1].strip().strip("<>"), []
                self.send("250 2.1.0 OK")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().split()[0].strip("<>")
                if address in fake.reject:
                    self.send(fake.reject[address])
                else:
                    recipients.append(address)
                    self.send("250 2.1.5 OK")
            elif verb == "DATA":
                self.send("354 akhiri dengan <CRLF>.<CRLF>")
                lines: list[bytes] = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b""):
                        break
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                with fake.lock:
                    fake.received.append(Received(sender, recipients, b"".join(lines)))
                self.send("250 2.0.0 OK diterima")
            elif verb in ("RSET", "NOOP"):
                self.send("250 2.0.0 OK")
            elif verb == "QUIT":
                self.send("221 2.0.0 sampai jumpa")
                return
            else:
                self.send("502 5.5.2 tidak dikenal")
