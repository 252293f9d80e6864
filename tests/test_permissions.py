"""Who may open what: every URL of the project, for every persona, with one expected outcome.

The URL conf is walked (``django.urls.get_resolver()``); each named route outside the Django
admin must have a row in ``MATRIX``, or ``test_every_url_has_a_rule`` fails and lists it. A row
whose route is gone fails ``test_every_rule_names_a_url``.

How to add a row for a new view
-------------------------------
1. Give the route a name (an unnamed route cannot have a row, and fails the suite).
2. Add ``"namespace:name": Rule(...)`` to ``MATRIX``:

   - ``kwargs``: how to build the URL's arguments from the ``World`` (one fresh request of
     urban development per test: ``world.inquiry``, ``world.attachment``, ``world.company``,
     ``world.held_token`` – the tracking token the persona holds: the real one for the
     requester only –, ``world.held_sign_in_token``);
   - ``calls``: one ``Call`` per HTTP method the view takes (and per variant, e.g. each
     whitelisted action): ``data`` to send (valid, minimal), ``given`` to put the request in
     the state the call needs, ``expect`` with one ``Outcome`` per persona (``public()``,
     ``staff_page()``, ``request_page()``, ``token_holder()``, ``everyone()`` build the usual
     ones), and ``success``: the URL names an ``OK`` redirect may lead to;
   - ``refuses``: the methods it answers with 405, whoever asks (checked in each case).

3. If the view behaves wrongly, keep the right outcome in ``expect`` and name the case in
   ``wrong`` (persona → reason): it runs as a strict xfail until the view is fixed.

Personas: ``anonymous``; ``requester`` (a Contact with no account: signed in to "my requests"
by a sign-in link, holding the tracking token of their request; for staff URLs just another
visitor); ``handler`` and ``manager`` of urban development (the request's unit);
``other_unit_handler`` (employment services); ``service_manager``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from crm.models import Company, Contact, Unit, User
from crm.tokens import new_token
from inquiries import services
from inquiries.attachments import check_file
from inquiries.models import Attachment, Inquiry
from inquiries.views.workspace.detail_forms import ACTIONS as WORKSPACE_ACTIONS
from notifications.models import Notification

from .factories import CompanyFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


# -- outcomes and personas ----------------------------------------------------------------------


class Outcome(StrEnum):
    OK = "ok"  # 2xx, or a 302 to one of the call's success pages with no warning or error
    LOGIN = "login"  # 302 to the staff sign-in page, ?next= back to the URL
    SIGN_IN = "sign_in"  # 302 to the requester's "my requests" page (sign in there first)
    FORBIDDEN = "forbidden"  # 403
    NOT_FOUND = "not_found"  # 404
    NOT_ALLOWED = "not_allowed"  # 405: wrong method
    GONE = "gone"  # 410: a sign-in link that is unknown, used or expired
    REFUSED = "refused"  # 409, or a 302 with a warning or error message: nothing was done


OK, LOGIN, SIGN_IN = Outcome.OK, Outcome.LOGIN, Outcome.SIGN_IN
FORBIDDEN, NOT_FOUND, NOT_ALLOWED = Outcome.FORBIDDEN, Outcome.NOT_FOUND, Outcome.NOT_ALLOWED
GONE, REFUSED = Outcome.GONE, Outcome.REFUSED

PERSONAS = (
    "anonymous",
    "requester",
    "handler",
    "other_unit_handler",
    "manager",
    "service_manager",
)
STAFF = ("handler", "other_unit_handler", "manager", "service_manager")


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(PERSONAS, outcome)


def public() -> dict[str, Outcome]:
    return everyone(OK)


def staff_page(
    *,
    handler: Outcome = OK,
    other_unit_handler: Outcome = OK,
    manager: Outcome = OK,
    service_manager: Outcome = OK,
) -> dict[str, Outcome]:
    """A workspace URL: visitors (the requester too) are sent to the staff sign-in."""
    return {
        "anonymous": LOGIN,
        "requester": LOGIN,
        "handler": handler,
        "other_unit_handler": other_unit_handler,
        "manager": manager,
        "service_manager": service_manager,
    }


def dashboard_page() -> dict[str, Outcome]:
    """A manager dashboard URL: service managers and unit managers; handlers are refused."""
    return staff_page(handler=FORBIDDEN, other_unit_handler=FORBIDDEN)


def request_page(**overrides: Outcome) -> dict[str, Outcome]:
    """A workspace URL of one request: its unit and service managers only; else a 404."""
    return staff_page(**{"other_unit_handler": NOT_FOUND, **overrides})


def token_holder(others: Outcome = NOT_FOUND) -> dict[str, Outcome]:
    """A URL opened by a secret link: only the requester holds it; anyone else guesses."""
    return {persona: OK if persona == "requester" else others for persona in PERSONAS}


# -- the world of one test ----------------------------------------------------------------------


@dataclass
class World:
    """A fresh request of urban development, sent by the requester, and the persona's client."""

    persona: str
    user: User | None
    client: Client
    inquiry: Inquiry
    attachment: Attachment
    company: Company
    token: str  # the request's tracking token: the requester's alone
    requester: Contact
    handler: User  # of urban development, whoever the persona is

    @cached_property
    def other_unit(self) -> Unit:
        return Unit.objects.get(code="employment-services")

    @cached_property
    def sign_in_token(self) -> str:
        """An unused sign-in link of the requester."""
        return latest_sign_in_token(self.requester)

    @property
    def held_token(self) -> str:
        """The tracking token this persona can put in the URL: anyone else has to guess one."""
        return self.token if self.persona == "requester" else new_token()

    @property
    def held_sign_in_token(self) -> str:
        return self.sign_in_token if self.persona == "requester" else new_token()


