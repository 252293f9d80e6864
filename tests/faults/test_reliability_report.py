"""The load and fault run's checks (bench/reliability/report.py) catch what they are meant to.

Plain data, no database or processes: the run itself is outside CI (docs/RELIABILITY.md).
"""

from __future__ import annotations

from collections import Counter

from bench.reliability.report import (
    MB,
    Delivery,
    MemorySample,
    OutboxRow,
    Window,
    mail_figures,
    mail_recovery,
    memory_figures,
)

REF = "BP-2026-000001"


def row(message_id: str, kind: str = "receipt", created: float = 0.0) -> OutboxRow:
    return OutboxRow(message_id, kind, REF, "a@example.fi", f"{kind} {REF}", "sent", created, 1)


def delivery(message_id: str, at: float = 1.0, kind: str = "receipt") -> Delivery:
    return Delivery(message_id, ("a@example.fi",), f"{kind} {REF}", at)


def test_each_mail_once_as_the_ledger_says_passes() -> None:
    # given a receipt and a reply, each caused by a step and received once
    rows = [row("<1@x>"), row("<2@x>", "reply")]
    ledger = Counter({(REF, "receipt", "a@example.fi"): 1, (REF, "reply", "a@example.fi"): 1})
    # when the mail is compared
    figures = mail_figures(rows, [delivery("<1@x>"), delivery("<2@x>", kind="reply")], ledger, [])
    # then nothing is wrong
    assert figures.ok and figures.delivered_once == 2


def test_a_mail_received_twice_a_lost_one_and_a_stranger_are_all_reported() -> None:
    rows = [row("<1@x>"), row("<2@x>", "reply")]
    ledger = Counter({(REF, "receipt", "a@example.fi"): 1, (REF, "reply", "a@example.fi"): 1})
    received = [delivery("<1@x>"), delivery("<1@x>", at=9.0), delivery("<9@x>")]
    figures = mail_figures(rows, received, ledger, [])
    assert not figures.ok
    assert figures.extra_copies == 1 and len(figures.duplicates) == 1
    assert [m.split()[0] for m in figures.missing] == ["<2@x>"]
    assert figures.unknown == ["<9@x>"]


def test_a_step_whose_mail_never_reached_the_outbox_is_reported() -> None:
    # given a reply the handler was told was sent, and no outbox row for it
    ledger = Counter({(REF, "receipt", "a@example.fi"): 1, (REF, "reply", "a@example.fi"): 1})
    figures = mail_figures([row("<1@x>")], [delivery("<1@x>")], ledger, [])
    assert len(figures.not_in_outbox) == 1 and not figures.ok
    # unless a step of that request failed: its outcome is unknown and it is left out
    assert mail_figures([row("<1@x>")], [delivery("<1@x>")], ledger, [REF]).ok


def test_recovery_counts_the_mail_a_fault_held_up() -> None:
    # given mail delivered before the fault, mail created during it, and mail created after
    rows = [row("<1@x>", created=1.0), row("<2@x>", created=11.0), row("<3@x>", created=30.0)]
    received = [delivery("<1@x>", at=2.0), delivery("<2@x>", at=24.0), delivery("<3@x>", at=31)]
    window = Window("fault", start=10.0, end=20.0)
    mail_recovery(window, rows, received)
    assert window.delayed_mails == 1 and window.mail_recovery_s == 4.0


def samples(rss_mb: list[float], incarnation: int = 1) -> list[MemorySample]:
    return [
        MemorySample(5.0 * n, incarnation, int(mb * MB), 4, 0, 0) for n, mb in enumerate(rss_mb)
    ]


def test_worker_memory_that_levels_off_is_flat_and_one_that_climbs_is_not() -> None:
    warm_then_level = [100 + min(n, 10) * 2 + (n % 2) * 0.3 for n in range(40)]
    climbing = [100 + n * 1.5 for n in range(40)]
    (level,) = memory_figures(samples(warm_then_level))
    (growing,) = memory_figures(samples(climbing, incarnation=2))
    assert level.judged and level.flat
    assert growing.judged and not growing.flat
    # an incarnation too short to judge is reported, not judged
    (short,) = memory_figures(samples([100, 120, 140]))
    assert not short.judged and short.flat
