"""Every form and API serializer under hostile input: 400s with messages, never a 500, nothing
half-saved.

The requests come from the permission matrix (`tests/test_permissions.py`): each call there that
sends data is replayed by a persona it is allowed for, with its fields replaced by what
hypothesis draws (unicode of every kind, huge and empty text, NUL bytes, numbers, lists,
objects, missing fields); each page that takes a query string gets hostile filters. A new view
with a matrix row is fuzzed without anything added here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.models import Company, Contact
from inquiries.models import Attachment, Inquiry, Message, TransitionLog
from notifications.models import Notification
from tests import test_permissions as permissions
from tests.test_permissions import MATRIX, OK, Call, send

pytestmark = pytest.mark.django_db

# The permission matrix's fixtures: a sent request and each persona's browser.
sent = permissions.sent
make_world = permissions.make_world

# Text as people and attackers type it: any printable or control character (no lone
# surrogates: they cannot be sent as UTF-8 at all), NUL bytes, right-to-left marks, emoji,
# whitespace only, and text far over every limit.
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\u202e\u0644", "🙂" * 50, "'; DROP TABLE x;--"]),
    st.integers(min_value=1, max_value=3).map(lambda n: "å" * (10_001 * n)),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
FORM_VALUE = st.one_of(TEXT, st.lists(TEXT, min_size=2, max_size=3))
JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        TEXT,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(TEXT, children, max_size=3)
    ),
    max_leaves=6,
)
MISSING = object()
# Parameters the lists, queues and dashboards read from their query strings.
QUERY_NAMES = [
    "status", "unit", "request_type", "assignee", "sla", "q", "search", "language", "channel",
    "order", "ordering", "page", "page_size", "start", "end", "days", "trend", "quick",
    "submitted_after", "submitted_before", "service_code", "start_date", "end_date",
    "extensions", "service_request_id", "jurisdiction_id", "locale", "format",
]  # fmt: skip
TABLES = (Inquiry, Message, Attachment, TransitionLog, Notification, Contact, Company)


def first_allowed(call: Call) -> str | None:
    return next((persona for persona, outcome in call.expect.items() if outcome is OK), None)


def calls(methods: tuple[str, ...]) -> list[Any]:
    found = []
    for name, rule in MATRIX.items():
        for call in rule.calls:
            persona = first_allowed(call)
            if call.method in methods and persona is not None:
                found.append(pytest.param(name, call, persona, id=f"{name}-{call.id}-{persona}"))
    return found


def counts() -> dict[str, int]:
    return {table.__name__: table.objects.count() for table in TABLES}


def hostile(valid: dict[str, Any], as_json: bool) -> st.SearchStrategy[dict[str, Any]]:
    """The valid data with some fields replaced, dropped or added."""
    value = JSON_VALUE if as_json else FORM_VALUE
    replaced = st.fixed_dictionaries(
        {
            key: st.one_of(st.just(original), value, st.just(MISSING))
            for key, original in valid.items()
        }
    )
    extra = st.dictionaries(
        st.sampled_from(["extra", "id", "status", "__proto__"]), value, max_size=1
    )
    return st.builds(
        lambda fields, more: {k: v for k, v in (fields | more).items() if v is not MISSING},
        replaced,
        extra,
    )


def has_message(response) -> bool:
    """A 400 says what is wrong: a field's message (JSON), an error summary or alert (HTML), or
    a line of text (CSV exports answer in plain text)."""
    body = response.content.decode("utf-8", "replace")
    kind = response.get("Content-Type", "")
    if "json" in kind:
        return bool(json.loads(body))
    if kind.startswith("text/plain") or "xml" in kind:
        return bool(body.strip())
    return any(mark in body for mark in ('role="alert"', "error-message", "error-summary"))


FUZZ = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize(("name", "call", "persona"), calls(("post", "put", "patch")))
def test_hostile_data_is_refused_with_a_message(make_world, name, call, persona):
    world = make_world(persona)
    call.given(world)
    url = reverse(name, kwargs=MATRIX[name].kwargs(world) | dict(call.url_kwargs))
    valid = call.data(world)

    @FUZZ
    @given(
        data=hostile(valid, call.json) if valid else st.dictionaries(TEXT, FORM_VALUE, max_size=3)
    )
    def fuzz(data: dict[str, Any]) -> None:
        before = counts()
        response = send(world, url, call, data)
        # A view that fails raises in the test client: reaching here means no 500 escaped.
        assert response.status_code < 500, response.status_code
        if response.status_code == 400:
            assert has_message(response), f"a 400 without a message: {data!r:.300}"
        if response.status_code >= 400:
            assert counts() == before, "refused, yet something was saved"

    fuzz()


@pytest.mark.parametrize(("name", "call", "persona"), calls(("get",)))
def test_hostile_query_strings_never_break_a_page(make_world, name, call, persona):
    world = make_world(persona)
    call.given(world)
    url = reverse(name, kwargs=MATRIX[name].kwargs(world) | dict(call.url_kwargs))

    @FUZZ
    @given(query=st.dictionaries(st.sampled_from(QUERY_NAMES), FORM_VALUE, max_size=4))
    def fuzz(query: dict[str, Any]) -> None:
        response = world.client.get(url, query)
        assert response.status_code < 500, response.status_code
        if response.status_code == 400:
            assert has_message(response), f"a 400 without a message: {query!r:.300}"

    fuzz()
