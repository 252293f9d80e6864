"""The GeoReport v2 methods. Plain Django views: they are not part of the REST API or its schema.

Each answers in the format its URL names (``services.json``, ``services.xml``) and in the
language asked for (``locale``, else Accept-Language; Finnish by default); errors come as the
spec's list of ``code`` and ``description``, the description naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import parseaddr
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from crm.translation import LANGUAGE_CODES, pick_language
from routing.models import RequestType

from . import catalogue, service_requests, submission
from .render import Many, Open311Error, render

# This endpoint serves one jurisdiction; the spec suggests the city's web address as its id.
JURISDICTION_ID = "porvoo.fi"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this interface last changed (the discovery document's "changeset").
CHANGESET = "2026-11-26"

View = Callable[..., HttpResponse]


def response_language(request: HttpRequest) -> str:
    """fi, sv or en: the `locale` parameter (fi, sv_FI, en-GB…), else the request's language."""
    asked = request.GET.get("locale") or request.POST.get("locale") or ""
    base = asked.replace("_", "-").split("-")[0].strip().lower()
    if base in LANGUAGE_CODES:
        return base
    return pick_language(getattr(request, "LANGUAGE_CODE", None))


def check_jurisdiction(request: HttpRequest) -> None:
    asked = (
        request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or ""
    ).strip()
    if asked and asked.lower() != JURISDICTION_ID:
        message = _("Unknown jurisdiction “%(value)s”; this endpoint serves %(ours)s.")
        raise Open311Error(
            404, "jurisdiction_id: " + str(message % {"value": asked[:50], "ours": JURISDICTION_ID})
        )


def refuse_null_characters(request: HttpRequest, path_arguments: dict[str, Any]) -> None:
    # PostgreSQL cannot compare text holding NUL: refused here, it is a 400, not a 500.
    given = [*request.GET.lists(), *((name, [value]) for name, value in path_arguments.items())]
    if request.method == "POST":
        given += list(request.POST.lists())
    for name, values in given:
        if any("\x00" in value for value in values):
            message = _("A null character is not allowed.")
            raise Open311Error(400, f"{name[:50]}: {message}")


def wants_extensions(params: QueryDict) -> bool:
    value = params.get("extensions", "").strip().lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise Open311Error(400, "extensions: " + str(_("Give true or false.")))


def endpoint(*methods: str) -> Callable[[View], View]:
    """An Open311 method: its HTTP methods, the jurisdiction, the language, errors as the spec's."""
    allowed = (*methods, "HEAD") if "GET" in methods else methods

    def decorate(view: View) -> View:
        # No session or cookie ever authorises anything here (posting takes an API key), so
        # partners' servers post without a CSRF token.
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *, fmt: str, **kwargs: Any) -> HttpResponse:
            language = response_language(request)
            with translation.override(language):
                try:
                    if request.method not in allowed:
                        message = _("This method takes %(methods)s.")
                        raise Open311Error(
                            405,
                            str(message % {"methods": ", ".join(methods)}),
                            headers={"Allow": ", ".join(allowed)},
                        )
                    refuse_null_characters(request, kwargs)
                    check_jurisdiction(request)
                    response = view(request, fmt, **kwargs)
                except Open311Error as error:
                    response = error.response(fmt)
            response["Content-Language"] = language
            return response

        return wrapper

    return decorate


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    email = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    base = reverse("open311:discovery", kwargs={"fmt": fmt}).rsplit("/", 1)[0]
    document = {
        "changeset": CHANGESET,
        "contact": _("Business Porvoo service desk: %(email)s") % {"email": email},
        "key_service": _(
            "Reading needs no key. To post requests, ask Business Porvoo for an API key: %(email)s"
        )
        % {"email": email},
        "endpoints": Many(
            "endpoint",
            [
                {
                    "specification": SPECIFICATION,
                    "url": settings.SITE_URL + base,
                    "changeset": CHANGESET,
                    "type": "test" if settings.DEBUG else "production",
                    "formats": Many("format", ["text/xml", "application/json"]),
                }
            ],
        ),
    }
    return render("discovery", document, fmt)


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return render("services", catalogue.service_list(translation.get_language()), fmt)


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    request_type = RequestType.objects.active().filter(code=service_code).first()
    if request_type is None:
        message = _("No service “%(value)s”; GET services.json lists them.")
        raise Open311Error(404, "service_code: " + str(message % {"value": service_code[:50]}))
    return render("service_definition", catalogue.service_definition(request_type), fmt)


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    now = timezone.now()
    if request.method == "POST":
        created = submission.submit(request, now=now)
        return render("service_requests", Many("request", [created]), fmt)
    extensions = wants_extensions(request.GET)
    query = service_requests.parse_query(request.GET, now=now)
    found = service_requests.matching(query, extensions=extensions)
    language = translation.get_language()
    listed = service_requests.entries(found, language, extensions=extensions)
    return render("service_requests", listed, fmt)


@endpoint("GET")
def service_request(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    extensions = wants_extensions(request.GET)
    inquiry = service_requests.one(service_request_id, extensions=extensions)
    language = translation.get_language()
    listed = service_requests.entries([inquiry], language, extensions=extensions)
    return render("service_requests", listed, fmt)
