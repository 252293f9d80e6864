"""Run the mail gateway: SMTP (or LMTP) for the city's mail server to forward the desk's mail to."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mailin import gateway


class Command(BaseCommand):
    help = (
        "Receive the service desk's e-mail by SMTP (or LMTP with --lmtp) and hand each message "
        "to the service. Stops on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8025, help="port to listen on")
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")

    def handle(self, *args: Any, host: str, port: int, lmtp: bool, **options: Any) -> None:
        stop = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: stop.set())
        protocol = "LMTP" if lmtp else "SMTP"

        def ready() -> None:
            self.stdout.write(f"Mail gateway ({protocol}) listening on {host}:{port}")
            self.stdout.flush()

        gateway.serve(host=host, port=port, lmtp=lmtp, stop=stop, ready=ready)
        self.stdout.write("Mail gateway stopped")
