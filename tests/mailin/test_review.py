"""Deciding about waiting mail: who may, the pages, and what each decision does."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from crm.models import Membership, Unit
from inquiries.models import Attachment, Inquiry, Message, TransitionLog
from mailin import review
from mailin.addresses import reply_address
from mailin.models import InboundFile, InboundMail
from notifications.models import Notification
from routing.models import RequestType
from tests.factories import UserFactory

from .conftest import PDF, composed, receive, sample

pytestmark = pytest.mark.django_db
Outcome, Reason, Review = InboundMail.Outcome, InboundMail.Reason, InboundMail.Review


@pytest.fixture
def triage_handler(db):
    """A handler of the service desk (the triage unit), language English."""
    user = UserFactory(username="tea.triage", first_name="Tea", last_name="Triage", language="en")
    desk = Unit.objects.get(is_triage=True)
    Membership.objects.create(user=user, unit=desk, role=Membership.Role.HANDLER)
    return user


@pytest.fixture
def held(asked) -> InboundMail:
    """An answer to the waiting request from a colleague's address, with a PDF: held."""
    raw = composed(
        to=reply_address(asked.reference),
        sender="Sanna Kollega <sanna@example.org>",
        body="Matin puolesta: tontin koko 5000 m².",
        files=(("kartta.pdf", "application/pdf", PDF),),
    )
    mail = receive(raw)
    assert (mail.outcome, mail.review) == (Outcome.HELD, Review.PENDING)
    return mail


@pytest.fixture
def triaged(asked) -> InboundMail:
    mail = receive(sample("forged_reply_address.eml", asked))
    assert mail.outcome == Outcome.TRIAGE
    return mail


def signed_in(user, language: str = "en") -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


# -- who may decide -------------------------------------------------------------------------------


def test_a_held_answer_is_for_the_handlers_of_its_unit(
    held, handler, manager, outsider, triage_handler, service_manager
):
    may = {
        user.username: InboundMail.objects.reviewable_by(user).filter(pk=held.pk).exists()
        for user in (handler, manager, outsider, triage_handler, service_manager)
    }
    assert may == {
        "hanna.handler": True,
        "maija.manager": True,
        "ulla.outsider": False,
        "tea.triage": False,
        "sami.service": True,
    }
    assert handler.has_perm("mailin.review_mail", held)
    assert not outsider.has_perm("mailin.review_mail", held)


def test_triage_is_for_the_service_desk_and_service_managers(
    triaged, handler, triage_handler, service_manager
):
    assert [
        InboundMail.objects.reviewable_by(user).filter(pk=triaged.pk).exists()
        for user in (handler, triage_handler, service_manager)
    ] == [False, True, True]


def test_someone_else_may_not_decide_even_by_calling_the_service(held, outsider):
    with pytest.raises(PermissionDenied):
        review.confirm_mail(mail_id=held.pk, user=outsider)
    held.refresh_from_db()
    assert held.review == Review.PENDING


# -- what each decision does ----------------------------------------------------------------------


def test_confirming_a_held_answer_makes_it_the_requesters_message(held, asked, handler):
    message = review.confirm_mail(mail_id=held.pk, user=handler)
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.IN_PROGRESS, "it moves the request on"
    assert (message.kind, message.author_contact, message.is_public) == (
        Message.Kind.CUSTOMER,
        asked.contact,
        True,
    )
    assert message.body == "Matin puolesta: tontin koko 5000 m²."
    [attachment] = Attachment.objects.filter(message=message)
    assert attachment.original_name == "kartta.pdf" and attachment.file.read() == PDF
    log = TransitionLog.objects.get(inquiry=asked, name="confirm_mail")
    assert log.actor_user == handler and "sanna@example.org" in log.note
    held.refresh_from_db()
    assert (held.review, held.reviewed_by, held.inquiry_message) == (
        Review.CONFIRMED,
        handler,
        message,
    )
    assert not InboundFile.objects.exists(), "the kept copy is gone"


def test_a_second_decision_is_told_the_first(held, handler, manager):
    review.discard_mail(mail_id=held.pk, user=handler)
    with pytest.raises(review.AlreadyReviewed, match="already handled: Discarded"):
        review.confirm_mail(mail_id=held.pk, user=manager)


def test_a_triaged_message_can_become_a_new_request(triaged, triage_handler):
    submitted = review.make_request_from_mail(
        mail_id=triaged.pk,
        user=triage_handler,
        request_type=RequestType.objects.get(code="zoning"),
        language="fi",
    )
    inquiry = submitted.inquiry
    assert (inquiry.channel, inquiry.request_type.code, inquiry.unit.code) == (
        Inquiry.Channel.EMAIL,
        "zoning",
        "urban-development",
    )
    assert "pekka@example.org" in inquiry.description
    submit = TransitionLog.objects.get(inquiry=inquiry, name="submit")
    assert submit.actor_user == triage_handler
    receipt = Notification.objects.get(inquiry=inquiry, kind=Notification.Kind.RECEIPT)
    assert receipt.recipient_email == "yrittaja@example.fi"
    triaged.refresh_from_db()
    assert (triaged.review, triaged.inquiry) == (Review.MADE_REQUEST, inquiry)


