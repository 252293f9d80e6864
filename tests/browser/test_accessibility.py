"""axe-core (axe-playwright-python, offline) on every public page of the portal in fi, sv and en.

Each page is checked as a person meets it, in the state it is in: the tracking page queued,
awaiting the requester, after a failed action, resolved (rate and reopen forms) and closed.
A serious or critical violation fails the test with the rule, its help and the elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from inquiries import services
from notifications.models import Notification
from routing.models import RequestType

from .conftest import (
    LIVE_DB,
    LOCALES,
    assert_language,
    assert_styled,
    post_form,
)

pytestmark = LIVE_DB

LANGUAGES = ["fi", "sv", "en"]
BLOCKING = {"serious", "critical"}
EMAIL = "aino.alku@example.fi"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

# Pages with a known bug that is not this test's to fix: page -> its strict xfail. An axe
# finding that is a template/CSS bug goes here as pytest.mark.xfail(strict=True, reason=...)
# until the fix lands; then the entry goes.


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def language(request) -> str:
    return request.param


@pytest.fixture
def browser_locale(language: str) -> str:
    return LOCALES[language]


def blocking_violations(axe: Axe, page: Page) -> list[dict]:
    violations = axe.run(page).response["violations"]
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


# -- how to reach each page ---------------------------------------------------------------------


def submit_by_service(description: str = "Vi söker en tomt för ett lager i Kulloby.") -> tuple:
    submitted = services.submit_inquiry(
        submission=services.Submission(
            request_type=RequestType.objects.get(code="business-plot"),
            description=description,
            contact_name="Aino Alku",
            email=EMAIL,
            company_name="Alku Oy",
            business_id="0114162-2",
            language="fi",
            attachments=(),
        )
    )
    return submitted.inquiry, submitted.tracking_token


def track_url(site: str, token: str) -> str:
    return site + reverse("portal:track", kwargs={"token": token})


def awaiting(handler) -> tuple:
    inquiry, token = submit_by_service()
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.ask_customer(
        inquiry_id=inquiry.pk, handler=handler, question="Hur stor tomt behöver ni?"
    )
    return inquiry, token


def resolved(handler) -> tuple:
    inquiry, token = awaiting(handler)
    services.add_customer_message(inquiry_id=inquiry.pk, contact=inquiry.contact, body="5000 m².")
    services.resolve_inquiry(
        inquiry_id=inquiry.pk, handler=handler, outcome="Tomt 12 i Kulloby passar er."
    )
    return inquiry, token


def open_home(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:home"))


def open_form(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:submit"))


def open_form_with_errors(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:submit"))
    page.locator("#id_business_id").fill("1234567-8")
    page.locator("#id_email").fill("not-an-address")
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    # As a browser without form validation sends it: the server's errors are what is checked.
    page.locator("form.form").evaluate("form => { form.noValidate = true; }")
    post_form(page, page.locator("form.form button[type=submit]").click)
    page.locator(".error-summary").wait_for()


def open_receipt(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:submit"))
    page.locator("#id_request_type_0").check()
    page.locator("#id_description").fill("Vi söker en tomt för ett lager i Kulloby.")
    page.locator("#id_contact_name").fill("Aino Alku")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_consent").check()
    post_form(page, page.locator("form.form button[type=submit]").click)
    assert page.url == site + reverse("portal:receipt")


def open_privacy(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:privacy"))


def open_feedback(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:feedback"))


def open_my_requests(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:my-requests"))


def open_my_requests_sent(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:my-requests"))
    page.locator("#id_email").fill(EMAIL)
    post_form(page, page.locator(".sign-in-form button[type=submit]").click)


def sign_in_link(site: str) -> str:
    submit_by_service()
    services.request_sign_in_link(email=EMAIL, language="fi")
    body = Notification.objects.get(kind=Notification.Kind.SIGN_IN).body_text
    return re.search(r"https?://\S+/my-requests/sign-in/\S+/", body).group(0)


def open_my_requests_sign_in(page: Page, site: str, handler) -> None:
    page.goto(sign_in_link(site))


def open_my_requests_list(page: Page, site: str, handler) -> None:
    page.goto(sign_in_link(site))
    post_form(page, page.locator("main form button[type=submit]").click)
    page.locator(".request-list").wait_for()


def open_my_requests_expired(page: Page, site: str, handler) -> None:
    page.goto(site + reverse("portal:sign-in", kwargs={"token": "used-or-expired"}))


def open_track_queued(page: Page, site: str, handler) -> None:
    page.goto(track_url(site, submit_by_service()[1]))


def open_track_awaiting(page: Page, site: str, handler) -> None:
    page.goto(track_url(site, awaiting(handler)[1]))


def open_track_failed_reply(page: Page, site: str, handler) -> None:
    page.goto(track_url(site, awaiting(handler)[1]))
    post_form(page, page.locator("#reply button[type=submit]").click)  # nothing written
    page.locator(".error-summary").wait_for()


def open_track_resolved(page: Page, site: str, handler) -> None:
    page.goto(track_url(site, resolved(handler)[1]))
    assert page.locator("#rate form").count() == 1
    assert page.locator("#reopen form").count() == 1


def open_track_closed(page: Page, site: str, handler) -> None:
    inquiry, token = resolved(handler)
    later = timezone.now() + timedelta(days=30)
    assert services.close_resolved_inquiry(inquiry_id=inquiry.pk, now=later)
    page.goto(track_url(site, token))


def open_track_withdrawn(page: Page, site: str, handler) -> None:
    inquiry, token = submit_by_service()
    services.withdraw_inquiry(inquiry_id=inquiry.pk, contact=inquiry.contact)
    response = page.goto(track_url(site, token))
    assert response is not None and response.status == 410


PAGES: dict[str, Callable[[Page, str, object], None]] = {
    "home": open_home,
    "form": open_form,
    "form-errors": open_form_with_errors,
    "receipt": open_receipt,
    "privacy": open_privacy,
    "feedback": open_feedback,
    "my-requests": open_my_requests,
    "my-requests-sent": open_my_requests_sent,
    "my-requests-sign-in": open_my_requests_sign_in,
    "my-requests-list": open_my_requests_list,
    "my-requests-expired": open_my_requests_expired,
    "track-queued": open_track_queued,
    "track-awaiting": open_track_awaiting,
    "track-failed-reply": open_track_failed_reply,
    "track-resolved": open_track_resolved,
    "track-closed": open_track_closed,
    "track-withdrawn": open_track_withdrawn,
}


def cases() -> list:
    return [
        pytest.param(
            name,
            language,
            id=f"{name}-{language}",
        )
        for name in PAGES
        for language in LANGUAGES
    ]


@pytest.mark.parametrize(("name", "language"), cases(), indirect=["language"])
def test_no_serious_or_critical_violations(
    page: Page, site: str, choose_language, axe: Axe, handler, name: str, language: str
):
    # given the page in the chosen language (the language switch's cookie)
    choose_language(language)
    # when a person opens it, in its state
    PAGES[name](page, site, handler)
    assert_language(page, language)
    assert_styled(page)
    # then axe finds nothing serious or critical
    violations = blocking_violations(axe, page)
    assert not violations, f"{name} ({language}): {page.url}\n{describe(violations)}"
