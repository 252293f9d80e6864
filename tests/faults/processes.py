"""Real processes for the fault tests: Redis, an SMTP sink, a Celery worker and gunicorn.

Also used by the load and fault run (`python -m bench.reliability`). Each child runs in its own
session, so signalling its process group reaches its children too (the worker's pool and beat
processes, gunicorn's workers) and nothing else. Every wait is bounded; `stop()` is safe to call
at any time, also on something that never started.
"""

from __future__ import annotations

import asyncio
import email
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.header import decode_header, make_header
from pathlib import Path
from typing import IO, Any, TypeVar

import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

PROJECT_ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# Short clocks so that recovery happens within a test. The claim timeout is longer than the
# task time limit: a slow delivery is killed by Celery before the sweep could take its row back
# and send it a second time.
FAULT_TIMINGS = {
    "EMAIL_TIMEOUT": "5",
    "OUTBOX_SWEEP_SECONDS": "1",
    "OUTBOX_RETRY_BASE_SECONDS": "1",
    "OUTBOX_RETRY_MAX_SECONDS": "2",
    "OUTBOX_CLAIM_TIMEOUT_SECONDS": "8",
    "CELERY_TASK_TIME_LIMIT": "6",
    "CELERY_TASK_SOFT_TIME_LIMIT": "5",
}


def production_env(
    *,
    database_url: str,
    redis_url: str,
    smtp_port: int,
    site_url: str,
    settings_module: str = "config.settings.prod",
) -> dict[str, str]:
    """The environment of production, pointed at the given database, Redis, SMTP server and site.

    Nothing of the caller's own app configuration (its database, broker, mail) leaks in; the
    rate limits are high enough for many requests from one loopback address.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "EMAIL_", "OUTBOX_", "REDIS_", "DATABASE_"))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": "local-runs-only-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "False",
        "SUBMIT_THROTTLE_RATE": "10000/minute",
        "PORTAL_RATE_LIMIT": "10000/m",
        "SITE_URL": site_url,
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(PROJECT_ROOT),
        "PYTHONUNBUFFERED": "1",
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], T], timeout: float, interval: float = 0.1) -> T | None:
    """Poll until the predicate returns something truthy (returned), or None after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


