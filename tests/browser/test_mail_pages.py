"""Recording a request and reviewing received mail in a real browser: by keyboard, and axe on
each page in fi, sv and en in the state a handler meets it."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from crm.models import User
from inquiries.models import Inquiry, TransitionLog
from mailin.addresses import reply_address
from mailin.models import InboundMail
from mailin.services import Envelope, receive_message
from tests.mailin.conftest import PDF, composed

from .conftest import LIVE_DB, LOCALES, assert_language, assert_styled, post_form, translated
from .test_accessibility import blocking_violations, describe
from .test_workspace import LANGUAGES, queued, signed_in

pytestmark = LIVE_DB


@pytest.fixture
def axe() -> Axe:
    return Axe()


def held_answer() -> InboundMail:
    """An answer from a colleague's address to a request of urban development, with a PDF."""
    inquiry = queued(subject="Tontti varastolle")
    raw = composed(
        to=reply_address(inquiry.reference),
        sender="Sanna Kollega <sanna@example.org>",
        subject=f"Re: [{inquiry.reference}] Tontti varastolle",
        body="Matin puolesta: tontin koko on 5000 m².\n\n<b>Ei lihavoitu</b>",
        files=(("kartta.pdf", "application/pdf", PDF),),
    )
    mail = receive_message(raw, envelope=Envelope(via="smtp"))
    assert mail.outcome == InboundMail.Outcome.HELD
    return mail


@pytest.mark.parametrize("browser_locale", ["fi-FI"])
def test_a_handler_records_a_call_by_keyboard_alone(page: Page, site: str, handler: User):
    # given a handler in the workspace, reading Finnish
    handler.language = "fi"
    handler.save(update_fields=["language"])
    signed_in(page, site, handler)
    t = partial(translated, "fi")
    page.goto(site + reverse("workspace:my-work"))
    # when she opens "Record a request" from the menu and fills the form without a mouse
    page.get_by_role("link", name=t("Record a request"), exact=True).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + reverse("workspace:record"))
    page.get_by_label(t("Phone"), exact=True).focus()  # the first choice: "Phone"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # a radio group is one stop: on to the request type
    focused_name = page.evaluate("document.activeElement.name")
    assert focused_name == "request_type", focused_name
    page.keyboard.type("Y")  # the select jumps to "Yritystontti" (business plot)
    page.get_by_label(re.compile("^" + re.escape(t("What does the requester need?")))).fill(
        "Soitti: etsii 3000 m² tonttia verstaalle Kuninkaanportista."
    )
    page.get_by_label(re.compile("^" + re.escape(t("Requester's phone number")))).fill(
        "040 123 4567"
    )
    button = page.get_by_role("button", name=t("Record and route the request"))
    button.focus()
    response = post_form(page, lambda: page.keyboard.press("Enter"))
    # then the request is recorded by phone, routed, and she is on its page
    assert response.status == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.channel, inquiry.request_type.code, inquiry.unit.code) == (
        "phone",
        "business-plot",
        "urban-development",
    )
    expect(page).to_have_url(site + reverse("workspace:inquiry", args=[inquiry.reference]))
    expect(page.locator("main .messages")).to_contain_text(inquiry.reference)
    assert TransitionLog.objects.get(inquiry=inquiry, name="submit").actor_user == handler


def open_record(page: Page, site: str, handler: User) -> None:
    page.goto(site + reverse("workspace:record"))


def open_record_failed(page: Page, site: str, handler: User) -> None:
    page.goto(site + reverse("workspace:record"))
    response = post_form(page, page.locator("main form button[type=submit]").click)
    assert response.status == 400
    expect(page.locator(".error-summary li")).to_have_count(4)


def open_mail_list(page: Page, site: str, handler: User) -> None:
    held_answer()
    page.goto(site + reverse("mailin:list"))
    expect(page.locator("#waiting tbody tr")).to_have_count(1)


def open_mail_held(page: Page, site: str, handler: User) -> None:
    mail = held_answer()
    page.goto(site + reverse("mailin:detail", kwargs={"pk": mail.pk}))
    expect(page.locator(".mail-text")).to_contain_text("<b>Ei lihavoitu</b>")


def open_mail_failed(page: Page, site: str, handler: User) -> None:
    mail = held_answer()
    page.goto(site + reverse("mailin:detail", kwargs={"pk": mail.pk}))
    form = page.locator("#action-request form")
    form.locator("select").select_option("")
    response = post_form(page, form.locator("button[type=submit]").click)
    assert response.status == 400
    expect(page.locator(".error-summary li")).to_have_count(1)


PAGES: dict[str, Callable[[Page, str, User], None]] = {
    "record": open_record,
    "record-failed": open_record_failed,
    "mail-list": open_mail_list,
    "mail-held": open_mail_held,
    "mail-failed": open_mail_failed,
}


@pytest.mark.parametrize(
    ("name", "language", "browser_locale"),
    [
        pytest.param(name, language, LOCALES[language], id=f"{name}-{language}")
        for name in PAGES
        for language in LANGUAGES
    ],
)
def test_no_serious_or_critical_violations(
    page: Page, site: str, choose_language, axe: Axe, handler, name: str, language: str
):
    choose_language(language)
    handler.language = language
    handler.save(update_fields=["language"])
    signed_in(page, site, handler)
    PAGES[name](page, site, handler)
    assert_language(page, language)
    assert_styled(page)
    violations = blocking_violations(axe, page)
    assert not violations, f"{name} ({language}): {page.url}\n{describe(violations)}"
