"""Open311 test helpers: a client that speaks the spec's URLs, and XML read back as JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from crm.models import Contact, Unit
from inquiries.models import Inquiry, TransitionLog
from open311.models import ApiKey
from routing.models import RequestType

from ..conftest import MONDAY_MORNING

# Ten days after the fixtures' requests were sent: they are within the default 90 days.
NOW = MONDAY_MORNING + timedelta(days=10)

# Containers of repeated elements in the spec's XML (the Spark convention makes them arrays).
CONTAINERS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "request_log": "entry",
}


class Open311:
    """The Django test client, at /open311/v2/."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @staticmethod
    def url(name: str, fmt: str = "json", **kwargs: Any) -> str:
        return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})

    def get(self, name: str, fmt: str = "json", params: Any = None, **kwargs: Any):
        headers = kwargs.pop("headers", None)
        return self.client.get(self.url(name, fmt, **kwargs), params or {}, headers=headers)

    def post(self, data: dict[str, Any], fmt: str = "json", params: str = ""):
        # As the spec sends it: application/x-www-form-urlencoded.
        return self.client.post(
            self.url("requests", fmt) + params,
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
        )


@pytest.fixture
def open311(client) -> Open311:
    return Open311(client)


@pytest.fixture
def clock():
    """The wall clock stands at NOW (the 90-day default window is counted from it)."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def api_key(db) -> str:
    """The secret of an active API key."""
    key = ApiKey(name="Porvoo app")
    secret = key.new_secret()
    key.save()
    return secret


def from_xml(element: ET.Element) -> Any:
    """The XML document as the Spark convention maps it to JSON (leaves as text)."""
    if element.tag in CONTAINERS:
        assert all(child.tag == CONTAINERS[element.tag] for child in element), element.tag
        return [from_xml(child) for child in element]
    if len(element):
        tags = [child.tag for child in element]
        assert len(tags) == len(set(tags)), f"repeated element outside a container: {tags}"
        return {child.tag: from_xml(child) for child in element}
    return element.text


def as_text(value: Any) -> Any:
    """A JSON document's leaves as XML carries them."""
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return None
    return str(value)


def xml_document(response, root: str) -> Any:
    """Check the XML answer (declaration, content type, root) and return it as JSON would be."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    element = ET.fromstring(response.content)
    assert element.tag == root
    return from_xml(element)


def json_document(response) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_same_in_both(open311: Open311, name: str, root: str, **kwargs: Any) -> Any:
    """GET one method as JSON and as XML: the two say the same; return the JSON."""
    as_json = open311.get(name, "json", **kwargs)
    as_xml = open311.get(name, "xml", **kwargs)
    assert as_json.status_code == as_xml.status_code
    document = json_document(as_json)
    assert xml_document(as_xml, root) == as_text(document)
    return document


def error_descriptions(response, status: int, fmt: str = "json") -> list[str]:
    """The descriptions of an error answer in the spec's format, checked for its codes."""
    assert response.status_code == status, response.content
    if fmt == "xml":
        errors = xml_document(response, "errors")
    else:
        errors = json_document(response)
    assert errors and all(str(error["code"]) == str(status) for error in errors)
    return [error["description"] for error in errors]


def many_inquiries(count: int, *, newest: datetime, claimed_by=None) -> list[Inquiry]:
    """`count` queued business-plot requests, a minute apart, with their log rows (bulk)."""
    plot = RequestType.objects.get(code="business-plot")
    unit = Unit.objects.get(code="urban-development")
    contact, _ = Contact.objects.get_or_create(email="bulk@example.fi", defaults={"name": "Bulk"})
    status = Inquiry.Status.IN_PROGRESS if claimed_by else Inquiry.Status.QUEUED
    inquiries = Inquiry.objects.bulk_create(
        Inquiry(
            reference=f"BP-2026-9{n:05d}",
            status=status,
            request_type=plot,
            unit=unit,
            assignee=claimed_by,
            contact=contact,
            subject="Tontti",
            description="Tarvitsemme tontin.",
            submitted_at=newest - timedelta(minutes=n),
            resolution_due=newest + timedelta(days=10),
        )
        for n in range(count)
    )
    steps = [("route", "new", "queued")]
    if claimed_by:
        steps.append(("claim", "queued", "in_progress"))
    TransitionLog.objects.bulk_create(
        TransitionLog(
            inquiry=inquiry,
            name=name,
            source=source,
            target=target,
            at=inquiry.submitted_at + timedelta(seconds=offset),
            actor_user=claimed_by if name == "claim" else None,
        )
        for inquiry in inquiries
        for offset, (name, source, target) in enumerate(steps)
    )
    return inquiries
