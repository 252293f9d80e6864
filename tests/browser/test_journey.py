"""An entrepreneur's whole path in a real browser: send a request with a file, open the link
from the receipt e-mail, answer the handler's question, see the resolution, rate it.

The handler's side is the services (as the staff pages will call them). Once with the mouse in
Swedish, once by keyboard only in Finnish.

Strings are found by role and label, their text taken from the same catalogue the server uses
(`translated`), so a page that still shows English for an untranslated string passes, and so
does one that has the translation. Unit and request type names are database content.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from inquiries import services
from inquiries.models import Inquiry
from notifications.models import Notification
from routing.models import RequestType

from .conftest import (
    LIVE_DB,
    assert_language,
    assert_styled,
    post_form,
    translated,
)

pytestmark = LIVE_DB

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
QUESTION = "Hur stor tomt behöver ni, och när vill ni börja bygga?"
OUTCOME = "Tomt 12 i Kulloby passar er. Vi skickar köpebrevet för underskrift."


def write_pdf(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(PDF)
    return path


def receipt_link(site: str) -> str:
    """The private tracking link in the receipt e-mail (the outbox row)."""
    body = Notification.objects.get(kind=Notification.Kind.RECEIPT).body_text
    match = re.search(re.escape(site) + r"/track/[\w-]+/", body)
    assert match, f"no tracking link to {site} in the receipt:\n{body}"
    return match.group(0)


def status_label(language: str, status: str) -> str:
    return translated(language, Inquiry.Status(status).label)


def label(page: Page, text: str):
    """The control whose <label for> starts with `text` (required fields add "(required)")."""
    return page.get_by_label(re.compile("^" + re.escape(text)))


@pytest.mark.parametrize("browser_locale", ["sv-SE"])
def test_swedish_entrepreneur_from_request_to_rating(page: Page, site, handler, tmp_path):
    t = partial(translated, "sv")

    # A Swedish-speaking browser gets the home page in Swedish; she still picks Svenska.
    page.goto(site + reverse("portal:home"))
    assert_language(page, "sv")
    assert_styled(page)
    page.get_by_label(t("Language"), exact=True).select_option(label="Svenska")
    post_form(page, page.get_by_role("button", name=t("Change"), exact=True).click)
    assert_language(page, "sv")
    assert {c["name"]: c["value"] for c in page.context.cookies()}["django_language"] == "sv"

    # She goes to the form and fills it in, with a drawing as a PDF.
    page.get_by_role("main").get_by_role("link", name=t("Send a request")).first.click()
    expect(page).to_have_url(site + reverse("portal:submit"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Send a request"))
    page.get_by_role("radio", name="Företagstomt", exact=True).check()
    label(page, t("Subject")).fill("Tomt för lager")
    label(page, t("Describe your request")).fill(
        "Vi söker en tomt på cirka 5000 m² för ett lager i Kulloby."
    )
    label(page, t("Attachments")).set_input_files(write_pdf(tmp_path, "ritning.pdf"))
    label(page, t("Company name")).fill("Borgå Lager Ab")
    label(page, t("Business ID (Y-tunnus)")).fill("0114162-2")
    label(page, t("Your name")).fill("Sara Svensson")
    label(page, t("E-mail address")).fill("sara.svensson@example.fi")
    label(page, t("Phone number")).fill("040 123 4567")
    service_in_swedish = page.get_by_role("radio", name="Svenska", exact=True)
    expect(service_in_swedish).to_be_checked()  # the page's language, chosen for her
    service_in_swedish.check()
    label(page, t("I agree that my details are used to handle my request.")).check()
    page.get_by_role("button", name=t("Send the request"), exact=True).click()

    # The receipt shows the reference.
    page.wait_for_url(site + reverse("portal:receipt"))
    inquiry = Inquiry.objects.select_related("company", "contact", "unit").get()
    expect(page.get_by_role("main")).to_contain_text(inquiry.reference)
    expect(page.get_by_role("main")).to_contain_text("Företagstomt")
    assert inquiry.language == "sv"
    assert inquiry.request_type.code == "business-plot"
    assert inquiry.company.business_id == "0114162-2"
    assert inquiry.contact.phone == "+358401234567"
    assert [a.original_name for a in inquiry.attachments.all()] == ["ritning.pdf"]
    assert inquiry.unit.code == "urban-development"  # Hanna's unit

    # The link in the receipt e-mail (written in Swedish) opens her request.
    receipt = Notification.objects.get(kind=Notification.Kind.RECEIPT)
    assert receipt.language == "sv"
    assert receipt.recipient_email == "sara.svensson@example.fi"
    page.goto(receipt_link(site))
    expect(page.get_by_role("heading", level=1)).to_contain_text(inquiry.reference)
    expect(page.locator("#status-title")).to_contain_text(status_label("sv", "queued"))
    expect(page.get_by_role("link", name="ritning.pdf")).to_be_visible()

    # The handler takes it and asks a question.
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.ask_customer(inquiry_id=inquiry.pk, handler=handler, question=QUESTION)

    # She reloads, sees the question and answers it with a file.
    page.reload()
    expect(page.locator("#status-title")).to_contain_text(status_label("sv", "awaiting_customer"))
    expect(page.locator(".track-timeline")).to_contain_text(QUESTION)
    expect(page.get_by_role("heading", name=t("Answer our question"))).to_be_visible()
    label(page, t("Your message")).fill("Cirka 5000 m², och vi vill börja bygga i maj.")
    label(page, t("Add files (optional)")).set_input_files(write_pdf(tmp_path, "tidplan.pdf"))
    post_form(page, page.get_by_role("button", name=t("Send the answer"), exact=True).click)
    expect(page.get_by_role("status").first).to_contain_text(
        t("Thank you. Your message was sent to the handler.")
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.IN_PROGRESS
    assert sorted(a.original_name for a in inquiry.attachments.all()) == [
        "ritning.pdf",
        "tidplan.pdf",
    ]
    expect(page.locator(".track-timeline")).to_contain_text("vi vill börja bygga i maj")

    # The handler resolves it; she sees the resolution and rates the service.
    services.resolve_inquiry(inquiry_id=inquiry.pk, handler=handler, outcome=OUTCOME)
    page.reload()
    expect(page.locator("#status-title")).to_contain_text(status_label("sv", "resolved"))
    expect(page.locator(".track-timeline")).to_contain_text(OUTCOME)
    expect(page.get_by_role("heading", name=t("Reopen the request"))).to_be_visible()
    page.get_by_role("radio", name=t("5 – excellent"), exact=True).check()
    label(page, t("Comment (optional)")).fill("Snabbt och vänligt, tack!")
    post_form(page, page.get_by_role("button", name=t("Send the rating"), exact=True).click)
    expect(page.get_by_role("status").first).to_contain_text(t("Thank you for rating our service."))
    expect(page.get_by_role("button", name=t("Send the rating"))).to_have_count(0)
    inquiry.refresh_from_db()
    assert inquiry.rating == 5
    assert inquiry.rating_comment == "Snabbt och vänligt, tack!"


# -- by keyboard only ---------------------------------------------------------------------------

FOCUSED = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  return {
    id: e.id, tag: e.tagName.toLowerCase(), type: e.type || "", href: e.getAttribute("href"),
    text: (e.innerText || "").trim(), checked: !!e.checked,
    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    focusVisible: e.matches(":focus-visible"),
  };
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def assert_focus_visible(info: dict) -> None:
    assert info["focusVisible"], f"no :focus-visible on {info}"
    assert info["outline"] != "none" and info["outlineWidth"] > 0, f"no visible focus: {info}"


def press(page: Page, key: str) -> dict:
    page.keyboard.press(key)
    info = focused(page)
    if info["tag"] not in ("body", "main"):
        assert_focus_visible(info)  # every stop on the way shows where the focus is
    return info


def tab_to(page: Page, wanted, limit: int = 40, key: str = "Tab") -> dict:
    """Press Tab until the focus is on what `wanted(info)` accepts; every stop must show focus."""
    seen = []
    for _ in range(limit):
        info = press(page, key)
        if wanted(info):
            return info
        seen.append(info["id"] or info["href"] or info["tag"])
    raise AssertionError(f"{key} never reached the element; stops: {seen}")


def press_to_leave(page: Page, url: str) -> None:
    """Press Enter on the focused link or button and wait for the page it leads to."""
    page.keyboard.press("Enter")
    page.wait_for_url(url)


def by_id(element_id: str):
    return lambda info: info["id"] == element_id


def skip_to_content(page: Page) -> None:
    """From a fresh page: the first Tab reaches the skip link, which shows; Enter moves on."""
    info = press(page, "Tab")
    assert info["href"] == "#main", info
    assert page.locator(".skip-link").bounding_box()["x"] >= 0  # moved on screen when focused
    assert_focus_visible(info)
    info = press(page, "Enter")
    assert info["id"] == "main", info


def type_into(page: Page, element_id: str, text: str) -> None:
    tab_to(page, by_id(element_id), limit=1)
    page.keyboard.type(text)


@pytest.mark.parametrize("browser_locale", ["fi-FI"])
def test_the_same_path_by_keyboard_only(page: Page, site, handler, tmp_path):
    t = partial(translated, "fi")

    # Home: skip link, then the first thing in the content is "Send a request".
    page.goto(site + reverse("portal:home"))
    assert_language(page, "fi")
    skip_to_content(page)
    info = press(page, "Tab")
    assert info["href"] == reverse("portal:submit"), info
    press_to_leave(page, site + reverse("portal:submit"))

    # The form, in the order of the page.
    skip_to_content(page)
    info = press(page, "Tab")
    assert info["id"] == "id_request_type_0", info
    assert page.locator("#id_request_type_0").get_attribute("value") == "business-plot"
    assert press(page, " ")["checked"]  # Space chooses the focused request type
    type_into(page, "id_subject", "Tontti varastolle")
    type_into(page, "id_description", "Etsimme noin 5000 m² tonttia varastolle Kullaalta.")
    tab_to(page, by_id("id_attachments"), limit=1)
    # A keyboard user opens the system's file dialog here; the test hands the file over.
    page.locator(":focus").set_input_files(write_pdf(tmp_path, "suunnitelma.pdf"))
    type_into(page, "id_company_name", "Porvoon Varasto Oy")
    type_into(page, "id_business_id", "0114162-2")
    type_into(page, "id_contact_name", "Veikko Varasto")
    type_into(page, "id_email", "veikko.varasto@example.fi")
    type_into(page, "id_phone", "040 123 4567")
    info = tab_to(page, lambda i: i["id"].startswith("id_language_"), limit=1)
    assert info["id"] == "id_language_0" and info["checked"], info  # suomi, the page's language
    tab_to(page, by_id("id_consent"), limit=1)
    assert press(page, " ")["checked"]
    info = tab_to(page, lambda i: i["tag"] == "button", limit=3)
    assert info["text"] == t("Send the request"), info
    info = press(page, "Shift+Tab")  # one step back: the privacy notice, beside the consent
    assert info["href"] == reverse("portal:privacy"), info
    info = press(page, "Tab")
    assert info["tag"] == "button", info
    press_to_leave(page, site + reverse("portal:receipt"))

    # The receipt: its private link is the first link of the content; it is the e-mail's link.
    inquiry = Inquiry.objects.get()
    expect(page.get_by_role("main")).to_contain_text(inquiry.reference)
    assert [a.original_name for a in inquiry.attachments.all()] == ["suunnitelma.pdf"]
    skip_to_content(page)
    info = press(page, "Tab")
    assert info["href"] == receipt_link(site), info
    press_to_leave(page, receipt_link(site))

    # The handler asks; the answer goes in by keyboard, with a file.
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.ask_customer(inquiry_id=inquiry.pk, handler=handler, question=QUESTION)
    page.reload()
    expect(page.locator(".track-timeline")).to_contain_text(QUESTION)
    skip_to_content(page)
    tab_to(page, by_id("id_reply-body"))
    page.keyboard.type("Noin 5000 m², rakentaminen alkaa toukokuussa.")
    tab_to(page, by_id("id_reply-files"), limit=1)
    page.locator(":focus").set_input_files(write_pdf(tmp_path, "aikataulu.pdf"))
    info = tab_to(page, lambda i: i["tag"] == "button", limit=1)
    assert info["text"] == t("Send the answer"), info
    assert post_form(page, lambda: page.keyboard.press("Enter")).status == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.IN_PROGRESS
    assert inquiry.attachments.filter(original_name="aikataulu.pdf").exists()

    # Resolved: rate 5 with a comment.
    services.resolve_inquiry(inquiry_id=inquiry.pk, handler=handler, outcome=OUTCOME)
    page.reload()
    expect(page.locator(".track-timeline")).to_contain_text(OUTCOME)
    skip_to_content(page)
    tab_to(page, by_id("id_rate-rating_0"))
    # Within a radio group the arrow keys move (and choose), as in any browser.
    info = tab_to(page, by_id("id_rate-rating_4"), limit=4, key="ArrowRight")
    assert info["checked"], info
    type_into(page, "id_rate-comment", "Nopeaa ja ystävällistä palvelua.")
    info = tab_to(page, lambda i: i["tag"] == "button", limit=1)
    assert info["text"] == t("Send the rating"), info
    assert post_form(page, lambda: page.keyboard.press("Enter")).status == 302
    inquiry.refresh_from_db()
    assert inquiry.rating == 5
    assert inquiry.rating_comment == "Nopeaa ja ystävällistä palvelua."


@pytest.mark.parametrize("browser_locale", ["fi-FI"])
def test_language_switch_on_the_tracking_page(page: Page, site):
    # given a request's tracking page, in Finnish
    submitted = services.submit_inquiry(
        submission=services.Submission(
            request_type=RequestType.objects.get(code="business-plot"),
            description="Tontti varastolle.",
            contact_name="Veikko Varasto",
            email="veikko.varasto@example.fi",
        )
    )
    page.goto(site + reverse("portal:track", kwargs={"token": submitted.tracking_token}))
    assert_language(page, "fi")
    # when the requester switches to Swedish
    page.get_by_label(translated("fi", "Language"), exact=True).select_option(label="Svenska")
    change = page.get_by_role("button", name=translated("fi", "Change"), exact=True)
    post_form(page, change.click)
    # then the same page comes back in Swedish
    assert_language(page, "sv")
    expect(page.get_by_role("heading", level=1)).to_contain_text(submitted.inquiry.reference)
