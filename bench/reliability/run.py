"""One run: set the stack up, drive the traffic, break the worker and Redis, check, clean up.

Time line (T = --minutes): traffic from 0 to T; at T/3 the worker's whole process group gets
SIGKILL and a new worker starts at once; at 2T/3 redis-server gets SIGKILL and starts again on
the same port after the outage; after T the outbox must drain (bounded), then a quiet period
catches late copies. Everything started here is stopped here, also on Ctrl-C, SIGTERM, an error
or the hard time limit.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from tests.faults.processes import wait_until

from .report import (
    Delivery,
    MemorySample,
    OutboxRow,
    Phase,
    Report,
    Window,
    format_summary,
    judge,
    mail_figures,
    mail_phases,
    mail_recovery,
    memory_figures,
    request_figures,
    web_memory,
    window_requests,
)
from .stack import Database, Stack, prepare_database, server_url, use_run_environment
from .traffic import Handler, Recorder, Registry, Requester, ServiceManager, Shared

SETUP_BUDGET = 600.0  # seconds for creating, migrating and starting everything (a busy machine)


@dataclass(frozen=True)
class Options:
    minutes: float = 10.0
    requesters: int = 4
    outage: float | None = None  # seconds Redis is down; None: 20 s, at most 15 % of the run
    drain_timeout: float = 120.0
    think: float = 1.0
    seed: int = 2026
    worker_concurrency: int = 2
    server: str | None = None
    database: str = "bench_reliability"
    keep: bool = False
    json_path: Path | None = None
    hard_timeout: float | None = None

    @property
    def seconds(self) -> float:
        return self.minutes * 60

    @property
    def outage_seconds(self) -> float:
        return self.outage if self.outage is not None else min(20.0, 0.15 * self.seconds)

    @property
    def time_limit(self) -> float:
        return self.hard_timeout or (SETUP_BUDGET + self.seconds + self.drain_timeout + 180)


class HardTimeout(Exception):
    pass


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Raise HardTimeout in the main thread after `seconds`; SIGTERM and SIGINT interrupt too."""

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise HardTimeout(f"the run exceeded its hard time limit of {seconds:.0f} s")

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    handlers = {
        signal.SIGALRM: on_alarm,
        signal.SIGTERM: on_term,
        signal.SIGINT: signal.default_int_handler,  # also when started with SIGINT ignored
    }
    old = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    signal.alarm(math.ceil(seconds))
    try:
        yield
    finally:
        signal.alarm(0)
        for signum, handler in old.items():
            signal.signal(signum, handler)


class Sampler(threading.Thread):
    """Every few seconds: the worker's and gunicorn's memory, and the outbox backlog."""

    def __init__(self, stack: Stack, started: float, interval: float = 5.0) -> None:
        super().__init__(name="sampler", daemon=True)
        self.stack, self.started, self.interval = stack, started, interval
        self.samples: list[MemorySample] = []
        self.done = threading.Event()
        # Cleared while the worker is killed and starting again: a half-started worker's
        # memory is not its incarnation's start.
        self.worker_up = threading.Event()
        self.worker_up.set()

    def run(self) -> None:
        from django.db import connection

        from notifications.models import Notification

        waiting = [Notification.Status.PENDING, Notification.Status.SENDING]
        try:
            while not self.done.is_set():
                worker = self.stack.worker
                up = self.worker_up.is_set()
                incarnation, rss = worker.starts, worker.group_rss() if up else {}
                web = self.stack.web.group_rss()
                backlog = Notification.objects.filter(status__in=waiting).count()
                self.samples.append(
                    MemorySample(
                        time.monotonic() - self.started,
                        incarnation,
                        sum(rss.values()),
                        len(rss),
                        sum(web.values()),
                        backlog,
                        rss,
                    )
                )
                self.done.wait(self.interval)
        finally:
            connection.close()


def log(started: float, text: str) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {text}", flush=True)


