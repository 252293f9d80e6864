"""The load run: gunicorn (2 workers, production settings) and locust, headless, against it.

Only the processes started here are stopped, by their own process ids.
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

PROJECT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(*, conn_max_age: int | None) -> str:
    """The benchmark database's URL; CONN_MAX_AGE in it unless None (then as configured)."""
    db = connection.settings_dict
    auth = db["USER"] or "postgres"
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return url if conn_max_age is None else f"{url}?conn_max_age={conn_max_age}"


def server_env(
    workdir: Path, *, secret_key: str, redis_url: str, conn_max_age: int | None
) -> dict[str, str]:
    """Production's environment, pointed at the benchmark database; nothing of the app's own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "EMAIL_", "REDIS_", "DATABASE_", "SECRET_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secret_key,
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(conn_max_age=conn_max_age),
        # Throttling is per client address, and every submission here comes from one.
        "SUBMIT_THROTTLE_RATE": "1000000/minute",
        # Mail goes to an outbox no worker reads: a broker of our own, deleted at the end.
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_DIR": str(workdir / "broker"),
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
    }
    if conn_max_age is not None:  # else production's own (config/settings/prod.py)
        env["CONN_MAX_AGE"] = str(conn_max_age)
    for folder in ("queue", "processed", "control"):
        (workdir / "broker" / folder).mkdir(parents=True, exist_ok=True)
    return env


class Process:
    """A child in its own process group, stopped (the whole group) by its own pid."""

    def __init__(self, argv: list[str], env: Mapping[str, str], log: Path) -> None:
        self.log = log
        self._file = log.open("wb")
        self.popen = subprocess.Popen(
            argv,
            cwd=PROJECT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
        self._file.close()

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Server:
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of gunicorn's workers so far: the Python side of the work."""
        import psutil  # installed with locust

        workers = psutil.Process(self.pid).children()
        return sum(sum(worker.cpu_times()[:2]) for worker in workers)


@contextmanager
def gunicorn(env: Mapping[str, str], workdir: Path, *, workers: int = 2) -> Iterator[Server]:
    """Start gunicorn with `workers` sync workers; yield it; stop it."""
    port = free_port()
    argv = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--error-logfile",
        "-",
    ]
    server = Process(argv, env, workdir / "gunicorn.log")
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(url + "/__bench__/trivial/"):
            if server.popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{server.tail()}")
            time.sleep(0.2)
        yield Server(url, server.popen.pid)
    finally:
        server.stop()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class LoadResult:
    name: str
    cpu_ms: float  # gunicorn workers' CPU per request
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float
    users: int
    seconds: int


def locust(
    server: Server,
    user_class: str,
    *,
    users: int,
    seconds: int,
    workdir: Path,
    env: Mapping[str, str],
) -> LoadResult:
    """Run locust headless for `seconds`; read its summary (the Aggregated row)."""
    prefix = workdir / f"locust-{user_class}"
    argv = [
        str(BIN / "locust"),
        "-f",
        str(PROJECT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        server.url,
        "--csv",
        str(prefix),
        user_class,
    ]
    cpu = server.cpu_seconds()
    run = Process(argv, env, workdir / f"locust-{user_class}.log")
    try:
        run.popen.wait(timeout=seconds + 60)
    finally:
        run.stop()
    cpu = server.cpu_seconds() - cpu
    with Path(f"{prefix}_stats.csv").open(newline="") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    requests = int(row["Request Count"])
    return LoadResult(
        name=user_class,
        cpu_ms=cpu * 1000 / max(requests, 1),
        requests=requests,
        failures=int(row["Failure Count"]),
        rps=float(row["Requests/s"]),
        median_ms=float(row["50%"]),
        p95_ms=float(row["95%"]),
        users=users,
        seconds=seconds,
    )


def workdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="bench-scale-")
