"""The handler workspace (/staff/) in a real browser.

One request's way through two units: a handler of urban development (who reads Swedish) signs
in by typing, finds the new request in her unit queue, claims it, asks the requester, sees the
answer and transfers it to employment services; a handler there (who reads Finnish) finds it
with the reason, claims it and resolves it. The requester's side is the services.

Then axe on every workspace page in fi, sv and en, each in the state a handler meets it.

Labels are read from the same catalogue the server uses (`translated`); unit names are
database content, read with `name_in`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import Locator, Page, expect

from crm.models import Membership, User
from inquiries import services
from inquiries.models import Inquiry, RoutingDecision, TransitionLog
from routing.models import RequestType
from tests.factories import UserFactory

from .conftest import (
    LIVE_DB,
    LOCALES,
    assert_language,
    assert_styled,
    post_form,
    translated,
)
from .test_accessibility import blocking_violations, describe
from .test_journey import assert_focus_visible, focused

pytestmark = LIVE_DB

PASSWORD = "correct horse battery staple"  # UserFactory's
QUESTION = "Onko teillä tontti jo, vai koskeeko kysymyksenne vain rekrytointia?"
ANSWER = "Tontti on jo ostettu. Tarvitsemme apua kymmenen varastotyöntekijän palkkaamiseen."
REASON = "Tontti on jo hankittu; asiakas tarvitsee apua rekrytointiin ja palkkatukeen."
OUTCOME = "Järjestämme teille rekrytointitilaisuuden 14.10. ja lähetämme palkkatuen ohjeet."


# -- shared steps -------------------------------------------------------------------------------


def page_language(page: Page) -> str:
    return page.evaluate("document.documentElement.lang")


def label(page: Page, text: str) -> Locator:
    """The control whose <label for> starts with `text` (required fields add "(required)")."""
    return page.get_by_label(re.compile("^" + re.escape(text)))


def sign_in(page: Page, site: str, user: User, *, typing: bool = False) -> None:
    """Sign in through the login form, in whatever language the login page speaks."""
    if not page.url.startswith(site + reverse("workspace:login")):
        page.goto(site + reverse("workspace:login"))
    language = page_language(page)
    t = partial(translated, language)
    # AuthenticationForm labels the username with the model field's name ("username").
    with translation.override(language):
        username_label = capfirst(str(User._meta.get_field("username").verbose_name))
    username = page.get_by_label(username_label, exact=True)
    password = page.get_by_label(t("Password"), exact=True)
    if typing:
        username.press_sequentially(user.username)
        password.press_sequentially(PASSWORD)
    else:
        username.fill(user.username)
        password.fill(PASSWORD)
    response = post_form(page, page.get_by_role("button", name=t("Sign in"), exact=True).click)
    assert response.status == 302, f"sign-in failed for {user.username}: {response.status}"


def signed_in(page: Page, site: str, user: User) -> None:
    """Sign in without the form (the journey types into it): a session cookie, as after it."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])


def at(url: str) -> re.Pattern:
    """`url`, with or without a #fragment (a form's action anchor survives its redirect)."""
    return re.compile(re.escape(url) + "(#.*)?$")


def steps(inquiry: Inquiry) -> list[str]:
    return list(TransitionLog.objects.filter(inquiry=inquiry).values_list("name", flat=True))


def inquiry_url(site: str, inquiry: Inquiry) -> str:
    return site + reverse("workspace:inquiry", kwargs={"reference": inquiry.reference})


def messages(page: Page) -> Locator:
    return page.locator("main .messages")


def action(page: Page, name: str) -> Locator:
    """One action's disclosure on the request page (ask, resolve, transfer, …)."""
    return page.locator(f"#action-{name}")


def open_action(page: Page, name: str, title: str) -> Locator:
    """Open the action's disclosure; its summary is `title` in the page's language."""
    summary = action(page, name).locator("summary")
    expect(summary).to_have_text(title)
    summary.click()
    expect(action(page, name)).to_have_attribute("open", "")
    return action(page, name)


def submit_request(
    *,
    description: str,
    company: str,
    business_id: str,
    name: str = "Veikko Varasto",
    email: str = "veikko.varasto@example.fi",
    subject: str = "",
    language: str = "fi",
    submitted_at=None,
) -> Inquiry:
    """A business-plot request (routed to urban development), sent as the portal sends it."""
    return services.submit_inquiry(
        submission=services.Submission(
            request_type=RequestType.objects.get(code="business-plot"),
            subject=subject,
            description=description,
            contact_name=name,
            email=email,
            company_name=company,
            business_id=business_id,
            phone="+358401234567",
            language=language,
        ),
        now=submitted_at,
    ).inquiry


