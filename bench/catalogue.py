"""The benchmark's catalogue: staff of every unit, companies and requesters, request types."""

from __future__ import annotations

from crm.models import Membership, Unit, User
from routing.models import RequestType

from . import seed

# Handlers per unit (plus one unit manager each): every one is told of a new request by e-mail.
HANDLERS = {"urban-development": 8, "employment-services": 5, "posintra": 6, "business-desk": 3}


def staff() -> dict[int, list[int]]:
    """Create each unit's manager and handlers (with e-mail addresses); return unit -> users."""
    members: dict[int, list[int]] = {}
    for unit in Unit.objects.order_by("pk"):
        users = User.objects.bulk_create(
            User(
                username=f"bench.{unit.code}.{n}",
                email=f"bench.{unit.code}.{n}@example.fi",
                first_name=f"Käsittelijä {n}",
                last_name=unit.code,
                password="!",
            )
            for n in range(HANDLERS.get(unit.code, 4) + 1)
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                unit=unit,
                role=Membership.Role.MANAGER if n == 0 else Membership.Role.HANDLER,
            )
            for n, user in enumerate(users)
        )
        members[unit.pk] = [user.pk for user in users]
    return members


def build_catalogue(*, requests: int, seed_value: int) -> seed.Catalogue:
    """Staff, then companies and requesters in proportion to `requests` (COPY)."""
    people = seed.seed_people(
        contacts=max(500, requests // 8), companies=max(100, requests // 25), seed=seed_value
    )
    triage = Unit.objects.get(is_triage=True).pk
    types = RequestType.objects.order_by("pk").values_list("pk", "default_unit", "code")
    return seed.Catalogue(
        units=list(Unit.objects.order_by("pk").values_list("pk", flat=True)),
        types=[(pk, unit or triage) for pk, unit, _code in types],
        staff=staff(),
        people=people,
        type_codes={pk: code for pk, _unit, code in types},
    )
