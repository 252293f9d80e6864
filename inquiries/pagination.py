"""Pages of a long queryset: the page's ids first, then those rows."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


class IdsFirstPaginator(Paginator):
    """A Paginator that fetches a page in two steps: its ids in order, then those rows.

    The first query reads only the primary key and what the order needs, which a covering index
    answers without visiting the table (the queue: inquiry_open_queue); sorting thousands of
    narrow entries to find fifty is cheap, sorting thousands of whole rows with their joins is
    not. The second reads the fifty rows by primary key. One query more, whatever the size.
    """

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