def nothing(world: World) -> None:
    return None


def no_data(world: World) -> dict[str, Any]:
    return {}


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Call:
    method: str
    expect: Mapping[str, Outcome]
    data: Callable[[World], dict[str, Any]] = no_data
    given: Callable[[World], None] = nothing
    success: tuple[str, ...] = ()  # URL names an OK redirect may lead to
    variant: str = ""  # tells apart calls of one URL and method (the action, say)
    url_kwargs: Mapping[str, Any] = field(default_factory=dict)
    json: bool = False
    wrong: Mapping[str, str] = field(default_factory=dict)  # persona -> why it is a bug

    @property
    def id(self) -> str:
        return f"{self.method.upper()}{f'[{self.variant}]' if self.variant else ''}"


@dataclass(frozen=True)
class Rule:
    calls: tuple[Call, ...]
    kwargs: Callable[[World], dict[str, Any]] = no_kwargs
    refuses: tuple[str, ...] = ()  # methods answered 405 to everyone, checked in every case


# -- states and data the calls need --------------------------------------------------------------


def claimed_by_handler(world: World) -> None:
    services.claim_inquiry(inquiry_id=world.inquiry.pk, handler=world.handler)
    world.inquiry.refresh_from_db()


def resolved(world: World) -> None:
    claimed_by_handler(world)
    services.resolve_inquiry(
        inquiry_id=world.inquiry.pk, handler=world.handler, outcome="Tontti 12 on varattu teille."
    )
    world.inquiry.refresh_from_db()


def submitted_in_this_browser(world: World) -> None:
    response = world.client.post(reverse("portal:submit"), submit_form(world))
    assert response.status_code == 302


def submit_form(world: World) -> dict[str, Any]:
    return {
        "request_type": "business-plot",
        "description": "Tarvitsemme tontin varastolle.",
        "contact_name": "Testi Yrittäjä",
        "email": "testi@example.fi",
        "consent": "on",
    }


def api_submission(world: World) -> dict[str, Any]:
    return {
        "request_type": "business-plot",
        "description": "Tarvitsemme tontin varastolle.",
        "contact_name": "Testi Yrittäjä",
        "email": "testi@example.fi",
    }


def queue_claim(world: World) -> dict[str, Any]:
    return {"action": "claim", "inquiry": [world.inquiry.pk]}


def queue_assign(world: World) -> dict[str, Any]:
    return {"action": "assign", "inquiry": [world.inquiry.pk], "assignee": world.handler.pk}


def tracking(world: World) -> dict[str, Any]:
    return {"token": world.held_token}


def tracking_file(world: World) -> dict[str, Any]:
    return {"token": world.held_token, "attachment_id": world.attachment.pk}


def staff_file(world: World) -> dict[str, Any]:
    return {"reference": world.inquiry.reference, "attachment_id": world.attachment.pk}


def inquiry_reference(world: World) -> dict[str, Any]:
    return {"reference": world.inquiry.reference}


def company_pk(world: World) -> dict[str, Any]:
    return {"pk": world.company.pk}


