"""The stack of the run: its own database, Redis, SMTP server, gunicorn and Celery worker.

The processes are those of the fault tests (tests/faults/processes.py). Each is stopped by its
own process id (and process group), never by name; the database is created for the run and
dropped after it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from tests.faults.processes import (
    FAULT_TIMINGS,
    CeleryWorker,
    RedisServer,
    SmtpSink,
    WebServer,
    free_port,
    production_env,
)

SETTINGS_MODULE = "bench.reliability.settings"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
# The fault tests' short clocks, a little longer for a run under load: a sweep every 5 s (not
# every second, so a backlog is not queued again and again), and task time limits that the
# periodic jobs (the dashboards' refresh) keep on a busy machine. The claim timeout stays above
# the task time limit, so a slow delivery is never taken back while it still runs.
RUN_TIMINGS = FAULT_TIMINGS | {
    "OUTBOX_SWEEP_SECONDS": "5",
    "OUTBOX_CLAIM_TIMEOUT_SECONDS": "25",
    "CELERY_TASK_TIME_LIMIT": "20",
    "CELERY_TASK_SOFT_TIME_LIMIT": "15",
}
STAFF_PASSWORD = "reliability-run-" + "2026"


def server_url(explicit: str | None) -> str:
    """The PostgreSQL server to create the run's database on (its maintenance database)."""
    url = explicit or os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return DEFAULT_SERVER
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))


@dataclass
class Database:
    """A database of our own on the server, created empty and dropped at the end."""

    server: str  # URL of the maintenance database
    name: str
    created: bool = False

    def __post_init__(self) -> None:
        # Never the app's database, a test database or anything not named for a benchmark.
        if not self.name.startswith("bench_"):
            raise ValueError(f"the run's database must be named bench_…, not {self.name!r}")

    @property
    def url(self) -> str:
        parts = urlsplit(self.server)
        return urlunsplit((parts.scheme, parts.netloc, f"/{self.name}", "", ""))

    def _execute(self, statement: sql.Composable) -> None:
        with psycopg.connect(self.server, autocommit=True, connect_timeout=10) as conn:
            conn.execute(statement)

    def create(self) -> None:
        # A database of this name is a leftover of an interrupted run: ours to replace.
        self.drop(force=True)
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        self.created = True

    def drop(self, *, force: bool = False) -> None:
        if not (self.created or force):
            return
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
        )
        self.created = False


@dataclass
class Stack:
    """The processes of the run, none started yet; `stop()` stops whatever is running."""

    workdir: Path
    database: Database
    worker_concurrency: int = 2
    sink: SmtpSink = field(default_factory=SmtpSink)
    redis: RedisServer = field(init=False)
    web: WebServer = field(init=False)
    worker: CeleryWorker = field(init=False)
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.redis = RedisServer(self.workdir)
        port = free_port()
        self.env = (
            production_env(
                database_url=self.database.url,
                redis_url=self.redis.url,
                smtp_port=self.sink.port,
                site_url=f"http://127.0.0.1:{port}",
                settings_module=SETTINGS_MODULE,
            )
            | RUN_TIMINGS
        )
        self.env["SECRET_KEY"] = "reliability-run-" + secrets.token_hex(24)
        self.web = WebServer(self.workdir, self.env, port)
        self.worker = CeleryWorker(
            self.workdir, self.env, concurrency=self.worker_concurrency, node="reliability"
        )

    @property
    def sweep_seconds(self) -> float:
        return float(self.env["OUTBOX_SWEEP_SECONDS"])

    def start(self) -> None:
        self.sink.start()
        self.redis.start()
        self.web.start(timeout=60)
        self.worker.start(timeout=60)

    def stop(self) -> None:
        """Stop everything this run started (each by its own pid), whatever state it is in."""
        for stop in (self.worker.stop, self.web.stop, self.redis.stop, self.sink.stop):
            try:
                stop()
            except Exception as exc:  # noqa: BLE001 - stop the rest anyway
                print(f"cleanup: {stop.__qualname__} failed: {exc}", flush=True)


def use_run_environment(env: dict[str, str]) -> None:
    """Point this process's Django at the run's database (before django.setup())."""
    for key in list(os.environ):
        if key.startswith(("DJANGO_", "CELERY_", "EMAIL_", "OUTBOX_", "REDIS_", "DATABASE_")):
            del os.environ[key]
    os.environ.update(env)


def prepare_database() -> dict[str, str]:
    """Migrate the run's database; add a handler per unit and a service manager.

    Returns each unit's handler e-mail address by unit code (they get the unit's staff mail).
    """
    from django.core.management import call_command

    from crm.models import Membership, Unit, User

    call_command("migrate", interactive=False, verbosity=0)
    handlers = {}
    for unit in Unit.objects.order_by("code"):
        user = User.objects.create_user(
            username=f"handler-{unit.code}",
            email=f"handler.{unit.code}@porvoo.example",
            password=STAFF_PASSWORD,
            first_name=unit.code.split("-")[0].capitalize(),
            last_name="Handler",
            language="en",
        )
        Membership.objects.create(user=user, unit=unit, role=Membership.Role.HANDLER)
        handlers[unit.code] = user.email
    User.objects.create_user(
        username="service-manager",
        email="service.manager@porvoo.example",
        password=STAFF_PASSWORD,
        first_name="Service",
        last_name="Manager",
        language="en",
        is_service_manager=True,
    )
    return handlers
