"""The requester's own pages: the tracking page and its actions, files, and "my requests"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import Unit
from inquiries import services
from inquiries.attachments import check_file
from inquiries.models import Attachment, Inquiry, Message
from notifications.models import Notification
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

NOTE_MARKER = "NOTE-MARKER-4b1e9c"
REASON_MARKER = "REASON-MARKER-77d2a0"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def client() -> Client:
    """A browser that asks for English pages unless a test asks for another language."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def track_url(token: str, name: str = "track", **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"token": token, **kwargs})


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def follow(client: Client, response) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


@pytest.fixture
def submitted(submit):
    """A request with a PDF, sent in English, queued in urban development."""
    return submit(
        subject="Tontti varastolle",
        language="en",
        attachments=(check_file(pdf("site-map.pdf")),),
    )


@pytest.fixture
def awaiting(submitted, handler):
    """The request taken by Hanna, who asked the requester something."""
    inquiry = submitted.inquiry
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.ask_customer(inquiry_id=inquiry.pk, handler=handler, question="How big a plot?")
    return submitted


@pytest.fixture
def resolved(awaiting, handler):
    inquiry = awaiting.inquiry
    services.add_customer_message(inquiry_id=inquiry.pk, contact=inquiry.contact, body="5000 m².")
    services.resolve_inquiry(inquiry_id=inquiry.pk, handler=handler, outcome="Plot 12 is yours.")
    return awaiting


def status_of(submitted) -> str:
    return Inquiry.objects.get(pk=submitted.inquiry.pk).status


