"""The demo staff: their users, units and roles, and the log-ins the command prints."""

from __future__ import annotations

import os
from dataclasses import astuple, dataclass

from crm.models import Membership, Unit, User
from crm.roles import ensure_service_manager_group

DEFAULT_PASSWORD = "porvoo-demo-2026"


def demo_password() -> str:
    """Return the one password of every demo log-in: DEMO_PASSWORD, or the default."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    language: str
    unit: str = ""  # unit code; empty for the service manager, who sees every unit
    role: str = Membership.Role.HANDLER
    is_service_manager: bool = False

    @property
    def role_label(self) -> str:
        if self.is_service_manager:
            return "service manager"
        return "unit manager" if self.role == Membership.Role.MANAGER else "handler"


STAFF: tuple[StaffMember, ...] = (
    StaffMember("handler.urban", "Aino", "Lehtinen", "fi", "urban-development"),
    StaffMember("handler2.urban", "Johan", "Lindqvist", "sv", "urban-development"),
    StaffMember(
        "manager.urban", "Kirsi", "Mäkelä", "fi", "urban-development", Membership.Role.MANAGER
    ),
    StaffMember("handler.employment", "Mikaela", "Holmström", "sv", "employment-services"),
    StaffMember("handler.posintra", "Ville", "Heinonen", "fi", "posintra"),
    StaffMember("handler.desk", "Linnea", "Sjöberg", "sv", "business-desk"),
    StaffMember("service.manager", "Petri", "Laaksonen", "fi", is_service_manager=True),
)


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    role: str
    unit: str
    password: str


def _ensure_user(member: StaffMember, password: str) -> User:
    user, created = User.objects.update_or_create(
        username=member.username,
        defaults={
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": f"{member.username}@porvoo.example",
            "language": member.language,
            "is_staff": True,  # signs in to the workspace and the admin
            "is_active": True,
            "is_service_manager": member.is_service_manager,
        },
    )
    # Hashing is slow on purpose: only when the password is new or has changed.
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def ensure_staff(password: str) -> list[Login]:
    """Create or update the demo staff, their units and roles; return their log-ins."""
    group = ensure_service_manager_group()
    units = {unit.code: unit for unit in Unit.objects.all()}
    logins = []
    for member in STAFF:
        user = _ensure_user(member, password)
        if member.is_service_manager:
            user.groups.add(group)
        if member.unit:
            Membership.objects.update_or_create(
                user=user, unit=units[member.unit], defaults={"role": member.role}
            )
        unit = member.unit or "all units"
        logins.append(Login(user.username, str(user), member.role_label, unit, password))
    return logins


@dataclass(frozen=True)
class Crew:
    """The demo staff as the stories need them: who works which unit, who manages it."""

    handlers: dict[str, list[User]]  # unit code → handlers, managers not included
    managers: dict[str, User]
    by_id: dict[int, User]

    @classmethod
    def load(cls) -> Crew:
        usernames = [member.username for member in STAFF]
        users = {user.username: user for user in User.objects.filter(username__in=usernames)}
        handlers: dict[str, list[User]] = {}
        managers: dict[str, User] = {}
        for member in STAFF:
            if member.role == Membership.Role.MANAGER:
                managers[member.unit] = users[member.username]
            elif member.unit:
                handlers.setdefault(member.unit, []).append(users[member.username])
        return cls(handlers, managers, {user.pk: user for user in users.values()})

    def handler(self, unit: str, pick: int) -> User:
        team = self.handlers[unit]
        return team[pick % len(team)]


def format_logins(logins: list[Login]) -> str:
    """Return the log-ins as a plain-text table."""
    rows = [("username", "name", "role", "unit", "password"), *map(astuple, logins)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)
