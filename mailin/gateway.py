"""The mail gateway: an SMTP (or LMTP) server the city's mail server forwards the desk's mail to.

It accepts only the desk's own addresses (the desk address and its reply addresses; anything
else is refused at RCPT, so it relays nothing), only from the peers in MAILIN_GATEWAY_PEERS
when that is set, and nothing larger than MAILIN_MAX_BYTES (552). A message is answered 250
once the service has committed it; if the service fails (the database is away) the answer is
451 and the sending server keeps the message and tries again later, so nothing is lost.

`manage.py mail_gateway --host --port [--lmtp]` runs it (see the README).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from . import addresses
from .services import Envelope as MailEnvelope
from .services import receive_message

logger = logging.getLogger(__name__)

ACCEPTED = "250 2.0.0 Accepted"
TRY_LATER = "451 4.3.0 Not handled now; please try again later"


class Gateway:
    """The aiosmtpd handler: the desk's addresses only, each message to the service."""

    def __init__(self, *, lmtp: bool = False, peers: Sequence[str] = ()) -> None:
        self.lmtp = lmtp
        self.peers = {peer.strip() for peer in peers if peer.strip()}

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
        if self.peers and peer not in self.peers:
            logger.warning("Mail from %s refused: not one of MAILIN_GATEWAY_PEERS", peer)
            return "550 5.7.1 Not accepted from your address"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if addresses.read(address).kind is addresses.Kind.FOREIGN:
            return "550 5.1.1 No such recipient here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        raw = raw if isinstance(raw, bytes) else str(raw).encode("utf-8", "surrogateescape")
        via = "lmtp" if self.lmtp else "smtp"
        mail = MailEnvelope(
            via=via, sender=envelope.mail_from or "", recipients=tuple(envelope.rcpt_tos)
        )
        try:
            await sync_to_async(_receive, thread_sensitive=False)(raw, mail)
        except Exception:  # noqa: BLE001 - the sender keeps the message and tries again
            logger.exception("A message from %s could not be handled", envelope.mail_from)
            status = TRY_LATER
        else:
            status = ACCEPTED
        if self.lmtp:  # LMTP answers DATA once per recipient
            return "\r\n".join([status] * max(len(envelope.rcpt_tos), 1))
        return status


def _receive(raw: bytes, envelope: MailEnvelope) -> None:
    # A long-running process: no request cycle closes the database connection for us.
    close_old_connections()
    try:
        receive_message(raw, envelope=envelope)
    finally:
        close_old_connections()


class LMTPController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def controller(*, host: str, port: int, lmtp: bool = False, **smtp: Any) -> Controller:
    """A gateway server on host:port, not yet started (`start()` runs it in a thread)."""
    handler = Gateway(lmtp=lmtp, peers=settings.MAILIN_GATEWAY_PEERS)
    kind = LMTPController if lmtp else Controller
    return kind(
        handler,
        hostname=host,
        port=port,
        data_size_limit=settings.MAILIN_MAX_BYTES,
        enable_SMTPUTF8=True,
        ident="Business Porvoo mail gateway",
        **smtp,
    )


def serve(
    *,
    host: str,
    port: int,
    lmtp: bool,
    stop: threading.Event,
    ready: Callable[[], None] | None = None,
) -> None:
    """Run the gateway until `stop` is set; `ready` is called once it accepts connections."""
    server = controller(host=host, port=port, lmtp=lmtp)
    server.start()
    try:
        if ready is not None:
            ready()
        stop.wait()
    finally:
        server.stop()
