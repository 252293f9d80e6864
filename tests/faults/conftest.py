"""The stack for the fault tests: our own Redis, an SMTP sink, a Celery worker and gunicorn.

The child processes run the production settings, configured only through the environment,
against the test database of this pytest run. Each fixture stops what it started, also when the
test fails, and before the database is flushed (they all depend on `transactional_db`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from ..conftest import REQUIRE_SERVICES
from .processes import (
    FAULT_TIMINGS,
    CeleryWorker,
    RedisServer,
    SmtpSink,
    WebServer,
    free_port,
    production_env,
    redis_server_binary,
)

# Short clocks so that recovery happens within a test (see processes.FAULT_TIMINGS).
TIMINGS = FAULT_TIMINGS


@pytest.fixture
def fault_report(
    capsys: pytest.CaptureFixture[str], record_property: Callable[[str, object], None]
) -> Callable[[str], None]:
    """Print the test's `FAULT …` figures to the terminal now, and keep them for the summary."""

    def report(line: str) -> None:
        record_property("fault", line)
        with capsys.disabled():
            print(f"\nFAULT {line}", flush=True)

    return report


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    # Under xdist the workers' terminal output is not shown: repeat the figures at the end.
    if not getattr(config.option, "numprocesses", None):
        return
    lines = {
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", ())
        if name == "fault"
    }
    if lines:
        terminalreporter.write_sep("-", "fault test figures")
        for line in sorted(lines):
            terminalreporter.write_line(f"FAULT {line}")


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def redis_server(transactional_db: None, workdir: Path) -> Iterator[RedisServer]:
    """A running redis-server of our own (never the shared one on 6379)."""
    if redis_server_binary() is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is required (REQUIRE_SERVICES=1) but not installed")
        pytest.skip("needs the redis-server binary")
    server = RedisServer(workdir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """An SMTP server with its port reserved, not started: the test decides when it is up."""
    sink = SmtpSink()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def web_port() -> int:
    return free_port()


@pytest.fixture
def child_env(
    transactional_db: None, redis_server: RedisServer, smtp_sink: SmtpSink, web_port: int
) -> dict[str, str]:
    """The environment of production, pointed at this test run's database, Redis and SMTP."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = production_env(
        database_url=database_url,
        redis_url=redis_server.url,
        smtp_port=smtp_sink.port,
        site_url=f"http://127.0.0.1:{web_port}",
    )
    return env | TIMINGS


@pytest.fixture
def worker(child_env: dict[str, str], workdir: Path) -> Iterator[CeleryWorker]:
    """A Celery worker with beat (the outbox sweep), not started yet."""
    process = CeleryWorker(workdir, child_env)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def web_server(child_env: dict[str, str], workdir: Path, web_port: int) -> Iterator[WebServer]:
    """gunicorn with the production settings, not started yet."""
    process = WebServer(workdir, child_env, web_port)
    try:
        yield process
    finally:
        process.stop()
