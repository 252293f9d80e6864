"""The manager dashboard: the figures, their charts and tables, CSV exports, definitions, feedback.

Service managers see every unit; unit managers their own units (`metrics.parse_filters` narrows
the figures to them); everybody else is refused. The figures come from `inquiries.metrics`
alone: this module reads the filters, formats numbers in the reader's language and draws.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import wraps
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crm.models import Language, Unit, User
from routing.models import RequestType

from ... import dashboard_charts as charts
from ... import metrics
from ...metrics import Dashboard, Durations, Figures, Filters, Row
from ...models import Inquiry, ServiceFeedback
from .queue import workspace_view

FEEDBACK_PER_PAGE = 50
DASH = "–"

# -- who ------------------------------------------------------------------------------------------


def may_see_dashboard(user: User) -> bool:
    """A service manager, or the manager of at least one unit."""
    if user.is_service_manager or user.is_superuser:
        return True
    return metrics.dashboard_units(user).exists()


def managers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A dashboard page: staff only (others 403, visitors to sign in), managers among them."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_see_dashboard(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return require_GET(workspace_view(wrapped))


# -- numbers in the reader's language -------------------------------------------------------------


def number(value: float | None, decimals: int = 0) -> str:
    return DASH if value is None else floatformat(value, f"{decimals}g")


def hours(value: float | None) -> str:
    return DASH if value is None else f"{number(value, 1)}\u00a0h"


def percent(share: float | None) -> str:
    if share is None:
        return DASH
    sign = "%" if get_language() == "en" else "\u00a0%"  # CLDR: "45 %" in fi and sv
    # Rounded first: floatformat("-1") would print 41.96 as "42.0", not "42".
    return f"{floatformat(round(share * 100, 1), '-1')}{sign}"


def out_of(part: int, whole: int) -> str:
    return _("%(part)s of %(whole)s") % {"part": number(part), "whole": number(whole)}


@dataclass(frozen=True)
class Shown:
    """One set of figures as the page prints them."""

    figures: Figures

    volume = property(lambda self: number(self.figures.volume))
    fr_median = property(lambda self: hours(self.figures.first_response.median_hours))
    fr_p90 = property(lambda self: hours(self.figures.first_response.p90_hours))
    fr_within = property(lambda self: percent(self.figures.first_response.within_target_share))
    res_median = property(lambda self: hours(self.figures.resolution.median_hours))
    res_p90 = property(lambda self: hours(self.figures.resolution.p90_hours))
    res_within = property(lambda self: percent(self.figures.resolution.within_target_share))
    reroute_rate = property(lambda self: percent(self.figures.reroutes.rate))
    reopen_rate = property(lambda self: percent(self.figures.reopens.rate))
    sat_average = property(lambda self: number(self.figures.satisfaction.average, 1))
    sat_share = property(lambda self: percent(self.figures.satisfaction.satisfied_share))
    response_rate = property(lambda self: percent(self.figures.satisfaction.response_rate))


@dataclass(frozen=True)
class Card:
    """A headline figure: its name, the value, what the value is, details, its definition."""

    title: str
    value: str
    caption: str
    details: tuple[tuple[str, str], ...]
    definition: str


def headline(figures: Figures) -> list[Card]:
    shown, fr, res = Shown(figures), figures.first_response, figures.resolution
    sat, reroutes, reopens = figures.satisfaction, figures.reroutes, figures.reopens
    median, p90, target = _("median"), _("90th percentile"), _("Within target")

    def times(durations: Durations, within: str, pending_label: str) -> tuple:
        return (
            (p90, hours(durations.p90_hours)),
            (target, f"{within} ({out_of(durations.within_target, durations.count)})"),
            (pending_label, number(durations.pending)),
        )

    return [
        Card(_("Requests"), shown.volume, _("submitted in the period"), (), "volume"),
        Card(
            _("First response"),
            shown.fr_median,
            median,
            times(fr, shown.fr_within, _("Not yet answered")),
            "first_response",
        ),
        Card(
            _("Resolution"),
            shown.res_median,
            median,
            times(res, shown.res_within, _("Not yet resolved")),
            "resolution",
        ),
        Card(
            _("Re-route rate"),
            shown.reroute_rate,
            out_of(reroutes.count, reroutes.base),
            (),
            "reroutes",
        ),
        Card(
            _("Reopen rate"),
            shown.reopen_rate,
            _("%(count)s of %(base)s resolved")
            % {"count": number(reopens.count), "base": number(reopens.base)},
            (),
            "reopens",
        ),
        Card(
            _("Satisfaction"),
            DASH if sat.average is None else f"{shown.sat_average} / 5",
            _("average rating"),
            (
                (_("Rated 4 or 5"), shown.sat_share),
                (_("Response rate"), f"{shown.response_rate} ({out_of(sat.rated, sat.resolved)})"),
            ),
            "satisfaction",
        ),
    ]


# -- charts and their tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class DataTable:
    """The numbers of a chart: the first column heads each row."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: SafeString
    table: DataTable | None = None  # None: the figure's own breakdown table serves


