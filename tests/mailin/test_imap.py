"""The IMAP poller against a small IMAP server on loopback (tests/mailin/imap_stub.py)."""

from __future__ import annotations

import imaplib
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from inquiries.models import Inquiry
from mailin import imap
from mailin.models import ImapCursor, InboundMail
from mailin.tasks import poll_imap

from .conftest import TUESDAY, composed, sample
from .imap_stub import Folder, ImapStub

pytestmark = pytest.mark.django_db
Outcome = InboundMail.Outcome
DESK = "business@porvoo.fi"
PROJECT = Path(__file__).resolve().parents[2]


def mailbox(port: int, folder: Folder) -> imap.Mailbox:
    return imap.Mailbox(
        host="127.0.0.1", port=port, user=folder.user, password=folder.password, ssl=False
    )


def configured(port: int) -> override_settings:
    """The settings that point the poller (task and command) at the stub on `port`."""
    return override_settings(
        IMAP_HOST="127.0.0.1",
        IMAP_PORT=port,
        IMAP_SSL=False,
        IMAP_USER="desk",
        IMAP_PASSWORD="secret",
        IMAP_FOLDER="INBOX",
    )


def new_request(n: int) -> bytes:
    return composed(
        to=DESK,
        sender=f"yrittaja{n}@example.fi",
        subject=f"Tontti {n}",
        body=f"Etsimme tonttia numero {n}.",
        headers={"Message-ID": f"<tontti-{n}@example.fi>"},
    )


def test_each_new_message_is_handed_to_the_service_once(asked):
    # given a mailbox with a new request and the requester's answer to our question
    folder = Folder()
    folder.add(sample("new_request_fi.eml"))
    folder.add(sample("gmail_reply_sv.eml", asked))
    with ImapStub(folder) as port:
        box = mailbox(port, folder)
        # when the poller runs, then both are handled, in order, by the one service
        assert imap.poll(box, now=TUESDAY) == imap.Poll(handled=2)
        outcomes = list(InboundMail.objects.order_by("pk").values_list("via", "outcome"))
        assert outcomes == [("imap", Outcome.NEW_REQUEST), ("imap", Outcome.ATTACHED)]
        asked.refresh_from_db()
        assert asked.status == Inquiry.Status.IN_PROGRESS
        # and the next poll finds nothing new
        assert imap.poll(box, now=TUESDAY) == imap.Poll(handled=0)
        # until a message arrives
        folder.add(new_request(3))
        assert imap.poll(box, now=TUESDAY) == imap.Poll(handled=1)
    cursor = ImapCursor.objects.get()
    assert (cursor.mailbox, cursor.uid_validity, cursor.last_uid) == (box.name, 1, 3)
    assert InboundMail.objects.count() == 3


def test_the_mailbox_is_only_read(db):
    folder = Folder()
    folder.add(new_request(1))
    with ImapStub(folder) as port:
        imap.poll(mailbox(port, folder))
    commands = [command.split(" ")[0].upper() for command in folder.commands]
    assert "EXAMINE" in commands and "SELECT" not in commands
    fetches = [c for c in folder.commands if c.upper().startswith("UID FETCH")]
    assert fetches and all("RFC822.SIZE" in c or "BODY.PEEK[" in c for c in fetches)
    assert not {"STORE", "EXPUNGE", "COPY", "MOVE", "APPEND", "DELETE"} & set(commands)
    assert "UID STORE" not in " ".join(folder.commands).upper()


def test_a_renumbered_folder_is_read_again_without_handling_anything_twice(db):
    folder = Folder()
    folder.add(new_request(1))
    folder.add(new_request(2))
    with ImapStub(folder) as port:
        box = mailbox(port, folder)
        imap.poll(box)
        folder.uid_validity = 2  # the server renumbered the folder
        assert imap.poll(box).handled == 2
    assert ImapCursor.objects.get().uid_validity == 2
    assert InboundMail.objects.count() == 2 and Inquiry.objects.count() == 2


