"""A throw-away PostgreSQL database for a benchmark, marked so that only such a one is dropped."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from django.core.management.base import CommandError
from django.db import connection, connections

NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_name(name: str) -> None:
    if not NAME.match(name):
        raise CommandError(f"--database-name must be a plain lower-case name, not {name!r}.")
    if name == connection.settings_dict["NAME"]:
        raise CommandError(f"{name!r} is the app's own database; choose another name.")


def server() -> psycopg.Connection:
    """A connection to the server's `postgres` database, as the app's own user."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _mark_of(cursor: psycopg.Connection, name: str) -> str | None | bool:
    """The database's comment; False if there is no such database."""
    found = cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        (name,),
    ).fetchone()
    return False if found is None else found[0]


@contextmanager
def throwaway_database(
    name: str, *, mark: str, keep: bool, reuse: bool, say: Callable[[str], None]
) -> Iterator[bool]:
    """Point the default connection at database `name`; yield whether it is new.

    A new one is created (an old one carrying `mark` is dropped first); with `reuse` an existing
    one carrying `mark` is used as it is. At the end it is dropped unless `keep` (or `reuse`).
    A database without the mark is never touched.
    """
    check_name(name)
    with server() as admin:
        found = _mark_of(admin, name)
        if found is not False and found != mark:
            raise CommandError(
                f"Database {name!r} exists and is not a benchmark's; "
                "choose another --database-name."
            )
        fresh = not (reuse and found == mark)
        if fresh:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
            # The mark lets a later run reuse or drop it, and only it.
            admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'")
    settings = connection.settings_dict
    app_database = settings["NAME"]
    connection.close()
    settings["NAME"] = name
    say(f"Database {name} {'created' if fresh else 'reused'} on {settings['HOST'] or 'localhost'}.")
    try:
        yield fresh
    finally:
        connections.close_all()
        settings["NAME"] = app_database
        if keep or reuse:
            say(f"Kept database {name} (drop it with: dropdb {name}).")
        else:
            with server() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            say(f"Dropped database {name}.")


def execute(statement: str) -> None:
    """Run one statement on the (benchmark) database."""
    with connection.cursor() as cursor:
        cursor.execute(statement)


def since(started: float) -> str:
    """Seconds since a `time.perf_counter()` reading, as the commands print them."""
    return f"{time.perf_counter() - started:.1f} s"


def table_sizes(tables: tuple[str, ...]) -> str:
    """The tables' sizes with their indexes, e.g. "inquiries_inquiry 826 MB, …"."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
            "WHERE relname = ANY(%s) ORDER BY relname",
            [list(tables)],
        )
        return ", ".join(f"{table} {size}" for table, size in cursor.fetchall())