def _bar(
    chart_id: str, title: str, labels: Sequence[str], values: Sequence[float | None], **kw: Any
) -> SafeString:
    # The builder escapes every text it draws: the SVG is safe to inline.
    return mark_safe(
        charts.bar_chart(
            chart_id=chart_id, title=title, labels=labels, values=values, format_value=number, **kw
        )
    )


def trend_label(start: date, trend_by: str) -> str:
    if trend_by == "month":
        return date_format(start, "M Y")
    return pgettext("week number", "wk %(number)d") % {"number": start.isocalendar().week}


def trend_charts(result: Dashboard) -> list[Chart]:
    by = result.filters.trend_by
    points = result.trend
    labels = [trend_label(point.start, by) for point in points]
    first = _("Week starting") if by == "week" else _("Month")
    starts = [
        date_format(p.start, "SHORT_DATE_FORMAT" if by == "week" else "YEAR_MONTH_FORMAT")
        for p in points
    ]
    volume_title = _("Requests per week") if by == "week" else _("Requests per month")
    response_title = (
        _("First response per week, median in business hours")
        if by == "week"
        else _("First response per month, median in business hours")
    )
    median_svg = charts.line_chart(
        chart_id="chart-trend-response",
        title=response_title,
        labels=labels,
        values=[p.first_response.median_hours for p in points],
        format_value=lambda value: hours(value),
    )
    return [
        Chart(
            "chart-trend-volume",
            volume_title,
            _bar("chart-trend-volume", volume_title, labels, [p.volume for p in points]),
            DataTable(
                volume_title,
                (first, _("Requests")),
                tuple((start, number(p.volume)) for start, p in zip(starts, points, strict=True)),
            ),
        ),
        Chart(
            "chart-trend-response",
            response_title,
            mark_safe(median_svg),  # escaped by the builder
            DataTable(
                response_title,
                (first, _("Answered"), _("Median"), _("90th percentile"), _("Within target")),
                tuple(
                    (
                        start,
                        number(p.first_response.count),
                        hours(p.first_response.median_hours),
                        hours(p.first_response.p90_hours),
                        percent(p.first_response.within_target_share),
                    )
                    for start, p in zip(starts, points, strict=True)
                ),
            ),
        ),
    ]


def backlog_label(min_days: int, max_days: int | None) -> str:
    if max_days is None:
        return _("over %(days)s") % {"days": min_days - 1}
    return f"{min_days}–{max_days}"


def backlog_chart(result: Dashboard) -> Chart:
    title = _("Open requests now by age in business days")
    buckets = result.backlog.buckets
    labels = [backlog_label(b.min_days, b.max_days) for b in buckets]
    return Chart(
        "chart-backlog",
        title,
        _bar("chart-backlog", title, labels, [b.count for b in buckets]),
        DataTable(
            title,
            (_("Age (business days)"), _("Open requests")),
            tuple((label, number(b.count)) for label, b in zip(labels, buckets, strict=True)),
        ),
    )


