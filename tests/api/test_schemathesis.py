"""Schemathesis against /api/schema/: every operation fuzzed, anonymously and as staff.

No answer may be a 500, and every answer must match the schema (status code, content type,
body, headers); input that breaks the schema must be refused (negative_data_rejection).
One check is left out, `positive_data_acceptance`: input that fits the schema may still be
refused with a 400 when it names what does not exist (a unit code, a username, a request
type), which a schema cannot list.

Schemathesis' pytest integration (`from_fixture`) does not run under pytest 9.2 (it sets
`Function._nodeid`, which pytest 9 no longer has), so each operation's Hypothesis strategy is
run here directly. Half of the positive cases get a real reference, tracking token or company
(fresh requests for each operation, in the state the operation needs), so the operations are
exercised beyond their 404s.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.generation import GenerationMode

from crm.models import User
from inquiries import services
from tests.conftest import MONDAY_MORNING
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 20  # per operation and mode
FEW = 4  # where every answer is the same refusal (staff operations without credentials)
CONFIG = {"checks": {"positive_data_acceptance": {"enabled": False}}}


@pytest.fixture
def _connection_kept(db) -> Iterator[None]:
    # Called as a WSGI app, Django closes the database connection after each request (inside
    # the test's transaction, so everything would be lost); its own test client does not.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(_connection_kept, settings):
    # Generous limits: the fuzzing makes hundreds of calls from one address and one account.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"tracking": "100000/hour", "staff": "100000/hour"},
    }
    config = schemathesis.Config.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=config)


class Known:
    """Real keys for the positive cases: requests in the state each operation needs."""

    def __init__(self, submit, actor: User) -> None:
        self.submit, self.actor = submit, actor
        self.company = CompanyFactory()
        self.turn: Iterator[int] = itertools.count()
        self.references: list[str] = []
        self.tokens: list[str] = []
        self.succeeded: Counter = Counter()  # 2xx answers per operation

    def prepare(self, path: str) -> None:
        """Three fresh requests for the next operation, resolved or claimed where it needs."""
        self.references, self.tokens = [], []
        for n in range(3):
            sent = self.submit(
                now=MONDAY_MORNING,
                company_name=self.company.name,
                business_id=self.company.business_id,
                description=f"Tontti varastolle, numero {n}.",
            )
            inquiry = sent.inquiry
            if path.endswith(("/ask/", "/resolve/", "/rate/")):
                services.claim_inquiry(inquiry_id=inquiry.pk, handler=self.actor)
            if path.endswith("/rate/"):
                services.resolve_inquiry(inquiry_id=inquiry.pk, handler=self.actor, outcome="OK")
            services.add_internal_note(inquiry_id=inquiry.pk, handler=self.actor, body="Sisäinen.")
            self.references.append(inquiry.reference)
            self.tokens.append(sent.tracking_token)

    def fill(self, case) -> None:
        """Put real keys (and names that exist) into every other positive case."""
        if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
            return
        turn = next(self.turn)
        if turn % 2:
            return
        pick = turn // 2 % 3
        params = case.path_parameters or {}
        if "reference" in params:
            params["reference"] = self.references[pick]
        if "token" in params:
            params["token"] = self.tokens[pick]
        if "id" in params:
            params["id"] = self.company.pk
        if isinstance(case.body, dict):
            if "assignee" in case.body:
                case.body["assignee"] = self.actor.username
            if "unit" in case.body:
                case.body["unit"] = "employment-services"
            if "request_type" in case.body:
                case.body["request_type"] = "business-plot"


def can_break(operation) -> bool:
    """Whether any input of the operation can break the schema (a string path alone cannot)."""
    raw = operation.definition.raw
    return "requestBody" in raw or any(
        parameter["in"] != "path" or parameter["schema"].get("type") != "string"
        for parameter in raw.get("parameters", [])
    )


def fuzz(schema, known: Known, headers: dict[str, str]) -> tuple[list[str], Counter]:
    """Run every operation with positive and negative data.

    Return what failed (per operation and mode) and how often each operation answered 2xx.
    """
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        public = "public" in operation.definition.raw.get("tags", [])
        if headers and public:
            continue  # the same with or without credentials: the anonymous run has them
        examples = EXAMPLES if public or headers else FEW
        known.prepare(operation.path)
        modes = [GenerationMode.POSITIVE]
        if can_break(operation):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            run = settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],  # no shrinking: report as found
            )(given(case=operation.as_strategy(generation_mode=mode))(call(known, headers)))
            try:
                run()
            except Exception as exc:  # noqa: BLE001 - collected, reported together below
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    return failures, known.succeeded


def call(known: Known, headers: dict[str, str]):
    """The test body: fill in real keys, call, validate, count the successes."""

    def run(case) -> None:
        known.fill(case)
        response = case.call_and_validate(headers=headers)
        if response.status_code < 300:
            known.succeeded[case.operation.label] += 1

    return run


def test_anonymous(api_schema, submit, handler):
    # when every operation is called with generated data by someone not signed in
    failures, succeeded = fuzz(api_schema, Known(submit, handler), headers={})
    # then nothing fails and every answer matches the schema
    assert not failures, "\n\n".join(failures)
    # and the public operations were exercised, not only refused
    assert {
        "POST /api/v1/inquiries/",
        "GET /api/v1/track/{token}/",
        "POST /api/v1/track/{token}/reply/",
        "POST /api/v1/track/{token}/rate/",
    } <= set(succeeded), succeeded


def test_as_unit_manager(api_schema, submit, manager):
    # given a unit manager's token (they may take every action and see the figures)
    token = Token.objects.create(user=manager)
    # when every staff operation is called with generated data
    headers = {"Authorization": f"Token {token.key}"}
    failures, succeeded = fuzz(api_schema, Known(submit, manager), headers=headers)
    # then nothing fails and every answer matches the schema
    assert not failures, "\n\n".join(failures)
    # and every operation was exercised, not only refused
    staff_operations = {
        label
        for label in (op.ok().label for op in api_schema.get_all_operations())
        if "/track/" not in label and label != "POST /api/v1/inquiries/"
    }
    assert staff_operations <= set(succeeded), staff_operations - set(succeeded)
