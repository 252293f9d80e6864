"""`manage.py bench_dashboard`: seed a throw-away PostgreSQL database and time the dashboard."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bench import seed
from bench.database import execute, since, table_sizes, throwaway_database
from crm.models import Membership, Unit, User
from inquiries import metrics
from inquiries.metrics import Filters, compute
from routing.models import RequestType

DEFAULT_EXPLAIN = "bench/explain.txt"
# The indexes of migration 0003; `--compare` times the dashboard without them first.
BEFORE_INDEXES = ("inquiries", "0002")
MARK = "bench_dashboard: a throw-away benchmark database"


# The tables whose sizes the command prints after seeding.
SIZED_TABLES = ("inquiries_inquiry", "inquiries_transitionlog", "inquiries_routingdecision")


class Command(BaseCommand):
    help = (
        "Create a separate PostgreSQL database, seed it with COPY (default 1,000,000 requests "
        "over 13 months, about 6 log rows each), ANALYZE it, and time the dashboard's compute() "
        "for 12 months of all units and of one unit. Drops the database at the end unless --keep."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000, help="Requests to seed.")
        parser.add_argument("--months", type=int, default=13, help="Spread over this many months.")
        parser.add_argument(
            "--database-name",
            default="bench_dashboard",
            help="The database to create (never the app's own); dropped first if it exists.",
        )
        parser.add_argument("--keep", action="store_true", help="Keep the database at the end.")
        parser.add_argument("--no-logs", action="store_true", help="Skip the TransitionLog rows.")
        parser.add_argument("--runs", type=int, default=10, help="Timed runs per scenario.")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed runs first.")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same data.")
        parser.add_argument(
            "--compare",
            action="store_true",
            help="Time without the dashboard's indexes (migration 0003) too, then with them.",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Time the database a run with --keep left, without seeding again.",
        )
        parser.add_argument(
            "--explain",
            nargs="?",
            const=DEFAULT_EXPLAIN,
            metavar="FILE",
            help=f"Save EXPLAIN ANALYZE of the slowest query to FILE (default {DEFAULT_EXPLAIN}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_dashboard measures PostgreSQL and refuses to run on "
                f"{connection.vendor}: set DATABASE_URL=postgres://user@host:5432/dbname."
            )
        name = options["database_name"]
        if options["count"] < 1 or options["months"] < 12 or options["runs"] < 1:
            raise CommandError("--count and --runs must be at least 1, --months at least 12.")
        with throwaway_database(
            name, mark=MARK, keep=options["keep"], reuse=options["reuse"], say=self.stdout.write
        ) as fresh:
            if options["reuse"] and fresh:
                raise CommandError(f"No database {name!r} to reuse: run once with --keep.")
            self._run(options)

    # -- the benchmark -------------------------------------------------------------------------

    def _run(self, options: dict[str, Any]) -> None:
        if options["reuse"]:
            call_command("migrate", verbosity=0)
            now = timezone.now()
            self.stdout.write("With the dashboard indexes (reused data):")
            scenarios = self._scenarios(now)
            self._time_all(scenarios, options, explain=options["explain"])
            self._time_pages(scenarios, options)
            return
        call_command("migrate", verbosity=0)
        call_command("migrate", *BEFORE_INDEXES, verbosity=0)  # load first, index after
        now = timezone.now()
        self._seed(options, now)
        scenarios = self._scenarios(now)
        if options["compare"]:
            self.stdout.write("\nWithout the dashboard indexes (migration 0003 unapplied):")
            self._time_all(scenarios, options, explain=None)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        execute("ANALYZE inquiries_inquiry")
        self.stdout.write(f"\nIndexes of migration 0003 built in {since(started)}.")
        self.stdout.write("With the dashboard indexes:")
        self._time_all(scenarios, options, explain=options["explain"])
        self._time_pages(scenarios, options)

    def _time_pages(self, scenarios: list[tuple[str, Filters]], options: dict[str, Any]) -> None:
        """The page as a manager gets it: beat has computed the snapshots; the whole view."""
        started = time.perf_counter()
        computed = metrics.refresh_snapshots(now=timezone.now())
        self.stdout.write(
            f"\nBeat's refresh_snapshots(): {computed} views computed in {since(started)} "
            "(every 5 minutes)."
        )
        manager, _created = User.objects.get_or_create(
            username="bench.service-manager", defaults={"is_service_manager": True}
        )
        client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="fi")
        client.force_login(manager)
        self.stdout.write("The dashboard page (GET, the whole view, from the snapshot):")
        for label, filters in scenarios:
            query = {"days": "365", "trend": "month"}
            if filters.units:
                query["unit"] = filters.units[0]
            url = f"{reverse('workspace:dashboard')}?{urlencode(query)}"

            def run(url: str = url) -> object:
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                return response

            self._report(label, run, options)
        self.stdout.write("Without a snapshot (compute again now: recompute=1):")
        for label, filters in scenarios:
            query = {"days": "365", "trend": "month", "recompute": "1"}
            if filters.units:
                query["unit"] = filters.units[0]
            url = f"{reverse('workspace:dashboard')}?{urlencode(query)}"
            self._report(label, lambda url=url: client.get(url), options)

    def _report(self, label: str, run: Callable[[], object], options: dict[str, Any]) -> None:
        for _ in range(options["warmup"]):
            run()
        samples = [self._timed(run) for _ in range(options["runs"])]
        with CaptureQueriesContext(connection) as queries:
            run()
        median, p95 = statistics.median(samples), self._p95(samples)
        self.stdout.write(
            f"  {label}: median {median:.0f} ms, p95 {p95:.0f} ms "
            f"(min {min(samples):.0f}, max {max(samples):.0f}; {len(samples)} runs); "
            f"{len(queries)} queries"
        )

    @staticmethod
    def _p95(samples: list[float]) -> float:
        if len(samples) == 1:
            return samples[0]
        return statistics.quantiles(samples, n=100, method="inclusive")[94]

    def _seed(self, options: dict[str, Any], now: Any) -> None:
        count, months = options["count"], options["months"]
        self.stdout.write(f"Seeding {count:,} requests over {months} months…")
        started = time.perf_counter()
        catalogue = self._catalogue(contacts=max(1000, count // 20))
        # The generator keeps every reference consistent; checking each of some 8 million
        # foreign keys during the load would triple its time (the bench database only).
        execute("SET session_replication_role = replica")
        counts = seed.seed_requests(
            count=count,
            months=months,
            now=now,
            catalogue=catalogue,
            with_logs=not options["no_logs"],
            seed=options["seed"],
        )
        execute("SET session_replication_role = DEFAULT")
        copied = since(started)
        analysed = time.perf_counter()
        # VACUUM sets the visibility map (as autovacuum would), so index-only scans need no
        # heap visits; ANALYZE gives the planner the new table's statistics.
        execute("VACUUM (ANALYZE)")
        self.stdout.write(
            f"Seeded {counts.inquiries:,} requests, {counts.decisions:,} routing decisions and "
            f"{counts.logs:,} log rows with COPY in {copied}; VACUUM ANALYZE "
            f"{since(analysed)}; total {since(started)}."
        )
        self.stdout.write(f"Table sizes: {table_sizes(SIZED_TABLES)}")

    def _catalogue(self, *, contacts: int) -> seed.Catalogue:
        units = list(Unit.objects.order_by("pk"))
        staff: dict[int, list[int]] = {}
        for unit in units:
            users = User.objects.bulk_create(
                User(username=f"bench.{unit.code}.{n}", password="!") for n in range(10)
            )
            Membership.objects.bulk_create(Membership(user=user, unit=unit) for user in users)
            staff[unit.pk] = [user.pk for user in users]
        triage = next(unit.pk for unit in units if unit.is_triage)
        types = [
            (request_type.pk, request_type.default_unit_id or triage)
            for request_type in RequestType.objects.order_by("pk")
        ]
        return seed.Catalogue(
            units=[unit.pk for unit in units],
            types=types,
            staff=staff,
            contacts=seed.seed_contacts(contacts),
        )

    def _scenarios(self, now: Any) -> list[tuple[str, Filters]]:
        year = Filters(start=now - timedelta(days=365), end=now, trend_by="month")
        biggest = (
            Unit.objects.annotate(requests=Count("inquiries"))
            .order_by("-requests")
            .values_list("code", flat=True)
            .first()
        )
        one_unit = Filters(start=year.start, end=year.end, units=(biggest,), trend_by="month")
        return [
            ("12 months, all units", year),
            (f"12 months, one unit ({biggest})", one_unit),
        ]

    def _time_all(
        self, scenarios: list[tuple[str, Filters]], options: dict[str, Any], explain: str | None
    ) -> None:
        slowest: tuple[float, str] = (0.0, "")
        for label, filters in scenarios:
            run = self._runner(filters)
            for _ in range(options["warmup"]):
                run()
            samples = [self._timed(run) for _ in range(options["runs"])]
            p95 = self._p95(samples)
            self.stdout.write(
                f"  {label}: median {statistics.median(samples):.0f} ms, p95 {p95:.0f} ms "
                f"(min {min(samples):.0f}, max {max(samples):.0f}; {len(samples)} runs)"
            )
            with CaptureQueriesContext(connection) as queries:
                run()
            timed = sorted(
                ((float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries),
                reverse=True,
            )
            self.stdout.write(
                f"    {len(timed)} queries; slowest: "
                + ", ".join(f"{ms:.0f} ms" for ms, _sql in timed[:4])
            )
            slowest = max(slowest, timed[0])
        if explain:
            self._explain(slowest[1], Path(explain))

    def _runner(self, filters: Filters) -> Callable[[], object]:
        now = timezone.now()
        return lambda: compute(filters, now=now)

    @staticmethod
    def _timed(run: Callable[[], object]) -> float:
        started = time.perf_counter()
        run()
        return (time.perf_counter() - started) * 1000

    def _explain(self, sql: str, path: Path) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, VERBOSE) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"-- the slowest query of compute()\n{sql}\n\n{plan}\n")
        self.stdout.write(f"  EXPLAIN ANALYZE of the slowest query saved to {path}.")

    # -- small helpers -------------------------------------------------------------------------
