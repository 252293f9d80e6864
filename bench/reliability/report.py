"""What the run found: figures from what was collected, the expectations, and the summary.

Plain data in, plain data out (no database, no processes), so the arithmetic can be read and
tested on its own. Every time is in seconds on the run's clock (0: traffic started).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .traffic import Sample

# Steps that must have happened at least once for the run to say anything.
CORE_KINDS = (
    "submit",
    "track",
    "sign_in",
    "queue",
    "request_page",
    "claim",
    "reply",
    "resolve",
)
# Mail kinds the traffic causes; the ledger must match the outbox for these exactly.
DRIVEN_MAIL = ("receipt", "new_in_unit", "reply", "question", "resolution", "requester_replied")
# A worker's memory is judged over the second half of an incarnation with at least this many
# samples there; it is flat when the fitted growth over that half is below both limits.
MEMORY_MIN_SAMPLES = 12
MEMORY_GROWTH_PERCENT = 5.0
MEMORY_GROWTH_MB = 10.0
MB = 1024 * 1024


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of y over x; 0 for fewer than two distinct x."""
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    var = sum((x - mean_x) ** 2 for x, _ in points)
    if var == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var


# -- requests -----------------------------------------------------------------------------------


@dataclass
class KindFigures:
    kind: str
    attempted: int
    succeeded: int
    failed: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def request_figures(samples: Iterable[Sample]) -> list[KindFigures]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    figures = []
    for kind in sorted(by_kind, key=lambda k: (-len(by_kind[k]), k)):
        group = by_kind[kind]
        ms = [s.seconds * 1000 for s in group if s.status]
        failed = sum(1 for s in group if s.problem)
        figures.append(
            KindFigures(
                kind,
                len(group),
                len(group) - failed,
                failed,
                percentile(ms, 50),
                percentile(ms, 95),
                max(ms, default=math.nan),
            )
        )
    return figures


@dataclass
class Window:
    """A fault: from when it began to when the service was back."""

    name: str
    start: float
    end: float
    requests: int = 0
    failed: int = 0
    p95_ms: float = math.nan
    delayed_mails: int = 0  # created before the end, not yet delivered at the start
    mail_recovery_s: float = math.nan  # the last of those delivered, after the end


def window_requests(window: Window, samples: Sequence[Sample]) -> None:
    inside = [s for s in samples if window.start <= s.at <= window.end]
    window.requests = len(inside)
    window.failed = sum(1 for s in inside if s.problem)
    window.p95_ms = percentile([s.seconds * 1000 for s in inside if s.status], 95)


# -- mail ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    message_id: str
    kind: str
    reference: str
    recipient: str
    subject: str
    status: str
    created: float  # run clock
    attempts: int


@dataclass(frozen=True)
class Delivery:
    message_id: str
    recipients: tuple[str, ...]
    subject: str
    at: float  # run clock


@dataclass
class MailFigures:
    expected_by_ledger: int = 0
    outbox_rows: int = 0
    outbox_by_kind: dict[str, int] = field(default_factory=dict)
    not_in_outbox: list[str] = field(default_factory=list)  # ledger entries with no row
    unexpected_rows: list[str] = field(default_factory=list)  # driven rows nobody caused
    other_rows: int = 0  # rows of kinds the traffic does not drive (SLA, reminders…)
    received: int = 0
    delivered_once: int = 0
    missing: list[str] = field(default_factory=list)  # rows never received
    duplicates: list[str] = field(default_factory=list)  # message ids received more than once
    extra_copies: int = 0
    unknown: list[str] = field(default_factory=list)  # received, no outbox row
    wrong_envelope: list[str] = field(default_factory=list)  # recipient or subject differ
    not_sent: list[str] = field(default_factory=list)  # rows still pending, sending or failed
    broken_references: int = 0
    latency_p50_s: float = math.nan
    latency_p95_s: float = math.nan
    latency_max_s: float = math.nan

    @property
    def ok(self) -> bool:
        return not (
            self.not_in_outbox
            or self.unexpected_rows
            or self.missing
            or self.duplicates
            or self.unknown
            or self.wrong_envelope
            or self.not_sent
        )


