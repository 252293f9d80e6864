"""Messages shaped like real ones (tests/mailin/messages), each parsed and handled right.

The request of each reply case waits for the requester's answer to a question asked on Monday
7.9.2026; the replies come on Tuesday.
"""

from __future__ import annotations

import re

import pytest

from crm.models import Contact
from inquiries.models import Attachment, Inquiry, Message, TransitionLog
from mailin.models import InboundMail
from notifications.models import Notification

from .conftest import TUESDAY, receive, sample

pytestmark = pytest.mark.django_db
Outcome, Reason, Review = InboundMail.Outcome, InboundMail.Reason, InboundMail.Review
Kind = Notification.Kind


def requester_messages(inquiry: Inquiry) -> list[Message]:
    return list(inquiry.messages.filter(kind=Message.Kind.CUSTOMER))


# -- answers by the requester: their message on the request, the request moves on ----------------

ANSWERS = {
    # sample: (words of the new text, words of the quoted history that must be gone)
    "outlook_reply_fi.eml": (
        ["tontin pitäisi olla noin 5000 m²", "Kuninkaanportin", "Matti Meikäläinen"],
        ["Lähettäjä", "Kuinka suuri tontti", "Business Porvoo"],
    ),
    "gmail_reply_sv.eml": (
        ["vi behöver lokalen från den 1 oktober", "Ca 200 m² räcker", "Anna Andersson"],
        ["skrev Business Porvoo", "Hur stor lokal", ">"],
    ),
    "apple_reply_en.eml": (
        ["about 5,000 m² would be enough", "next spring"],
        ["wrote:", "How large a plot", ">"],
    ),
    "html_only_fi.eml": (
        ["tontin koko > 4 000 m² & rakennusoikeus", "Aikataulu <kevät 2027>.", "- varasto"],
        ["kirjoitti", "Kuinka suuri tontti", "Hei Pekka"],
    ),
}


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_an_answer_becomes_the_requesters_message_and_moves_the_request_on(
    asked, handler, mailoutbox, django_capture_on_commit_callbacks, name
):
    # given a request waiting for the requester's answer
    mailoutbox.clear()
    # when the requester answers our question by e-mail, from their mail program
    with django_capture_on_commit_callbacks(execute=True):
        mail = receive(sample(name, asked))
    # then it is their public message on the request, the quoted history cut off
    assert (mail.outcome, mail.reason, mail.review) == (Outcome.ATTACHED, "", "")
    asked.refresh_from_db()
    [message] = requester_messages(asked)
    assert mail.inquiry == asked and mail.inquiry_message == message
    assert message.is_public and message.author_contact == asked.contact
    wanted, gone = ANSWERS[name]
    for words in wanted:
        assert words in message.body, (words, message.body)
    for words in gone:
        assert words not in message.body, (words, message.body)
    # and the request moves on as after a portal answer: the clock runs again
    assert asked.status == Inquiry.Status.IN_PROGRESS
    step = TransitionLog.objects.filter(inquiry=asked).latest("pk")
    assert (step.name, step.actor_contact) == ("customer_reply", asked.contact)
    assert asked.awaiting_since is None and asked.awaiting_seconds > 0
    # and its handler is told (mail sent after commit, in their language)
    told = Notification.objects.get(inquiry=asked, kind=Kind.REQUESTER_REPLIED)
    assert told.recipient_user == handler and told.status == Notification.Status.SENT
    assert [m.to for m in mailoutbox] == [[handler.email]]


def test_html_only_mail_is_reduced_to_text_and_nothing_of_its_markup_survives(asked):
    mail = receive(sample("html_only_fi.eml", asked))
    body = Message.objects.get(pk=mail.inquiry_message_id).body
    # The one "<" left is the text the sender typed as "&lt;kevät 2027&gt;".
    assert not re.search(r"<(?!kevät 2027>)", body), body
    for markup in ("script", "document.cookie", "evil.example", "onerror", "alert", "Verdana"):
        assert markup not in body, markup
    assert "Katso kartta" in body  # the text of a link stays, its address does not
    assert mail.body == body


def test_attachments_pass_the_portals_checks(asked, handler):
    # given an Outlook answer with a PDF, an inline logo in its signature and an .exe
    mail = receive(sample("outlook_reply_with_pdf_fi.eml", asked))
    # then the PDF is the requester's file on their message; the logo is no attachment
    assert mail.outcome == Outcome.ATTACHED
    [attachment] = Attachment.objects.filter(inquiry=asked)
    assert (attachment.original_name, attachment.content_type) == (
        "asemapiirros halli.pdf",
        "application/pdf",
    )
    assert attachment.message_id == mail.inquiry_message_id
    assert attachment.file.read().startswith(b"%PDF-1.4")
    body = Message.objects.get(pk=mail.inquiry_message_id).body
    assert body.startswith("Hei,\n\nliitteenä asemapiirros hallista.") and "cid:" not in body
    # and the refused program is named in a note for the handlers (the requester sees nothing)
    note = Message.objects.get(inquiry=asked, kind=Message.Kind.NOTE)
    assert not note.is_public and "tarjous.exe" in note.body
    assert "tarjous.exe" in mail.note