@pytest.fixture
def employment_handler(other_unit) -> User:
    user = UserFactory(
        username="elias.employment", first_name="Elias", last_name="Eskola", language="fi"
    )
    Membership.objects.create(user=user, unit=other_unit, role=Membership.Role.HANDLER)
    return user


# -- the journey --------------------------------------------------------------------------------


@pytest.mark.parametrize("browser_locale", ["sv-SE"])
def test_claim_ask_transfer_and_the_other_unit_resolves(
    page: Page, site: str, handler, employment_handler, unit, other_unit
):
    sv, fi = partial(translated, "sv"), partial(translated, "fi")
    handler.language = "sv"
    handler.save(update_fields=["language"])
    # An older request of another company waits in the same queue.
    older = submit_request(
        description="Etsimme tonttia leipomolle.",
        company="Borgå Bageri Ab",
        business_id="2336509-6",
        name="Berit Bagare",
        email="berit@example.fi",
        submitted_at=timezone.now() - timedelta(hours=2),
    )
    inquiry = submit_request(
        subject="Varasto Kullaalle ja kymmenen työntekijää",
        description="Rakennamme varaston Kullaalle ja tarvitsemme kymmenen työntekijää.",
        company="Porvoon Varasto Oy",
        business_id="0114162-2",
    )
    assert inquiry.unit == unit and inquiry.status == Inquiry.Status.QUEUED
    assert steps(inquiry) == ["submit", "route"]

    # Hanna opens the workspace: she is sent to sign in, on a Swedish page (her browser).
    page.goto(site + reverse("workspace:my-work"))
    expect(page).to_have_url(re.compile(re.escape(site + reverse("workspace:login"))))
    assert_language(page, "sv")
    assert_styled(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Sign in to the workspace"))
    sign_in(page, site, handler, typing=True)

    # "My work" in Swedish (her own language), empty; the menu leads to the unit queue.
    expect(page).to_have_url(site + reverse("workspace:my-work"))
    assert_language(page, "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("My work"))
    expect(page.locator("#my-work")).to_contain_text(sv("No requests here."))
    nav = page.get_by_role("navigation", name=sv("Workspace"))
    nav.get_by_role("link", name=sv("Unit queue"), exact=True).click()
    page.wait_for_url(site + reverse("workspace:queue"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Unit queue"))
    queue = page.locator("#queue")
    expect(queue).to_contain_text(inquiry.reference)
    expect(queue).to_contain_text(older.reference)

    # She searches for the company; only its request is left.
    label(page, sv("Search")).press_sequentially("Varasto")
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Apply filters"), exact=True).click()
    expect(queue.locator("tbody tr")).to_have_count(1)
    expect(queue).to_contain_text(inquiry.reference)
    expect(queue).to_contain_text(sv("Unassigned"))

    # By keyboard: the skip link, then Tab reaches the first request's link, with visible focus.
    page.keyboard.press("Tab")
    assert focused(page)["href"] == "#main"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    link = reverse("workspace:inquiry", kwargs={"reference": inquiry.reference})
    stops = []
    for _ in range(30):
        page.keyboard.press("Tab")
        info = focused(page)
        if info["href"] == link:
            break
        stops.append(info["id"] or info["href"] or info["tag"])
    else:
        raise AssertionError(f"Tab never reached {link}; stops: {stops}")
    assert_focus_visible(info)
    page.keyboard.press("Enter")
    page.wait_for_url(inquiry_url(site, inquiry))

    # The request page: queued, unassigned; she claims it.
    expect(page.get_by_role("heading", level=1)).to_have_text(inquiry.subject)
    expect(page.locator("#wsi-status")).to_contain_text(sv(Inquiry.Status.QUEUED.label))
    expect(page.get_by_role("heading", name=sv("Actions"))).to_be_visible()
    claim = page.get_by_role("button", name=sv("Claim: take it into my work"), exact=True)
    post_form(page, claim.click)
    expect(messages(page)).to_contain_text(sv("You took the request into your work."))
    expect(page.locator("#wsi-status")).to_contain_text(sv(Inquiry.Status.IN_PROGRESS.label))
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assignee) == (Inquiry.Status.IN_PROGRESS, handler)
    assert steps(inquiry) == ["submit", "route", "claim"]

    # She asks the requester (who reads Finnish, as the form tells her).
    ask = open_action(page, "ask", sv("Ask the requester"))
    expect(ask).to_contain_text(sv("The requester reads Finnish."))
    label(page, sv("Question to the requester")).fill(QUESTION)
    post_form(page, ask.get_by_role("button", name=sv("Send the question"), exact=True).click)
    expect(messages(page)).to_contain_text(
        sv("Your question was sent to the requester. The clock is paused until they answer.")
    )
    expect(page.locator(".wsi-timeline")).to_contain_text(QUESTION)
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.AWAITING_CUSTOMER
    assert steps(inquiry) == ["submit", "route", "claim", "ask_customer"]

    # The requester answers (from the tracking page); Hanna reloads and reads it.
    services.add_customer_message(inquiry_id=inquiry.pk, contact=inquiry.contact, body=ANSWER)
    page.reload()
    timeline = page.locator(".wsi-timeline")
    expect(timeline).to_contain_text(ANSWER)
    expect(timeline).to_contain_text(sv("The requester answered"))
    expect(page.locator("#wsi-status")).to_contain_text(sv(Inquiry.Status.IN_PROGRESS.label))
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.IN_PROGRESS
    assert steps(inquiry)[-1] == "customer_reply"

    # It is a question of hiring: she transfers it to employment services with the reason.
    transfer = open_action(page, "transfer", sv("Transfer to another unit"))
    label(page, sv("Move to unit")).select_option(label=other_unit.name_in("sv"))
    label(page, sv("Why does it belong there?")).fill(REASON)
    post_form(page, transfer.get_by_role("button", name=sv("Transfer"), exact=True).click)
    # It left her units: she is back in the queue, told where it went. (The browser keeps the
    # form's #action-transfer on the redirect; the queue has no such anchor.)
    expect(page).to_have_url(at(site + reverse("workspace:queue")))
    expect(messages(page)).to_contain_text(
        sv("The request was moved to %(unit)s.") % {"unit": other_unit.name_in("sv")}
    )
    expect(page.locator("#queue")).not_to_contain_text(inquiry.reference)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.unit, inquiry.assignee) == (
        Inquiry.Status.QUEUED,
        other_unit,
        None,
    )
    assert inquiry.reroute_count == 1
    assert steps(inquiry) == [
        "submit",
        "route",
        "claim",
        "ask_customer",
        "customer_reply",
        "transfer",
    ]
    decision = inquiry.routing_decisions.get(kind=RoutingDecision.Kind.TRANSFER)
    assert (decision.from_unit, decision.unit, decision.reason) == (unit, other_unit, REASON)
    assert decision.decided_by == handler

    # She signs out.
    post_form(page, page.get_by_role("button", name=sv("Sign out"), exact=True).click)
    expect(page).to_have_url(site + reverse("workspace:login"))
    assert_language(page, "sv")  # the last choice made in this browser

    # Elias of employment services signs in on the same (Swedish) page; the workspace then
    # speaks his own language, Finnish.
    sign_in(page, site, employment_handler, typing=True)
    expect(page).to_have_url(site + reverse("workspace:my-work"))
    assert_language(page, "fi")
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("My work"))
    nav = page.get_by_role("navigation", name=fi("Workspace"))
    nav.get_by_role("link", name=fi("Unit queue"), exact=True).click()
    page.wait_for_url(site + reverse("workspace:queue"))
    expect(page.get_by_role("heading", level=1)).to_have_text(fi("Unit queue"))
    row = page.locator("#queue tbody tr", has_text=inquiry.reference)
    expect(row).to_contain_text(fi("Unassigned"))
    expect(row).to_contain_text(other_unit.name_in("fi"))
    expect(page.locator("#queue")).not_to_contain_text(older.reference)  # not his unit's
    row.get_by_role("link", name=inquiry.reference, exact=True).click()
    page.wait_for_url(inquiry_url(site, inquiry))

    # The request page shows why it came here, and the earlier question and answer.
    timeline = page.locator(".wsi-timeline")
    transferred = timeline.locator("li", has_text=fi("Transferred to another unit"))
    expect(transferred).to_contain_text(REASON)
    expect(transferred).to_contain_text(unit.name_in("fi"))
    expect(transferred).to_contain_text(str(handler))
    expect(timeline).to_contain_text(QUESTION)
    expect(timeline).to_contain_text(ANSWER)
    expect(page.locator("#wsi-status")).to_contain_text(fi(Inquiry.Status.QUEUED.label))

    # He claims it and resolves it with the outcome.
    claim = page.get_by_role("button", name=fi("Claim: take it into my work"), exact=True)
    post_form(page, claim.click)
    expect(messages(page)).to_contain_text(fi("You took the request into your work."))
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assignee) == (Inquiry.Status.IN_PROGRESS, employment_handler)
    assert steps(inquiry)[-1] == "claim"
    resolve = open_action(page, "resolve", fi("Resolve"))
    label(page, fi("Outcome")).fill(OUTCOME)
    post_form(
        page,
        resolve.get_by_role("button", name=fi("Resolve and send the outcome"), exact=True).click,
    )
    expect(page).to_have_url(at(inquiry_url(site, inquiry)))
    expect(messages(page)).to_contain_text(
        fi("The request is resolved and the requester was told the outcome.")
    )
    expect(page.locator("#wsi-status")).to_contain_text(fi(Inquiry.Status.RESOLVED.label))
    expect(page.locator(".wsi-timeline")).to_contain_text(OUTCOME)
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.RESOLVED
    assert inquiry.resolved_at is not None
    assert inquiry.unit == other_unit
    log = list(TransitionLog.objects.filter(inquiry=inquiry).select_related("actor_user"))
    assert [(step.name, step.actor_user) for step in log] == [
        ("submit", None),
        ("route", None),
        ("claim", handler),
        ("ask_customer", handler),
        ("customer_reply", None),
        ("transfer", handler),
        ("claim", employment_handler),
        ("resolve", employment_handler),
    ]
    assert log[4].actor_contact == inquiry.contact
    assert log[5].note == REASON


