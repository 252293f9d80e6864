"""Pages of a long queryset: the page's ids first, then those rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

# Reads the rows of a page from what the first query found, (pk, *also) each in the page's
# order: {pk: row}. A pk missing from the answer (the row left the list between the two queries)
# is left out of the page.
RowReader = Callable[[Sequence[tuple[Any, ...]]], dict[int, Any]]


class IdsFirstPaginator(Paginator):
    """A Paginator that fetches a page in two steps: its ids in order, then those rows.

    The first query reads only the primary key and what the order needs, which a covering index
    answers without visiting the table (the queue: inquiry_open_queue); sorting thousands of
    narrow entries to find fifty is cheap, sorting thousands of whole rows with their joins is
    not. The second reads the fifty rows by primary key: by default as model instances of
    `object_list`; `rows` reads them otherwise (the queue: only the columns its table shows),
    given the ids and the columns `also` read with them (the queue: the running clock's due time
    and state, which the index answers too). `count`, when the caller already knows it (the
    queue's quick counts), saves the count query; so does a first page that is not full (a
    search that finds a few): it is read with one row more than a page, and fewer is all.
    """

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        rows: RowReader | None = None,
        also: Sequence[str] = (),
        count: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.read_rows = rows or self._instances
        self.also = tuple(also)
        self._first: list[tuple[Any, ...]] | None = None
        if count is not None:
            self.count = count  # Paginator.count is a cached_property: this is its value

    def _instances(self, found: Sequence[tuple[Any, ...]]) -> dict[int, Any]:
        ids = [pk for pk, *_also in found]
        return {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}

    def get_page(self, number: Any) -> Page:
        if "count" not in self.__dict__ and _first_page(number):
            limit = self.per_page + self.orphans + 1
            self._first = self._found(0, limit)
            if len(self._first) < limit:
                self.count = len(self._first)
        return super().get_page(number)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if number == 1 and self._first is not None:
            found = self._first[:top]
        else:
            found = self._found(bottom, top)
        rows = self.read_rows(found) if found else {}
        return self._get_page([rows[item[0]] for item in found if item[0] in rows], number, self)

    def _found(self, bottom: int, top: int) -> list[tuple[Any, ...]]:
        if top <= bottom:
            return []
        return list(self.object_list.values_list("pk", *self.also)[bottom:top])


def _first_page(number: Any) -> bool:
    """Whether get_page(number) shows the first page (not a number shows it too)."""
    try:
        return int(number) == 1
    except (TypeError, ValueError):
        return True