def mail_figures(
    rows: Sequence[OutboxRow],
    deliveries: Sequence[Delivery],
    ledger: Counter[tuple[str, str, str]],
    broken: Iterable[str],
) -> MailFigures:
    """Compare the mail the steps should have caused, the outbox, and what the SMTP server got."""
    broken = set(broken)
    figures = MailFigures(broken_references=len(broken))
    figures.expected_by_ledger = sum(ledger.values())
    figures.outbox_rows = len(rows)
    figures.outbox_by_kind = dict(Counter(row.kind for row in rows))
    # 1. The ledger against the outbox (requests whose step failed are left out: unknown).
    in_outbox = Counter(
        (row.reference, row.kind, row.recipient) for row in rows if row.kind in DRIVEN_MAIL
    )
    figures.other_rows = sum(1 for row in rows if row.kind not in DRIVEN_MAIL)
    for key in ledger.keys() | in_outbox.keys():
        if key[0] in broken:
            continue
        expected, found = ledger[key], in_outbox[key]
        if found < expected:
            figures.not_in_outbox.append(f"{key} expected {expected}, outbox {found}")
        elif found > expected:
            figures.unexpected_rows.append(f"{key} expected {expected}, outbox {found}")
    # 2. The outbox against the SMTP server, by Message-ID.
    figures.received = len(deliveries)
    arrivals: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        arrivals[delivery.message_id].append(delivery)
    known = {row.message_id for row in rows}
    figures.unknown = sorted(set(arrivals) - known)
    latencies = []
    for row in rows:
        got = arrivals.get(row.message_id, [])
        if row.status != "sent":
            figures.not_sent.append(f"{row.message_id} {row.kind} {row.status} ({row.attempts})")
        if not got:
            figures.missing.append(f"{row.message_id} {row.kind} {row.reference}")
            continue
        if len(got) > 1:
            figures.duplicates.append(f"{row.message_id} {row.kind} ×{len(got)}")
            figures.extra_copies += len(got) - 1
        else:
            figures.delivered_once += 1
        first = got[0]
        if first.recipients != (row.recipient,) or first.subject != row.subject:
            figures.wrong_envelope.append(
                f"{row.message_id}: to {first.recipients} {first.subject!r}, "
                f"expected {row.recipient} {row.subject!r}"
            )
        latencies.append(first.at - row.created)
    figures.latency_p50_s = percentile(latencies, 50)
    figures.latency_p95_s = percentile(latencies, 95)
    figures.latency_max_s = max(latencies, default=math.nan)
    return figures


def mail_recovery(
    window: Window, rows: Sequence[OutboxRow], deliveries: Sequence[Delivery]
) -> None:
    """Mail the fault held up: created before it ended, not delivered before it began."""
    first: dict[str, float] = {}
    for delivery in deliveries:
        first.setdefault(delivery.message_id, delivery.at)
    held = [
        first.get(row.message_id, math.inf)
        for row in rows
        if row.created <= window.end and first.get(row.message_id, math.inf) >= window.start
    ]
    window.delayed_mails = len(held)
    window.mail_recovery_s = max(held) - window.end if held else math.nan


@dataclass
class Phase:
    name: str
    start: float
    end: float
    mails: int = 0
    latency_p50_s: float = math.nan
    latency_p95_s: float = math.nan


def mail_phases(
    phases: list[Phase], rows: Sequence[OutboxRow], deliveries: Sequence[Delivery]
) -> None:
    """Time from the outbox row to the SMTP server, for mail created in each phase of the run."""
    first: dict[str, float] = {}
    for delivery in deliveries:
        first.setdefault(delivery.message_id, delivery.at)
    for phase in phases:
        lags = [
            first[row.message_id] - row.created
            for row in rows
            if phase.start <= row.created < phase.end and row.message_id in first
        ]
        phase.mails = len(lags)
        phase.latency_p50_s = percentile(lags, 50)
        phase.latency_p95_s = percentile(lags, 95)


# -- memory -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemorySample:
    at: float
    worker_incarnation: int
    worker_rss: int  # bytes, the worker's whole process group (main, pool, beat)
    worker_processes: int
    web_rss: int  # bytes, gunicorn's arbiter and workers
    backlog: int  # outbox rows pending or sending
    worker_by_pid: dict[int, int] = field(default_factory=dict)  # bytes per process


@dataclass
class MemoryFigures:
    incarnation: int
    samples: int
    seconds: float
    start_mb: float
    median_mb: float
    end_mb: float
    max_mb: float
    processes: int
    # Fitted over the second half of the incarnation's samples.
    slope_mb_per_min: float = math.nan
    growth_mb: float = math.nan
    growth_percent: float = math.nan
    judged: bool = False
    flat: bool = True
    # Where it grew: the largest rise between two samples, and each process's start → end.
    largest_jump_mb: float = 0.0
    largest_jump_at: float = math.nan
    by_process: dict[int, str] = field(default_factory=dict)


