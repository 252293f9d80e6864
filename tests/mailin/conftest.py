"""Received mail: sample messages shaped like real ones, and a request waiting for its answer."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from inquiries import services
from inquiries.models import Inquiry
from mailin.addresses import reply_address
from mailin.models import InboundMail
from mailin.services import Envelope, receive_message
from notifications.models import Notification
from tests.conftest import MONDAY_MORNING

MESSAGES = Path(__file__).resolve().parent / "messages"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
# Tuesday 8.9.2026, the morning after the question was asked.
TUESDAY = MONDAY_MORNING + timedelta(days=1, hours=2)


def our_message_id(inquiry: Inquiry) -> str:
    """The Message-ID of the latest mail we sent the requester about the request, without <>."""
    latest = Notification.objects.filter(inquiry=inquiry, recipient_contact__isnull=False).latest(
        "pk"
    )
    return latest.message_id.strip("<>")


def sample(name: str, inquiry: Inquiry | None = None, *, bounced: str = "") -> bytes:
    """A sample message, addressed to the request's reply address and answering our last mail."""
    raw = (MESSAGES / name).read_bytes()
    if inquiry is not None:
        reference = inquiry.reference
        raw = (
            raw.replace(b"%%REPLY_TO%%", reply_address(reference).encode())
            .replace(b"%%REFERENCE_LOWER%%", reference.lower().encode())
            .replace(b"%%REFERENCE%%", reference.encode())
            .replace(b"%%OUR_MESSAGE_ID%%", our_message_id(inquiry).encode())
        )
    if bounced:
        raw = raw.replace(b"%%BOUNCED_ID%%", bounced.encode())
    assert b"%%" not in raw, f"{name}: a placeholder was left"
    return raw


def receive(
    raw: bytes, *, via: str = "smtp", sender: str | None = None, now=TUESDAY
) -> InboundMail:
    return receive_message(raw, envelope=Envelope(via=via, sender=sender), now=now)


def composed(
    *,
    to: str,
    sender: str = "yrittaja@example.fi",
    subject: str = "Re: tontti",
    body: str = "Lisätietoa: 5000 m².",
    files: tuple[tuple[str, str, bytes], ...] = (),
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain message built here (for the cases the samples do not cover)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content_type, data in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


@pytest.fixture
def asked(submit, handler) -> Inquiry:
    """A business-plot request of urban development; its handler asked the requester a question
    on Monday 7.9.2026 at 10:15, so it waits for their answer (awaiting_customer)."""
    inquiry = submit(request_type="business-plot", now=MONDAY_MORNING).inquiry
    services.claim_inquiry(
        inquiry_id=inquiry.pk, handler=handler, now=MONDAY_MORNING + timedelta(hours=1)
    )
    services.ask_customer(
        inquiry_id=inquiry.pk,
        handler=handler,
        question="Kuinka suuri tontti tarvitaan?",
        now=MONDAY_MORNING + timedelta(hours=2, minutes=15),
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.AWAITING_CUSTOMER
    return inquiry