class ManagedProcess:
    """One child process in its own session; its whole process group is ours to signal."""

    name = "process"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None
        self._log: IO[bytes] | None = None
        self.starts = 0

    def _spawn(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self.stop()  # never two at once: a restart replaces the old one
        self.starts += 1
        self.log_path = self.workdir / f"{self.name}-{self.starts}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            list(argv),
            cwd=PROJECT_ROOT,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def running(self) -> bool:
        return self.process is not None and not self._exited()

    def _exited(self) -> bool:
        # WNOWAIT: the leader stays a zombie until stop() reaps it, so its pid (the group id)
        # cannot be reused by anyone else while we may still signal the group.
        assert self.process is not None
        return (
            os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        )

    def _signal_group(self, sig: signal.Signals) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:  # the whole group is gone already
            pass

    def kill(self, sig: signal.Signals = signal.SIGKILL, timeout: float = 10.0) -> None:
        """Send `sig` to the whole process group; wait (bounded) for the leader to exit."""
        if self.process is None:
            return
        self._signal_group(sig)
        if not wait_until(self._exited, timeout, interval=0.02):
            raise TimeoutError(f"{self.name} still running {timeout} s after {sig.name}")

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate politely, then kill whatever is left of the group; reap the leader."""
        if self.process is None:
            return
        try:
            if not self._exited():
                # SIGTERM to the leader only: it shuts its children down in order (the
                # worker's warm shutdown, gunicorn's graceful stop).
                os.kill(self.process.pid, signal.SIGTERM)
                wait_until(self._exited, timeout, interval=0.05)
            self._signal_group(signal.SIGKILL)  # stragglers: pool children, beat, a hung leader
            self.process.wait(timeout=5)
        finally:
            self.process = None
            if self._log is not None:
                self._log.close()
                self._log = None

    def group_rss(self) -> dict[int, int]:
        """Resident memory in bytes of each live process in our process group (pid: bytes)."""
        if self.process is None:
            return {}
        return group_rss(self.process.pid)

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return f"({self.name}: no log)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return f"--- {self.log_path.name} (last {lines} lines) ---\n" + "\n".join(text[-lines:])


def group_rss(pgid: int) -> dict[int, int]:
    """Resident memory in bytes of each process whose process group is `pgid` (from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            # Fields after the command name (in parentheses, which may hold spaces): state,
            # ppid, pgrp, …
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) != pgid or fields[0] == "Z":
                continue
            pages = int((entry / "statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):  # the process went away meanwhile
            continue
        found[int(entry.name)] = pages * PAGE_SIZE
    return found


class RedisServer(ManagedProcess):
    """A throw-away redis-server of our own: no persistence, loopback only."""

    name = "redis"

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        super().__init__(workdir)
        self.port = port or free_port()
        binary = redis_server_binary()
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.binary = binary

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        self._spawn(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ]
        )
        if not wait_until(self.ping, timeout):
            raise RuntimeError(f"redis-server did not answer PING\n{self.log_tail()}")

    def ping(self) -> bool:
        client = redis.Redis(
            host="127.0.0.1", port=self.port, socket_timeout=1, socket_connect_timeout=1
        )
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()


@dataclass(frozen=True)
class Received:
    message_id: str
    recipients: tuple[str, ...]
    at: float  # time.monotonic() when the DATA was accepted
    subject: str = ""  # decoded, whitespace collapsed


class _RecordingHandler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        stall = self.sink._take_stall()
        if stall:
            # The client now waits for our answer: the mail is half handed over, no DATA yet.
            self.sink.stall_began.set()
            await asyncio.sleep(stall)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode()
        message = email.message_from_bytes(content)
        subject = str(make_header(decode_header(str(message.get("Subject", "")))))
        self.sink._record(
            Received(
                message_id=str(message.get("Message-ID", "")).strip(),
                recipients=tuple(envelope.rcpt_tos),
                at=time.monotonic(),
                subject=" ".join(subject.split()),
            )
        )
        return "250 Message accepted for delivery"


class SmtpSink:
    """A real SMTP server (aiosmtpd) that records each message's Message-ID and arrival time.

    It can stop and start again on the same port; `stall_first_rcpt` makes it hold the first
    RCPT command that long and set `stall_began`, so a test can act while a client is blocked
    in the middle of handing a mail over.
    """

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.stall_began = threading.Event()
        self._stall_seconds = 0.0
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._controller: Controller | None = None

    def stall_first_rcpt(self, seconds: float) -> None:
        self._stall_seconds = seconds

    def _take_stall(self) -> float:
        with self._lock:
            seconds, self._stall_seconds = self._stall_seconds, 0.0
            return seconds

    def _record(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    def start(self) -> None:
        self.stop()
        # aiosmtpd logs every SMTP command at INFO; the test reports what matters.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        # A new controller each time: a stopped one has closed its event loop.
        self._controller = Controller(
            _RecordingHandler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            try:
                self._controller.stop()
            finally:
                self._controller = None

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def counts(self) -> Counter[str]:
        """How many times each Message-ID arrived."""
        return Counter(r.message_id for r in self.received)

    def arrival(self, message_id: str) -> float | None:
        """When the message first arrived (time.monotonic()), or None."""
        return next((r.at for r in self.received if r.message_id == message_id), None)


class CeleryWorker(ManagedProcess):
    """`celery worker --beat` as in production (prefork pool, so time limits apply).

    A fresh beat schedule file per start: a SIGKILL may leave the last one half written.
    """

    name = "worker"

    def __init__(
        self, workdir: Path, env: Mapping[str, str], *, concurrency: int = 1, node: str = "faults"
    ) -> None:
        super().__init__(workdir)
        self.env = env
        self.concurrency = concurrency
        self.node = node

    def start(self, timeout: float = 30.0) -> None:
        number = self.starts + 1
        self._spawn(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "-s",
                str(self.workdir / f"beat-schedule-{number}"),
                "--pool",
                "prefork",
                "--concurrency",
                str(self.concurrency),
                "-Q",
                "celery",
                "-n",
                f"{self.node}{number}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            self.env,
        )
        if not wait_until(self._ready, timeout, interval=0.1):
            raise RuntimeError(f"the Celery worker did not become ready\n{self.log_tail()}")

    def _ready(self) -> bool:
        if not self.running:
            raise RuntimeError(f"the Celery worker exited\n{self.log_tail()}")
        assert self.log_path is not None
        return " ready." in self.log_path.read_text(errors="replace")


class WebServer(ManagedProcess):
    """gunicorn serving config.wsgi with two sync workers, as in production."""

    name = "gunicorn"

    def __init__(self, workdir: Path, env: Mapping[str, str], port: int) -> None:
        super().__init__(workdir)
        self.env = env
        self.port = port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        self._spawn(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
            ],
            self.env,
        )
        if not wait_until(self._answers, timeout, interval=0.2):
            raise RuntimeError(f"gunicorn did not answer\n{self.log_tail()}")

    def _answers(self) -> bool:
        if not self.running:
            raise RuntimeError(f"gunicorn exited\n{self.log_tail()}")
        status, _body, _seconds = http_json(self.url + "/api/v1/inquiries/", None, timeout=2)
        return status > 0  # any HTTP answer (a GET here is 405) means a worker is serving


def http_json(
    url: str, payload: Mapping[str, Any] | None, timeout: float = 30.0
) -> tuple[int, bytes, float]:
    """POST `payload` as JSON (GET when None); return (status, body, seconds). 0: no answer."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="GET" if payload is None else "POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started
    except (urllib.error.URLError, OSError):
        return 0, b"", time.monotonic() - started
