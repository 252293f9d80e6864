"""The portal's public pages: home, the request form, the receipt, privacy and feedback."""

from __future__ import annotations

import re
import struct
import zlib
from html import escape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from crm.models import Company, Contact, Unit
from inquiries.models import Attachment, Inquiry, ServiceFeedback, TransitionLog
from routing.models import RequestType

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

HOME, SUBMIT, RECEIPT, PRIVACY, FEEDBACK = (
    "/",
    "/request/",
    "/request/sent/",
    "/privacy/",
    "/feedback/",
)
PUBLIC_PAGES = [HOME, SUBMIT, PRIVACY, FEEDBACK]
TRACKING_LINK = re.compile(r"https://business\.example\.test/track/[^\"<\s]+/")
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    """A real 1 x 1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def valid(**overrides) -> dict:
    form = {
        "request_type": "building-permit",
        "subject": "Laajennus",
        "description": "Tarvitsemme rakennusluvan myymälän laajennukselle.",
        "company_name": "Porvoon Rauta Oy",
        "business_id": "0114162-2",
        "contact_name": "Aino Asiakas",
        "email": "aino@example.fi",
        "phone": "040 123 4567",
        "language": "sv",
        "consent": "on",
        "website": "",
    }
    return {key: value for key, value in (form | overrides).items() if value is not None}


def nothing_saved() -> bool:
    return not (
        Inquiry.objects.exists()
        or Company.objects.exists()
        or Contact.objects.exists()
        or TransitionLog.objects.exists()
        or Attachment.objects.exists()
    )


class Page(HTMLParser):
    """The start tags of a page, to look at controls and their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {key: value or "" for key, value in attrs}))

    def by_id(self, element_id: str) -> tuple[str, dict[str, str]] | None:
        return next((tag for tag in self.tags if tag[1].get("id") == element_id), None)

    def controls(self, name: str) -> list[dict[str, str]]:
        """The form's controls of that name (not the language switch in the header)."""
        return [
            attrs
            for tag, attrs in self.tags
            if tag in {"input", "textarea", "select"}
            and attrs.get("name") == name
            and attrs.get("id") != "language-select"
        ]


def error_text(html: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)) if match else ""


def assert_error_beside(html: str, field: str) -> None:
    """The field's message sits beside it, tied to it, and the summary links to it."""
    page = Page(html)
    assert page.by_id(f"id_{field}_error") is not None, f"no message beside {field}"
    assert error_text(html, field).strip()
    controls = page.controls(field)
    assert controls and all(c.get("aria-invalid") == "true" for c in controls)
    if controls[0].get("type") == "radio":
        fieldset = next(
            attrs
            for tag, attrs in page.tags
            if tag == "fieldset" and f"id_{field}_error" in attrs.get("aria-describedby", "")
        )
        assert fieldset
        link = f"#id_{field}_0"
    else:
        assert f"id_{field}_error" in controls[0]["aria-describedby"].split()
        link = f"#id_{field}"
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in html and f'href="{link}"' in summary


def get_in(client: Client, url: str, language: str, how: str):
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client.get(url)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


# --- pages in every language ------------------------------------------------------------------


