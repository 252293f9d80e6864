"""Linear-interpolation percentiles in SQL: PostgreSQL's own, and a portable equivalent.

Both give the same float, bit for bit: PostgreSQL's `percentile_cont(p)` over n values takes
h = p * (n - 1), lo = floor(h), and returns v[lo] + (v[lo + 1] - v[lo]) * (h - lo) in double
precision (v sorted, 0-based); the portable SQL numbers the values with ROW_NUMBER() and
COUNT() OVER each group, picks the two neighbours and does the same arithmetic.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Aggregate, Expression, F, FloatField, QuerySet, Value


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(p) WITHIN GROUP (ORDER BY expression); NULLs are ignored."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False

    def __init__(self, expression: str | Expression, percentile: float, **extra: Any) -> None:
        if not 0 <= percentile <= 1:
            raise ValueError(f"percentile must be within 0..1, got {percentile!r}")
        # A literal, not a parameter: PostgreSQL shares one sort between the percentile_cont
        # calls of a query that order by the same expression, whatever their fractions.
        super().__init__(expression, percentile=repr(float(percentile)), **extra)


Percentiles = dict[Hashable, dict[tuple[str, float], float | None]]


def has_native_percentiles(alias: str) -> bool:
    """Tell whether the database has percentile_cont (PostgreSQL); SQLite does not."""
    return connections[alias].vendor == "postgresql"


def percentiles_of(
    queryset: QuerySet[Any],
    group: str | Expression | None,
    fields: Sequence[str],
    percentiles: Sequence[float],
) -> Percentiles:
    """Return {group value: {(field, p): value}}: percentile_cont where the database has it."""
    if has_native_percentiles(queryset.db):
        return native_percentiles(queryset, group, fields, percentiles)
    return portable_percentiles(queryset, group, fields, percentiles)


def native_percentiles(
    queryset: QuerySet[Any],
    group: str | Expression | None,
    fields: Sequence[str],
    percentiles: Sequence[float],
) -> Percentiles:
    """percentile_cont for each field and fraction, grouped (PostgreSQL), in one query."""
    names = {
        f"p{i}_{j}": (field, percentile)
        for i, field in enumerate(fields)
        for j, percentile in enumerate(percentiles)
    }
    aggregates = {name: PercentileCont(field, p) for name, (field, p) in names.items()}
    queryset = queryset.order_by()
    if group is None:
        rows: Iterable[dict[str, Any]] = [{"pg": None, **queryset.aggregate(**aggregates)}]
    else:
        grouping = F(group) if isinstance(group, str) else group
        rows = queryset.annotate(pg=grouping).values("pg").annotate(**aggregates)
    return {row["pg"]: {key: row[name] for name, key in names.items()} for row in rows}


def _floor(vendor: str, sql: str) -> str:
    # CAST(x AS INTEGER) truncates in SQLite (the floor, for x >= 0) but rounds in PostgreSQL.
    if vendor == "postgresql":
        return f"CAST(FLOOR({sql}) AS BIGINT)"
    return f"CAST({sql} AS INTEGER)"


def portable_percentiles(
    queryset: QuerySet[Any],
    group: str | Expression | None,
    fields: Sequence[str],
    percentiles: Sequence[float],
) -> Percentiles:
    """Return {group value: {(field, p): percentile_cont(p) of field}} in one query.

    `group` is a field or expression of the queryset's model (None: one group, keyed None).
    Groups without any value of a field get None for it.
    """
    alias = queryset.db
    vendor = connections[alias].vendor
    columns = {f"pv{index}": F(field) for index, field in enumerate(fields)}
    grouping = Value(0) if group is None else F(group) if isinstance(group, str) else group
    inner = queryset.order_by().annotate(pg=grouping, **columns).values("pg", *columns)
    try:
        inner_sql, inner_params = inner.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing
        return {}

    ranked, located, picked = [], [], []
    for column in columns:
        # Non-null values first, numbered 1..n in order within their group.
        ranked.append(
            f"ROW_NUMBER() OVER (PARTITION BY q.pg ORDER BY q.{column} IS NULL, q.{column})"
            f" AS {column}_rank, COUNT(q.{column}) OVER (PARTITION BY q.pg) AS {column}_n"
        )
        for index, percentile in enumerate(percentiles):
            # A double literal on both databases (a bare 0.9 is NUMERIC in PostgreSQL).
            h = f"(CAST({float(percentile)!r} AS DOUBLE PRECISION) * (r.{column}_n - 1))"
            name = f"{column}_{index}"
            lo = _floor(vendor, h)
            located.append(f"{lo} AS {name}_lo, {h} - {lo} AS {name}_frac")
            first = f"MAX(CASE WHEN l.{column}_rank = l.{name}_lo + 1 THEN l.{column} END)"
            second = f"MAX(CASE WHEN l.{column}_rank = l.{name}_lo + 2 THEN l.{column} END)"
            picked.append(f"{first} + (COALESCE({second}, {first}) - {first}) * MAX(l.{name}_frac)")
    values = ", ".join(f"q.{column}" for column in columns)
    sql = (
        f"SELECT l.pg, {', '.join(picked)} FROM ("
        f"SELECT r.*, {', '.join(located)} FROM ("
        f"SELECT q.pg, {values}, {', '.join(ranked)} FROM ({inner_sql}) q"
        ") r) l GROUP BY l.pg"
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, inner_params)
        rows = cursor.fetchall()
    keys = [(field, percentile) for field in fields for percentile in percentiles]
    return {
        (None if group is None else row[0]): {
            key: None if value is None else float(value)
            for key, value in zip(keys, row[1:], strict=True)
        }
        for row in rows
    }
