"""The mail gateway over a real socket: smtplib (and LMTP) to aiosmtpd on loopback.

Committed data (the gateway answers from its own threads and database connections);
serialized_rollback restores the catalogue after each test.
"""

from __future__ import annotations

import smtplib
import socket
import threading
from collections.abc import Iterator

import pytest
from django.core import mail as django_mail
from django.db import OperationalError
from django.test import override_settings

from inquiries.models import Inquiry, Message
from mailin import gateway
from mailin.addresses import reply_address
from mailin.models import InboundMail
from notifications.models import Notification

from .conftest import composed, sample

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DESK = "business@porvoo.fi"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def serve() -> Iterator:
    """Start the gateway as `manage.py mail_gateway` does; stop it after the test."""
    started: list[tuple[threading.Thread, threading.Event]] = []

    def start(*, lmtp: bool = False) -> int:
        port, stop = free_port(), threading.Event()
        thread = threading.Thread(
            target=gateway.serve,
            kwargs={"host": "127.0.0.1", "port": port, "lmtp": lmtp, "stop": stop},
            daemon=True,
        )
        thread.start()
        started.append((thread, stop))
        for _ in range(100):  # until it answers
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return port
            except OSError:
                threading.Event().wait(0.05)
        raise AssertionError("the gateway did not start")

    yield start
    for thread, stop in started:
        stop.set()
        thread.join(timeout=10)


def test_an_answer_by_smtp_updates_the_request_and_tells_the_handler(asked, handler, serve):
    # given the gateway listening and a request waiting for the requester's answer
    port = serve()
    raw = sample("outlook_reply_fi.eml", asked)
    django_mail.outbox.clear()
    # when the city's mail server forwards the requester's answer to it
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("mx.porvoo.fi")
        refused = client.sendmail("yrittaja@example.fi", [reply_address(asked.reference)], raw)
    # then it was accepted, and the request moved on with the requester's message
    assert refused == {}
    received = InboundMail.objects.get()
    assert (received.via, received.outcome) == ("smtp", InboundMail.Outcome.ATTACHED)
    assert received.envelope_from == "yrittaja@example.fi"
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.IN_PROGRESS
    message = asked.messages.get(kind=Message.Kind.CUSTOMER)
    assert message.body.startswith("Hei,\n\ntontin pitäisi olla noin 5000 m²")
    # and the handler was told by mail, after commit
    told = Notification.objects.get(inquiry=asked, kind=Notification.Kind.REQUESTER_REPLIED)
    assert told.recipient_user == handler and told.status == Notification.Status.SENT
    assert [m.to for m in django_mail.outbox] == [[handler.email]]
    assert asked.reference in django_mail.outbox[0].subject


def test_a_new_request_by_lmtp_is_answered_once_per_recipient(db, serve):
    port = serve(lmtp=True)
    raw = sample("new_request_fi.eml")
    with smtplib.LMTP("127.0.0.1", port, timeout=10) as client:
        assert client.ehlo("mx.porvoo.fi")[0] == 250  # smtplib's LMTP greets with LHLO
        assert client.mail("liisa.laine@kahvilalaine.fi")[0] == 250
        assert client.rcpt(DESK)[0] == 250
        assert client.rcpt("BUSINESS@porvoo.fi")[0] == 250
        first = client.data(raw)
        second = client.getreply()  # LMTP: one answer per recipient
    assert first[0] == second[0] == 250
    received = InboundMail.objects.get()
    assert (received.via, received.outcome) == ("lmtp", InboundMail.Outcome.NEW_REQUEST)
    assert received.inquiry.channel == Inquiry.Channel.EMAIL


def test_the_gateway_relays_nothing_and_refuses_strangers_addresses(db, serve):
    port = serve()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("a@example.fi", ["someone@example.com"], composed(to=DESK))
    [(code, text)] = refused.value.recipients.values()
    assert code == 550 and b"No such recipient" in text
    assert not InboundMail.objects.exists()


def test_a_message_over_the_size_limit_is_refused_at_the_door(db, serve):
    with override_settings(MAILIN_MAX_BYTES=2000):
        port = serve()
        big = composed(to=DESK, body="x" * 5000)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            with pytest.raises(smtplib.SMTPException) as refused:
                client.sendmail("a@example.fi", [DESK], big)
    assert "552" in str(refused.value) or getattr(refused.value, "smtp_code", 0) == 552
    assert not InboundMail.objects.exists()


def test_only_the_listed_peers_may_deliver(db, serve):
    with override_settings(MAILIN_GATEWAY_PEERS=["10.20.0.25"]):
        port = serve()
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            with pytest.raises(smtplib.SMTPSenderRefused) as refused:
                client.sendmail("a@example.fi", [DESK], composed(to=DESK))
    assert refused.value.smtp_code == 550
    assert not InboundMail.objects.exists()


def test_when_the_database_is_away_the_sender_is_told_to_try_again(db, serve, monkeypatch):
    def away(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(gateway, "receive_message", away)
    port = serve()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail("a@example.fi", [DESK], composed(to=DESK, body="Tontti?"))
    assert refused.value.smtp_code == 451  # the sending server keeps it and tries again
    assert not InboundMail.objects.exists()