def test_triage_passes_a_message_to_a_request_it_cannot_see(
    triaged, asked, triage_handler, handler
):
    # given the service desk, which cannot see urban development's request
    mail = review.attach_mail_to(mail_id=triaged.pk, user=triage_handler, reference=asked.reference)
    # then the message waits for that request's handlers instead
    assert (mail.outcome, mail.review, mail.inquiry) == (Outcome.HELD, Review.PENDING, asked)
    assert InboundMail.objects.reviewable_by(handler).filter(pk=mail.pk).exists()
    # who confirm it
    review.confirm_mail(mail_id=mail.pk, user=handler)
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.IN_PROGRESS


def test_a_service_manager_puts_a_triaged_message_with_its_request_at_once(
    triaged, asked, service_manager
):
    mail = review.attach_mail_to(
        mail_id=triaged.pk, user=service_manager, reference=asked.reference.lower()
    )
    assert mail.review == Review.CONFIRMED
    assert asked.messages.filter(kind=Message.Kind.CUSTOMER).count() == 1


# -- the pages ------------------------------------------------------------------------------------


def test_the_list_shows_what_waits_and_the_menu_counts_it(held, handler):
    client = signed_in(handler)
    html = client.get(reverse("mailin:list")).content.decode()
    assert reverse("mailin:detail", kwargs={"pk": held.pk}) in html
    assert "sanna@example.org" in html
    assert re.search(r'E-mail to review <span class="ws-nav__count">1<', html)


def test_the_detail_page_shows_the_text_as_text(asked, handler):
    raw = composed(
        to=reply_address(asked.reference),
        sender="toinen@example.org",
        body='<script>alert("x")</script> <b>lihavoitu</b>',
    )
    mail = receive(raw)
    html = signed_in(handler).get(reverse("mailin:detail", kwargs={"pk": mail.pk})).content
    html = html.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<b>lihavoitu" not in html


def test_the_request_page_says_an_answer_waits(held, handler, asked):
    html = signed_in(handler).get(reverse("workspace:inquiry", args=[asked.reference]))
    html = html.content.decode()
    assert "An answer by e-mail waits for your decision" in html
    assert reverse("mailin:detail", kwargs={"pk": held.pk}) in html


def test_confirming_on_the_page(held, handler, asked):
    client = signed_in(handler)
    url = reverse("mailin:action", kwargs={"pk": held.pk, "action": "confirm"})
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("mailin:list")
    asked.refresh_from_db()
    assert asked.status == Inquiry.Status.IN_PROGRESS
    again = client.post(url)
    assert again.status_code == 302, "told, not an error page"
    assert any("already handled" in str(m) for m in again.wsgi_request._messages)


def test_a_wrong_reference_is_said_beside_its_field(triaged, service_manager):
    client = signed_in(service_manager)
    url = reverse("mailin:action", kwargs={"pk": triaged.pk, "action": "attach"})
    response = client.post(url, {"attach-reference": "BP-1999-999999"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_attach-reference_error"' in html and "No request BP-1999-999999." in html
    assert 'href="#id_attach-reference"' in html, "the summary links to the field"
    triaged.refresh_from_db()
    assert triaged.review == Review.PENDING, "nothing was done"


def test_a_missing_choice_is_said_beside_its_field(held, handler):
    url = reverse("mailin:action", kwargs={"pk": held.pk, "action": "request"})
    response = signed_in(handler).post(url, {"request-language": "fi"})
    assert response.status_code == 400
    assert "Choose what the request is about." in response.content.decode()
    assert not Inquiry.objects.filter(channel=Inquiry.Channel.EMAIL).exists()


def test_an_action_that_does_not_fit_the_message_is_not_found(held, handler):
    url = reverse("mailin:action", kwargs={"pk": held.pk, "action": "attach"})
    assert signed_in(handler).post(url, {"attach-reference": "x"}).status_code == 404


def test_files_are_downloads_for_those_who_decide(held, handler, outsider):
    kept = held.files.get()
    url = reverse("mailin:file", kwargs={"pk": held.pk, "file_id": kept.pk})
    response = signed_in(handler).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert signed_in(outsider).get(url).status_code == 404


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fi", 'lang="fi"'), ("sv", 'lang="sv"'), ("en", "E-mail to review")],
)
def test_the_pages_speak_the_staff_members_language(held, handler, language, heading):
    client = signed_in(handler, language)
    for url in (reverse("mailin:list"), reverse("mailin:detail", kwargs={"pk": held.pk})):
        response = client.get(url)
        assert response.status_code == 200
        assert heading in response.content.decode()


def test_the_admin_lists_every_message_read_only(held, client):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:mailin_inboundmail_changelist"))
    assert listing.status_code == 200 and "sanna@example.org" in listing.content.decode()
    page = client.get(reverse("admin:mailin_inboundmail_change", args=[held.pk]))
    assert page.status_code == 200
    assert "Matin puolesta" in page.content.decode()
    assert client.get(reverse("admin:mailin_inboundmail_add")).status_code == 403