@pytest.mark.parametrize("how", ["header", "cookie"])
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_each_public_page_answers_in_each_language(client, url, language, how):
    # given a visitor who chose a language (by the browser or the language switch)
    # when they open a public page
    response = get_in(client, url, language, how)
    # then it answers in that language, with the language switch and the landmarks
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert 'action="/i18n/setlang/"' in html
    for landmark in ("<header", "<nav", "<main", "<footer", 'role="status"'):
        assert landmark in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("how", ["header", "cookie"])
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("url", [HOME, SUBMIT])
def test_catalogue_names_come_in_the_chosen_language(client, url, language, how):
    # given the active request types of the default catalogue
    request_types = list(RequestType.objects.active())
    # when a visitor opens the page in a language
    html = get_in(client, url, language, how).content.decode()
    # then every request type is offered by its name and description in that language
    for request_type in request_types:
        assert escape(request_type.name_in(language)) in html
        assert escape(request_type.description_in(language)) in html


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_home_names_the_units_with_what_they_do(client, language):
    # given the three units that own matters (the service desk only triages)
    units = Unit.objects.filter(is_triage=False)
    # when the home page is opened
    html = client.get(HOME, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    # then each unit is named with its one-sentence description, in the page's language
    for unit in units:
        assert f">{escape(unit.name_in(language))}</h3>" in html
        assert escape(getattr(unit, f"description_{language}")) in html
    # and the links to send a request and to the privacy notice are there
    assert f'href="{SUBMIT}"' in html and f'href="{PRIVACY}"' in html


def test_home_groups_types_by_unit_with_not_sure_last(client):
    # when the home page is opened in English
    html = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # then building permits come under urban development, premises under Posintra,
    # and "not sure" comes last, after every unit, with an explanation
    urban, employment, posintra = (
        html.index(">Urban development</h3>"),
        html.index(">Employment services</h3>"),
        html.index(">Posintra</h3>"),
    )
    assert urban < html.index("Building permit") < employment
    assert posintra < html.index("Business premises") < html.index("Other / not sure")
    not_sure = html.index("Not sure where your matter belongs?")
    assert not_sure > posintra and not_sure < html.index("Other / not sure")


def test_inactive_request_type_is_neither_listed_nor_accepted(client):
    # given a request type a service manager switched off
    RequestType.objects.filter(code="premises").update(is_active=False)
    # when the home page and the form are opened, and someone posts it anyway
    home = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = client.get(SUBMIT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    response = client.post(SUBMIT, valid(request_type="premises"), HTTP_ACCEPT_LANGUAGE="en")
    # then it is nowhere, and the post is refused beside the field
    assert "Business premises" not in home and 'value="premises"' not in form
    assert_error_beside(response.content.decode(), "request_type")
    assert nothing_saved()


def test_home_query_count_does_not_grow_with_the_catalogue(client, django_assert_max_num_queries):
    # given the default catalogue
    with CaptureQueriesContext(connection) as before:
        assert client.get(HOME).status_code == 200
    # when the catalogue grows by 30 request types
    unit = Unit.objects.get(code="posintra")
    RequestType.objects.bulk_create(
        RequestType(
            code=f"extra-{n}",
            name_fi=f"Lisä {n}",
            name_sv=f"Extra {n}",
            name_en=f"Extra {n}",
            default_unit=unit,
            order=200 + n,
        )
        for n in range(30)
    )
    # then the home page takes no more queries than before (and only a couple at all)
    with django_assert_max_num_queries(len(before)):
        html = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Extra 29" in html
    assert len(before) <= 3


# --- the request form ---------------------------------------------------------------------------


def test_form_offers_plain_choices_and_defaults_the_language_to_the_page(client):
    # when a Swedish-speaking visitor opens the form
    html = client.get(SUBMIT, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    page = Page(html)
    # then it is a multipart form with CSRF, a fieldset per radio group, "not sure" among them
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "novalidate" not in html
    assert html.count("<fieldset") == 2 and html.count("<legend") == 2
    assert [c["value"] for c in page.controls("request_type")][-1] == "other"
    # the language of service is the page's language, each language named in itself
    checked = [c["value"] for c in page.controls("language") if "checked" in c]
    assert checked == ["sv"]
    assert '<label for="id_language_0" lang="fi">Suomi</label>' in html
    # the browser gets help: autocomplete, input types, several files at once
    assert page.controls("contact_name")[0]["autocomplete"] == "name"
    assert page.controls("email")[0] == page.controls("email")[0] | {"type": "email"}
    assert page.controls("email")[0]["autocomplete"] == "email"
    assert page.controls("phone")[0]["type"] == "tel"
    assert page.controls("phone")[0]["autocomplete"] == "tel"
    assert page.controls("company_name")[0]["autocomplete"] == "organization"
    assert "multiple" in page.controls("attachments")[0]
    # every visible control has a label
    labelled = {attrs["for"] for tag, attrs in page.tags if tag == "label"}
    for tag, attrs in page.tags:
        if tag in {"input", "textarea", "select"} and attrs.get("type") not in {"hidden"}:
            assert attrs.get("id") in labelled, attrs


def test_form_marks_required_fields_in_words(client):
    html = client.get(SUBMIT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for label in ("Your name", "E-mail address", "Describe your request"):
        assert re.search(rf"{label} <span class=\"required\">\(required\)</span>", html)
    assert "Company name</label>" in html  # optional: no marker


def test_honeypot_is_hidden_from_people_and_assistive_technology(client):
    html = client.get(SUBMIT).content.decode()
    wrapper = html.split('class="hp"', 1)[1].split("</div>", 1)[0]
    assert 'aria-hidden="true"' in html.split('class="hp"', 1)[1][:30]
    field = Page(wrapper).controls("website")[0]
    assert field["tabindex"] == "-1" and field["autocomplete"] == "off"
    assert "Jätä tämä tyhjäksi" in wrapper  # the default language is Finnish


def test_valid_submission_with_files_is_saved_and_shows_the_receipt_once(client):
    # given a form with a real PDF and PNG
    data = valid(
        attachments=[
            upload("tarjous.pdf", PDF),
            upload("pohjapiirros.png", png(), "image/png"),
        ]
    )
    # when it is sent
    response = client.post(SUBMIT, data, HTTP_ACCEPT_LANGUAGE="en")
    # then one web inquiry with both files is saved, and the browser goes to the receipt
    assert response.status_code == 302 and response["Location"] == RECEIPT
    inquiry = Inquiry.objects.get()
    assert inquiry.channel == Inquiry.Channel.WEB
    assert inquiry.language == "sv"
    assert inquiry.request_type.code == "building-permit"
    assert inquiry.company.business_id == "0114162-2"
    assert inquiry.contact.phone == "+358401234567"
    assert sorted(inquiry.attachments.values_list("original_name", "content_type")) == [
        ("pohjapiirros.png", "image/png"),
        ("tarjous.pdf", "application/pdf"),
    ]
    # and the receipt shows the reference, the unit, the promised time and the private link
    page = client.get(RECEIPT, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert inquiry.reference in html
    assert "Urban development" in html
    with translation.override("en"):
        due = formats.date_format(timezone.localtime(inquiry.first_response_due), "DATETIME_FORMAT")
    assert due in html
    token = TRACKING_LINK.search(html).group(0).rsplit("/", 2)[1]
    assert Inquiry.objects.with_tracking_token(token).get() == inquiry
    assert "e-mail" in html and "private" in html.lower()
    assert page["Cache-Control"] == "private, no-store"
    # and a second visit shows nothing of it
    again = client.get(RECEIPT)
    assert again.status_code == 302 and inquiry.reference not in again.content.decode()


def test_receipt_page_is_in_the_page_language(client):
    client.post(SUBMIT, valid(language="en"), HTTP_ACCEPT_LANGUAGE="sv")
    html = client.get(RECEIPT, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Stadsutveckling" in html and Inquiry.objects.get().reference in html


def test_missing_language_means_the_pages_language(client):
    response = client.post(SUBMIT, valid(language=None), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert Inquiry.objects.get().language == "en"


def test_minimal_submission_without_company_or_phone_is_accepted(client):
    data = valid(company_name="", business_id="", phone="", subject="", request_type="other")
    assert client.post(SUBMIT, data).status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.company is None and inquiry.subject.startswith("Tarvitsemme")


def test_business_id_is_normalised(client):
    assert client.post(SUBMIT, valid(business_id=" 01141622 ")).status_code == 302
    assert Company.objects.get().business_id == "0114162-2"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"business_id": "1234567-8"}, "business_id"),  # wrong check digit
        ({"business_id": "not an id"}, "business_id"),
        ({"business_id": "1" * 21}, "business_id"),
        ({"request_type": "fishing-licence"}, "request_type"),
        ({"request_type": "business-plot\x00"}, "request_type"),
        ({"request_type": None}, "request_type"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"email": None}, "email"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"description": "null\x00byte"}, "description"),
        ({"language": "de"}, "language"),
        ({"contact_name": ""}, "contact_name"),
        ({"contact_name": "n" * 201}, "contact_name"),
        ({"phone": "12"}, "phone"),
        ({"phone": "0" * 31}, "phone"),
        ({"subject": "s" * 201}, "subject"),
        ({"company_name": "c" * 201}, "company_name"),
        ({"consent": None}, "consent"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(client, overrides, field):
    # given a form with one bad field (the same inputs the API refuses)
    # when it is sent
    response = client.post(SUBMIT, valid(**overrides), HTTP_ACCEPT_LANGUAGE="en")
    # then the form comes back with the message beside that field, and nothing is saved
    assert response.status_code == 200
    html = response.content.decode()
    assert_error_beside(html, field)
    assert "<title>Error:" in html
    assert nothing_saved()


def test_unknown_request_type_message_names_the_value(client):
    html = client.post(SUBMIT, valid(request_type="fishing-licence")).content.decode()
    assert "fishing-licence" in error_text(html, "request_type")


def test_business_id_message_is_in_the_page_language(client):
    html = client.post(
        SUBMIT, valid(business_id="1234567-8"), HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert "Y-tunnus" in error_text(html, "business_id")


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ([upload("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)], "virus.pdf"),
        ([upload(f"liite{n}.pdf", PDF) for n in range(6)], "at most 5"),
        ([upload("iso.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))], "iso.pdf"),
        ([upload("tyhja.txt", b"", "text/plain")], "tyhja.txt"),
    ],
    ids=["exe-renamed-pdf", "six-files", "eleven-megabytes", "empty"],
)
def test_bad_files_are_refused_naming_the_file(client, files, words):
    # given an otherwise valid form with a file that may not be sent
    # when it is sent
    response = client.post(SUBMIT, valid(attachments=files), HTTP_ACCEPT_LANGUAGE="en")
    # then the message beside the file field names the problem, and nothing is saved
    html = response.content.decode()
    assert response.status_code == 200
    assert_error_beside(html, "attachments")
    assert words in error_text(html, "attachments")
    assert "please choose them again" in html
    assert nothing_saved()


def test_typed_input_is_kept_when_the_form_has_errors(client):
    # given a form with everything typed and a file chosen, but a bad phone number
    data = valid(
        phone="12",
        description="Laajennamme myymälää & varastoa <pian>.",
        attachments=[upload("tarjous.pdf", PDF)],
    )
    # when it is sent
    html = client.post(SUBMIT, data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = Page(html)
    # then what was typed is still there, escaped, and the chosen options stay chosen
    assert page.controls("company_name")[0]["value"] == "Porvoon Rauta Oy"
    assert page.controls("business_id")[0]["value"] == "0114162-2"
    assert page.controls("contact_name")[0]["value"] == "Aino Asiakas"
    assert page.controls("email")[0]["value"] == "aino@example.fi"
    assert page.controls("phone")[0]["value"] == "12"
    assert page.controls("subject")[0]["value"] == "Laajennus"
    assert "Laajennamme myymälää &amp; varastoa &lt;pian&gt;.</textarea>" in html
    chosen = {
        c["name"]: c["value"]
        for name in ("request_type", "language")
        for c in page.controls(name)
        if "checked" in c
    }
    assert chosen == {"request_type": "building-permit", "language": "sv"}
    assert "checked" in page.controls("consent")[0]
    # and the page says that the file must be chosen again
    assert "please choose them again" in html


def test_no_word_about_files_when_none_were_chosen(client):
    html = client.post(SUBMIT, valid(phone="12")).content.decode()
    assert "please choose them again" not in html


def test_filled_honeypot_looks_like_success_but_saves_nothing(client):
    # given a form filled by software that fills every field, the hidden one too
    data = valid(website="https://cheap-pills.example")
    # when it is sent
    response = client.post(SUBMIT, data)
    # then the answer is the same as for a real request, and nothing is kept
    assert response.status_code == 302 and response["Location"] == RECEIPT
    assert nothing_saved()
    assert client.get(RECEIPT).status_code == 302


def test_form_posts_are_rate_limited_per_client_address(client, settings, time_machine):
    # given a limit of two posts a minute (the clock stands still: the limit counts per window)
    settings.PORTAL_RATE_LIMIT = "2/m"
    time_machine.move_to(timezone.now(), tick=False)
    # when one address sends three requests
    codes = [client.post(SUBMIT, valid(), REMOTE_ADDR="192.0.2.1").status_code for _ in range(3)]
    # then the third gets a friendly 429 and is not saved
    assert codes == [302, 302, 429]
    assert Inquiry.objects.count() == 2
    limited = client.post(SUBMIT, valid(), REMOTE_ADDR="192.0.2.1", HTTP_ACCEPT_LANGUAGE="en")
    assert limited.status_code == 429 and "try again later" in limited.content.decode()
    assert Inquiry.objects.count() == 2
    # and the form can still be read, and another address can still send
    assert client.get(SUBMIT, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.post(SUBMIT, valid(), REMOTE_ADDR="192.0.2.2").status_code == 302


def test_feedback_posts_are_rate_limited(client, settings, time_machine):
    settings.PORTAL_RATE_LIMIT = "2/m"
    time_machine.move_to(timezone.now(), tick=False)
    codes = [client.post(FEEDBACK, {"message": "Hyvää palvelua"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert ServiceFeedback.objects.count() == 2


@pytest.mark.parametrize(("url", "data"), [(SUBMIT, valid()), (FEEDBACK, {"message": "Kiitos"})])
def test_posts_without_a_csrf_token_are_refused(url, data):
    # given a browser that does not send the form's CSRF token
    client = Client(enforce_csrf_checks=True)
    # when it posts
    response = client.post(url, data)
    # then the post is refused and nothing is kept
    assert response.status_code == 403
    assert nothing_saved() and not ServiceFeedback.objects.exists()


def test_receipt_without_a_submission_shows_nothing(client, submit):
    # given a request sent by someone else
    reference = submit().inquiry.reference
    # when another visitor opens the receipt page
    response = client.get(RECEIPT)
    # then they are sent to the home page, learning nothing
    assert response.status_code == 302 and response["Location"] == HOME
    assert reference not in client.get(RECEIPT, follow=True).content.decode()


def test_receipt_with_an_unknown_reference_in_the_session_shows_nothing(client):
    session = client.session
    session["portal_receipt"] = {"reference": "BP-2026-999999", "token": "x"}
    session.save()
    assert client.get(RECEIPT).status_code == 302


# --- feedback -------------------------------------------------------------------------------------


def test_feedback_is_kept_and_thanked(client):
    # given a visitor on the Swedish page
    data = {"message": "  Snabb och vänlig service!  ", "name": "Sara", "email": "Sara@Example.fi"}
    # when they send feedback
    response = client.post(FEEDBACK, data, HTTP_ACCEPT_LANGUAGE="sv", follow=True)
    # then it is kept for the service managers, and they are thanked on the next page
    feedback = ServiceFeedback.objects.get()
    assert (feedback.message, feedback.name, feedback.email, feedback.language) == (
        "Snabb och vänlig service!",
        "Sara",
        "sara@example.fi",
        "sv",
    )
    assert response.redirect_chain == [(HOME, 302)]
    status = response.content.decode().split('role="status"', 1)[1].split("</div>", 1)[0]
    assert "Tack för din respons" in status


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "x" * 5001}, "message"),
        ({"message": "ok", "email": "not-an-address"}, "email"),
    ],
)
def test_bad_feedback_is_shown_beside_the_field(client, data, field):
    response = client.post(FEEDBACK, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert_error_beside(response.content.decode(), field)
    assert not ServiceFeedback.objects.exists()


def test_feedback_with_filled_honeypot_is_thanked_but_not_kept(client):
    response = client.post(FEEDBACK, {"message": "Buy now", "website": "spam"})
    assert response.status_code == 302
    assert not ServiceFeedback.objects.exists()


def test_feedback_is_listed_newest_first_in_the_admin_for_a_superuser(client):
    # given two pieces of feedback
    client.post(FEEDBACK, {"message": "Ensimmäinen palaute"})
    client.post(FEEDBACK, {"message": "Toinen palaute"})
    # when a superuser opens the admin list
    client.force_login(UserFactory(username="root.admin", is_staff=True, is_superuser=True))
    url = reverse("admin:inquiries_servicefeedback_changelist")
    html = client.get(url).content.decode()
    # then both are there, newest first, and none can be added
    assert html.index("Toinen palaute") < html.index("Ensimmäinen palaute")
    assert client.get(reverse("admin:inquiries_servicefeedback_add")).status_code == 403


# --- public to everyone, the same to staff ------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_staff_see_the_same_public_pages_without_staff_data(client, url, handler, queued_inquiry):
    # given a handler of the unit that holds a queued request, signed in
    handler.is_staff = True
    handler.save()
    anonymous = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(handler)
    # when they open a public page
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    # then it answers as to anyone, with nothing of their work or account on it
    html = response.content.decode()
    assert response.status_code == anonymous.status_code == 200
    assert queued_inquiry.reference not in html
    assert handler.username not in html and "/admin/" not in html
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", html) == strip.sub("", anonymous.content.decode())
