"""The service list and the service definition: request types, and what a submission takes.

Open311's own fields (description, email, first_name, last_name, phone) cover most of a
submission; the rest of ours travels as attributes, ``attribute[business_id]=1234567-1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crm.models import Language
from crm.translation import LANGUAGE_CODES
from inquiries.api import InquirySubmissionSerializer
from routing.models import RequestType

from .render import Many


@dataclass(frozen=True)
class Attribute:
    """One attribute of the service definition, and the submission field it fills."""

    code: str
    description: Promise
    datatype_description: Promise | None = None  # None: the field's length limit
    datatype: str = "string"
    with_choices: bool = False


# Every request type takes the same attributes; the order is the spec's `order`.
ATTRIBUTES = (
    Attribute(
        code="business_id",
        description=_("The company's Finnish business ID (Y-tunnus), if it has one."),
        datatype_description=_("For example 1234567-1, check digit included."),
    ),
    Attribute(
        code="company_name",
        description=_("The company's name; empty for someone about to start a company."),
    ),
    Attribute(
        code="subject",
        description=_("A short title; empty: the start of the description."),
    ),
    Attribute(
        code="language",
        description=_("The language the requester is answered in (default Finnish)."),
        datatype_description=_("fi, sv or en."),
        datatype="singlevaluelist",
        with_choices=True,
    ),
)
ATTRIBUTE_CODES = frozenset(attribute.code for attribute in ATTRIBUTES)


def service_entry(request_type: RequestType, language: str) -> dict[str, Any]:
    """One request type as a GeoReport service, in the language asked for."""
    unit = request_type.default_unit
    return {
        "service_code": request_type.code,
        "service_name": request_type.name_in(language),
        "description": request_type.description_in(language),
        "metadata": bool(ATTRIBUTES),
        "type": "realtime",
        "keywords": keywords(request_type, language),
        "group": unit.name_in(language) if unit else None,
    }


def keywords(request_type: RequestType, language: str) -> str:
    """The type's names in the other languages: synonyms for people searching in another one.

    The routing rules' keywords are not used: they are word stems (``*tont``, ``=ely``) for the
    engine, not words to show.
    """
    names = [request_type.name_in(code) for code in LANGUAGE_CODES if code != language]
    return ", ".join(dict.fromkeys(name for name in names if name))


def service_list(language: str) -> Many:
    types = RequestType.objects.active().select_related("default_unit").order_by("order", "code")
    return Many("service", [service_entry(request_type, language) for request_type in types])


def service_definition(request_type: RequestType) -> dict[str, Any]:
    return {
        "service_code": request_type.code,
        "attributes": Many(
            "attribute",
            [_attribute_entry(attribute, order) for order, attribute in enumerate(ATTRIBUTES, 1)],
        ),
    }


def _attribute_entry(attribute: Attribute, order: int) -> dict[str, Any]:
    field = InquirySubmissionSerializer().fields[attribute.code]
    entry: dict[str, Any] = {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": field.required,
        "datatype_description": attribute.datatype_description
        or _("Up to %(count)d characters.") % {"count": field.max_length},
        "order": order,
        "description": attribute.description,
    }
    if attribute.with_choices:
        entry["values"] = Many(
            "value", [{"key": code, "name": label} for code, label in Language.choices]
        )
    return entry