def memory_figures(samples: Sequence[MemorySample]) -> list[MemoryFigures]:
    by_incarnation: dict[int, list[MemorySample]] = defaultdict(list)
    for sample in samples:
        if sample.worker_rss:
            by_incarnation[sample.worker_incarnation].append(sample)
    figures = []
    for incarnation, group in sorted(by_incarnation.items()):
        rss = [s.worker_rss / MB for s in group]
        item = MemoryFigures(
            incarnation,
            len(group),
            group[-1].at - group[0].at,
            rss[0],
            percentile(rss, 50),
            rss[-1],
            max(rss),
            max(s.worker_processes for s in group),
        )
        jumps = [(b.worker_rss - a.worker_rss, b.at) for a, b in itertools.pairwise(group)]
        if jumps:
            jump, at = max(jumps)
            item.largest_jump_mb, item.largest_jump_at = jump / MB, at
        first, last = group[0].worker_by_pid, group[-1].worker_by_pid
        item.by_process = {
            pid: f"{first.get(pid, 0) / MB:.1f} → {last.get(pid, 0) / MB:.1f} MB"
            for pid in sorted(first.keys() | last.keys())
        }
        half = group[len(group) // 2 :]
        if len(half) >= MEMORY_MIN_SAMPLES:
            per_second = slope([(s.at, s.worker_rss / MB) for s in half])
            item.slope_mb_per_min = per_second * 60
            item.growth_mb = per_second * (half[-1].at - half[0].at)
            item.growth_percent = 100 * item.growth_mb / item.median_mb
            item.judged = True
            item.flat = (
                item.growth_mb < MEMORY_GROWTH_MB and item.growth_percent < MEMORY_GROWTH_PERCENT
            )
        figures.append(item)
    return figures


def web_memory(samples: Sequence[MemorySample]) -> dict[str, float]:
    rss = [s.web_rss / MB for s in samples if s.web_rss]
    if not rss:
        return {}
    return {
        "start_mb": rss[0],
        "median_mb": percentile(rss, 50),
        "end_mb": rss[-1],
        "max_mb": max(rss),
    }


# -- the whole ---------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Report:
    minutes: float
    load_average: dict[str, list[float]]
    requests: list[KindFigures]
    failures: list[dict[str, Any]]
    windows: list[Window]
    events: dict[str, float]
    mail: MailFigures
    phases: list[Phase]
    memory: list[MemoryFigures]
    web_memory: dict[str, float]
    max_backlog: int
    cases: dict[str, int]
    checks: list[Check] = field(default_factory=list)
    memory_samples: list[MemorySample] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"passed": self.passed}


def judge(report: Report, drained: bool) -> None:
    """The expectations of the run, each with what it found."""
    failed = sum(k.failed for k in report.requests)
    total = sum(k.attempted for k in report.requests)
    succeeded = {k.kind for k in report.requests if k.succeeded}
    missing_kinds = [kind for kind in CORE_KINDS if kind not in succeeded]
    events = report.events
    mail = report.mail
    judged = [m for m in report.memory if m.judged]
    report.checks = [
        Check("no failed request", failed == 0, f"{failed} of {total} failed"),
        Check(
            "every kind of step happened",
            not missing_kinds,
            "missing: " + ", ".join(missing_kinds) if missing_kinds else "all core kinds",
        ),
        Check(
            "worker killed and replaced",
            "worker_killed" in events and "worker_ready" in events,
            _span(events, "worker_killed", "worker_ready"),
        ),
        Check(
            "Redis stopped and started",
            "redis_down" in events and "redis_up" in events,
            _span(events, "redis_down", "redis_up"),
        ),
        Check(
            "every step's mail is in the outbox",
            not (mail.not_in_outbox or mail.unexpected_rows),
            f"ledger {mail.expected_by_ledger}, not in outbox {len(mail.not_in_outbox)}, "
            f"unexpected {len(mail.unexpected_rows)}",
        ),
        Check(
            "outbox drained",
            drained and not mail.not_sent,
            f"{len(mail.not_sent)} rows not sent" + ("" if drained else " (drain timed out)"),
        ),
        Check(
            "every outbox mail delivered exactly once",
            not (mail.missing or mail.duplicates or mail.unknown or mail.wrong_envelope),
            f"{mail.outbox_rows} rows, delivered once {mail.delivered_once}, missing "
            f"{len(mail.missing)}, duplicated {len(mail.duplicates)} (+{mail.extra_copies} "
            f"copies), unknown {len(mail.unknown)}, wrong envelope {len(mail.wrong_envelope)}",
        ),
        Check(
            "worker memory flat",
            all(m.flat for m in judged),
            "; ".join(
                f"#{m.incarnation}: {m.growth_mb:+.1f} MB ({m.growth_percent:+.1f} %) over the "
                f"last half"
                for m in judged
            )
            or "no incarnation long enough to judge",
        ),
    ]