def test_a_message_over_the_size_limit_is_recorded_from_its_headers_alone(db):
    folder = Folder()
    folder.add(composed(to=DESK, sender="iso@example.fi", body="x" * 5000))
    with ImapStub(folder) as port, override_settings(MAILIN_MAX_BYTES=2000):
        assert imap.poll(mailbox(port, folder)).handled == 1
    mail = InboundMail.objects.get()
    assert (mail.outcome, mail.reason, mail.from_address) == (
        Outcome.REJECTED,
        InboundMail.Reason.TOO_LARGE,
        "iso@example.fi",
    )
    assert mail.size > 5000
    assert any("BODY.PEEK[HEADER]" in c for c in folder.commands)
    assert not any("BODY.PEEK[])" in c for c in folder.commands)


def test_a_message_that_breaks_the_service_is_recorded_and_the_poll_goes_on(db, monkeypatch):
    folder = Folder()
    folder.add(new_request(1))
    folder.add(new_request(2))
    real = imap.receive_message

    def breaks_on_the_first(raw, **kwargs):
        if b"tontti-1@" in raw:
            raise ValueError("unexpected")
        return real(raw, **kwargs)

    monkeypatch.setattr(imap, "receive_message", breaks_on_the_first)
    with ImapStub(folder) as port:
        assert imap.poll(mailbox(port, folder)) == imap.Poll(handled=2, failed=1)
    failed, done = InboundMail.objects.order_by("pk")
    assert (failed.outcome, failed.reason) == (Outcome.REJECTED, InboundMail.Reason.UNREADABLE)
    assert "ValueError: unexpected" in failed.note and "tontti-1@" in failed.note
    assert done.outcome == Outcome.NEW_REQUEST
    assert ImapCursor.objects.get().last_uid == 2


def test_a_wrong_password_fails_loudly_and_frees_the_mailbox(db):
    folder = Folder()
    with ImapStub(folder) as port:
        box = imap.Mailbox(host="127.0.0.1", port=port, user="desk", password="wrong", ssl=False)
        with pytest.raises(imaplib.IMAP4.error):
            imap.poll(box)
        assert cache.add(f"mailin-imap-poll:{box.name}", 1), "the lock was released"


def test_two_polls_of_one_mailbox_never_run_at_once(db):
    folder = Folder()
    folder.add(new_request(1))
    with ImapStub(folder) as port:
        box = mailbox(port, folder)
        cache.add(f"mailin-imap-poll:{box.name}", 1)  # another poll is running
        assert imap.poll(box) == imap.Poll(skipped=True)
    assert not InboundMail.objects.exists()


def test_the_beat_task_polls_the_configured_mailbox(db):
    folder = Folder()
    folder.add(new_request(1))
    with (
        ImapStub(folder) as port,
        configured(port),
    ):
        assert poll_imap.apply().get() == 1
    assert InboundMail.objects.get().via == "imap"


def test_an_old_mailbox_can_be_started_from_now(db):
    folder = Folder()
    folder.add(new_request(1))
    folder.add(new_request(2))
    with (
        ImapStub(folder) as port,
        configured(port),
    ):
        out = StringIO()
        call_command("poll_imap", "--skip-existing", stdout=out)
        assert "up to UID 2" in out.getvalue()
        folder.add(new_request(3))
        call_command("poll_imap", stdout=out)
    assert list(InboundMail.objects.values_list("subject", flat=True)) == ["Tontti 3"]


def beat_schedule(**env: str) -> dict:
    """CELERY_BEAT_SCHEDULE as the settings build it from this environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(sorted(settings.CELERY_BEAT_SCHEDULE)))"
    )
    inherited = {name: value for name, value in os.environ.items() if name != "IMAP_HOST"}
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "sqlite://:memory:",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_poller_is_scheduled_only_when_an_imap_host_is_set():
    assert "poll-imap" not in beat_schedule()
    assert "poll-imap" in beat_schedule(IMAP_HOST="imap.porvoo.fi")