def run(options: Options) -> int:
    """Run once; return 0 when every expectation held, 1 otherwise."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-reliability-"))
    database = Database(server_url(options.server), options.database)
    stack = Stack(workdir, database, worker_concurrency=options.worker_concurrency)
    use_run_environment(stack.env)
    import django

    django.setup()
    from django.db import connections

    passed = False
    began = time.monotonic()
    print(f"Reliability run: logs in {workdir}", flush=True)
    try:
        with bounded(options.time_limit):
            log(began, f"creating database {database.name} on {database.server}")
            database.create()
            handlers = prepare_database()
            log(began, "database migrated; starting redis-server, SMTP, gunicorn, worker")
            stack.start()
            log(
                began,
                f"stack up: {stack.web.url}, redis {stack.redis.port}, smtp {stack.sink.port}",
            )
            report = drive(stack, handlers, options, began)
        summary = format_summary(report)
        print("\n" + summary, flush=True)
        (workdir / "summary.txt").write_text(summary + "\n")
        data = json.dumps(report.as_dict(), indent=2, default=str)
        (workdir / "summary.json").write_text(data)
        if options.json_path:
            options.json_path.write_text(data)
        passed = report.passed
    except (HardTimeout, KeyboardInterrupt) as exc:
        print(f"\nReliability run interrupted: {type(exc).__name__} {exc}", flush=True)
    finally:
        log(began, "stopping everything this run started")
        stack.stop()
        connections.close_all()
        if not options.keep:
            try:
                database.drop()
            except Exception as exc:  # noqa: BLE001 - report, and leave the rest cleaned up
                print(f"cleanup: could not drop {database.name}: {exc}", flush=True)
        if passed and not options.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"Logs and summary kept in {workdir}", flush=True)
    return 0 if passed else 1


@dataclass
class Clock:
    """The run's clock: seconds since the traffic started."""

    started: float

    def now(self) -> float:
        return time.monotonic() - self.started

    def until(self, moment: float) -> None:
        time.sleep(max(0.0, moment - self.now()))


def drive(stack: Stack, handlers: dict[str, str], options: Options, began: float) -> Report:
    """Run the traffic and the faults, wait for the mail, and judge what happened."""
    load_before = list(os.getloadavg())
    clock = Clock(time.monotonic())
    wall_start = time.time()
    shared = Shared(
        base_url=stack.web.url,
        recorder=Recorder(clock.started),
        registry=Registry(handlers),
        stop=threading.Event(),
        seed=options.seed,
        think=options.think,
    )
    clients = [Requester(f"requester-{n}", shared) for n in range(1, options.requesters + 1)]
    clients += [Handler(f"handler-{unit}", shared, unit) for unit in sorted(handlers)]
    clients.append(ServiceManager("service-manager", shared))
    sampler = Sampler(stack, clock.started)
    events: dict[str, float] = {}
    sampler.start()
    try:
        for client in clients:
            client.start()
        log(began, f"traffic started: {len(clients)} clients for {options.minutes:g} min")
        try:
            break_things(stack, sampler, options, clock, events, began)
            clock.until(options.seconds)
        finally:
            shared.stop.set()
            deadline = time.monotonic() + 60
            for client in clients:
                client.join(timeout=max(0.1, deadline - time.monotonic()))
        events["traffic_end"] = clock.now()
        log(began, "traffic stopped; waiting for the outbox to drain")
        drained = wait_until(lambda: outbox_drained(stack), options.drain_timeout, interval=1.0)
        events["drained"] = clock.now()
        log(began, "drained" if drained else "the outbox did not drain in time")
        # Late copies (a message sent twice) would arrive within a sweep or two.
        time.sleep(2 * stack.sweep_seconds + 1)
    finally:
        sampler.done.set()
        sampler.join(timeout=10)
    report = build_report(
        options, stack, shared, sampler, events, outbox_rows(wall_start), clock.started
    )
    report.load_average = {"before": load_before, "after": list(os.getloadavg())}
    judge(report, bool(drained))
    return report


