"""The rules of received mail: signatures, duplicates, loops, limits, and what is never answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.test import override_settings

from inquiries import services
from inquiries.models import Attachment, Inquiry, Message
from mailin import addresses
from mailin.addresses import Kind, reply_address, signature
from mailin.models import InboundMail
from notifications import delivery
from notifications.models import Notification

from .conftest import PDF, TUESDAY, composed, our_message_id, receive, sample

pytestmark = pytest.mark.django_db
Outcome, Reason, Review = InboundMail.Outcome, InboundMail.Reason, InboundMail.Review
DESK = "business@porvoo.fi"


# -- the reply address ----------------------------------------------------------------------------


def test_a_reply_address_names_its_request_and_is_signed():
    address = reply_address("BP-2026-000123")
    local, _at, domain = address.partition("@")
    assert domain == "porvoo.fi"
    assert local == f"business+bp-2026-000123.{signature('BP-2026-000123')}"
    assert len(local) <= 64 and len(signature("BP-2026-000123")) == 20
    target = addresses.read(address)
    assert (target.kind, target.reference, target.signed) == (Kind.REPLY, "BP-2026-000123", True)


def test_mail_servers_may_change_the_case_of_the_address():
    target = addresses.read(reply_address("BP-2026-000123").upper())
    assert (target.reference, target.signed) == ("BP-2026-000123", True)


@pytest.mark.parametrize(
    "address",
    [
        "business+bp-2026-000123@porvoo.fi",  # no signature
        "business+bp-2026-000124.{sig}@porvoo.fi",  # another request's number, this signature
        "business+bp-2026-000123.{sig}0@porvoo.fi",  # one character more
        "business+bp-2026-000123.0123456789abcdef0123@porvoo.fi",  # guessed
    ],
)
def test_a_missing_or_forged_signature_is_not_ours(address):
    target = addresses.read(address.format(sig=signature("BP-2026-000123")))
    assert target.kind is Kind.REPLY and not target.signed


def test_the_signature_depends_on_the_secret_key():
    first = signature("BP-2026-000123")
    with override_settings(SECRET_KEY="another-secret-" + "y" * 40):
        assert signature("BP-2026-000123") != first


def test_other_addresses():
    assert addresses.read("Business Porvoo <BUSINESS@porvoo.fi>").kind is Kind.DESK
    assert addresses.read("business@example.fi").kind is Kind.FOREIGN
    assert addresses.read("other+bp-2026-000123.x@porvoo.fi").kind is Kind.FOREIGN


# -- outgoing mail carries the reply address and the thread ---------------------------------------


def test_mail_to_a_requester_has_the_signed_reply_address_and_threading_headers(submit, handler):
    inquiry = submit(request_type="business-plot").inquiry
    receipt = Notification.objects.get(inquiry=inquiry, kind=Notification.Kind.RECEIPT)
    django_mail.outbox.clear()
    assert delivery.deliver(receipt.pk) == delivery.Outcome.SENT
    [sent] = django_mail.outbox
    assert sent.reply_to == [reply_address(inquiry.reference)]
    message = sent.message()
    assert message["Message-ID"] == receipt.message_id
    assert message["In-Reply-To"] == f"<{inquiry.reference}@business.example.test>"
    assert message["References"] == f"<{inquiry.reference}@business.example.test>"
    assert message["Reply-To"] == reply_address(inquiry.reference)
    assert message["Auto-Submitted"] == "auto-generated"
    assert addresses.read(message["Reply-To"]).signed


def test_mail_to_staff_has_no_reply_address(submit, handler):
    inquiry = submit(request_type="business-plot").inquiry
    told = Notification.objects.get(inquiry=inquiry, kind=Notification.Kind.NEW_IN_UNIT)
    django_mail.outbox.clear()
    delivery.deliver(told.pk)
    [sent] = django_mail.outbox
    assert sent.reply_to == [] and "In-Reply-To" not in sent.extra_headers


# -- never twice, never a loop, never a crash ------------------------------------------------------


def test_the_same_message_twice_is_handled_once(asked):
    raw = sample("outlook_reply_fi.eml", asked)
    first = receive(raw, via="imap")
    again = receive(raw, via="smtp")
    assert again.pk == first.pk
    assert InboundMail.objects.count() == 1
    assert asked.messages.filter(kind=Message.Kind.CUSTOMER).count() == 1


@pytest.mark.parametrize(
    ("headers", "sender"),
    [
        ({"Auto-Submitted": "auto-generated"}, None),
        ({"Precedence": "bulk"}, None),
        ({"List-Id": "<uutiset.example.fi>"}, None),
        ({"X-Autoreply": "yes"}, None),
        ({}, ""),  # the null sender "<>"
        ({"Return-Path": "<>"}, None),
    ],
)
def test_automatic_mail_to_the_desk_never_makes_a_request_or_a_receipt(db, headers, sender):
    raw = composed(to=DESK, sender="robot@example.fi", body="Uutiskirje", headers=headers)
    mail = receive(raw, sender=sender)
    assert (mail.outcome, mail.inquiry) == (Outcome.AUTO_REPLY, None)
    assert not Inquiry.objects.exists() and not Notification.objects.exists()


def test_an_automatic_reply_by_its_subject_alone(db):
    raw = composed(to=DESK, sender="matti@example.fi", subject="Poissa: lomalla", body="Lomalla")
    assert receive(raw).outcome == Outcome.AUTO_REPLY


def test_mail_from_our_own_address_is_rejected(db):
    mail = receive(composed(to=DESK, sender=DESK, body="Silmukka?"))
    assert (mail.outcome, mail.reason) == (Outcome.REJECTED, Reason.FROM_US)
    assert not Inquiry.objects.exists()


def test_too_many_new_requests_from_one_address_go_to_triage(db):
    outcomes = [
        receive(
            composed(to=DESK, sender="kiire@example.fi", subject=f"Asia {n}", body="Tontti?"),
            now=TUESDAY + timedelta(minutes=n),
        ).outcome
        for n in range(6)
    ]
    assert outcomes == [Outcome.NEW_REQUEST] * 5 + [Outcome.TRIAGE]
    later = receive(
        composed(to=DESK, sender="kiire@example.fi", subject="Asia 7", body="Tontti?"),
        now=TUESDAY + timedelta(hours=2),
    )
    assert later.outcome == Outcome.NEW_REQUEST


def test_a_message_larger_than_the_limit_is_recorded_not_read(db):
    raw = composed(to=DESK, sender="iso@example.fi", body="x" * 5000)
    with override_settings(MAILIN_MAX_BYTES=1000):
        mail = receive(raw)
    assert (mail.outcome, mail.reason, mail.size) == (Outcome.REJECTED, Reason.TOO_LARGE, len(raw))
    assert mail.from_address == "iso@example.fi" and mail.body == ""
    assert not Inquiry.objects.exists()


def test_garbage_is_recorded_as_unreadable_or_without_sender(db):
    mail = receive(b"\x00\xff not a message at all \r\n\r\n\x00")
    assert mail.outcome == Outcome.REJECTED and mail.reason in (Reason.NO_SENDER, Reason.UNREADABLE)
    assert not Inquiry.objects.exists()


def test_a_message_without_a_sender_is_rejected(db):
    mail = receive(b"To: business@porvoo.fi\r\nSubject: Hei\r\n\r\nTontti?\r\n")
    assert (mail.outcome, mail.reason) == (Outcome.REJECTED, Reason.NO_SENDER)


# -- answers that cannot simply be added -----------------------------------------------------------


def test_an_answer_with_nothing_new_is_recorded_only(asked):
    raw = composed(
        to=reply_address(asked.reference),
        body="On Mon, 7 Sep 2026 at 10:15, Business Porvoo <business@porvoo.fi> wrote:\n"
        "> Kuinka suuri tontti tarvitaan?\n",
    )
    mail = receive(raw)
    assert (mail.outcome, mail.reason) == (Outcome.REJECTED, Reason.EMPTY)
    assert not asked.messages.filter(kind=Message.Kind.CUSTOMER).exists()


def test_an_answer_to_a_closed_request_is_held_for_its_handlers(queued_inquiry, handler):
    services.close_inquiry_unactioned(inquiry_id=queued_inquiry.pk, handler=handler, reason="spam")
    mail = receive(composed(to=reply_address(queued_inquiry.reference), body="Miksi suljettu?"))
    assert (mail.outcome, mail.reason, mail.review) == (Outcome.HELD, Reason.NOT_OPEN, "pending")
    assert mail.inquiry == queued_inquiry


def test_an_answer_to_an_open_request_not_waiting_is_added_without_a_transition(
    queued_inquiry,
):
    mail = receive(composed(to=reply_address(queued_inquiry.reference), body="Lisäksi: kiire."))
    assert mail.outcome == Outcome.ATTACHED
    queued_inquiry.refresh_from_db()
    assert queued_inquiry.status == Inquiry.Status.QUEUED


def test_an_answer_sent_to_the_desk_address_goes_to_triage_with_its_request_named(asked):
    # given an answer to our mail sent to the desk address (Reply All, an old client)
    raw = composed(
        to=DESK,
        body="Tontti 5000 m².",
        headers={"In-Reply-To": f"<{our_message_id(asked)}>"},
    )
    mail = receive(raw)
    assert (mail.outcome, mail.reason) == (Outcome.TRIAGE, Reason.UNSIGNED_REPLY)
    assert mail.claimed_reference == asked.reference and mail.inquiry is None
    assert not Inquiry.objects.exclude(pk=asked.pk).exists(), "no new request"


def test_a_reference_in_the_subject_alone_is_not_trusted_either(asked):
    raw = composed(to=DESK, subject=f"Koskee {asked.reference}", body="Muutos yhteystietoihin.")
    mail = receive(raw)
    assert (mail.outcome, mail.reason, mail.claimed_reference) == (
        Outcome.TRIAGE,
        Reason.UNSIGNED_REPLY,
        asked.reference,
    )


def test_held_and_triaged_files_are_kept_until_someone_decides(asked):
    raw = composed(
        to=reply_address(asked.reference),
        sender="kollega@example.fi",
        files=(("kartta.pdf", "application/pdf", PDF),),
    )
    mail = receive(raw)
    assert mail.outcome == Outcome.HELD
    [kept] = mail.files.all()
    assert (kept.original_name, kept.content_type, kept.size) == (
        "kartta.pdf",
        "application/pdf",
        len(PDF),
    )
    assert not Attachment.objects.filter(inquiry=asked).exists()


def test_at_most_five_files_are_taken_from_one_message(asked):
    files = tuple((f"liite{n}.pdf", "application/pdf", PDF) for n in range(7))
    mail = receive(composed(to=reply_address(asked.reference), files=files))
    assert mail.outcome == Outcome.ATTACHED
    assert Attachment.objects.filter(inquiry=asked).count() == 5
    assert "liite5.pdf" in mail.note and "liite6.pdf" in mail.note


def test_only_files_and_no_text_is_still_an_answer(asked):
    raw = composed(
        to=reply_address(asked.reference), body="", files=(("a.pdf", "application/pdf", PDF),)
    )
    mail = receive(raw)
    assert mail.outcome == Outcome.ATTACHED
    assert Message.objects.get(pk=mail.inquiry_message_id).body == "(files attached)"


def test_mail_to_the_desk_read_from_a_mailbox_with_other_headers_is_the_desks(db):
    # The IMAP mailbox is the desk's: a message with only an alias in To is still for the desk.
    raw = composed(to="Palvelupiste <palvelu@porvoo.fi>", sender="a@example.fi", body="Tontti?")
    assert receive(raw, via="imap").outcome == Outcome.NEW_REQUEST