def _span(events: dict[str, float], start: str, end: str) -> str:
    if start not in events or end not in events:
        return "did not happen"
    return f"at {events[start]:.0f} s, back after {events[end] - events[start]:.1f} s"


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def _s(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def format_summary(report: Report) -> str:
    lines = [
        f"Reliability run: {report.minutes:g} min of traffic; load average (1/5/15 min) "
        + ", ".join(
            f"{k} {v[0]:.2f}/{v[1]:.2f}/{v[2]:.2f}" for k, v in report.load_average.items()
        ),
        "",
        f"{'kind':<14}{'attempted':>10}{'ok':>8}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'max ms':>9}",
    ]
    for k in report.requests:
        lines.append(
            f"{k.kind:<14}{k.attempted:>10}{k.succeeded:>8}{k.failed:>8}{_ms(k.p50_ms):>9}"
            f"{_ms(k.p95_ms):>9}{_ms(k.max_ms):>9}"
        )
    total = sum(k.attempted for k in report.requests)
    failed = sum(k.failed for k in report.requests)
    lines.append(f"{'all':<14}{total:>10}{total - failed:>8}{failed:>8}")
    for failure in report.failures[:20]:
        lines.append(
            f"  FAILED {failure['kind']} at {failure['at']:.1f} s: {failure['problem'][:300]}"
        )
    if len(report.failures) > 20:
        lines.append(f"  … and {len(report.failures) - 20} more failures")
    lines += [
        "",
        f"Requests submitted: {sum(report.cases.values())}; where they ended: "
        + ", ".join(f"{k} {v}" for k, v in sorted(report.cases.items())),
    ]
    lines += ["", "Faults:"]
    for w in report.windows:
        lines.append(
            f"  {w.name}: {w.start:.0f}–{w.end:.0f} s ({w.end - w.start:.1f} s); "
            f"{w.requests} requests meanwhile, {w.failed} failed, p95 {_ms(w.p95_ms)} ms; "
            f"{w.delayed_mails} mails held up, the last delivered {_s(w.mail_recovery_s)} s "
            f"after the end"
        )
    mail = report.mail
    lines += [
        "",
        f"Mail: ledger {mail.expected_by_ledger}, outbox {mail.outbox_rows} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(mail.outbox_by_kind.items()))}), "
        f"received {mail.received}, delivered once {mail.delivered_once}, missing "
        f"{len(mail.missing)}, duplicates {len(mail.duplicates)}, unknown {len(mail.unknown)}, "
        f"not sent {len(mail.not_sent)}; requests with a failed step (left out of the ledger "
        f"check) {mail.broken_references}",
        f"  outbox row to SMTP server: p50 {_s(mail.latency_p50_s)} s, p95 "
        f"{_s(mail.latency_p95_s)} s, max {_s(mail.latency_max_s)} s; largest backlog "
        f"{report.max_backlog}",
    ]
    for phase in report.phases:
        lines.append(
            f"  {phase.name:<28} {phase.mails:>5} mails, p50 {_s(phase.latency_p50_s)} s, "
            f"p95 {_s(phase.latency_p95_s)} s"
        )
    for problem in (
        (mail.not_in_outbox + mail.unexpected_rows + mail.missing + mail.duplicates)[:20]
        + mail.unknown[:5]
        + mail.wrong_envelope[:5]
        + mail.not_sent[:10]
    ):
        lines.append(f"  PROBLEM {problem}")
    lines += ["", "Worker memory (RSS summed over the worker's process group: main, pool, beat):"]
    for m in report.memory:
        verdict = ("flat" if m.flat else "GROWS") if m.judged else "too short to judge"
        lines.append(
            f"  #{m.incarnation}: {m.samples} samples over {m.seconds:.0f} s, {m.processes} "
            f"processes; start {m.start_mb:.1f} MB, median {m.median_mb:.1f}, end "
            f"{m.end_mb:.1f}, max {m.max_mb:.1f}; last half {_s(m.slope_mb_per_min)} MB/min "
            f"→ {verdict}"
        )
        lines.append(
            f"      largest rise between two samples {m.largest_jump_mb:+.1f} MB at "
            f"{_s(m.largest_jump_at)} s; per process "
            + ", ".join(f"{pid}: {text}" for pid, text in m.by_process.items())
        )
    if report.web_memory:
        w = report.web_memory
        lines.append(
            f"  gunicorn (arbiter + 2 workers, not judged): start {w['start_mb']:.1f} MB, "
            f"median {w['median_mb']:.1f}, end {w['end_mb']:.1f}, max {w['max_mb']:.1f}"
        )
    lines += ["", "Expectations:"]
    for check in report.checks:
        lines.append(f"  {'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    lines.append("")
    lines.append("RESULT: " + ("PASS" if report.passed else "FAIL"))
    return "\n".join(lines)