def row_name(row: Row) -> str:
    """The unit's or the request type's name; requests not yet routed have neither."""
    return row.name or _("Not yet routed")


def breakdown_chart(chart_id: str, title: str, rows: Sequence[Row]) -> Chart:
    names = [row_name(row) for row in rows]
    volumes = [row.figures.volume for row in rows]
    return Chart(chart_id, title, _bar(chart_id, title, names, volumes, horizontal=True))


# -- the filter form ------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """Shows the dashboard's filters and their errors; `metrics.parse_filters` validates."""

    start = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    trend = forms.ChoiceField(
        label=gettext_lazy("Trend"),
        choices=[("week", gettext_lazy("By week")), ("month", gettext_lazy("By month"))],
        widget=forms.RadioSelect,
    )
    unit = forms.MultipleChoiceField(
        label=gettext_lazy("Units"), widget=forms.CheckboxSelectMultiple
    )
    request_type = forms.MultipleChoiceField(
        label=gettext_lazy("Request types"), widget=forms.CheckboxSelectMultiple
    )
    language = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    channel = forms.MultipleChoiceField(
        label=gettext_lazy("Channels"),
        choices=Inquiry.Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    MAIN = ("start", "end", "trend")
    use_required_attribute = False  # every filter may be left out

    def __init__(
        self,
        data: QueryDict,
        *,
        units: Iterable[Unit],
        request_types: Iterable[RequestType],
        errors: dict[str, list[str]],
    ) -> None:
        super().__init__(data)
        self.fields["unit"].choices = [(unit.code, unit.name) for unit in units]
        self.fields["request_type"].choices = [(rt.code, rt.name) for rt in request_types]
        self.parsed_errors = errors

    def full_clean(self) -> None:
        # parse_filters() is the one validator, so the figures and the errors never disagree;
        # the form only renders the choices and puts those errors beside their fields.
        self.cleaned_data = {}
        self._errors = ErrorDict(
            {
                name if name in self.fields else NON_FIELD_ERRORS: self.error_class(
                    messages, renderer=self.renderer
                )
                for name, messages in self.parsed_errors.items()
            }
        )

    def more_in_use(self) -> int:
        return sum(1 for name in self.fields if name not in self.MAIN and self.data.getlist(name))


def form_data(request: HttpRequest, filters: Filters) -> QueryDict:
    """The query string, the period and the trend filled in where the reader left them out."""
    data = request.GET.copy()
    if not data.get("start"):
        data["start"] = timezone.localtime(filters.start).date().isoformat()
    if not data.get("end"):
        last = timezone.localtime(filters.end - timedelta(microseconds=1)).date()
        data["end"] = last.isoformat()
    if not data.get("trend"):
        data["trend"] = filters.trend_by
    return data


# -- pages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowShown:
    from_name: str
    to_name: str
    count: str


@managers_only
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of the chosen period and filters, with charts, tables and exports."""
    now = timezone.now()
    filters, errors = metrics.parse_filters(request.GET, user=request.user, now=now)
    recompute = request.GET.get("recompute") == "1"
    result = metrics.dashboard_for(filters, now=now, recompute=recompute)
    filters = result.filters  # a snapshot's period ends when it was computed
    units = list(Unit.objects.all())
    unit_names = {unit.code: unit.name for unit in units}
    visible = set(metrics.dashboard_units(request.user).values_list("code", flat=True))
    form = DashboardFilterForm(
        form_data(request, filters),
        units=[unit for unit in units if unit.code in visible],
        request_types=RequestType.objects.all(),
        errors=errors,
    )
    has_requests = result.volume > 0
    context = {
        "nav": "dashboard",
        "subnav": "figures",
        "form": form,
        "more_filters_in_use": form.more_in_use(),
        "result": result,
        "has_requests": has_requests,
        "period": period_days(filters),
        "scope": scope(filters, unit_names),
        "cards": headline(result.totals),
        **charts_of(result),
        "unit_rows": [(row_name(row), Shown(row.figures)) for row in result.by_unit],
        "type_rows": [(row_name(row), Shown(row.figures)) for row in result.by_request_type],
        "channel_rows": [(row_name(row), Shown(row.figures)) for row in result.by_channel],
        "flows": [
            FlowShown(
                unit_names.get(flow.from_unit, flow.from_unit) or _("No unit"),
                unit_names.get(flow.to_unit, flow.to_unit) or _("No unit"),
                number(flow.count),
            )
            for flow in result.flows
        ],
        "export_query": query_without(request.GET, "recompute"),
        "recompute_query": query_without(request.GET, "recompute", recompute="1"),
        "presets": presets(request.GET),
    }
    return render(request, "workspace/dashboard.html", context)


def charts_of(result: Dashboard) -> dict[str, Any]:
    """The page's charts; drawing them takes longer than reading a snapshot, so they are kept
    in the cache as long as the snapshot is served, per language (a cache that is down only
    means drawing them again)."""
    spec = metrics.snapshots.spec_of(result.filters, now=result.computed_at)
    key = ":".join(
        (
            "dashboard-charts",
            metrics.snapshots.key_of(spec),
            result.computed_at.isoformat(),
            get_language() or "",
        )
    )
    try:
        charts = cache.get(key)
    except Exception:  # a cache that is down only costs the drawing
        charts = None
    if charts is not None:
        return charts
    charts = {
        "backlog": backlog_chart(result),
        "trend": trend_charts(result) if result.volume > 0 else [],
        "by_unit": breakdown_chart("chart-units", _("Requests by unit"), result.by_unit),
        "by_type": breakdown_chart(
            "chart-types", _("Requests by request type"), result.by_request_type
        ),
        "by_channel": breakdown_chart(
            "chart-channels", _("Requests by channel"), result.by_channel
        ),
    }
    try:
        cache.set(key, charts, timeout=int(metrics.snapshots.max_age().total_seconds()))
    except Exception:  # the same
        pass
    return charts


def query_without(query: QueryDict, name: str, **extra: str) -> str:
    """The query string without one parameter, with others set."""
    data = query.copy()
    data.pop(name, None)
    for key, value in extra.items():
        data[key] = value
    return data.urlencode()


@dataclass(frozen=True)
class Preset:
    label: str
    query: str
    current: bool


PRESETS = (
    (30, "week", gettext_lazy("Last 30 days")),
    (metrics.DEFAULT_DAYS, "week", gettext_lazy("Last 90 days")),
    (metrics.YEAR_DAYS, "month", gettext_lazy("Last 12 months")),
)


def presets(query: QueryDict) -> list[Preset]:
    """Links to the usual periods up to now, keeping the other filters."""
    data = query.copy()
    for name in ("start", "end", "days", "trend", "recompute"):
        data.pop(name, None)
    chosen = None if query.get("start") or query.get("end") else query.get("days", "")
    found = []
    for days, trend, label in PRESETS:
        link = data.copy()
        link["days"], link["trend"] = str(days), trend
        current = chosen == str(days) or (chosen == "" and days == metrics.DEFAULT_DAYS)
        found.append(Preset(str(label), link.urlencode(), current))
    return found


def scope(filters: Filters, unit_names: dict[str, str]) -> str:
    """Which units the figures cover, in words."""
    if filters.units is None:
        return _("all units")
    if not filters.units:
        return _("no units")
    return ", ".join(sorted(unit_names.get(code, code) for code in filters.units))


def period_days(filters: Filters) -> tuple[date, date]:
    """The first and the last day of the period, as the reader counts them (both included)."""
    last = timezone.localtime(filters.end - timedelta(microseconds=1)).date()
    return timezone.localtime(filters.start).date(), last


# Headings of the definitions; a definition without one here is still shown, under its key.
DEFINITION_HEADINGS = {
    "period": gettext_lazy("Period"),
    "unit": gettext_lazy("Unit"),
    "volume": gettext_lazy("Requests (volume)"),
    "first_response": gettext_lazy("First response time"),
    "resolution": gettext_lazy("Resolution time"),
    "percentiles": gettext_lazy("Median and 90th percentile"),
    "within_target": gettext_lazy("Within target"),
    "backlog": gettext_lazy("Open requests now (backlog)"),
    "reroutes": gettext_lazy("Re-route rate"),
    "reopens": gettext_lazy("Reopen rate"),
    "satisfaction": gettext_lazy("Satisfaction"),
    "trend": gettext_lazy("Trend"),
    "channel": gettext_lazy("Channel"),
    "computed": gettext_lazy("When the figures are computed"),
}


@managers_only
def definitions(request: HttpRequest) -> HttpResponse:
    """What each figure means and how it is computed."""
    items = [
        (key, DEFINITION_HEADINGS.get(key, key.replace("_", " ").capitalize()), text)
        for key, text in metrics.DEFINITIONS.items()
    ]
    context = {"nav": "dashboard", "subnav": "definitions", "definitions": items}
    return render(request, "workspace/definitions.html", context)


@managers_only
def feedback(request: HttpRequest) -> HttpResponse:
    """The portal's general service feedback, newest first, 50 a page."""
    rows = ServiceFeedback.objects.order_by("-created_at", "-pk")
    page = Paginator(rows, FEEDBACK_PER_PAGE).get_page(request.GET.get("page"))
    page.numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2))
    context = {"nav": "dashboard", "subnav": "feedback", "page": page}
    return render(request, "workspace/feedback.html", context)


