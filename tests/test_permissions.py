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
from email.message import EmailMessage
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
from mailin.addresses import reply_address
from mailin.models import InboundMail
from mailin.services import Envelope, receive_message
from notifications.models import Notification
from open311.models import ApiKey

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
    UNAUTHORIZED = "unauthorized"  # 401: the staff API without a token or a staff session


OK, LOGIN, SIGN_IN = Outcome.OK, Outcome.LOGIN, Outcome.SIGN_IN
FORBIDDEN, NOT_FOUND, NOT_ALLOWED = Outcome.FORBIDDEN, Outcome.NOT_FOUND, Outcome.NOT_ALLOWED
GONE, REFUSED, UNAUTHORIZED = Outcome.GONE, Outcome.REFUSED, Outcome.UNAUTHORIZED

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


def service_managers_page() -> dict[str, Outcome]:
    """A workspace URL for service managers alone: other staff 403."""
    return staff_page(
        handler=FORBIDDEN, other_unit_handler=FORBIDDEN, manager=FORBIDDEN, service_manager=OK
    )


def request_page(**overrides: Outcome) -> dict[str, Outcome]:
    """A workspace URL of one request: its unit and service managers only; else a 404."""
    return staff_page(**{"other_unit_handler": NOT_FOUND, **overrides})


def staff_api(
    *,
    handler: Outcome = OK,
    other_unit_handler: Outcome = OK,
    manager: Outcome = OK,
    service_manager: Outcome = OK,
) -> dict[str, Outcome]:
    """A staff API URL: without a token or a staff session (the requester too) 401."""
    return staff_page(
        handler=handler,
        other_unit_handler=other_unit_handler,
        manager=manager,
        service_manager=service_manager,
    ) | {"anonymous": UNAUTHORIZED, "requester": UNAUTHORIZED}


def request_api(**overrides: Outcome) -> dict[str, Outcome]:
    """A staff API URL of one request: its unit and service managers only; else a 404."""
    return staff_api(**{"other_unit_handler": NOT_FOUND, **overrides})


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


def open311_json(world: World) -> dict[str, Any]:
    return {"fmt": "json"}


def open311_service(world: World) -> dict[str, Any]:
    return {"fmt": "json", "service_code": "business-plot"}


def open311_request(world: World) -> dict[str, Any]:
    return {"fmt": "json", "service_request_id": world.inquiry.reference}


def open311_no_key(world: World) -> dict[str, Any]:
    return {
        "service_code": "business-plot",
        "description": "Tarvitsemme tontin varastolle.",
        "last_name": "Yrittäjä",
        "email": "testi@example.fi",
    }


def open311_with_key(world: World) -> dict[str, Any]:
    """A partner's post: whoever holds an active key may post, signed in or not."""
    key = ApiKey(name="Partner")
    secret = key.new_secret()
    key.save()
    return {**open311_no_key(world), "api_key": secret}


def received(world: World, to: str) -> InboundMail:
    """A message with a PDF from a colleague of the requester, received by the gateway."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "kollega@example.org", to, "Re: tontti"
    message.set_content("Matin puolesta: tontin koko 5000 m².")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="kartta.pdf")
    return receive_message(message.as_bytes(), envelope=Envelope(via="smtp"))


def held_mail(world: World) -> None:
    """An answer to the request's reply address from another address: held for its unit."""
    world.mail = received(world, reply_address(world.inquiry.reference))
    assert world.mail.outcome == InboundMail.Outcome.HELD


def triage_mail(world: World) -> None:
    """A message to the request's reply address with a forged signature: in triage."""
    forged = f"business+{world.inquiry.reference.lower()}.0123456789abcdef0123@porvoo.fi"
    world.mail = received(world, forged)
    assert world.mail.outcome == InboundMail.Outcome.TRIAGE


def the_mail(world: World) -> dict[str, Any]:
    return {"pk": world.mail.pk}


def the_mail_file(world: World) -> dict[str, Any]:
    return {"pk": world.mail.pk, "file_id": world.mail.files.get().pk}