def sign_in_link(world: World) -> dict[str, Any]:
    return {"token": world.held_sign_in_token}


def action(
    name: str,
    expect: Mapping[str, Outcome],
    data: Callable[[World], dict[str, Any]] = no_data,
    given: Callable[[World], None] = nothing,
    success: tuple[str, ...] = ("workspace:inquiry",),
) -> Call:
    """A POST to one action of the staff request page."""
    return Call(
        "post",
        expect,
        data=data,
        given=given,
        success=success,
        variant=name,
        url_kwargs={"action": name},
    )


# -- the matrix -----------------------------------------------------------------------------------

MATRIX: dict[str, Rule] = {
    # Django's own language switch: public by design.
    "set_language": Rule(
        calls=(
            Call(
                "post",
                public(),
                data=lambda w: {"language": "en", "next": "/"},
                success=("portal:home",),
            ),
        )
    ),
    # -- API -----------------------------------------------------------------------------------
    "api:inquiry-submit": Rule(
        calls=(Call("post", public(), data=api_submission, json=True),),
        refuses=("get",),
    ),
    "schema": Rule(calls=(Call("get", public()),), refuses=("post",)),
    # -- portal: public pages --------------------------------------------------------------------
    "portal:home": Rule(calls=(Call("get", public()),), refuses=("post",)),
    "portal:submit": Rule(
        calls=(
            Call("get", public()),
            Call("post", public(), data=submit_form, success=("portal:receipt",)),
        ),
        refuses=("put",),
    ),
    "portal:receipt": Rule(
        calls=(
            # Whoever just sent a request sees its receipt, signed in or not.
            Call("get", public(), given=submitted_in_this_browser),
        ),
        refuses=("post",),
    ),
    "portal:privacy": Rule(calls=(Call("get", public()),), refuses=("post",)),
    "portal:feedback": Rule(
        calls=(
            Call("get", public()),
            Call(
                "post",
                public(),
                data=lambda w: {"message": "Hyvää palvelua."},
                success=("portal:home",),
            ),
        ),
        refuses=("put",),
    ),
    # -- portal: the tracking page, by its private token -----------------------------------------
    "portal:track": Rule(
        kwargs=tracking,
        calls=(Call("get", token_holder()),),
        refuses=("post",),
    ),
    "portal:track-reply": Rule(
        kwargs=tracking,
        calls=(
            Call(
                "post",
                token_holder(),
                data=lambda w: {"reply-body": "Lisätietoa: 5000 m²."},
                success=("portal:track",),
            ),
        ),
        refuses=("get",),
    ),
    "portal:track-withdraw": Rule(
        kwargs=tracking,
        calls=(
            Call(
                "post",
                token_holder(),
                data=lambda w: {"withdraw-confirm": "on"},
                success=("portal:track",),
            ),
        ),
        refuses=("get",),
    ),
    "portal:track-reopen": Rule(
        kwargs=tracking,
        calls=(
            Call(
                "post",
                token_holder(),
                data=lambda w: {"reopen-reason": "Sopimus puuttuu vielä."},
                given=resolved,
                success=("portal:track",),
            ),
        ),
        refuses=("get",),
    ),
    "portal:track-rate": Rule(
        kwargs=tracking,
        calls=(
            Call(
                "post",
                token_holder(),
                data=lambda w: {"rate-rating": "4"},
                given=resolved,
                success=("portal:track",),
            ),
        ),
        refuses=("get",),
    ),
    "portal:track-file": Rule(
        kwargs=tracking_file,
        calls=(Call("get", token_holder()),),
        refuses=("post",),
    ),
    # -- portal: "my requests", by a sign-in link and its session --------------------------------
    "portal:my-requests": Rule(
        calls=(
            Call("get", public()),  # the list for the signed-in requester, the form for others
            Call("post", public(), data=lambda w: {"email": "yrittaja@example.fi"}),
        ),
        refuses=("put",),
    ),
    "portal:sign-in": Rule(
        kwargs=sign_in_link,
        calls=(
            Call("get", token_holder(others=GONE)),
            Call("post", token_holder(others=GONE), success=("portal:my-requests",)),
        ),
        refuses=("put",),
    ),
    "portal:sign-out": Rule(
        calls=(Call("post", public(), success=("portal:my-requests",)),),
        refuses=("get",),
    ),
    "portal:my-request": Rule(
        kwargs=inquiry_reference,
        calls=(
            # A staff session is no requester session: only the requester's sign-in opens it.
            Call("get", token_holder(others=SIGN_IN), success=("portal:track",)),
        ),
        refuses=("post",),
    ),
    # -- workspace -------------------------------------------------------------------------------
    "workspace:login": Rule(
        calls=(
            # Signed-in staff are sent on to their work.
            Call("get", public(), success=("workspace:my-work",)),
        )
    ),
    "workspace:logout": Rule(
        calls=(Call("post", public(), success=("workspace:login",)),),
        refuses=("get",),
    ),
    "workspace:my-work": Rule(calls=(Call("get", staff_page()),), refuses=("post",)),
    "workspace:queue": Rule(calls=(Call("get", staff_page()),), refuses=("post",)),
    "workspace:queue-bulk": Rule(
        calls=(
            Call(
                "post",
                # Claiming is for members of the request's unit: another unit's handler is
                # told it is not in their queue, a service manager that it is not theirs.
                staff_page(other_unit_handler=REFUSED, service_manager=REFUSED),
                data=queue_claim,
                success=("workspace:queue",),
                variant="claim",
            ),
            Call(
                "post",
                staff_page(handler=FORBIDDEN, other_unit_handler=FORBIDDEN),
                data=queue_assign,
                success=("workspace:queue",),
                variant="assign",
            ),
        ),
        refuses=("get",),
    ),
    "workspace:language": Rule(
        calls=(
            Call(
                "post",
                staff_page(),
                data=lambda w: {"language": "sv", "next": reverse("workspace:my-work")},
                success=("workspace:my-work",),
            ),
        ),
        refuses=("get",),
    ),
    "workspace:inquiry": Rule(
        kwargs=inquiry_reference,
        calls=(Call("get", request_page()),),
        refuses=("post",),
    ),
    "workspace:inquiry-file": Rule(
        kwargs=staff_file,
        calls=(Call("get", request_page()),),
        refuses=("post",),
    ),
    "workspace:inquiry-action": Rule(
        kwargs=inquiry_reference,
        calls=(
            # Claiming is for members of the unit (the manager is one), not service managers.
            action("claim", request_page(service_manager=FORBIDDEN)),
            action(
                "assign",
                request_page(handler=FORBIDDEN),
                data=lambda w: {"assign-assignee": w.handler.pk},
            ),
            action(
                "transfer",
                request_page(),
                data=lambda w: {
                    "transfer-unit": w.other_unit.pk,
                    "transfer-reason": "Kuuluu työllisyyspalveluille.",
                },
                # Moved out of the user's units: back to the queue.
                success=("workspace:inquiry", "workspace:queue"),
            ),
            action("reply", request_page(), data=lambda w: {"reply-body": "Selvitämme asiaa."}),
            action("note", request_page(), data=lambda w: {"note-body": "Soitin asiakkaalle."}),
            # Asking and resolving are the assignee's (the handler claimed it): anyone else
            # is told someone else has the request.
            action(
                "ask",
                request_page(manager=REFUSED, service_manager=REFUSED),
                data=lambda w: {"ask-question": "Kuinka suuri tontti?"},
                given=claimed_by_handler,
            ),
            action(
                "resolve",
                request_page(manager=REFUSED, service_manager=REFUSED),
                data=lambda w: {"resolve-outcome": "Tontti 12 on varattu teille."},
                given=claimed_by_handler,
            ),
            action("close", request_page(), data=lambda w: {"close-reason": "spam"}),
            # An action outside the whitelist does not exist.
            action(
                "delete",
                request_page(handler=NOT_FOUND, manager=NOT_FOUND, service_manager=NOT_FOUND),
            ),
        ),
        refuses=("get",),
    ),
    "workspace:company": Rule(
        kwargs=company_pk,
        calls=(Call("get", request_page()),),
        refuses=("post",),
    ),
    **{
        name: Rule(calls=(Call("get", dashboard_page()),), refuses=("post",))
        for name in (
            "workspace:dashboard",
            "workspace:dashboard-requests-csv",
            "workspace:dashboard-figures-csv",
            "workspace:dashboard-definitions",
            "workspace:dashboard-feedback",
        )
    },
}