# -- CSV exports ----------------------------------------------------------------------------------
# For Excel in Finland: UTF-8 with a byte order mark, semicolons between fields and a decimal
# comma (what Excel expects under Finnish regional settings), times in Helsinki time.


CSV_CHUNK_ROWS = 500


class _Echo:
    """A pseudo-buffer: csv.writer writes a row, the generator hands it on at once."""

    def write(self, value: str) -> str:
        return value


def cell(value: object, tz: tzinfo | None = None) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"  # never a formula in a spreadsheet
    return value


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[object]], filename: str
) -> StreamingHttpResponse:
    """Stream the rows as they come, CSV_CHUNK_ROWS at a time: memory stays flat for any size."""
    writer = csv.writer(_Echo(), delimiter=";")
    tz = timezone.get_current_timezone()  # once, not for each of a million cells

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        # A few hundred lines a chunk: a write to the socket per line made 100,000 rows slow.
        chunk: list[str] = []
        for row in rows:
            chunk.append(writer.writerow([cell(value, tz) for value in row]))
            if len(chunk) == CSV_CHUNK_ROWS:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_filters(request: HttpRequest, now: datetime | None = None) -> Filters | HttpResponse:
    """The page's filters from the query string; an invalid one answers 400, never a guess."""
    now = now or timezone.now()
    filters, errors = metrics.parse_filters(request.GET, user=request.user, now=now)
    if errors:
        lines = [f"{name}: {message}" for name, messages in errors.items() for message in messages]
        text = "\n".join([_("Check the filters:"), *lines])
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    return filters


