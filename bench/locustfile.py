"""Locust users for `bench_scale`'s load run against gunicorn (run headless by bench/load.py).

BENCH_COOKIE: the session cookie (name=value) of a signed-in handler (queue reads);
BENCH_BUSINESS_IDS: comma-separated business IDs of known companies (submissions).
"""

from __future__ import annotations

import itertools
import os
import uuid

from locust import FastHttpUser, task

DESCRIPTION = (
    "Hei, etsimme uutta tonttia tuotantohallille ja toivomme yhteydenottoa. "
    "Yrityksemme toimii Porvoossa ja kasvaa."
)
CODES = ("business-plot", "recruitment", "business-start", "premises", "other", "zoning")
_numbers = itertools.count(1)
_business_ids = [b for b in os.environ.get("BENCH_BUSINESS_IDS", "").split(",") if b]


class SubmitUser(FastHttpUser):
    """An API client submitting requests, one after another without pause."""

    @task
    def submit(self) -> None:
        n = next(_numbers)
        known = _business_ids and n % 2 == 0
        payload = {
            "request_type": CODES[n % len(CODES)],
            "description": DESCRIPTION,
            "contact_name": "Kuormitus Testaaja",
            "email": f"load.{uuid.uuid4().hex[:12]}@example.fi",
            "company_name": "Kuormitus Oy" if known else "",
            "business_id": _business_ids[n % len(_business_ids)] if known else "",
            "language": ("fi", "sv", "en")[n % 3],
        }
        with self.client.post(
            "/api/v1/inquiries/", json=payload, name="POST /api/v1/inquiries/", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class QueueUser(FastHttpUser):
    """A handler reloading the unit queue's first page."""

    @task
    def queue(self) -> None:
        headers = {"Cookie": os.environ["BENCH_COOKIE"]}
        with self.client.get(
            "/staff/queue/", headers=headers, name="GET /staff/queue/", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif b'id="queue"' not in (response.content or b""):
                response.failure("200 but not the queue (signed out?)")


class TrivialUser(FastHttpUser):
    """The yardstick: a view that does nothing."""

    @task
    def trivial(self) -> None:
        self.client.get("/__bench__/trivial/", name="GET trivial")
