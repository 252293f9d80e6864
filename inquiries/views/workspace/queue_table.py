"""The queue table's rows, and the filter form's controls, made in Python once per page.

The queue shows 50 rows a page, many times a minute. Made in the template, each row cost a
`{% url %}` twice, an `{% include %}`, four localised date filters, a translated label and a
model instance each for the request, its unit, type, company, assignee and requester: about a
third of the page's time (docs/PERFORMANCE.md, "Scale: a million requests"). Here a row is
read with `.values()` (the columns its cells show) and written as the template wrote it, with
what is looked up once a page: the links' pattern, the labels, the date formats. The template
language, even given the cells' text, took 5 ms a page to put it in place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from crm.models import Unit, User
from routing.models import RequestType

from ...models import Inquiry, InquiryQuerySet

SLAState = InquiryQuerySet.SLAState

# -- dates -----------------------------------------------------------------------------------------

# Django's date format characters (django.utils.dateformat); those below become a str.format
# field, the others are made by Django.
_FORMAT_CHARS = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
_ESCAPED = re.compile(r"\\(.)")
_FIELDS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
    "G": "{0.hour}",
    "H": "{0.hour:02d}",
    "i": "{0.minute:02d}",
    "s": "{0.second:02d}",
}
_compiled: dict[str, Callable[[datetime], str]] = {}


def date_formatter(format_name: str) -> Callable[[datetime], str]:
    """A function that formats a local datetime as `{{ value|date:format_name }}` does.

    The localised format (SHORT_DATE_FORMAT in Finnish: j.n.Y) is looked up once and made into
    a str.format template; `dateformat.format` parses the format again for every value.
    """
    format_string = str(formats.get_format(format_name))
    formatter = _compiled.get(format_string)
    if formatter is None:
        parts: list[Callable[[datetime], str]] = []
        template = ""
        for index, piece in enumerate(_FORMAT_CHARS.split(format_string)):
            if not index % 2:
                template += _ESCAPED.sub(r"\1", piece).replace("{", "{{").replace("}", "}}")
            elif piece in _FIELDS:
                template += _FIELDS[piece]
            else:  # made by Django (English: P, "4 p.m.", "noon")
                if template:
                    parts.append(template.format)
                    template = ""
                parts.append(partial(dateformat.format, format_string=piece))
        if template or not parts:
            parts.append(template.format)
        if len(parts) == 1:
            formatter = parts[0]
        else:

            def formatter(moment: datetime, parts: Sequence[Callable] = tuple(parts)) -> str:
                return "".join(part(moment) for part in parts)

        _compiled[format_string] = formatter
    return formatter


# -- rows ------------------------------------------------------------------------------------------

COLUMNS = (
    "pk",
    "reference",
    "status",
    "subject",
    "company_id",
    "company__name",
    "company_name",
    "request_type_id",
    "unit_id",
    "assignee_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "submitted_at",
    "first_response_at",
)
# Read with the page's ids (IdsFirstPaginator `also`): the running clock's due time and state at
# `now` (InquiryQuerySet.with_sla), from the queue's covering index.
CLOCK = ("sla_due", "sla_state")

# One row of templates/workspace/_queue_table.html, whose header it follows: the reference is
# the row's header cell; the checkbox (the unit queue) is labelled by the reference; the due cell
# says the state in words, its icon hidden from screen readers. Values are escaped (`_text`).
ROW = (
    "\n      <tr{highlight}>{choose}"
    '<th scope="row" class="col-reference"><a href="{url}">{reference}</a></th>'
    '<td class="col-due">{due}{mark}</td>'
    '<td class="col-subject">{subject}</td>'
    "<td>{company}</td>"
    "<td>{request_type}</td>"
    "<td>{unit}</td>"
    "<td>{status}</td>"
    "{assignee}"
    '<td class="nowrap"><time datetime="{submitted_iso}">{submitted}</time></td>'
    "</tr>"
)
CHOOSE = (
    '<td class="col-choose"><input type="checkbox" name="inquiry" value="{pk}" id="choose-{pk}">'
    '<label for="choose-{pk}"><span class="visually-hidden">{label}</span></label></td>'
)
DUE = '<time class="nowrap" datetime="{iso}">{text}</time> <span class="clock">{clock}</span>'
MARK = (
    ' <span class="sla sla--{css}"><span class="sla__icon" aria-hidden="true">{icon}</span> '
    "{label}</span>"
)


def _text(value: Any) -> str:
    """The value escaped for HTML as autoescape does it (conditional_escape, a little faster)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _path_maker(name: str, key: str, example: Any) -> Callable[[Any], str]:
    """reverse(name, kwargs={key: value}) as a string format, reversed once."""
    marker = f"{example}"
    before, after = reverse(name, kwargs={key: example}).split(marker)
    return lambda value: f"{before}{quote(str(value), safe='-_.~')}{after}"


def _names(model: type[Unit] | type[RequestType], known: dict[int, str], ids: Iterable[int]):
    """Add the names of the ids not known yet (a unit left the user's between two queries)."""
    missing = {pk for pk in ids if pk is not None and pk not in known}
    if missing:
        known.update((obj.pk, obj.name) for obj in model.objects.filter(pk__in=missing))


