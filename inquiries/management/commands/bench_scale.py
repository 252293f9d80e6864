"""`manage.py bench_scale`: a million requests in a throw-away database; time every page on it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bench import load, scenarios, seed
from bench.catalogue import build_catalogue
from bench.database import execute, since, table_sizes, throwaway_database
from bench.measure import Result, measure
from config.celery import app as celery_app
from crm.models import Contact, User
from inquiries import metrics
from inquiries.models import Inquiry, Message, TransitionLog

MARK = "bench_scale: a throw-away benchmark database"
# The indexes this benchmark was written to judge; --compare times the pages without them first.
INDEX_MIGRATION = ("inquiries", "0005_search_and_queue_indexes")  # and 0006 after it
# The data is loaded here, before the dashboard's and the queue's indexes (built after the load).
LOAD_AT = ("inquiries", "0002_canned_responses")


# The addresses the benchmark's submissions give (scenarios.Submissions, bench/locustfile.py).
SUBMITTED_BY_BENCHMARK = r"^(bench\.[0-9]+|load)\.[^@]+@example\.fi$"

# The load runs: locust's user class of each (bench/locustfile.py).
LOAD_RUNS = {"trivial": "TrivialUser", "submissions": "SubmitUser", "queue": "QueueUser"}

# The tables whose sizes the command prints after seeding.
SIZED_TABLES = (
    "crm_contact",
    "inquiries_inquiry",
    "inquiries_message",
    "inquiries_routingdecision",
    "inquiries_transitionlog",
)


class Command(BaseCommand):
    help = (
        "Create a separate PostgreSQL database, seed it with COPY (default 1,000,000 requests over "
        "24 months with companies, contacts, about 6 log rows and 3 messages each), then time the "
        "pages in process (median and p95 of --runs after --warmup, query counts, multiples of a "
        "trivial view), the CSV export's peak memory in a child process, and gunicorn (2 workers) "
        "under locust for --load-seconds each on submissions and queue reads. Drops the database "
        "at the end unless --keep."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000, help="Requests to seed.")
        parser.add_argument("--months", type=int, default=24, help="Spread over this many months.")
        parser.add_argument("--database-name", default="bench_scale", help="The database to use.")
        parser.add_argument("--keep", action="store_true", help="Keep the database at the end.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Use the database a --keep run left (no seeding; pending migrations applied).",
        )
        parser.add_argument("--runs", type=int, default=30, help="Timed runs per page.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed runs first.")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same data.")
        parser.add_argument(
            "--compare",
            action="store_true",
            help=f"Time the pages without migration {INDEX_MIGRATION[1]} first, then with it.",
        )
        parser.add_argument(
            "--load-seconds", type=int, default=60, help="Each locust run (0: no load run)."
        )
        parser.add_argument("--users", type=int, default=4, help="Concurrent locust users.")
        parser.add_argument(
            "--conn-max-age",
            type=int,
            default=None,
            help="CONN_MAX_AGE in process and in gunicorn (default: as configured; gunicorn runs "
            "production's settings, 60 s unless CONN_MAX_AGE is set).",
        )
        parser.add_argument(
            "--load-only",
            nargs="+",
            choices=sorted(LOAD_RUNS),
            help="Only these load runs (default: all three).",
        )
        parser.add_argument(
            "--redis-url",
            default="",
            help="A Redis database of its own for gunicorn's cache (throttling); default: none.",
        )
        parser.add_argument(
            "--explain", metavar="DIR", help="Save EXPLAIN ANALYZE of each page's slowest query."
        )
        parser.add_argument("--only", nargs="*", help="Measure only pages whose name contains…")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_scale measures PostgreSQL and refuses to run on "
                f"{connection.vendor}: set DATABASE_URL=postgres://user@host:5432/dbname."
            )
        if options["count"] < 1000 or options["months"] < 13 or options["runs"] < 1:
            raise CommandError("--count must be at least 1000, --months 13, --runs 1.")
        # Measured as production runs: no DEBUG query log; the trivial views' URL conf; one
        # client address submitting; mail enqueued to an in-memory broker no worker reads.
        celery_app.conf.broker_url = "memory://localhost/"
        # Static files are not collected for a benchmark (pages link them all the same).
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        logging.getLogger("axes").setLevel(logging.WARNING)  # a line per force_login otherwise
        with (
            override_settings(
                DEBUG=False, ROOT_URLCONF="bench.urls", SUBMIT_THROTTLE_RATE="1000000/minute"
            ),
            throwaway_database(
                options["database_name"],
                mark=MARK,
                keep=options["keep"],
                reuse=options["reuse"],
                say=self.stdout.write,
            ) as fresh,
        ):
            # As configured (dev: 0, a new connection per request), unless told otherwise.
            if options["conn_max_age"] is not None:
                connection.settings_dict["CONN_MAX_AGE"] = options["conn_max_age"]
            self._run(options, fresh=fresh)

    # -- the run ---------------------------------------------------------------------------------

    def _run(self, options: dict[str, Any], *, fresh: bool) -> None:
        started = time.perf_counter()
        before = self._before_indexes()
        call_command("migrate", verbosity=0)
        if fresh:
            # Load before the big indexes (the dashboard's, the queue's), build them after.
            call_command("migrate", *LOAD_AT, verbosity=0)
            self._seed(options)
            built = time.perf_counter()
            call_command("migrate", verbosity=0)
            execute("ANALYZE")
            self.stdout.write(f"Indexes built and ANALYZE in {since(built)}.")
            personas = scenarios.make_personas()
        else:
            personas = self._personas()
            self._forget_submissions()
        if options["compare"] and before:
            # Back to just before the queue's indexes; every other app stays migrated.
            call_command("migrate", *before, verbosity=0)
        self._describe()
        targets = scenarios.find_targets(personas, now=timezone.now())
        self.stdout.write(f"Targets: {targets}")
        if options["compare"]:
            self.stdout.write(f"\nWithout migration {INDEX_MIGRATION[1]}:")
            self._pages(personas, targets, options, explain=None)
            built = time.perf_counter()
            call_command("migrate", verbosity=0)
            execute("ANALYZE")
            self.stdout.write(f"\n{INDEX_MIGRATION[1]} applied and ANALYZE in {since(built)}.")
        refreshed = time.perf_counter()
        computed = metrics.refresh_snapshots(now=timezone.now())
        self.stdout.write(
            f"Beat's refresh_snapshots(): {computed} dashboard views in {since(refreshed)}."
        )
        self._pages(personas, targets, options, explain=options["explain"])
        self._csv_memory(personas, targets)
        if options["load_seconds"]:
            self._load(personas, options)
        self._forget_submissions()
        self.stdout.write(f"\nbench_scale took {since(started)} in all.")

    def _forget_submissions(self) -> None:
        """Delete the requests the benchmark's submissions saved (and their requesters).

        Each run submits a thousand or more (in process and under locust), all open: kept, they
        would lengthen the queue a later --reuse run measures. Their requesters' addresses are
        the benchmark's own (scenarios.Submissions, bench/locustfile.py); the seeded ones differ.
        """
        started = time.perf_counter()
        ours = Q(email__regex=SUBMITTED_BY_BENCHMARK)
        inquiries = Inquiry.objects.filter(contact__in=Contact.objects.filter(ours))
        count = inquiries.count()
        if not count:
            return
        inquiries.delete()
        Contact.objects.filter(ours).delete()
        # As autovacuum would soon (migration 0007): the queue reads the visibility map.
        execute("VACUUM (ANALYZE) inquiries_inquiry")
        self.stdout.write(
            f"Deleted the {count:,} requests earlier submissions of the benchmark saved, and "
            f"VACUUM (ANALYZE) inquiries_inquiry, in {since(started)}."
        )

    def _before_indexes(self) -> tuple[str, str] | None:
        """The migration just before INDEX_MIGRATION (None if there is no such migration)."""
        graph = MigrationLoader(None, ignore_no_migrations=True).graph
        if INDEX_MIGRATION not in graph.nodes:
            return None
        parents = [p for p in graph.node_map[INDEX_MIGRATION].parents if p.key[0] == "inquiries"]
        return parents[0].key if parents else None

    def _seed(self, options: dict[str, Any]) -> None:
        count, months = options["count"], options["months"]
        self.stdout.write(f"Seeding {count:,} requests over {months} months…")
        started = time.perf_counter()
        # The generator keeps every reference consistent; checking each of some 10 million
        # foreign keys during the load would triple its time (this database only).
        execute("SET session_replication_role = replica")
        catalogue = build_catalogue(requests=count, seed_value=options["seed"])
        counts = seed.seed_requests(
            count=count,
            months=months,
            now=timezone.now(),
            catalogue=catalogue,
            with_logs=True,
            with_messages=True,
            seed=options["seed"],
        )
        execute("SET session_replication_role = DEFAULT")
        copied = since(started)
        vacuumed = time.perf_counter()
        # VACUUM sets the visibility map (as autovacuum would after a bulk load); ANALYZE gives
        # the planner the statistics.
        execute("VACUUM (ANALYZE)")
        self.stdout.write(
            f"Seeded {counts.inquiries:,} requests ({counts.open:,} open), "
            f"{len(catalogue.people):,} contacts, {counts.decisions:,} routing decisions, "
            f"{counts.logs:,} log rows and {counts.messages:,} messages with COPY in {copied}; "
            f"VACUUM ANALYZE {since(vacuumed)}; total {since(started)}."
        )

    def _personas(self) -> scenarios.Personas:
        try:
            handler = User.objects.get(username="bench.handler")
            manager = User.objects.get(username="bench.service-manager")
        except User.DoesNotExist as exc:
            raise CommandError(
                "This database was not seeded by bench_scale; run without --reuse."
            ) from exc
        unit = handler.memberships.get().unit
        return scenarios.Personas(unit=unit, handler=handler, manager=manager)

    def _describe(self) -> None:
        total = Inquiry.objects.count()
        self.stdout.write(
            f"Data: {total:,} requests, {Inquiry.objects.open().count():,} open; "
            f"{TransitionLog.objects.count() / total:.1f} log rows and "
            f"{Message.objects.count() / total:.1f} messages a request. "
            f"Sizes: {table_sizes(SIZED_TABLES)}"
        )

    # -- in-process pages ------------------------------------------------------------------------

    def _pages(
        self,
        personas: scenarios.Personas,
        targets: scenarios.Targets,
        options: dict[str, Any],
        *,
        explain: str | None,
    ) -> list[Result]:
        only = options["only"]
        runs, warmup = options["runs"], options["warmup"]
        trivial = [
            measure(s.name, s.run, warmup=warmup, runs=runs)
            for s in scenarios.trivial_scenarios(personas)
        ]
        yardstick = trivial[0].median
        self._header()
        for result in trivial:
            self._line(result, yardstick)
        results = list(trivial)
        for scenario in scenarios.page_scenarios(personas, targets):
            if only and not any(word in scenario.name for word in only):
                continue
            result = measure(
                scenario.name, scenario.run, warmup=warmup, runs=runs, target_ms=scenario.target_ms
            )
            self._line(result, yardstick)
            results.append(result)
            if explain and result.slowest_sql.lstrip().upper().startswith("SELECT"):
                self._explain(result, Path(explain))
        return results

    def _header(self) -> None:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(f"  (load average {load}; {os.cpu_count()} CPUs)")
        self.stdout.write(
            f"  {'page':<44} {'median':>8} {'p95':>8} {'cpu':>7} {'× trivial':>10} "
            f"{'queries':>8} {'slowest query':>14}  target"
        )

    def _line(self, result: Result, yardstick: float) -> None:
        target = f"{result.target_ms:.0f} ms: {result.met}" if result.target_ms else ""
        self.stdout.write(
            f"  {result.name:<44} {result.median:>6.1f}ms {result.p95:>6.1f}ms "
            f"{result.cpu_median:>5.1f}ms {result.median / yardstick:>9.1f}× {result.queries:>8} "
            f"{result.slowest_ms:>11.1f} ms  {target}"
        )

    def _explain(self, result: Result, folder: Path) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {result.slowest_sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        folder.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() else "-" for c in result.name.lower()).strip("-")
        path = folder / f"{name}.txt"
        path.write_text(f"-- {result.name}: its slowest query\n{result.slowest_sql}\n\n{plan}\n")

    # -- the CSV export's memory -----------------------------------------------------------------

    def _csv_memory(self, personas: scenarios.Personas, targets: scenarios.Targets) -> None:
        url = scenarios.csv_url(targets)
        one_day = f"{reverse('workspace:dashboard-requests-csv')}?" + urlencode(
            {"start": targets.csv_end, "end": targets.csv_end}
        )
        env = os.environ | {
            "DATABASE_URL": load.database_url(conn_max_age=0),
            "DEBUG": "False",
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", ""),
        }
        child = subprocess.run(
            [sys.executable, "-m", "bench.csv_memory", one_day, url, personas.manager.username],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if child.returncode != 0:
            raise CommandError(f"The CSV memory run failed:\n{child.stderr[-2000:]}")
        found = json.loads(child.stdout.strip().splitlines()[-1])
        grown = (found["rss_peak_kib"] - found["rss_before_kib"]) / 1024
        self.stdout.write(
            f"\nCSV export in a process of its own: {found['rows']:,} rows, "
            f"{found['bytes'] / 2**20:.1f} MiB in {found['seconds']:.2f} s; peak resident size "
            f"{found['rss_peak_kib'] / 1024:.0f} MiB ({grown:+.1f} MiB over a one-day export); "
            f"Python allocations peaked at {found['traced_peak_bytes'] / 2**20:.1f} MiB."
        )

    # -- gunicorn under load ---------------------------------------------------------------------

    def _load(self, personas: scenarios.Personas, options: dict[str, Any]) -> None:
        client = scenarios.signed_in(personas.handler)
        name = settings.SESSION_COOKIE_NAME
        cookie = f"{name}={client.cookies[name].value}"
        known = scenarios.Submissions().business_ids[:200]
        seconds, users = options["load_seconds"], options["users"]
        with load.workdir() as folder:
            workdir = Path(folder)
            env = load.server_env(
                workdir,
                # The session made here must be valid there: its hash is keyed by the secret.
                secret_key=settings.SECRET_KEY,
                redis_url=options["redis_url"],
                conn_max_age=options["conn_max_age"],
            )
            locust_env = os.environ | {
                "BENCH_COOKIE": cookie,
                "BENCH_BUSINESS_IDS": ",".join(known),
            }
            max_age = options["conn_max_age"]
            self.stdout.write(
                f"\ngunicorn, 2 sync workers (CONN_MAX_AGE "
                f"{'as production configures it' if max_age is None else max_age}), "
                f"locust with {users} users without pause, {seconds} s each:"
            )
            before = Inquiry.objects.count()
            runs = options["load_only"] or list(LOAD_RUNS)
            with load.gunicorn(env, workdir) as server:
                for user_class in (LOAD_RUNS[run] for run in runs):
                    result = load.locust(
                        server,
                        user_class,
                        users=users,
                        seconds=seconds,
                        workdir=workdir,
                        env=locust_env,
                    )
                    load_average = os.getloadavg()[0]
                    self.stdout.write(
                        f"  {user_class:<12} {result.rps:7.1f} requests/s, median "
                        f"{result.median_ms:.0f} ms, p95 {result.p95_ms:.0f} ms, "
                        f"{result.requests:,} requests, {result.failures} errors; "
                        f"{result.cpu_ms:.1f} ms of worker CPU a request "
                        f"(load average {load_average:.1f})"
                    )
                    if result.failures:
                        failures = workdir / f"locust-{user_class}_failures.csv"
                        self.stdout.write(failures.read_text()[:1000])
            created = Inquiry.objects.count() - before
            self.stdout.write(f"  Requests saved by the submissions: {created:,}.")

    # -- small helpers ---------------------------------------------------------------------------
