"""`python -m bench.reliability [--minutes 10]`: the load and fault run (docs/RELIABILITY.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .run import Options, run


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reliability",
        description="Mixed traffic against gunicorn, PostgreSQL, Redis and a Celery worker on "
        "loopback; the worker is killed at 1/3 and Redis at 2/3 of the run. Exits 1 if a "
        "request failed, a mail was lost or sent twice, or the worker's memory grew.",
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="traffic time (default 10)")
    parser.add_argument("--requesters", type=int, default=4, help="requester clients (4)")
    parser.add_argument(
        "--outage", type=float, help="seconds Redis stays down (20, at most 15 %% of the run)"
    )
    parser.add_argument("--drain-timeout", type=float, default=120.0, help="seconds (120)")
    parser.add_argument("--think", type=float, default=1.0, help="scale of the clients' pauses")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument(
        "--server",
        help="PostgreSQL server URL (default: the server of DATABASE_URL if it is PostgreSQL, "
        "else postgres://postgres@127.0.0.1:5432)",
    )
    parser.add_argument(
        "--database", default="bench_reliability", help="the run's own database (bench_…)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--hard-timeout", type=float, help="seconds (default: generous)")
    args = parser.parse_args(argv)
    return Options(
        minutes=args.minutes,
        requesters=args.requesters,
        outage=args.outage,
        drain_timeout=args.drain_timeout,
        think=args.think,
        seed=args.seed,
        worker_concurrency=args.worker_concurrency,
        server=args.server,
        database=args.database,
        keep=args.keep,
        json_path=args.json,
        hard_timeout=args.hard_timeout,
    )


if __name__ == "__main__":
    sys.exit(run(parse(sys.argv[1:])))