# -- the page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "status", "skip_link"),
    [
        ("fi", "Odottaa", "Siirry sisältöön"),
        ("sv", "Väntar", "Hoppa till innehållet"),
        ("en", "Awaiting the requester", "Skip to content"),
    ],
)
def test_page_speaks_each_language(client, awaiting, language, status, skip_link):
    # given a request awaiting the requester's answer
    # when the requester opens the link in fi, sv or en
    response = client.get(track_url(awaiting.tracking_token), HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    # then the page is in that language and shows the request and the question
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    assert status in page
    assert skip_link in page
    assert awaiting.inquiry.reference in page
    assert "How big a plot?" in page


def test_page_is_private_and_accessible_in_structure(client, awaiting):
    # when the requester opens the page
    response = client.get(track_url(awaiting.tracking_token), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    # then no cache, referrer or search engine keeps it
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "strict-origin"
    assert response["X-Robots-Tag"] == "noindex"
    # and it has one h1, a timeline as an ordered list with machine-readable times
    assert page.count("<h1") == 1
    assert '<ol class="timeline track-timeline">' in page
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">', page)
    # and the status in words, not only in colour
    assert "We have asked you something: answer below." in page
    assert "tracking.css" in page


def test_status_sentence_names_the_unit_and_the_promise_while_queued(client, submitted):
    # given a request nobody has answered yet
    page = client.get(track_url(submitted.tracking_token), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    # then it says where it waits and by when we answer
    assert "Your request is waiting for a handler at Urban development." in text
    assert "We will answer by" in text
    # and the original description with its file is the first entry
    assert "You sent the request" in text
    assert "site-map.pdf" in text


def test_internal_note_transfer_reason_and_staff_surnames_never_show(
    client, submitted, handler, other_unit, outsider
):
    # given a note and a transfer with unique markers, and the new unit's handler at work
    inquiry = submitted.inquiry
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.add_internal_note(inquiry_id=inquiry.pk, handler=handler, body=NOTE_MARKER)
    services.transfer_inquiry(
        inquiry_id=inquiry.pk, actor=handler, unit=other_unit, reason=REASON_MARKER
    )
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=outsider)
    services.reply_to_inquiry(inquiry_id=inquiry.pk, handler=outsider, body="We can help.")
    # when the requester opens the page
    page = client.get(
        track_url(submitted.tracking_token), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    # then the markers are absent, the move says only where it went
    assert NOTE_MARKER not in page
    assert REASON_MARKER not in page
    assert "Your request was moved to Employment services" in page
    # and staff appear by first name only
    assert "Hanna took your request into handling" in page
    assert "Ulla replied" in page
    assert "Handler" not in page and "Outsider" not in page
    assert "We can help." in page


# -- actions -----------------------------------------------------------------------------------


def test_reply_with_a_file_answers_the_question(client, awaiting):
    # given a request awaiting the requester
    token = awaiting.tracking_token
    # when they answer with a file through the page
    response = client.post(
        track_url(token, "track-reply"),
        {"reply-body": "About 5000 m².", "reply-files": [pdf("drawing.pdf")]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = follow(client, response)
    # then the request is back with the handler, and the page says so and shows the file
    assert status_of(awaiting) == Inquiry.Status.IN_PROGRESS
    assert "Your message was sent to the handler." in page
    assert "About 5000 m²." in page
    assert "drawing.pdf" in page
    assert "You answered" in page
    attachment = Attachment.objects.get(original_name="drawing.pdf")
    assert attachment.message.author_contact == awaiting.inquiry.contact


def test_reply_errors_are_beside_the_fields_and_summarised(client, awaiting):
    # when the requester sends nothing, then a file that is not allowed
    empty = client.post(track_url(awaiting.tracking_token, "track-reply"), {"reply-body": " "})
    bad = client.post(
        track_url(awaiting.tracking_token, "track-reply"),
        {"reply-files": [SimpleUploadedFile("run.exe", b"MZ\x90\x00\x03" + b"\x00" * 64)]},
    )
    # then each is refused beside its field, tied to it, and listed in a summary
    assert empty.status_code == 400
    page = empty.content.decode()
    assert 'id="id_reply-body_error"' in page
    assert re.search(r'<textarea[^>]*aria-invalid="true"', page)
    assert re.search(r'<textarea[^>]*aria-describedby="id_reply-body_error"', page)
    assert 'class="error-summary"' in page and 'href="#id_reply-body"' in page
    assert bad.status_code == 400
    assert "is not a PDF, image, Word, Excel, OpenDocument or text file" in bad.content.decode()
    assert status_of(awaiting) == Inquiry.Status.AWAITING_CUSTOMER
    assert not Message.objects.filter(kind=Message.Kind.CUSTOMER).exists()


def test_withdraw_needs_the_confirmation(client, awaiting):
    url = track_url(awaiting.tracking_token, "track-withdraw")
    # when the requester withdraws without ticking the box
    unconfirmed = client.post(url, {"withdraw-reason": "Found a plot"})
    # then nothing happens and the box is marked
    assert unconfirmed.status_code == 400
    assert 'id="id_withdraw-confirm_error"' in unconfirmed.content.decode()
    assert status_of(awaiting) == Inquiry.Status.AWAITING_CUSTOMER
    # when they tick it
    withdrawn = client.post(url, {"withdraw-confirm": "on"})
    assert withdrawn.status_code == 302
    gone = client.get(withdrawn["Location"])
    # then the request is withdrawn and its link no longer opens it (410), saying why
    assert status_of(awaiting) == Inquiry.Status.WITHDRAWN
    page = gone.content.decode()
    assert gone.status_code == 410
    assert f"You withdrew the request {awaiting.inquiry.reference}" in page
    assert "/reply/" not in page and "/withdraw/" not in page
    assert awaiting.inquiry.subject not in page, "nothing of the request through the link"
    # nor its files or actions
    reply = client.post(track_url(awaiting.tracking_token, "track-reply"), {"reply-body": "Hei"})
    assert reply.status_code == 410


def test_reopen_within_the_period(client, resolved):
    # given a resolved request
    page = client.get(track_url(resolved.tracking_token)).content.decode()
    assert "/reopen/" in page and "/rate/" in page
    assert "Resolved. You can reopen it until" in page
    # when the requester reopens it with a reason
    response = client.post(
        track_url(resolved.tracking_token, "track-reopen"), {"reopen-reason": "Electricity?"}
    )
    page = follow(client, response)
    # then it is open again and counted as a reopen
    inquiry = Inquiry.objects.get(pk=resolved.inquiry.pk)
    assert inquiry.status == Inquiry.Status.IN_PROGRESS
    assert inquiry.reopen_count == 1
    assert "You reopened the request" in page and "Electricity?" in page


def test_reopen_is_refused_after_the_period(client, resolved, time_machine):
    # given fifteen days have passed since the resolution
    time_machine.move_to(timezone.now() + timedelta(days=15), tick=False)
    # then the page no longer offers it
    page = client.get(track_url(resolved.tracking_token)).content.decode()
    assert "/reopen/" not in page
    # and a reopen sent anyway is refused with a message, not an error page
    response = client.post(
        track_url(resolved.tracking_token, "track-reopen"), {"reopen-reason": "Still?"}
    )
    assert "can no longer be reopened" in follow(client, response)
    assert status_of(resolved) == Inquiry.Status.RESOLVED


def test_rate_once(client, resolved):
    url = track_url(resolved.tracking_token, "track-rate")
    # when the requester rates the service
    page = follow(client, client.post(url, {"rate-rating": "4", "rate-comment": "Quick!"}))
    # then the rating is kept, shown, and no longer offered
    inquiry = Inquiry.objects.get(pk=resolved.inquiry.pk)
    assert (inquiry.rating, inquiry.rating_comment) == (4, "Quick!")
    assert "Thank you for rating our service." in page
    assert "You rated our service: 4 out of 5" in page
    assert "/rate/" not in page
    # when they rate again
    again = follow(client, client.post(url, {"rate-rating": "1"}))
    # then it is refused with a message and the first rating stands
    assert "cannot be rated now" in again
    assert Inquiry.objects.get(pk=inquiry.pk).rating == 4


@pytest.mark.parametrize("rating", ["7", "0", "x", ""])
def test_rating_out_of_range_is_shown_beside_the_radios(client, resolved, rating):
    # when the requester sends a rating that is not 1 to 5
    response = client.post(
        track_url(resolved.tracking_token, "track-rate"), {"rate-rating": rating}
    )
    page = response.content.decode()
    # then the fieldset carries the error, tied to it, and nothing is saved
    assert response.status_code == 400
    assert re.search(
        r'<fieldset class="[^"]*field--error" aria-describedby="id_rate-rating_error">\s*<legend',
        page,
    )
    assert "Choose a rating from 1 to 5." in page
    assert 'href="#id_rate-rating_0"' in page
    assert Inquiry.objects.get(pk=resolved.inquiry.pk).rating is None


def test_stale_action_gives_a_message_not_an_error(client, awaiting, handler):
    # given the requester's page was loaded while the request awaited them
    token = awaiting.tracking_token
    client.get(track_url(token))
    # and meanwhile they withdrew it in another tab
    client.post(track_url(token, "track-withdraw"), {"withdraw-confirm": "on"})
    # when the old page's reply and withdraw forms are sent
    reply = client.post(track_url(token, "track-reply"), {"reply-body": "Hello?"})
    # then each is answered with a page that says what happened, never an error page
    assert reply.status_code == 410
    assert "You withdrew the request" in reply.content.decode()
    withdraw = client.post(track_url(token, "track-withdraw"), {"withdraw-confirm": "on"})
    assert withdraw.status_code == 410
    assert status_of(awaiting) == Inquiry.Status.WITHDRAWN
    assert not Message.objects.filter(kind=Message.Kind.CUSTOMER).exists()


def test_a_stale_withdrawal_after_a_resolution_gets_a_message(client, resolved):
    # given a page loaded while the request was open, sent after the handler resolved it
    withdraw = client.post(
        track_url(resolved.tracking_token, "track-withdraw"), {"withdraw-confirm": "on"}
    )
    # then it is answered with the current state and a clear message
    assert "is Resolved now; this step is no longer possible" in follow(client, withdraw)
    assert status_of(resolved) == Inquiry.Status.RESOLVED


def test_a_link_works_for_90_days_after_closing(client, resolved, time_machine):
    token = resolved.tracking_token
    services.close_resolved_inquiry(
        inquiry_id=resolved.inquiry.pk, now=timezone.now() + timedelta(days=15)
    )
    closed_at = Inquiry.objects.get(pk=resolved.inquiry.pk).closed_at
    time_machine.move_to(closed_at + timedelta(days=89), tick=False)
    assert client.get(track_url(token)).status_code == 200
    time_machine.move_to(closed_at + timedelta(days=90, seconds=1), tick=False)
    gone = client.get(track_url(token))
    assert gone.status_code == 410
    assert "was closed more than 90 days ago" in gone.content.decode()


# -- files -------------------------------------------------------------------------------------


def test_download_own_public_file(client, submitted):
    # given the request's own file
    attachment = submitted.inquiry.attachments.get()
    # when the requester downloads it
    response = client.get(
        track_url(submitted.tracking_token, "track-file", attachment_id=attachment.pk)
    )
    # then it comes as an attachment with its stored type, never sniffed
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="site-map.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_internal_or_foreign_files_are_404(client, submitted, submit, handler):
    # given a file on an internal note, and a file of another request
    inquiry = submitted.inquiry
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    note = services.add_internal_note(inquiry_id=inquiry.pk, handler=handler, body="scan")
    internal = Attachment(
        inquiry=inquiry,
        message=note,
        original_name="internal.pdf",
        content_type="application/pdf",
        size=len(PDF),
        created_at=timezone.now(),
    )
    internal.file.save("internal.pdf", ContentFile(PDF))
    other = submit(attachments=(check_file(pdf("other.pdf")),)).inquiry.attachments.get()
    token = submitted.tracking_token
    # then neither opens with this link, nor is the note's file listed
    for attachment in (internal, other):
        url = track_url(token, "track-file", attachment_id=attachment.pk)
        assert client.get(url).status_code == 404
    assert "internal.pdf" not in client.get(track_url(token)).content.decode()


@pytest.mark.parametrize(
    ("name", "method", "extra"),
    [
        ("track", "get", {}),
        ("track-reply", "post", {}),
        ("track-withdraw", "post", {}),
        ("track-reopen", "post", {}),
        ("track-rate", "post", {}),
        ("track-file", "get", {"attachment_id": 1}),
    ],
)
def test_wrong_token_is_404_everywhere(client, submitted, name, method, extra):
    url = track_url("not-" + submitted.tracking_token, name, **extra)
    assert getattr(client, method)(url).status_code == 404


def test_csrf_is_enforced(awaiting):
    # given a browser that checks CSRF like production
    client = Client(enforce_csrf_checks=True)
    url = track_url(awaiting.tracking_token, "track-reply")
    # when a reply comes without the token, then it is refused
    assert client.post(url, {"reply-body": "Forged"}).status_code == 403
    # when it comes from the page's own form, then it goes through
    client.get(track_url(awaiting.tracking_token))
    csrf = client.cookies["csrftoken"].value
    response = client.post(url, {"reply-body": "Real", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    assert status_of(awaiting) == Inquiry.Status.IN_PROGRESS


def test_query_count_does_not_grow_with_messages(
    client, submit, handler, django_assert_max_num_queries
):
    def tracked_with(replies: int) -> str:
        submitted = submit()
        inquiry = submitted.inquiry
        services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
        for number in range(replies):
            services.reply_to_inquiry(inquiry_id=inquiry.pk, handler=handler, body=f"R{number}")
            services.add_customer_message(
                inquiry_id=inquiry.pk,
                contact=inquiry.contact,
                body=f"C{number}",
                attachments=(check_file(pdf(f"f{number}.pdf")),),
            )
        return submitted.tracking_token

    def queries(token: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(track_url(token)).status_code == 200
        return len(captured)

    # given requests with 2 and with 20 messages (half with files)
    few, many = tracked_with(1), tracked_with(10)
    # then the page reads both with the same number of queries
    assert queries(few) == queries(many)
    with django_assert_max_num_queries(6):
        client.get(track_url(many))


# -- my requests -------------------------------------------------------------------------------


def sign_in_link(contact_email: str) -> str:
    mail = Notification.objects.get(kind=Notification.Kind.SIGN_IN, recipient_email=contact_email)
    return re.search(r"https?://\S+?(/my-requests/sign-in/[^/\s]+/)", mail.body_text).group(1)


def without_csrf(html: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


def test_same_answer_for_known_and_unknown_address(client, submitted, requester):
    # when a link is asked for a known and an unknown address
    known = client.post(
        "/my-requests/", {"email": requester.email.upper()}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    unknown = client.post(
        "/my-requests/", {"email": "nobody@example.fi"}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    # then the answers are the same
    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.content) == without_csrf(unknown.content)
    # and only the known address gets one mail, in the page's language
    mails = Notification.objects.filter(kind=Notification.Kind.SIGN_IN)
    assert [(m.recipient_email, m.language) for m in mails] == [(requester.email, "sv")]
    # and the page says the link works once, for 30 minutes
    page = client.post("/my-requests/", {"email": "x@example.fi"}).content.decode()
    assert "It works once, for 30 minutes." in page


def test_sign_in_mail_says_what_the_link_does(client, submitted, requester):
    client.post("/my-requests/", {"email": requester.email}, HTTP_ACCEPT_LANGUAGE="en")
    mail = Notification.objects.get(kind=Notification.Kind.SIGN_IN)
    assert mail.language == "en"
    assert mail.subject.startswith("[Business Porvoo] ")
    assert "30 minutes" in mail.body_text and "once" in mail.body_text
    assert "ignore this message" in mail.body_text
    assert sign_in_link(requester.email) in mail.body_html


def test_honeypot_gets_the_answer_but_no_mail(client, submitted, requester):
    response = client.post("/my-requests/", {"email": requester.email, "website": "http://spam"})
    assert response.status_code == 200
    assert not Notification.objects.filter(kind=Notification.Kind.SIGN_IN).exists()


def test_invalid_address_is_shown_beside_the_field(client):
    response = client.post("/my-requests/", {"email": "not an address"})
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()


def test_link_works_once_and_lists_only_that_contacts_requests(client, submit, requester):
    # given two requests of the requester and one of someone else
    mine = [submit(subject=f"Mine {n}").inquiry for n in (1, 2)]
    theirs = submit(email="toinen@example.fi", subject="Theirs").inquiry
    client.post("/my-requests/", {"email": requester.email})
    link = sign_in_link(requester.email)
    session = client.session
    session.save()
    old_key = session.session_key
    # when the requester opens the link (a mail scanner may too: that uses nothing up)
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200
    # and presses the button
    response = client.post(link)
    # then the session is new, and the list shows only their own requests, newest first
    assert response.status_code == 302 and response["Location"] == "/my-requests/"
    assert client.cookies["sessionid"].value != old_key
    page = client.get("/my-requests/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.index(mine[1].reference) < page.index(mine[0].reference)
    assert theirs.reference not in page and "Theirs" not in page
    assert f"Signed in as {requester.email}" in page
    # and the link does not work again
    used = Client()
    assert used.get(link).status_code == 410
    assert used.post(link).status_code == 410


def test_expired_link_is_refused_with_a_way_to_a_new_one(
    client, submitted, requester, time_machine
):
    client.post("/my-requests/", {"email": requester.email})
    link = sign_in_link(requester.email)
    # when the link is opened 31 minutes later
    time_machine.move_to(timezone.now() + timedelta(minutes=31), tick=False)
    response = client.post(link, HTTP_ACCEPT_LANGUAGE="en")
    # then it is refused, with the form for a new one, and nobody is signed in
    assert response.status_code == 410
    page = response.content.decode()
    assert "This sign-in link no longer works" in page
    assert 'name="email"' in page
    assert client.get("/my-requests/").context["form"] is not None


def signed_in(client: Client, email: str) -> None:
    client.post("/my-requests/", {"email": email})
    assert client.post(sign_in_link(email)).status_code == 302


def test_my_request_opens_own_request_and_404s_anyone_elses(client, submitted, submit, requester):
    theirs = submit(email="toinen@example.fi").inquiry
    signed_in(client, requester.email)
    # when the requester opens their own request from the list
    response = client.get(f"/my-requests/{submitted.inquiry.reference}/")
    # then a fresh tracking link opens it
    assert response.status_code == 302
    assert response["Location"].startswith("/track/")
    assert client.get(response["Location"]).status_code == 200
    assert submitted.inquiry.tracking_links.count() == 2
    # and someone else's reference is a 404
    assert client.get(f"/my-requests/{theirs.reference}/").status_code == 404


def test_sign_out(client, submitted, requester):
    signed_in(client, requester.email)
    # when the requester signs out
    page = follow(client, client.post("/my-requests/sign-out/", HTTP_ACCEPT_LANGUAGE="en"))
    # then the list is gone and their requests no longer open
    assert "You have signed out." in page
    assert submitted.inquiry.reference not in page
    reference = submitted.inquiry.reference
    assert client.get(f"/my-requests/{reference}/")["Location"] == "/my-requests/"


def test_sign_in_ends_after_two_hours(client, submitted, requester, time_machine):
    signed_in(client, requester.email)
    time_machine.move_to(timezone.now() + timedelta(hours=2, minutes=1), tick=False)
    assert submitted.inquiry.reference not in client.get("/my-requests/").content.decode()


def test_rate_limit_per_address(client, submitted, requester, settings, time_machine):
    # given a limit of two a minute
    settings.PORTAL_RATE_LIMIT = "2/m"
    time_machine.move_to(timezone.now(), tick=False)
    # when one address asks three times
    answers = [client.post("/my-requests/", {"email": requester.email}) for _ in range(3)]
    # then the third is refused and sends nothing
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert Notification.objects.filter(kind=Notification.Kind.SIGN_IN).count() == 2
    # and another address is not affected
    other = client.post("/my-requests/", {"email": "x@example.fi"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_rate_limit_covers_tracking_actions(client, awaiting, settings, time_machine):
    settings.PORTAL_RATE_LIMIT = "2/m"
    time_machine.move_to(timezone.now(), tick=False)
    url = track_url(awaiting.tracking_token, "track-reply")
    codes = [client.post(url, {"reply-body": f"m{n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]


def test_units_are_named_in_the_page_language(client, submitted):
    unit = Unit.objects.get(code="urban-development")
    page = client.get(track_url(submitted.tracking_token), HTTP_ACCEPT_LANGUAGE="sv")
    assert unit.name_sv in page.content.decode()


def test_other_contacts_do_not_see_the_list_without_signing_in(client, submitted):
    ContactFactory(email="someone@example.fi")
    page = client.get("/my-requests/").content.decode()
    assert submitted.inquiry.reference not in page
    assert 'name="email"' in page