class RowMaker:
    """Makes the table rows of one page, with what is looked up once: labels, links, formats.

    `selectable`: a checkbox a row for the bulk form (the unit queue); `assignee`: the assignee
    column (not in "my work", where every row is the user's).
    """

    def __init__(
        self,
        user: User,
        *,
        units: Iterable[Unit] = (),
        request_types: Iterable[RequestType] = (),
        selectable: bool = True,
        assignee: bool = True,
    ) -> None:
        self.selectable = selectable
        self.assignee_column = assignee
        self.tz = timezone.get_current_timezone()
        self.due_text = date_formatter("SHORT_DATETIME_FORMAT")
        self.day_text = date_formatter("SHORT_DATE_FORMAT")
        self.inquiry_url = _path_maker("workspace:inquiry", "reference", "BP-2000-000000")
        self.company_url = _path_maker("workspace:company", "pk", 123456789)
        self.choose = gettext("Choose %(reference)s")
        self.clocks = (_text(gettext("first response")), _text(gettext("resolution")))
        self.unassigned = f'<td><span class="muted">{_text(gettext("Unassigned"))}</span></td>'
        self.statuses = {value: _text(label) for value, label in Inquiry.Status.choices}
        marks = {
            "paused": ("paused", "❚❚", gettext("Paused: awaiting the requester")),
            SLAState.BREACHED: ("breached", "✕", gettext("Breached")),
            SLAState.AT_RISK: ("at-risk", "!", gettext("At risk")),
        }
        self.marks = {
            state: MARK.format(css=css, icon=icon, label=_text(label))
            for state, (css, icon, label) in marks.items()
        }
        self.units = {unit.pk: unit.name for unit in units}
        self.request_types = {kind.pk: kind.name for kind in request_types}
        self.people = {user.pk: _text(user)}

    def read(
        self, queryset: InquiryQuerySet, found: Sequence[tuple[int, datetime | None, str | None]]
    ) -> dict[int, SafeString]:
        """The rows in `queryset` of the ids found with their CLOCK, as HTML."""
        clocks = {pk: clock for pk, *clock in found}
        values = list(queryset.filter(pk__in=list(clocks)).order_by().values(*COLUMNS))
        _names(Unit, self.units, (value["unit_id"] for value in values))
        _names(RequestType, self.request_types, (value["request_type_id"] for value in values))
        rows = {}
        for value in values:
            value["sla_due"], value["sla_state"] = clocks[value["pk"]]
            rows[value["pk"]] = self.row(value)
        return rows

    def person(self, value: dict[str, Any]) -> str:
        pk = value["assignee_id"]
        name = self.people.get(pk)
        if name is None:
            # User.__str__ (the full name, else the username) without the rest of the account
            person = User(
                pk=pk,
                username=value["assignee__username"],
                first_name=value["assignee__first_name"],
                last_name=value["assignee__last_name"],
            )
            name = self.people[pk] = _text(person)
        return name

    def row(self, value: dict[str, Any]) -> SafeString:
        pk, reference, state = value["pk"], value["reference"], value["sla_state"]
        due = value["sla_due"]
        if due is not None:
            due = due.astimezone(self.tz)
            clock = self.clocks[value["first_response_at"] is not None]
            due = DUE.format(iso=due.isoformat(), text=self.due_text(due), clock=clock)
        else:
            due = "–"
        if value["status"] == Inquiry.Status.AWAITING_CUSTOMER:
            mark = self.marks["paused"]  # waiting for the requester: the clock stands
        else:
            mark = self.marks.get(state, "")
        if value["company_id"] is not None:
            url = self.company_url(value["company_id"])
            company = f'<a href="{url}">{_text(value["company__name"])}</a>'
        else:
            company = _text(value["company_name"] or "–")
        if not self.assignee_column:
            assignee = ""
        elif value["assignee_id"] is None:
            assignee = self.unassigned
        else:
            assignee = f"<td>{self.person(value)}</td>"
        submitted = value["submitted_at"].astimezone(self.tz)
        choose = ""
        if self.selectable:
            choose = CHOOSE.format(pk=pk, label=_text(self.choose % {"reference": reference}))
        highlighted = state in (SLAState.BREACHED, SLAState.AT_RISK)
        return mark_safe(  # every value escaped above (_text)
            ROW.format(
                highlight=f' class="row--{state}"' if highlighted else "",
                choose=choose,
                url=self.inquiry_url(reference),
                reference=_text(reference),
                due=due,
                mark=mark,
                subject=_text(value["subject"]),
                company=company,
                request_type=_text(self.request_types.get(value["request_type_id"], "")),
                unit=_text(self.units.get(value["unit_id"], "")),
                status=self.statuses.get(value["status"]) or _text(value["status"]),
                assignee=assignee,
                submitted_iso=submitted.isoformat(),
                submitted=self.day_text(submitted),
            )
        )
