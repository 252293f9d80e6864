"""`manage.py seed_demo`: demo staff and requests with real histories (see inquiries.demo)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inquiries import demo


class Command(BaseCommand):
    help = (
        "Create demo staff and about 200 requests over the past 90 days, every one made through "
        "the workflow services. Does nothing to requests if there are some already, unless "
        "--reset. Always prints the log-ins (password: DEMO_PASSWORD, default "
        f"{demo.DEFAULT_PASSWORD})."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=200, help="Requests to create.")
        parser.add_argument("--days", type=int, default=90, help="Spread over this many days.")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same requests.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all requests, requesters and companies first, then seed again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 1 or options["days"] < 1:
            raise CommandError("--count and --days must be at least 1.")
        result = demo.seed_demo(
            count=options["count"],
            days=options["days"],
            seed=options["seed"],
            reset=options["reset"],
        )
        if result.created:
            self.stdout.write(
                f"Created {result.created} demo requests over the past {options['days']} days "
                f"(seed {options['seed']})."
            )
        else:
            self.stdout.write("demo data already present")
        counts = ", ".join(f"{status} {n}" for status, n in result.statuses.items() if n)
        self.stdout.write(f"Requests by status: {counts or 'none'}")
        self.stdout.write("\nDemo log-ins (staff; /admin/ for the service manager):")
        self.stdout.write(demo.format_logins(result.logins))
