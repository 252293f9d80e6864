"""Personas and fixtures shared by the whole suite."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import translation

from crm.models import Membership, Unit
from inquiries import services
from inquiries.models import Inquiry
from routing.models import RequestType

from .factories import ContactFactory, UserFactory, submission

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _postgres_available() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def pytest_runtest_setup(item: pytest.Item) -> None:
    # In CI (REQUIRE_SERVICES=1) a missing service fails the run instead of skipping.
    if item.get_closest_marker("postgres") and not _postgres_available():
        if REQUIRE_SERVICES:
            pytest.fail("PostgreSQL is required (REQUIRE_SERVICES=1) but DATABASE_URL is not it")
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if item.get_closest_marker("redis"):
        url = _redis_url()
        reachable = False
        if url:
            import redis

            try:
                reachable = bool(redis.Redis.from_url(url, socket_timeout=2).ping())
            except redis.RedisError:
                reachable = False
        if not reachable:
            if REQUIRE_SERVICES:
                pytest.fail(f"Redis is required (REQUIRE_SERVICES=1) but not reachable at {url!r}")
            pytest.skip("needs Redis: set REDIS_URL=redis://…")


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Messages built outside a request (services, models) use the active language; a request
    # leaves its language active in the thread, so each test starts from English. Requests
    # still choose their own language (Accept-Language, default Finnish).
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()


@pytest.fixture
def unit(db) -> Unit:
    return Unit.objects.get(code="urban-development")


@pytest.fixture
def other_unit(db) -> Unit:
    return Unit.objects.get(code="employment-services")


@pytest.fixture
def handler(unit):
    user = UserFactory(username="hanna.handler", first_name="Hanna", last_name="Handler")
    Membership.objects.create(user=user, unit=unit, role=Membership.Role.HANDLER)
    return user


@pytest.fixture
def other_handler(unit):
    user = UserFactory(username="olli.other", first_name="Olli", last_name="Other")
    Membership.objects.create(user=user, unit=unit, role=Membership.Role.HANDLER)
    return user


@pytest.fixture
def outsider(other_unit):
    """A handler of another unit."""
    user = UserFactory(username="ulla.outsider", first_name="Ulla", last_name="Outsider")
    Membership.objects.create(user=user, unit=other_unit, role=Membership.Role.HANDLER)
    return user


@pytest.fixture
def manager(unit):
    user = UserFactory(username="maija.manager", first_name="Maija", last_name="Manager")
    Membership.objects.create(user=user, unit=unit, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def service_manager(db):
    return UserFactory(username="sami.service", is_service_manager=True)


@pytest.fixture
def requester(db):
    return ContactFactory(email="yrittaja@example.fi", name="Yrjö Yrittäjä")


@pytest.fixture
def submit(db, requester):
    """Submit an inquiry through the service, as the API would; returns the Submitted."""

    def _submit(now: datetime | None = None, **fields) -> services.Submitted:
        fields.setdefault("email", requester.email)
        fields.setdefault("contact_name", requester.name)
        return services.submit_inquiry(submission=submission(**fields), now=now)

    return _submit


MONDAY_MORNING = datetime(2026, 9, 7, 8, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


@pytest.fixture
def queued_inquiry(submit) -> Inquiry:
    """A business-plot request sent on Monday 7.9.2026 08:00, queued in urban development."""
    return submit(
        request_type=RequestType.objects.get(code="business-plot"), now=MONDAY_MORNING
    ).inquiry


@pytest.fixture
def claimed_inquiry(queued_inquiry, handler) -> Inquiry:
    """The queued inquiry, claimed by `handler` at 09:00."""
    return services.claim_inquiry(
        inquiry_id=queued_inquiry.pk, handler=handler, now=MONDAY_MORNING + timedelta(hours=1)
    )
