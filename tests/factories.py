from __future__ import annotations

from typing import Any

import factory

from crm.models import Company, Contact, User
from inquiries import services
from routing.models import RequestType


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@porvoo.example")
    password = factory.django.Password("correct horse battery staple")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Borgå Bageri {n} Oy")
    # Valid Y-tunnus numbers: 7 digits and a check digit (stdnum computes it).
    business_id = factory.Sequence(lambda n: _ytunnus(1_000_000 + 10 * n))


def _ytunnus(number: int) -> str:
    """Return a valid business ID: 7 digits and the mod-11 check digit (11 - sum % 11)."""
    digits = f"{number:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if remainder == 1:  # no valid check digit: take the next number
        return _ytunnus(number + 1)
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    email = factory.Sequence(lambda n: f"contact{n}@example.fi")
    name = factory.Faker("name", locale="fi_FI")


def submission(**fields: Any) -> services.Submission:
    """A valid Submission; any field can be overridden (request_type as a code or object)."""
    request_type = fields.pop("request_type", "business-plot")
    if isinstance(request_type, str):
        request_type = RequestType.objects.get(code=request_type)
    defaults: dict[str, Any] = {
        "description": "Etsimme noin 5000 m² tonttia uudelle varastohallille.",
        "contact_name": "Yrjö Yrittäjä",
        "email": "yrittaja@example.fi",
        "language": "fi",
    }
    return services.Submission(request_type=request_type, **(defaults | fields))