def export_name(kind: str, filters: Filters) -> str:
    first, last = period_days(filters)
    return f"business-porvoo-{kind}-{first:%Y-%m-%d}-{last:%Y-%m-%d}.csv"


@managers_only
def requests_csv(request: HttpRequest) -> HttpResponse:
    """The filtered requests, one line each (`metrics.request_rows`: no personal data)."""
    filters = export_filters(request)
    if isinstance(filters, HttpResponse):
        return filters
    rows = metrics.request_rows(filters)
    return csv_response(metrics.REQUEST_ROW_COLUMNS, rows, export_name("requests", filters))


FIGURE_COLUMNS = ("section", "key", "name", "measure", "value")


def _figure_rows(section: str, key: str, name: str, figures: Figures) -> Iterator[tuple]:
    head = (section, key, name)
    yield (*head, "volume", figures.volume)
    for prefix in ("first_response", "resolution"):
        times: Durations = getattr(figures, prefix)
        yield (*head, f"{prefix}_count", times.count)
        yield (*head, f"{prefix}_pending", times.pending)
        yield (*head, f"{prefix}_median_hours", times.median_hours)
        yield (*head, f"{prefix}_p90_hours", times.p90_hours)
        yield (*head, f"{prefix}_within_target", times.within_target)
        yield (*head, f"{prefix}_within_target_share", times.within_target_share)
    yield (*head, "rerouted", figures.reroutes.count)
    yield (*head, "reroute_rate", figures.reroutes.rate)
    yield (*head, "reopened", figures.reopens.count)
    yield (*head, "resolved", figures.reopens.base)
    yield (*head, "reopen_rate", figures.reopens.rate)
    sat = figures.satisfaction
    yield (*head, "rated", sat.rated)
    yield (*head, "satisfaction_average", sat.average)
    yield (*head, "rated_4_or_5", sat.satisfied)
    yield (*head, "rated_4_or_5_share", sat.satisfied_share)
    yield (*head, "response_rate", sat.response_rate)


