"""Read the IMAP mailbox once (beat does it every IMAP_POLL_SECONDS when IMAP_HOST is set)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mailin import imap


class Command(BaseCommand):
    help = (
        "Hand the new messages of the IMAP mailbox (IMAP_* settings) to the service once. "
        "--skip-existing marks what is in the mailbox now as read, without handling it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="start from now: mark every message now in the mailbox as read",
        )

    def handle(self, *args: Any, skip_existing: bool, **options: Any) -> None:
        mailbox = imap.configured_mailbox()
        if mailbox is None:
            raise CommandError("IMAP_HOST is not set.")
        if skip_existing:
            last = imap.skip_existing(mailbox)
            self.stdout.write(f"{mailbox.name}: messages up to UID {last} marked as read")
            return
        result = imap.poll(mailbox)
        if result.skipped:
            self.stdout.write(f"{mailbox.name}: another poll is running")
            return
        self.stdout.write(f"{mailbox.name}: {result.handled} handled, {result.failed} failed")
