"""The IMAP poller: new messages of a mailbox we may only read, each handed to the service.

The folder is opened read-only (EXAMINE) and messages are fetched with BODY.PEEK, so nothing in
the mailbox changes (not even the \\Seen flag). What has been read is remembered per mailbox by
UID (ImapCursor); a new UIDVALIDITY starts over, and the service skips the Message-IDs it has
handled already. Each message is committed on its own and the cursor moves after it, so a poll
cut short (a worker killed, the network gone) goes on from where it stopped. A cache lock keeps
two polls of one mailbox from running at once.
"""

from __future__ import annotations

import imaplib
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

from .models import ImapCursor
from .services import Envelope, receive_message, record_failure

logger = logging.getLogger(__name__)

LOCK_SECONDS = 15 * 60
BATCH = 200  # messages per poll at most; the next poll takes the rest


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ssl: bool = True
    timeout: float = 30

    @property
    def name(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass(frozen=True)
class Poll:
    handled: int = 0  # messages handed to the service
    failed: int = 0  # of them, recorded as unreadable after an unexpected error
    skipped: bool = False  # another poll of the mailbox was running


def configured_mailbox() -> Mailbox | None:
    """The mailbox of the IMAP_* settings; None when IMAP_HOST is not set."""
    if not settings.IMAP_HOST:
        return None
    return Mailbox(
        host=settings.IMAP_HOST,
        port=settings.IMAP_PORT,
        user=settings.IMAP_USER,
        password=settings.IMAP_PASSWORD,
        folder=settings.IMAP_FOLDER,
        ssl=settings.IMAP_SSL,
        timeout=settings.IMAP_TIMEOUT,
    )


def connect(mailbox: Mailbox) -> imaplib.IMAP4:
    """Sign in to the server (TLS unless IMAP_SSL is false)."""
    if mailbox.ssl:
        imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, timeout=mailbox.timeout)
    else:
        imap = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=mailbox.timeout)
    imap.login(mailbox.user, mailbox.password)
    return imap


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(response: tuple[str, list]) -> list:
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"IMAP answered {status}: {data!r}")
    return data


def _size(imap: imaplib.IMAP4, uid: int) -> int:
    data = _check(imap.uid("FETCH", str(uid), "(RFC822.SIZE)"))
    found = re.search(rb"RFC822\.SIZE (\d+)", b" ".join(d for d in data if isinstance(d, bytes)))
    return int(found.group(1)) if found else 0


def _fetch(imap: imaplib.IMAP4, uid: int, part: str) -> bytes:
    data = _check(imap.uid("FETCH", str(uid), f"(BODY.PEEK[{part}])"))
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    raise imaplib.IMAP4.error(f"No message body for UID {uid}")


def _open(imap: imaplib.IMAP4, folder: str) -> int:
    """Open the folder read-only; return its UIDVALIDITY."""
    _check(imap.select(_quoted(folder), readonly=True))
    _name, data = imap.response("UIDVALIDITY")
    if not data or data[0] is None:
        raise imaplib.IMAP4.error("The server gave no UIDVALIDITY")
    return int(data[0])


def _cursor(mailbox: Mailbox, uid_validity: int) -> ImapCursor:
    cursor, _created = ImapCursor.objects.get_or_create(
        mailbox=mailbox.name[:300], defaults={"uid_validity": uid_validity}
    )
    if cursor.uid_validity != uid_validity:
        # The server renumbered the folder: read it again (handled Message-IDs are skipped).
        logger.warning("UIDVALIDITY of %s changed; reading the folder again", mailbox.name)
        cursor.uid_validity, cursor.last_uid = uid_validity, 0
        cursor.save(update_fields=["uid_validity", "last_uid"])
    return cursor


def _handle_one(imap: imaplib.IMAP4, uid: int, now: datetime | None) -> bool:
    """Read one message and hand it to the service; False if it had to be recorded as failed."""
    size = _size(imap, uid)
    too_large = size > settings.MAILIN_MAX_BYTES
    raw = _fetch(imap, uid, "HEADER" if too_large else "")
    envelope = Envelope(via="imap")
    try:
        receive_message(raw, envelope=envelope, size=size or len(raw), now=now)
    except DatabaseError:
        raise  # the database is away: stop here, the next poll tries this one again
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the mailbox
        logger.exception("Message UID %s could not be handled; recorded and skipped", uid)
        record_failure(raw, envelope=envelope, error=f"{type(exc).__name__}: {exc}", now=now)
        return False
    return True


def poll(
    mailbox: Mailbox | None = None, *, now: datetime | None = None, limit: int = BATCH
) -> Poll:
    """Hand the mailbox's new messages to the service, oldest first; remember how far it got."""
    mailbox = mailbox or configured_mailbox()
    if mailbox is None:
        return Poll()
    lock = f"mailin-imap-poll:{mailbox.name}"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return Poll(skipped=True)
    handled = failed = 0
    try:
        imap = connect(mailbox)
        try:
            cursor = _cursor(mailbox, _open(imap, mailbox.folder))
            found = _check(imap.uid("SEARCH", None, f"UID {cursor.last_uid + 1}:*"))
            # "n:*" also answers the highest UID when there is nothing newer: keep the new ones.
            uids = sorted(int(uid) for uid in (found[0] or b"").split())
            for uid in [uid for uid in uids if uid > cursor.last_uid][:limit]:
                if not _handle_one(imap, uid, now):
                    failed += 1
                handled += 1
                ImapCursor.objects.filter(pk=cursor.pk).update(
                    last_uid=uid, polled_at=now or timezone.now()
                )
            ImapCursor.objects.filter(pk=cursor.pk).update(polled_at=now or timezone.now())
        finally:
            try:
                imap.logout()
            except (imaplib.IMAP4.error, OSError):
                pass
    finally:
        cache.delete(lock)
    return Poll(handled=handled, failed=failed)


def skip_existing(mailbox: Mailbox | None = None) -> int:
    """Mark every message now in the mailbox as read (before the first poll of an old mailbox)."""
    mailbox = mailbox or configured_mailbox()
    if mailbox is None:
        return 0
    imap = connect(mailbox)
    try:
        cursor = _cursor(mailbox, _open(imap, mailbox.folder))
        found = _check(imap.uid("SEARCH", None, "ALL"))
        last = max((int(uid) for uid in (found[0] or b"").split()), default=0)
        ImapCursor.objects.filter(pk=cursor.pk).update(last_uid=max(last, cursor.last_uid))
        return last
    finally:
        imap.logout()