def test_a_delivery_failure_is_recorded_noted_on_its_request_and_never_answered(submit, mailoutbox):
    # given a request whose receipt went to an address that no longer exists
    inquiry = submit(request_type="business-plot", email="vanha.osoite@example.fi").inquiry
    receipt = Notification.objects.get(inquiry=inquiry, kind=Kind.RECEIPT)
    mailoutbox.clear()
    before = Notification.objects.count()
    # when the mail server's report comes back (null sender, multipart/report)
    mail = receive(sample("bounce_dsn.eml", inquiry, bounced=receipt.message_id), sender="")
    # then it is recorded with the request it is about
    assert (mail.outcome, mail.inquiry) == (Outcome.BOUNCE, inquiry)
    assert "vanha.osoite@example.fi 5.1.1" in mail.note
    # and the handlers get a note on the request; nobody gets mail
    note = Message.objects.get(inquiry=inquiry, kind=Message.Kind.NOTE)
    assert "vanha.osoite@example.fi" in note.body and "5.1.1" in note.body
    assert Notification.objects.count() == before and mailoutbox == []
    assert requester_messages(inquiry) == []


def test_an_out_of_office_reply_is_recorded_and_never_answered(asked, mailoutbox):
    mailoutbox.clear()
    before = Notification.objects.count()
    mail = receive(sample("out_of_office_fi.eml", asked))
    assert (mail.outcome, mail.inquiry, mail.auto_submitted) == (
        Outcome.AUTO_REPLY,
        asked,
        "auto-replied",
    )
    assert "Olen lomalla 14.9. asti" in mail.body
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.AWAITING_CUSTOMER, "an automatic reply is no answer"
    assert requester_messages(asked) == []
    assert Notification.objects.count() == before and mailoutbox == []


def test_a_forged_reply_address_goes_to_triage_never_to_the_request(asked):
    # given a message to the request's address with a signature we never made
    mail = receive(sample("forged_reply_address.eml", asked))
    # then it waits in the service desk's triage, naming the request it claims
    assert (mail.outcome, mail.reason, mail.review) == (
        Outcome.TRIAGE,
        Reason.BAD_SIGNATURE,
        Review.PENDING,
    )
    assert mail.inquiry is None and mail.claimed_reference == asked.reference
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.AWAITING_CUSTOMER
    assert requester_messages(asked) == []
    assert "pekka@example.org" in mail.body  # kept for the person who decides


def test_an_answer_from_another_address_is_held_for_the_handlers(asked, mailoutbox):
    mailoutbox.clear()
    mail = receive(sample("other_sender_en.eml", asked))
    assert (mail.outcome, mail.reason, mail.review) == (
        Outcome.HELD,
        Reason.OTHER_SENDER,
        Review.PENDING,
    )
    assert mail.inquiry == asked and mail.from_address == "sanna.colleague@gmail.com"
    assert mail.body.startswith("Hello,\n\nI handle the plot matter") and "wrote:" not in mail.body
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.AWAITING_CUSTOMER
    assert requester_messages(asked) == [] and mailoutbox == []


# -- new requests to the desk address ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sender", "unit", "language", "words"),
    [
        (
            "new_request_fi.eml",
            "liisa.laine@kahvilalaine.fi",
            "posintra",
            "fi",
            "etsimme kahvilalle toimitilaa vanhasta kaupungista",
        ),
        (
            "new_request_sv_html.eml",
            "erik@borgabageri.fi",
            "employment-services",
            "sv",
            "skulle behöva anställa två bagare",
        ),
    ],
)
def test_mail_to_the_desk_is_a_new_request_routed_by_its_text_with_a_receipt(
    db, name, sender, unit, language, words
):
    # when someone writes to the service desk's address
    mail = receive(sample(name), now=TUESDAY)
    # then a request of type "other" by e-mail is made, routed by its words like any other
    assert (mail.outcome, mail.reason) == (Outcome.NEW_REQUEST, "")
    inquiry = mail.inquiry
    assert (inquiry.channel, inquiry.request_type.code) == (Inquiry.Channel.EMAIL, "other")
    assert (inquiry.unit.code, inquiry.language) == (unit, language)
    assert inquiry.status == Inquiry.Status.QUEUED and inquiry.first_response_due is not None
    assert words in inquiry.description and "<" not in inquiry.description
    assert inquiry.subject == mail.subject
    assert inquiry.routing_decisions.get().kind == "rule"
    contact = Contact.objects.get(email=sender)
    assert inquiry.contact == contact and contact.name
    # and the sender gets the receipt, in the language they wrote in
    receipt = Notification.objects.get(inquiry=inquiry, kind=Kind.RECEIPT)
    assert (receipt.recipient_email, receipt.language) == (sender, language)
