"""The cache: a Redis that is down reads as a miss, and the portal's forms keep working."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from tests.faults.processes import free_port


@pytest.fixture
def redis_down(settings):
    """The default cache pointed at a Redis that is not there (a closed loopback port)."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.FailOpenRedisCache", "LOCATION": location}
    }
    yield caches["default"]


def test_a_cache_that_is_down_answers_as_an_empty_cache(redis_down):
    assert redis_down.get("key", "default") == "default"
    assert redis_down.add("key", 1) is False
    assert redis_down.incr("key") is None
    redis_down.set("key", 1)  # nothing raised
    assert redis_down.delete("key") is False
    assert redis_down.get_many(["a", "b"]) == {}


@pytest.mark.django_db
def test_a_rate_limited_portal_form_works_while_redis_is_down(redis_down, settings):
    # given the portal's rate limit, counted in a cache whose Redis is down
    settings.PORTAL_RATE_LIMIT = "2/m"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    # when a requester asks for a sign-in link three times
    answers = [client.post("/my-requests/", {"email": "x@example.fi"}) for _ in range(3)]
    # then each is answered (no count, so no limit), never a server error
    assert [answer.status_code for answer in answers] == [200, 200, 200]