TOKEN_URLS = [name for name, rule in MATRIX.items() if rule.kwargs in (tracking, tracking_file)]


# -- walking the URL conf -------------------------------------------------------------------------


def url_names(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> dict[str, str]:
    """Every route of the URL conf: {"namespace:name": "full/route/"}; unnamed ones by route."""
    found: dict[str, str] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found |= url_names(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed: {route}>"
            found[f"{namespace}:{name}" if namespace else name] = route
    return found


def project_url_names() -> dict[str, str]:
    # The Django admin has its own tests (tests/test_admin.py and the admin test below).
    return {name: route for name, route in url_names().items() if not name.startswith("admin:")}


def test_every_url_has_a_rule():
    # given every route of the project
    routes = project_url_names()
    # when they are compared with the matrix
    missing = {name: route for name, route in routes.items() if name not in MATRIX}
    # then none lacks a row: a new view needs its permission rule here
    assert not missing, f"URLs without a row in MATRIX (add one): {missing}"


def test_every_rule_names_a_url():
    # given the matrix, when its names are looked up in the URL conf
    stale = set(MATRIX) - set(project_url_names())
    # then each still exists
    assert not stale, f"MATRIX rows for URLs that no longer exist: {sorted(stale)}"


def test_every_workspace_action_has_a_row():
    # given the whitelisted actions of the staff request page
    rows = {
        call.variant for call in MATRIX["workspace:inquiry-action"].calls if call.method == "post"
    }
    # then each has a row (and the one unknown action checked is not whitelisted)
    assert rows - {"delete"} == set(WORKSPACE_ACTIONS)
    assert "delete" not in WORKSPACE_ACTIONS


def test_django_language_switch_is_public_in_the_matrix():
    assert all(
        call.expect == public() for call in MATRIX["set_language"].calls if call.method == "post"
    )


# -- the cases ------------------------------------------------------------------------------------


def cases() -> list[Any]:
    params = []
    for name, rule in MATRIX.items():
        for call in rule.calls:
            for persona in PERSONAS:
                marks = []
                if persona in call.wrong:
                    marks.append(pytest.mark.xfail(strict=True, reason=call.wrong[persona]))
                params.append(
                    pytest.param(name, call, persona, marks=marks, id=f"{name}-{call.id}-{persona}")
                )
    return params


def latest_sign_in_token(contact: Contact) -> str:
    """Ask for a sign-in link as the requester would and read it from the mail."""
    assert services.request_sign_in_link(email=contact.email, language="fi")
    mail = Notification.objects.filter(
        kind=Notification.Kind.SIGN_IN, recipient_email=contact.email
    ).latest("pk")
    return re.search(r"/my-requests/sign-in/([^/\s]+)/", mail.body_text).group(1)


@pytest.fixture
def sent(submit):
    """A business-plot request with a PDF and a company, sent by the requester.

    Sent before the staff exist: nobody is told of it by e-mail, which keeps the tests fast.
    """
    company = CompanyFactory()
    pdf = SimpleUploadedFile("asemakaava.pdf", PDF, content_type="application/pdf")
    return submit(
        company_name=company.name, business_id=company.business_id, attachments=(check_file(pdf),)
    )


# The conftest fixture behind each signed-in persona.
PERSONA_FIXTURES = {
    "handler": "handler",
    "other_unit_handler": "outsider",
    "manager": "manager",
    "service_manager": "service_manager",
}


@pytest.fixture
def make_world(request, sent, requester, handler):
    def _make(persona: str) -> World:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        user = None
        if persona in PERSONA_FIXTURES:
            user = request.getfixturevalue(PERSONA_FIXTURES[persona])
            client.force_login(user)
        if persona == "requester":
            # Signed in to "my requests" through a link from the mail.
            link = reverse("portal:sign-in", kwargs={"token": latest_sign_in_token(requester)})
            assert client.post(link).status_code == 302
        return World(
            persona=persona,
            user=user,
            client=client,
            inquiry=sent.inquiry,
            attachment=sent.inquiry.attachments.get(),
            company=sent.inquiry.company,
            token=sent.tracking_token,
            requester=requester,
            handler=handler,
        )

    return _make


def send(world: World, url: str, call: Call, data: dict[str, Any]):
    if call.json:
        return getattr(world.client, call.method)(url, data, content_type="application/json")
    return getattr(world.client, call.method)(url, data)


def warnings_in(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level >= messages.WARNING]


def view_name(location: str) -> str:
    return resolve(urlsplit(location).path).view_name


def assert_outcome(response, expected: Outcome, url: str, call: Call, said: str = "") -> None:
    status, location = response.status_code, response.get("Location", "")
    seen = f"{said}{status} {location}".strip()
    if expected is OK:
        if status == 302:
            assert view_name(location) in call.success, f"redirect is not a success: {seen}"
            assert not warnings_in(response), f"redirect with {warnings_in(response)}"
        else:
            assert 200 <= status < 300, seen
    elif expected is LOGIN:
        assert status == 302, seen
        assert view_name(location) == "workspace:login", seen
        assert parse_qs(urlsplit(location).query).get("next") == [url], seen
    elif expected is SIGN_IN:
        assert status == 302 and view_name(location) == "portal:my-requests", seen
    elif expected is REFUSED:
        if status == 302:
            assert warnings_in(response), f"redirect without a word of refusal: {seen}"
        else:
            assert status == 409, seen
    else:
        codes = {FORBIDDEN: 403, NOT_FOUND: 404, NOT_ALLOWED: 405, GONE: 410}
        assert status == codes[expected], seen


@pytest.mark.parametrize(("name", "call", "persona"), cases())
def test_permission(make_world, name: str, call: Call, persona: str):
    # given a fresh request of urban development, in the state the call needs,
    # and the persona's browser
    rule = MATRIX[name]
    world = make_world(persona)
    call.given(world)
    url = reverse(name, kwargs=rule.kwargs(world) | dict(call.url_kwargs))
    for method in rule.refuses:
        # when the persona uses a method the view does not take, then it says so (405)
        response = getattr(world.client, method)(url)
        assert_outcome(response, NOT_ALLOWED, url, call, f"{method.upper()}: ")
    # when the persona sends the call
    response = send(world, url, call, call.data(world))
    # then the outcome is the one of the matrix
    assert_outcome(response, call.expect[persona], url, call)


# -- tracking tokens and sign-in sessions -------------------------------------------------------


def near_miss(token: str) -> str:
    """The token with its last character changed."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", TOKEN_URLS)
def test_wrong_tracking_token_is_404_for_everyone(make_world, name: str, persona: str):
    # given a request, its tracking token one character off, and the persona's browser
    # (the requester signed in to "my requests", staff signed in to the workspace)
    world = make_world(persona)
    call = next(call for call in MATRIX[name].calls if call.expect["requester"] is OK)
    call.given(world)
    kwargs = MATRIX[name].kwargs(world) | {"token": near_miss(world.token)}
    # when the persona opens the URL with it
    response = send(world, reverse(name, kwargs=kwargs), call, call.data(world))
    # then nothing is found: no session opens a tracking page without its token
    assert response.status_code == 404


def test_signed_in_requester_cannot_open_another_contacts_request(make_world, submit):
    # given a request of someone else, and the requester signed in to "my requests"
    world = make_world("requester")
    theirs = submit(email="toinen@example.fi", contact_name="Toinen Yrittäjä").inquiry
    # when the requester opens it by its reference
    response = world.client.get(
        reverse("portal:my-request", kwargs={"reference": theirs.reference})
    )
    # then it is not found
    assert response.status_code == 404


# Lists show a request only to those who may open it.
LISTED_FOR = {
    "portal:my-requests": {"requester"},
    "workspace:queue": {"handler", "manager", "service_manager"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", LISTED_FOR)
def test_lists_show_the_request_only_to_those_who_may_open_it(make_world, name, persona):
    # given a request of urban development, and the persona's browser
    world = make_world(persona)
    # when the persona opens the list
    response = world.client.get(reverse(name))
    # then its reference is there only for those who may open the request
    assert response.status_code in (200, 302)
    listed = world.inquiry.reference in response.content.decode()
    assert listed is (persona in LISTED_FOR[name])


# -- the Django admin -----------------------------------------------------------------------------


def test_admin_index_sends_visitors_to_sign_in_and_refuses_a_handler(client, handler):
    index, login = reverse("admin:index"), reverse("admin:login")
    # when a visitor opens the admin, then they are sent to its sign-in
    response = client.get(index)
    assert response.status_code == 302 and urlsplit(response["Location"]).path == login
    # given a handler, who is not staff of the admin
    client.force_login(handler)
    # when they open it, then they are refused: back to the admin sign-in, not the index
    response = client.get(index)
    assert response.status_code == 302 and urlsplit(response["Location"]).path == login
