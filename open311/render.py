"""One Open311 document, rendered as XML or as JSON by the spec's Spark convention.

A container of repeated elements (``<services><service>…``) is a ``Many``; in JSON it is an
array, in XML the container element holds one element per item. The document's root element
name is used by XML only: in JSON the root container is the array itself.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

FORMATS = ("json", "xml")
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xml": "text/xml; charset=utf-8",
}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# Characters XML 1.0 cannot carry at all; ElementTree would write them and break the document.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Many:
    """A container of repeated elements named `item`: a JSON array."""

    item: str
    items: Sequence[Any]


class Open311Error(Exception):
    """An answer in the spec's error format: one HTTP status, one or more descriptions."""

    def __init__(self, status: int, *descriptions: str, headers: Mapping[str, str] = ()) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions
        self.headers = dict(headers)

    def response(self, fmt: str) -> HttpResponse:
        errors = Many("error", [{"code": self.status, "description": d} for d in self.descriptions])
        response = render("errors", errors, fmt, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def w3c(moment: datetime) -> str:
    """Return the instant in the W3C profile of ISO 8601, in Helsinki time with its offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def as_json(value: Any) -> Any:
    if isinstance(value, Many):
        return [as_json(item) for item in value.items]
    if isinstance(value, Mapping):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Many):
        for item in value.items:
            _fill(ET.SubElement(element, value.item), item)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif value is None:
        return  # an empty element, as the spec's examples show (<account_id/>)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif isinstance(value, datetime):
        element.text = w3c(value)
    else:
        element.text = _NOT_XML.sub("", str(value))


def as_xml(root: str, value: Any) -> str:
    element = ET.Element(root)
    _fill(element, value)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def render(root: str, value: Any, fmt: str, *, status: int = 200) -> HttpResponse:
    """Answer with the document in the format the URL asked for."""
    if fmt == "xml":
        body = as_xml(root, value)
    else:
        body = json.dumps(as_json(value), ensure_ascii=False)
    return HttpResponse(body, content_type=CONTENT_TYPES[fmt], status=status)