# -- accessibility ------------------------------------------------------------------------------

LANGUAGES = ["fi", "sv", "en"]


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def queued(**fields) -> Inquiry:
    fields.setdefault("description", "Etsimme noin 5000 m² tonttia uudelle varastolle.")
    fields.setdefault("company", "Porvoon Varasto Oy")
    fields.setdefault("business_id", "0114162-2")
    return submit_request(**fields)


def in_progress(handler: User) -> Inquiry:
    """Claimed by `handler`, asked and answered, with an internal note."""
    inquiry = queued(subject="Tontti varastolle Kullaalta")
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.ask_customer(inquiry_id=inquiry.pk, handler=handler, question=QUESTION)
    services.add_customer_message(inquiry_id=inquiry.pk, contact=inquiry.contact, body=ANSWER)
    services.add_internal_note(
        inquiry_id=inquiry.pk, handler=handler, body="Soitin asiakkaalle, soitan uudestaan."
    )
    return inquiry


def queue_rows(handler: User) -> None:
    """A queue as a handler meets it: new, breached, mine, awaiting the requester."""
    queued(subject="Uusi tonttikysely", company="Borgå Bageri Ab", business_id="2336509-6")
    queued(
        subject="Vanha tonttikysely",
        company="Kilpilahden Kone Oy",
        business_id="1572860-0",
        submitted_at=timezone.now() - timedelta(days=10),
    )
    in_progress(handler)
    waiting = queued(subject="Tontti hallille", language="sv")
    services.claim_inquiry(inquiry_id=waiting.pk, handler=handler)
    services.ask_customer(inquiry_id=waiting.pk, handler=handler, question="Hur stor hall?")