def break_things(
    stack: Stack,
    sampler: Sampler,
    options: Options,
    clock: Clock,
    events: dict[str, float],
    began: float,
) -> None:
    """At 1/3 kill the worker and start a new one; at 2/3 kill Redis and start it again."""
    clock.until(options.seconds / 3)
    events["worker_killed"] = clock.now()
    sampler.worker_up.clear()
    stack.worker.kill(signal.SIGKILL)
    log(began, "worker killed (SIGKILL to its process group); starting a new one")
    stack.worker.start(timeout=60)
    events["worker_ready"] = clock.now()
    sampler.worker_up.set()
    log(began, f"new worker ready after {events['worker_ready'] - events['worker_killed']:.1f} s")

    clock.until(2 * options.seconds / 3)
    events["redis_down"] = clock.now()
    stack.redis.kill(signal.SIGKILL)
    log(began, f"redis-server killed (SIGKILL); down for {options.outage_seconds:.0f} s")
    time.sleep(options.outage_seconds)
    stack.redis.start()
    events["redis_up"] = clock.now()
    log(began, "redis-server started again on the same port")


def build_report(
    options: Options,
    stack: Stack,
    shared: Shared,
    sampler: Sampler,
    events: dict[str, float],
    rows: list[OutboxRow],
    started: float,
) -> Report:
    deliveries = [
        Delivery(r.message_id, r.recipients, r.subject, r.at - started) for r in stack.sink.received
    ]
    samples = shared.recorder.samples
    windows = [
        Window(
            "worker SIGKILL → new worker ready", events["worker_killed"], events["worker_ready"]
        ),
        Window("Redis SIGKILL → Redis answering", events["redis_down"], events["redis_up"]),
    ]
    for window in windows:
        window_requests(window, samples)
        mail_recovery(window, rows, deliveries)
    phases = [
        Phase("before the worker kill", 0.0, events["worker_killed"]),
        Phase("worker down", events["worker_killed"], events["worker_ready"]),
        Phase("new worker, Redis up", events["worker_ready"], events["redis_down"]),
        Phase("Redis down", events["redis_down"], events["redis_up"]),
        Phase("after Redis is back", events["redis_up"], math.inf),
    ]
    mail_phases(phases, rows, deliveries)
    registry = shared.registry
    return Report(
        minutes=options.minutes,
        load_average={},
        requests=request_figures(samples),
        failures=[
            {"kind": s.kind, "at": s.at, "status": s.status, "problem": s.problem}
            for s in samples
            if s.problem
        ],
        windows=windows,
        events=events,
        mail=mail_figures(rows, deliveries, registry.expected, registry.broken),
        phases=phases,
        memory=memory_figures(sampler.samples),
        web_memory=web_memory(sampler.samples),
        max_backlog=max((s.backlog for s in sampler.samples), default=0),
        cases=dict(Counter(str(case.state) for case in registry.cases.values())),
        memory_samples=sampler.samples,
    )


def outbox_drained(stack: Stack) -> bool:
    """Nothing pending or being sent, and everything marked sent has reached the SMTP server."""
    from notifications.models import Notification

    Status = Notification.Status
    if Notification.objects.filter(status__in=[Status.PENDING, Status.SENDING]).exists():
        return False
    sent = set(Notification.objects.filter(status=Status.SENT).values_list("message_id", flat=True))
    return sent <= set(stack.sink.counts())


def outbox_rows(wall_start: float) -> list[OutboxRow]:
    """Every outbox row, its creation on the run's clock (wall_start: when the traffic began)."""
    from notifications.models import Notification

    values = Notification.objects.order_by("pk").values_list(
        "message_id",
        "kind",
        "inquiry__reference",
        "recipient_email",
        "subject",
        "status",
        "created_at",
        "attempts",
    )
    return [
        OutboxRow(mid, kind, ref or "", to, subject, status, at.timestamp() - wall_start, tries)
        for mid, kind, ref, to, subject, status, at, tries in values
    ]
