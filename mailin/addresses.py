"""The service desk's addresses: the desk itself, and one signed reply address per request.

A reply address names its request and carries an HMAC-SHA256 of the reference, keyed by a key
derived from SECRET_KEY, so that nobody can write into a request by guessing its address:
``business+bp-2026-000123.3f9a0c…@porvoo.fi``. Mail servers may change the case of the local
part, so the reference and the signature are read case-blind. Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

# 80 bits of the HMAC: far beyond guessing, and the local part stays under its 64 characters.
SIGNATURE_CHARS = 20
_SALT = "mailin.reply-address"
_REFERENCE = re.compile(r"^[a-z]{1,5}-\d{4}-\d{1,10}$", re.IGNORECASE)


class Kind(StrEnum):
    DESK = "desk"  # the service desk's own address: new requests
    REPLY = "reply"  # a reply address, signed or not
    FOREIGN = "foreign"  # not ours


@dataclass(frozen=True)
class Target:
    """What an address that mail was sent to means to us."""

    kind: Kind
    address: str
    reference: str = ""  # the request the address names (unverified unless `signed`)
    signed: bool = False  # the signature is ours: the address was given out by us


def _split(address: str) -> tuple[str, str]:
    local, _at, domain = address.strip().lower().rpartition("@")
    return local, domain


def desk_address() -> str:
    """The service desk's address (MAILIN_ADDRESS), in lower case."""
    return parseaddr(settings.MAILIN_ADDRESS)[1].lower()


def signature(reference: str) -> str:
    """The reply address's signature of a reference: hex of an HMAC-SHA256, shortened."""
    digest = salted_hmac(_SALT, reference.upper(), algorithm="sha256").hexdigest()
    return digest[:SIGNATURE_CHARS]


def reply_address(reference: str) -> str:
    """The address a requester answers to about one request."""
    local, domain = _split(desk_address())
    separator = settings.MAILIN_SUBADDRESS_SEPARATOR
    return f"{local}{separator}{reference.lower()}.{signature(reference)}@{domain}"


def read(address: str) -> Target:
    """Tell what an address is to us: the desk, a (signed?) reply address, or someone else's."""
    address = parseaddr(address)[1].strip().lower()
    desk_local, desk_domain = _split(desk_address())
    local, domain = _split(address)
    if not local or domain != desk_domain:
        return Target(Kind.FOREIGN, address)
    if local == desk_local:
        return Target(Kind.DESK, address)
    prefix = desk_local + settings.MAILIN_SUBADDRESS_SEPARATOR
    if not local.startswith(prefix):
        return Target(Kind.FOREIGN, address)
    reference, _dot, given = local[len(prefix) :].rpartition(".")
    if not reference:  # no signature at all: "business+bp-2026-000123"
        reference, given = given, ""
    if not _REFERENCE.match(reference):
        return Target(Kind.REPLY, address)
    reference = reference.upper()
    signed = bool(given) and constant_time_compare(given, signature(reference))
    return Target(Kind.REPLY, address, reference=reference, signed=signed)


def message_id_domain() -> str:
    """The right-hand side of our Message-IDs (the outbox uses the same)."""
    return settings.EMAIL_MESSAGE_ID_DOMAIN or urlsplit(settings.SITE_URL).hostname or "localhost"


def thread_id(reference: str) -> str:
    """The Message-ID every mail about a request refers to, so that mail programs thread them."""
    return f"<{reference.upper()}@{message_id_domain()}>"


def thread_headers(reference: str) -> dict[str, str]:
    """In-Reply-To and References for a mail to a requester about one request."""
    thread = thread_id(reference)
    return {"In-Reply-To": thread, "References": thread}