def figure_rows(result: Dashboard, unit_names: dict[str, str]) -> Iterator[tuple]:
    """Every number of the dashboard, one per line: section, key, name, measure, value."""
    filters = result.filters
    first, last = period_days(filters)
    yield ("period", "", "", "first_day", first)
    yield ("period", "", "", "last_day", last)
    yield ("period", "", "", "computed_at", result.computed_at)
    for name in ("units", "request_types", "languages", "channels"):
        chosen = getattr(filters, name)
        yield ("filter", name, "", "chosen", "all" if chosen is None else ",".join(chosen))
    yield ("filter", "trend", "", "by", filters.trend_by)
    yield from _figure_rows("total", "", "", result.totals)
    for row in result.by_unit:
        yield from _figure_rows("unit", row.code, row.name, row.figures)
    for row in result.by_request_type:
        yield from _figure_rows("request_type", row.code, row.name, row.figures)
    for row in result.by_channel:
        yield from _figure_rows("channel", row.code, row.name, row.figures)
    for point in result.trend:
        key = point.start.isoformat()
        yield ("trend", key, "", "volume", point.volume)
        yield ("trend", key, "", "first_response_count", point.first_response.count)
        yield ("trend", key, "", "first_response_median_hours", point.first_response.median_hours)
        yield ("trend", key, "", "first_response_p90_hours", point.first_response.p90_hours)
        share = point.first_response.within_target_share
        yield ("trend", key, "", "first_response_within_target_share", share)
    for bucket in result.backlog.buckets:
        key = backlog_label(bucket.min_days, bucket.max_days).replace("–", "-")
        yield ("backlog", key, "", "open", bucket.count)
    yield ("backlog", "total", "", "open", result.backlog.total)
    yield ("backlog", "awaiting_requester", "", "open", result.backlog.awaiting_requester)
    for flow in result.flows:
        names = f"{unit_names.get(flow.from_unit, '')} → {unit_names.get(flow.to_unit, '')}"
        yield ("flow", f"{flow.from_unit}>{flow.to_unit}", names, "transfers", flow.count)


@managers_only
def figures_csv(request: HttpRequest) -> HttpResponse:
    """The dashboard's numbers for the same filters: totals, units, types, trend, backlog, flows."""
    now = timezone.now()
    filters = export_filters(request, now)
    if isinstance(filters, HttpResponse):
        return filters
    result = metrics.dashboard_for(filters, now=now)
    unit_names = {unit.code: unit.name for unit in Unit.objects.all()}
    rows = figure_rows(result, unit_names)
    return csv_response(FIGURE_COLUMNS, rows, export_name("figures", filters))


urlpatterns: list[URLPattern] = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/requests.csv", requests_csv, name="dashboard-requests-csv"),
    path("dashboard/figures.csv", figures_csv, name="dashboard-figures-csv"),
    path("dashboard/definitions/", definitions, name="dashboard-definitions"),
    path("dashboard/feedback/", feedback, name="dashboard-feedback"),
]
