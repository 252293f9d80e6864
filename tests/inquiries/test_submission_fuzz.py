"""Whatever arrives at the submission API, the answer is 201 or a 400 naming fields; never 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db
FIELDS = [
    "request_type", "subject", "description", "company_name", "business_id",
    "contact_name", "email", "phone", "language",
]  # fmt: skip

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=12_000).filter(
        lambda s: len(s) < 50 or len(s) > 9_990
    ),
    st.just("\x00"),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.sampled_from(["other", "business-plot", "fi", "sv", "0114162-2", "a@example.fi"]),
)
payloads = st.dictionaries(st.sampled_from(FIELDS), junk, max_size=len(FIELDS))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=payloads)
def test_any_payload_is_answered_cleanly_and_never_half_saved(payload):
    client = APIClient()
    before = Inquiry.objects.count()
    response = client.post("/api/v1/inquiries/", payload, format="json")
    assert response.status_code in (201, 400), response.content[:500]
    after = Inquiry.objects.count()
    if response.status_code == 400:
        errors = response.json()
        assert errors and set(errors) <= set(FIELDS) | {"non_field_errors", "detail"}
        assert after == before
    else:
        assert after == before + 1