def open_login(page: Page, site: str, handler: User) -> None:
    page.goto(site + reverse("workspace:login"))


def open_login_failed(page: Page, site: str, handler: User) -> None:
    page.goto(site + reverse("workspace:login"))
    page.locator("#id_username").fill(handler.username)
    page.locator("#id_password").fill("not the password")
    response = post_form(page, page.locator("form.form button[type=submit]").click)
    assert response.status == 200
    expect(page.locator("#sign-in-errors")).to_be_visible()


def open_my_work(page: Page, site: str, handler: User) -> None:
    queue_rows(handler)
    page.goto(site + reverse("workspace:my-work"))
    expect(page.locator("#my-work tbody tr")).to_have_count(2)


def open_queue(page: Page, site: str, handler: User) -> None:
    queue_rows(handler)
    page.goto(site + reverse("workspace:queue"))
    expect(page.locator("#queue tbody tr")).to_have_count(4)
    expect(page.locator("#queue tr.row--breached")).to_have_count(1)


def open_queue_filtered(page: Page, site: str, handler: User) -> None:
    queue_rows(handler)
    page.goto(site + reverse("workspace:queue") + "?status=queued&assignee=unassigned&q=Oy")
    expect(page.locator("#queue tbody tr")).to_have_count(1)
    expect(page.locator("details.filters__more")).to_have_attribute("open", "")