def mail_action(
    name: str,
    expect: Mapping[str, Outcome],
    given: Callable[[World], None] = held_mail,
    data: Callable[[World], dict[str, Any]] = no_data,
    action: str = "",
) -> Call:
    """A POST of one decision (`action`, else the name) about a received message."""
    return Call(
        "post",
        expect,
        data=data,
        given=given,
        success=("mailin:list",),
        variant=name,
        url_kwargs={"action": action or name},
    )


def record_form(world: World) -> dict[str, Any]:
    return {
        "channel": "phone",
        "request_type": "business-plot",
        "description": "Soitti: tarvitsee tontin varastolle.",
        "contact_name": "Testi Soittaja",
        "phone": "040 123 4567",
        "language": "fi",
    }


# Received mail of the request's unit: its handlers and service managers decide; triage only the
# service desk (no persona here) and service managers.
TRIAGE_ONLY = staff_page(
    handler=NOT_FOUND, other_unit_handler=NOT_FOUND, manager=NOT_FOUND, service_manager=OK
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
    "api:track": Rule(kwargs=tracking, calls=(Call("get", token_holder()),), refuses=("post",)),
    "api:track-reply": Rule(
        kwargs=tracking,
        calls=(Call("post", token_holder(), data=lambda w: {"body": "Lisätietoja."}, json=True),),
        refuses=("get",),
    ),
    "api:track-rate": Rule(
        kwargs=tracking,
        calls=(
            Call("post", token_holder(), data=lambda w: {"rating": 4}, given=resolved, json=True),
        ),
        refuses=("get",),
    ),
    "api:queue": Rule(calls=(Call("get", staff_api()),), refuses=("post",)),
    "api:inquiry-detail": Rule(
        kwargs=inquiry_reference, calls=(Call("get", request_api()),), refuses=("post",)
    ),
    # The request page's actions (workspace:inquiry-action), with the same outcomes.
    "api:inquiry-claim": Rule(
        kwargs=inquiry_reference,
        calls=(Call("post", request_api(service_manager=FORBIDDEN), json=True),),
        refuses=("get",),
    ),
    "api:inquiry-assign": Rule(
        kwargs=inquiry_reference,
        calls=(
            Call(
                "post",
                request_api(handler=FORBIDDEN),
                data=lambda w: {"assignee": w.handler.username},
                json=True,
            ),
        ),
        refuses=("get",),
    ),
    "api:inquiry-transfer": Rule(
        kwargs=inquiry_reference,
        calls=(
            Call(
                "post",
                request_api(),
                data=lambda w: {"unit": w.other_unit.code, "reason": "Työllisyyspalveluille."},
                json=True,
            ),
        ),
        refuses=("get",),
    ),
    **{
        f"api:inquiry-{name}": Rule(
            kwargs=inquiry_reference,
            calls=(Call("post", request_api(), data=lambda w, d=data: d, json=True),),
            refuses=("get",),
        )
        for name, data in (
            ("reply", {"body": "Selvitämme asiaa."}),
            ("note", {"body": "Soitin asiakkaalle."}),
            ("close", {"reason": "spam"}),
        )
    },
    # Asking and resolving are the assignee's (the handler claimed it): anyone else is told
    # someone else has the request (409).
    "api:inquiry-ask": Rule(
        kwargs=inquiry_reference,
        calls=(
            Call(
                "post",
                request_api(manager=REFUSED, service_manager=REFUSED),
                data=lambda w: {"question": "Kuinka suuri tontti?"},
                given=claimed_by_handler,
                json=True,
            ),
        ),
        refuses=("get",),
    ),
    "api:inquiry-resolve": Rule(
        kwargs=inquiry_reference,
        calls=(
            Call(
                "post",
                request_api(manager=REFUSED, service_manager=REFUSED),
                data=lambda w: {"outcome": "Tontti 12 on varattu teille."},
                given=claimed_by_handler,
                json=True,
            ),
        ),
        refuses=("get",),
    ),
    "api:company-list": Rule(calls=(Call("get", staff_api()),), refuses=("post",)),
    "api:company-detail": Rule(
        kwargs=company_pk, calls=(Call("get", request_api()),), refuses=("post",)
    ),
    "api:metrics": Rule(
        calls=(Call("get", staff_api(handler=FORBIDDEN, other_unit_handler=FORBIDDEN)),),
        refuses=("post",),
    ),
    # Any other URL under /api/v1/ (here /api/v1/ itself): a 404 in the API's shape.
    "api:not-found": Rule(
        calls=(Call("get", everyone(NOT_FOUND)), Call("post", everyone(NOT_FOUND)))
    ),
    "schema": Rule(calls=(Call("get", public()),), refuses=("post",)),
    "api-docs": Rule(calls=(Call("get", public()),), refuses=("post",)),
    # -- Open311 GeoReport v2: public reading; posting takes an API key, not a session ---------
    "open311:discovery": Rule(
        kwargs=open311_json, calls=(Call("get", public()),), refuses=("post",)
    ),
    "open311:services": Rule(
        kwargs=open311_json, calls=(Call("get", public()),), refuses=("post",)
    ),
    "open311:service-definition": Rule(
        kwargs=open311_service, calls=(Call("get", public()),), refuses=("post",)
    ),
    "open311:requests": Rule(
        kwargs=open311_json,
        calls=(
            Call("get", public()),
            Call("post", public(), data=open311_with_key, variant="api-key"),
            Call("post", everyone(FORBIDDEN), data=open311_no_key, variant="no-key"),
        ),
        refuses=("put",),
    ),
    "open311:request": Rule(
        kwargs=open311_request, calls=(Call("get", public()),), refuses=("post",)
    ),
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
    # -- data-protection requests: service managers only -----------------------------------------
    "workspace:privacy": Rule(
        calls=(
            Call("get", service_managers_page()),
            Call(
                "post", service_managers_page(), data=lambda w: {"email": w.inquiry.contact.email}
            ),
        ),
    ),
    "workspace:privacy-export": Rule(
        calls=(
            Call(
                "post", service_managers_page(), data=lambda w: {"email": w.inquiry.contact.email}
            ),
        ),
        refuses=("get",),
    ),
    "workspace:privacy-erase": Rule(
        calls=(
            Call(
                "post",
                service_managers_page(),
                data=lambda w: {"erase-email": w.inquiry.contact.email, "erase-confirm": "on"},
            ),
        ),
        refuses=("get",),
    ),
    # -- recording a request by staff, and received mail ----------------------------------------
    "workspace:record": Rule(
        calls=(
            Call("get", staff_page()),
            # Routed to urban development: its staff go to it, the others back to the form.
            Call(
                "post",
                staff_page(),
                data=record_form,
                success=("workspace:inquiry", "workspace:record"),
            ),
        ),
        refuses=("put",),
    ),
    "mailin:list": Rule(calls=(Call("get", staff_page(), given=held_mail),), refuses=("post",)),
    "mailin:detail": Rule(
        kwargs=the_mail,
        calls=(
            Call("get", request_page(), given=held_mail, variant="held"),
            Call("get", TRIAGE_ONLY, given=triage_mail, variant="triage"),
        ),
        refuses=("post",),
    ),
    "mailin:file": Rule(
        kwargs=the_mail_file,
        calls=(Call("get", request_page(), given=held_mail),),
        refuses=("post",),
    ),
    "mailin:action": Rule(
        kwargs=the_mail,
        calls=(
            mail_action("confirm", request_page()),
            mail_action(
                "request",
                request_page(),
                data=lambda w: {"request-request_type": "business-plot", "request-language": "fi"},
            ),
            mail_action("discard", request_page()),
            mail_action(
                "attach",
                TRIAGE_ONLY,
                given=triage_mail,
                data=lambda w: {"attach-reference": w.inquiry.reference},
            ),
            mail_action("discard-triage", TRIAGE_ONLY, given=triage_mail, action="discard"),
            # A decision outside the whitelist does not exist.
            mail_action(
                "delete",
                staff_page(
                    handler=NOT_FOUND,
                    other_unit_handler=NOT_FOUND,
                    manager=NOT_FOUND,
                    service_manager=NOT_FOUND,
                ),
            ),
        ),
        refuses=("get",),
    ),
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
        codes = {UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, NOT_ALLOWED: 405, GONE: 410}
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
