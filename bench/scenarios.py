"""What `bench_scale` measures, and the scale test counts the queries of: pages and jobs.

Each scenario is one call as a user gets it: a GET or POST through Django's whole stack
(middleware, session, view, template) with the test client, or a beat job called as Celery calls
it. The same scenarios run in the benchmark (timed) and in tests/scale (query counts at two
sizes), so the test checks exactly what the benchmark reports.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from crm.models import Company, Membership, Unit, User
from inquiries import services
from inquiries.models import Inquiry
from routing.models import RequestType

from . import texts
from .urls import TRIVIAL_PATH, TRIVIAL_SIGNED_IN_PATH

CSV_ROWS = 100_000
# The word searched in the queue (with an SLA filter): in subjects of the plot requests.
SEARCH_WORD = "tontti"


@dataclass(frozen=True)
class Personas:
    """Who the pages are measured as: a handler of the biggest unit, and a service manager."""

    unit: Unit
    handler: User
    manager: User


def make_personas() -> Personas:
    """Create the two users (with e-mail, so that they get their notifications as staff do)."""
    counts = Unit.objects.annotate(n=Count("inquiries")).order_by("-n", "pk")
    unit = counts.first() or Unit.objects.get(code="urban-development")
    handler = User.objects.create(
        username="bench.handler",
        email="bench.handler@example.fi",
        first_name="Bench",
        last_name="Handler",
        language="fi",
    )
    Membership.objects.create(user=handler, unit=unit, role=Membership.Role.HANDLER)
    manager = User.objects.create(
        username="bench.service-manager",
        email="bench.manager@example.fi",
        is_service_manager=True,
        language="fi",
    )
    return Personas(unit=unit, handler=handler, manager=manager)


@dataclass(frozen=True)
class Targets:
    """The rows the pages show: found in the data, the same at every run."""

    reference: str  # an open request of the unit, with a timeline, for the request page
    company: int  # the company with most requests in the unit
    business_id: str  # of a company with an open request in the unit
    csv_start: str  # the export's first day: about CSV_ROWS requests up to today
    csv_end: str


def _local_day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def find_targets(personas: Personas, *, now: datetime, csv_rows: int = CSV_ROWS) -> Targets:
    """Pick the request, company and period the scenarios read (a few seconds at 1,000,000)."""
    unit = personas.unit
    open_in_unit = Inquiry.objects.filter(unit=unit, status__in=Inquiry.OPEN_STATES)
    detail = (
        open_in_unit.filter(status=Inquiry.Status.IN_PROGRESS, first_response_at__isnull=False)
        .order_by("-submitted_at", "-pk")
        .first()
    ) or open_in_unit.order_by("-submitted_at", "-pk").first()
    company = (
        Inquiry.objects.filter(unit=unit, company__isnull=False)
        .values("company")
        .annotate(n=Count("pk"))
        .order_by("-n", "company")
        .first()
    )
    with_open = open_in_unit.filter(company__isnull=False).order_by("-pk").first()
    oldest = (
        Inquiry.objects.order_by("-submitted_at", "-pk")
        .values_list("submitted_at", flat=True)[csv_rows - 1 : csv_rows]
        .first()
    ) or Inquiry.objects.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    if detail is None or company is None or with_open is None or oldest is None:
        raise ValueError(f"Too few requests in {unit.code} to measure: seed more.")
    return Targets(
        reference=detail.reference,
        company=company["company"],
        business_id=with_open.company.business_id,
        csv_start=_local_day(oldest),
        csv_end=_local_day(now),
    )


@dataclass
class Scenario:
    """One measured call; `run` raises if the answer is not the expected one."""

    name: str
    run: Callable[[], Any]
    target_ms: float | None = None


def signed_in(user: User) -> Client:
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(user)
    return client


def _get(client: Client, url: str, *, contains: bytes | None = None) -> Callable[[], int]:
    """A GET that must answer 200; streamed answers are read to the end. Returns the size."""

    def run() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url}: {response.status_code}")
        if response.streaming:
            return sum(len(part) for part in response.streaming_content)
        if contains is not None and contains not in response.content:
            raise AssertionError(f"GET {url}: {contains!r} not in the page")
        return len(response.content)

    return run


def csv_lines(client: Client, url: str) -> int:
    """Read a streamed CSV export; return its data lines (the header not counted)."""
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"GET {url}: {response.status_code}")
    return sum(part.count(b"\n") for part in response.streaming_content) - 1


def csv_url(targets: Targets) -> str:
    query = {"start": targets.csv_start, "end": targets.csv_end}
    return f"{reverse('workspace:dashboard-requests-csv')}?{urlencode(query)}"


class Submissions:
    """POST /api/v1/inquiries/ as API clients send them: new people, half of known companies."""

    def __init__(self) -> None:
        self.codes = list(RequestType.objects.active().values_list("code", flat=True))
        self.business_ids = list(
            Company.objects.order_by("pk").values_list("business_id", flat=True)[:1000]
        )
        self.numbers = itertools.count(1)
        self.client = Client(HTTP_HOST="localhost")
        self.url = reverse("api:inquiry-submit")
        self.stamp = timezone.now().strftime("%H%M%S%f")

    def payload(self, n: int) -> dict[str, str]:
        language = ("fi", "fi", "sv", "en")[n % 4]
        code = self.codes[n % len(self.codes)]
        known = self.business_ids and n % 2 == 0
        return {
            "request_type": code,
            "subject": "",
            "description": texts.DESCRIPTIONS[language],
            "company_name": "Bench Konepaja Oy" if known else "",
            "business_id": self.business_ids[n % len(self.business_ids)] if known else "",
            "contact_name": f"{texts.FIRST_NAMES[n % 12]} {texts.LAST_NAMES[n % 12]}",
            "email": f"bench.{self.stamp}.{n}@example.fi",
            "language": language,
        }

    def run(self) -> str:
        n = next(self.numbers)
        response = self.client.post(self.url, self.payload(n), content_type="application/json")
        if response.status_code != 201:
            raise AssertionError(f"POST {self.url}: {response.status_code} {response.content!r}")
        return response.json()["reference"]


def trivial_scenarios(personas: Personas) -> list[Scenario]:
    """The yardsticks: a view that does nothing, anonymous and signed in."""
    anonymous = Client(HTTP_HOST="localhost")
    handler = signed_in(personas.handler)
    return [
        Scenario("trivial view", _get(anonymous, TRIVIAL_PATH)),
        Scenario("trivial view, signed in", _get(handler, TRIVIAL_SIGNED_IN_PATH)),
    ]


def page_scenarios(
    personas: Personas, targets: Targets, *, scan_at: datetime | None = None
) -> list[Scenario]:
    """The pages and jobs of issue 8 with their targets in ms (None: no target set)."""
    handler, manager = signed_in(personas.handler), signed_in(personas.manager)
    queue = reverse("workspace:queue")
    search = {"q": SEARCH_WORD, "sla": "breached"}
    dashboard = reverse("workspace:dashboard")
    year = {"days": "365", "trend": "month"}
    csv = csv_url(targets)
    return [
        Scenario("queue, first page", _get(handler, queue), 30),
        Scenario(
            f"queue, search “{SEARCH_WORD}” + SLA breached",
            _get(handler, f"{queue}?{urlencode(search)}"),
            100,
        ),
        Scenario(
            "queue, search a reference",
            _get(
                handler,
                f"{queue}?{urlencode({'q': targets.reference})}",
                contains=targets.reference.encode(),
            ),
            100,
        ),
        Scenario(
            "queue, search a business ID",
            _get(handler, f"{queue}?{urlencode({'q': targets.business_id})}"),
            100,
        ),
        Scenario(
            "request page",
            _get(
                handler,
                reverse("workspace:inquiry", args=[targets.reference]),
                contains=targets.reference.encode(),
            ),
            30,
        ),
        Scenario(
            "company view", _get(handler, reverse("workspace:company", args=[targets.company])), 30
        ),
        Scenario(
            "dashboard, 12 months (snapshot)", _get(manager, f"{dashboard}?{urlencode(year)}"), 500
        ),
        Scenario(
            "dashboard, 12 months (recompute=1)",
            _get(manager, f"{dashboard}?{urlencode({**year, 'recompute': '1'})}"),
        ),
        Scenario("CSV export of the requests", lambda: csv_lines(manager, csv)),
        Scenario("SLA scan (beat job)", lambda: services.scan_service_levels(now=scan_at), 2000),
        Scenario("submission API (POST)", Submissions().run),
    ]