def open_queue_error(page: Page, site: str, handler: User) -> None:
    queue_rows(handler)
    page.goto(site + reverse("workspace:queue") + "?submitted_after=2026-02-30")
    expect(page.locator(".filters .error-summary")).to_be_visible()


def open_inquiry_queued(page: Page, site: str, handler: User) -> None:
    page.goto(inquiry_url(site, queued(subject="Tontti varastolle")))


def open_all_actions(page: Page) -> None:
    """Axe checks what shows: open every action's form."""
    page.locator("details.wsi-action").evaluate_all("all => all.forEach(d => { d.open = true; })")


def open_inquiry_in_progress(page: Page, site: str, handler: User) -> None:
    page.goto(inquiry_url(site, in_progress(handler)))
    for name in ("ask", "resolve", "transfer", "close"):
        expect(action(page, name)).to_have_count(1)
    open_all_actions(page)


def open_inquiry_failed(page: Page, site: str, handler: User) -> None:
    page.goto(inquiry_url(site, in_progress(handler)))
    action(page, "transfer").locator("summary").click()
    response = post_form(page, action(page, "transfer").locator("button[type=submit]").click)
    assert response.status == 400
    expect(action(page, "transfer").locator(".error-summary li")).to_have_count(2)
    open_all_actions(page)


def open_company(page: Page, site: str, handler: User) -> None:
    inquiry = in_progress(handler)
    queued(subject="Toinen tontti")
    page.goto(site + reverse("workspace:company", kwargs={"pk": inquiry.company_id}))


def open_login_paused(page: Page, site: str, handler: User) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(site + reverse("workspace:login"))
        page.locator("#id_username").fill(handler.username)
        page.locator("#id_password").fill("not the password")
        response = post_form(page, page.locator("form.form button[type=submit]").click)
    assert response.status == 429


def open_privacy(page: Page, site: str, handler: User) -> None:
    handler.is_service_manager = True  # the page is the service managers'
    handler.save(update_fields=["is_service_manager"])
    in_progress(handler)
    page.goto(site + reverse("workspace:privacy"))
    page.locator("#id_email").fill(Inquiry.objects.latest("pk").contact.email)
    post_form(page, page.locator("main form.form button[type=submit]").first.click)
    expect(page.locator("#found-title")).to_be_visible()


PAGES: dict[str, Callable[[Page, str, User], None]] = {
    "login": open_login,
    "login-failed": open_login_failed,
    "my-work": open_my_work,
    "queue": open_queue,
    "queue-filtered": open_queue_filtered,
    "queue-error": open_queue_error,
    "inquiry-queued": open_inquiry_queued,
    "inquiry-in-progress": open_inquiry_in_progress,
    "inquiry-failed": open_inquiry_failed,
    "company": open_company,
    "login-paused": open_login_paused,
    "privacy": open_privacy,
}


def axe_cases() -> list:
    return [
        pytest.param(name, language, LOCALES[language], id=f"{name}-{language}")
        for name in PAGES
        for language in LANGUAGES
    ]


@pytest.mark.parametrize(("name", "language", "browser_locale"), axe_cases())
def test_no_serious_or_critical_violations(
    page: Page, site: str, choose_language, axe: Axe, handler, name: str, language: str
):
    # given a handler who reads `language`, signed in (the sign-in page: before signing in)
    choose_language(language)
    if not name.startswith("login"):
        handler.language = language
        handler.save(update_fields=["language"])
        signed_in(page, site, handler)
    # when the page is opened in its state
    PAGES[name](page, site, handler)
    assert_language(page, language)
    assert_styled(page)
    # then axe finds nothing serious or critical
    violations = blocking_violations(axe, page)
    assert not violations, f"{name} ({language}): {page.url}\n{describe(violations)}"
