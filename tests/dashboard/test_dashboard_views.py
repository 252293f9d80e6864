"""The manager dashboard's pages: who sees them, what they show, the charts, the CSV exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from crm.models import Unit
from inquiries import services
from inquiries.metrics import DEFINITIONS, REQUEST_ROW_COLUMNS, compute, parse_filters
from inquiries.models import Inquiry
from tests.conftest import MONDAY_MORNING

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
# Two weeks after Monday 7.9.2026: the default period (the last 90 days) holds the data set.
NOW = datetime(2026, 9, 21, 10, 0, tzinfo=HELSINKI)
LONG_AGO = datetime(2026, 5, 4, 8, 0, tzinfo=HELSINKI)  # before the default period

DASHBOARD = reverse("workspace:dashboard")
REQUESTS_CSV = reverse("workspace:dashboard-requests-csv")
FIGURES_CSV = reverse("workspace:dashboard-figures-csv")
DEFINITIONS_PAGE = reverse("workspace:dashboard-definitions")
FEEDBACK = reverse("workspace:dashboard-feedback")
ROUTES = (DASHBOARD, REQUESTS_CSV, FIGURES_CSV, DEFINITIONS_PAGE, FEEDBACK)
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def sign_in(client: Client, user, language: str = "en") -> Client:
    """Sign the user in; the workspace speaks the staff member's own language."""
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 9, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def data_set(submit, handler):
    """Five requests; four in the period (Mon 7.9 – Wed 9.9.2026), one long before it.

    - A: business plot, urban development; answered after 2 business hours, resolved after 8,
      rated 5.
    - B: business plot, urban development; answered after 4 hours, still in progress.
    - C: business plot in Swedish; transferred to employment services unanswered (re-routed).
    - D: recruitment, employment services; untouched.
    - E: business plot sent in May: outside the period, but open, so in the backlog.
    """
    a = submit(request_type="business-plot", now=at(7, 8)).inquiry
    services.claim_inquiry(inquiry_id=a.pk, handler=handler, now=at(7, 9))
    services.reply_to_inquiry(inquiry_id=a.pk, handler=handler, body="Hei!", now=at(7, 10))
    services.resolve_inquiry(inquiry_id=a.pk, handler=handler, outcome="Valmis.", now=at(8, 8))
    a.refresh_from_db()
    services.rate_inquiry(inquiry_id=a.pk, contact=a.contact, rating=5, now=at(8, 9))

    b = submit(request_type="business-plot", now=at(7, 9)).inquiry
    services.claim_inquiry(inquiry_id=b.pk, handler=handler, now=at(7, 10))
    services.reply_to_inquiry(inquiry_id=b.pk, handler=handler, body="Hei!", now=at(7, 13))

    c = submit(request_type="business-plot", language="sv", now=at(8, 8)).inquiry
    services.transfer_inquiry(
        inquiry_id=c.pk,
        actor=handler,
        unit=Unit.objects.get(code="employment-services"),
        reason="Rekrytering",
        now=at(8, 9),
    )
    d = submit(
        request_type="recruitment",
        description="Tarvitsemme kaksi uutta työntekijää varastoon syksyksi.",
        now=at(9, 8),
    ).inquiry
    e = submit(request_type="business-plot", now=LONG_AGO).inquiry
    units = dict(Inquiry.objects.values_list("reference", "unit__code"))
    assert units[a.reference] == units[b.reference] == units[e.reference] == "urban-development"
    assert units[c.reference] == units[d.reference] == "employment-services"
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def page(client: Client, url: str = DASHBOARD, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def streamed(response) -> str:
    assert response.streaming is True
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def card(html: str, title: str) -> str:
    """The text of one headline card, tags removed."""
    match = re.search(
        rf'<li class="dash-card">\s*<h3>{re.escape(title)}</h3>(.*?)</li>', html, re.S
    )
    assert match, f"no card {title!r}"
    # Only ASCII white space: the no-break space inside "3.0 h" is part of the figure.
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def checkbox_values(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="([^"]*)"', html)


# -- who ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    # given nobody signed in; when they open a dashboard page
    response = client.get(url)
    # then they are sent to the staff sign-in, and back here afterwards
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("persona", ["handler", "outsider"])
@pytest.mark.parametrize("url", ROUTES)
def test_handlers_are_refused(client, request, persona, url):
    # given a handler (of the unit, or of another one) who manages no unit
    sign_in(client, request.getfixturevalue(persona))
    # when they open a dashboard page, then it is refused
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["manager", "service_manager"])
@pytest.mark.parametrize("url", ROUTES)
def test_managers_are_let_in(client, request, persona, url):
    sign_in(client, request.getfixturevalue(persona))
    assert client.get(url).status_code == 200


def test_the_pages_answer_get_only(client, service_manager):
    sign_in(client, service_manager)
    assert client.post(DASHBOARD).status_code == 405


def test_the_menu_offers_the_dashboard_to_managers_only(client, handler, manager, service_manager):
    link = f'href="{DASHBOARD}"'
    for user, shown in ((handler, False), (manager, True), (service_manager, True)):
        html = page(sign_in(Client(), user), reverse("workspace:my-work"))
        assert (link in html) is shown, user


# -- what the page shows --------------------------------------------------------------------------


def test_the_page_shows_the_figures_compute_gives(client, service_manager, data_set):
    # given the data set, as the service manager sees it by default (the last 90 days)
    filters, errors = parse_filters({}, user=service_manager, now=NOW)
    result = compute(filters, now=NOW)
    assert errors == {}
    # the figures, by hand: A, B, C and D in the period; E is not
    assert result.volume == 4
    assert (result.first_response.count, result.first_response.pending) == (2, 2)
    assert result.first_response.median_hours == pytest.approx(3.0)  # of 2 h and 4 h
    assert result.first_response.p90_hours == pytest.approx(3.8)
    assert result.resolution.median_hours == pytest.approx(8.0)
    assert (result.reroutes.count, result.reopens.base) == (1, 1)
    assert result.satisfaction.average == 5
    assert result.backlog.total == 4  # B, C, D and E: open now, whatever the period

    # when the page is opened
    html = page(sign_in(client, service_manager))

    # then each headline card shows those figures, in English number format
    assert "4" in card(html, "Requests")
    first_response = card(html, "First response")
    assert f"3.0{NBSP}h median" in first_response
    assert f"90th percentile 3.8{NBSP}h" in first_response
    assert "Within target 100% (2 of 2)" in first_response
    assert "Not yet answered 2" in first_response
    resolution = card(html, "Resolution")
    assert f"8.0{NBSP}h median" in resolution and "Not yet resolved 3" in resolution
    assert "25% 1 of 4" in card(html, "Re-route rate")
    assert "0% 0 of 1 resolved" in card(html, "Reopen rate")
    satisfaction = card(html, "Satisfaction")
    assert "5.0 / 5" in satisfaction and "Response rate 100% (1 of 1)" in satisfaction
    # the backlog, the breakdowns and where the re-routed request went
    assert "4 requests are open now" in html
    assert "Figures by unit" in html and "Figures by request type" in html
    channels = re.search(r'id="chart-channels-table-caption".*?</table>', html, re.S).group(0)
    assert re.search(r'<th scope="row">Web form</th>\s*<td>4</td>', channels)
    flows = re.search(
        r'<table class="dash-table">\s*<caption id="flows-caption">.*?</table>', html, re.S
    )
    assert flows and "Urban development" in flows.group(0)
    assert "Employment services" in flows.group(0)


def test_a_unit_manager_sees_only_their_units(client, manager, data_set):
    # given the unit manager of urban development
    html = page(sign_in(client, manager))
    # then the unit filter offers only their unit, and the figures cover it alone (A and B)
    assert checkbox_values(html, "unit") == ["urban-development"]
    assert "4" not in card(html, "Requests") and "2" in card(html, "Requests")
    assert f"3.0{NBSP}h median" in card(html, "First response")
    assert "0% 0 of 2" in card(html, "Re-route rate")  # C left the unit: it is employment's now
    units_table = re.search(r'id="chart-units-table-caption".*?</table>', html, re.S).group(0)
    assert "Urban development" in units_table and "Employment services" not in units_table


def test_a_forged_unit_gives_an_error_never_its_figures(client, manager, data_set):
    # given the unit manager of urban development, who asks for employment services' figures
    html = page(sign_in(client, manager), unit="employment-services")
    # then the unit filter says so beside itself, and no figures of that unit are shown
    field = re.search(
        r'<fieldset class="field dash-choices field--error" id="filter-unit".*?</fieldset>',
        html,
        re.S,
    )
    assert field and "Not one of your units: employment-services." in field.group(0)
    assert 'role="alert"' in html
    assert "No requests in this period." in html
    assert 'id="chart-units-table-caption"' not in html
    # and the exports refuse the same query
    assert client.get(REQUESTS_CSV, {"unit": "employment-services"}).status_code == 400
    assert client.get(FIGURES_CSV, {"unit": "employment-services"}).status_code == 400


def test_a_bad_date_is_shown_beside_its_field(client, service_manager, data_set):
    html = page(sign_in(client, service_manager), start="2026-13-45")
    field = re.search(
        r'<div class="field field--start field--error">.*?</div>\s*<input[^>]*>', html, re.S
    )
    assert field, "the start field is marked"
    assert "Enter a date as YYYY-MM-DD." in field.group(0)
    assert 'value="2026-13-45"' in field.group(0), "what was typed is shown back"
    assert 'href="#id_start"' in html, "the summary links to the field"


def test_the_filters_narrow_the_figures(client, service_manager, data_set):
    sign_in(client, service_manager)
    html = page(client, language="sv")
    assert re.search(r"<p class=\"dash-card__value\">1 ", html)
    assert 'value="sv" id="id_language_1" checked' in html or re.search(
        r'name="language" value="sv"[^>]*checked', html
    )
    empty = page(client, start="2026-01-05", end="2026-01-11")
    assert "No requests in this period." in empty


def test_an_empty_period_says_so(client, service_manager):
    html = page(sign_in(client, service_manager))
    assert "No requests in this period." in html
    assert "0 requests are open now" in html


# -- charts ---------------------------------------------------------------------------------------


def test_the_charts_are_inline_svg_with_nothing_from_elsewhere(client, service_manager, data_set):
    html = page(sign_in(client, service_manager))
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(svgs) == 6  # backlog, two trend charts, by unit, by request type, by channel
    for svg in svgs:
        assert "http" not in svg and "<script" not in svg and "href" not in svg
        opening = re.match(r"<svg\b[^>]*>", svg).group(0)
        assert 'role="img"' in opening
        title_id = re.search(r'aria-labelledby="([^"]+)"', opening).group(1)
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', svg)
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r'(?:src|href)="https?://', html)


def test_each_chart_has_its_data_table(client, service_manager, data_set):
    html = page(sign_in(client, service_manager))
    figures = re.findall(r'<figure class="dash-chart[^"]*".*?</figure>', html, re.S)
    assert len(figures) == 6
    for figure in figures:
        assert "<svg" in figure
        table = re.search(r"<table\b.*?</table>", figure, re.S)
        assert table, "a data table beside the chart"
        assert "<caption" in table.group(0)
        assert '<th scope="col"' in table.group(0) and '<th scope="row"' in table.group(0)
    backlog = next(figure for figure in figures if 'id="chart-backlog"' in figure)
    # B, C and D are 8 to 10 business days old; E, from May, over 10
    assert re.search(r'<th scope="row">6–10</th><td>3</td>', backlog)
    assert re.search(r'<th scope="row">over 10</th><td>1</td>', backlog)


# -- CSV exports ----------------------------------------------------------------------------------


def test_the_request_list_streams_one_line_per_request(client, service_manager, data_set):
    response = sign_in(client, service_manager).get(REQUESTS_CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    rows = csv_rows(streamed(response))
    assert tuple(rows[0]) == REQUEST_ROW_COLUMNS
    references = [row[0] for row in rows[1:]]
    expected = [data_set[key].reference for key in "abcd"]  # oldest first; E is before the period
    assert references == expected
    a = dict(zip(rows[0], rows[1], strict=True))
    assert a["submitted_at"] == "2026-09-07 08:00:00"  # Helsinki time
    assert (a["unit"], a["status"], a["rating"], a["first_response_seconds"]) == (
        "urban-development",
        "resolved",
        "5",
        "7200",
    )


def test_the_request_list_honours_the_filters(client, service_manager, manager, data_set):
    sign_in(client, service_manager)
    swedish = csv_rows(streamed(client.get(REQUESTS_CSV, {"language": "sv"})))
    assert [row[0] for row in swedish[1:]] == [data_set["c"].reference]
    recruitment = csv_rows(streamed(client.get(REQUESTS_CSV, {"request_type": "recruitment"})))
    assert [row[0] for row in recruitment[1:]] == [data_set["d"].reference]
    may = csv_rows(streamed(client.get(REQUESTS_CSV, {"start": "2026-05-01", "end": "2026-05-31"})))
    assert [row[0] for row in may[1:]] == [data_set["e"].reference]
    # a unit manager gets their own units' requests only
    own = csv_rows(streamed(sign_in(Client(), manager).get(REQUESTS_CSV)))
    assert [row[0] for row in own[1:]] == [data_set["a"].reference, data_set["b"].reference]


def test_the_figures_export_has_the_totals(client, service_manager, data_set):
    response = sign_in(client, service_manager).get(FIGURES_CSV, {"trend": "week"})
    assert response["Content-Disposition"].startswith('attachment; filename="')
    rows = csv_rows(streamed(response))
    assert rows[0] == ["section", "key", "name", "measure", "value"]
    figures = {(row[0], row[1], row[3]): row[4] for row in rows[1:]}
    assert figures["total", "", "volume"] == "4"
    assert figures["total", "", "first_response_median_hours"] == "3"
    assert figures["total", "", "first_response_p90_hours"] == "3,8"  # Excel in Finland
    assert figures["total", "", "reroute_rate"] == "0,25"
    assert figures["unit", "urban-development", "volume"] == "2"
    assert figures["request_type", "recruitment", "volume"] == "1"
    assert figures["channel", "web", "volume"] == "4"
    assert figures["channel", "web", "first_response_median_hours"] == "3"
    assert ("channel", "phone", "volume") not in figures  # no request came by phone
    assert figures["trend", "2026-09-07", "volume"] == "4"
    assert figures["backlog", "total", "open"] == "4"
    assert figures["flow", "urban-development>employment-services", "transfers"] == "1"


# -- definitions and feedback ---------------------------------------------------------------------


def test_the_definitions_page_lists_every_definition(client, manager):
    html = page(sign_in(client, manager), DEFINITIONS_PAGE)
    for key, text in DEFINITIONS.items():
        assert f'<section id="{key}"' in html
        assert escape(str(text)) in html
    assert html.count("<h2 ") == len(DEFINITIONS)
    dashboard = page(client)
    assert f'href="{DEFINITIONS_PAGE}"' in dashboard


def test_the_feedback_is_listed_newest_first(client, service_manager):
    services.leave_service_feedback(message="Vanha palaute", language="fi", now=at(1, 9))
    services.leave_service_feedback(
        message="Ny respons", language="sv", name="Sara", email="sara@example.fi", now=at(3, 9)
    )
    services.leave_service_feedback(message="Middle one", language="en", now=at(2, 9))
    html = page(sign_in(client, service_manager), FEEDBACK)
    positions = [html.index(text) for text in ("Ny respons", "Middle one", "Vanha palaute")]
    assert positions == sorted(positions)
    assert "Sara" in html and 'href="mailto:sara@example.fi"' in html and "Swedish" in html


def test_the_feedback_comes_50_a_page(client, service_manager):
    for n in range(51):
        services.leave_service_feedback(
            message=f"Palaute {n:02d}", language="fi", now=at(1, 8) + timedelta(minutes=n)
        )
    sign_in(client, service_manager)
    first = page(client, FEEDBACK)
    assert first.count('class="dash-feedback__item"') == 50 and "Palaute 50" in first
    second = page(client, FEEDBACK, page=2)
    assert second.count('class="dash-feedback__item"') == 1 and "Palaute 00" in second


# -- queries and languages ------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_data(
    client, service_manager, submit, handler
):
    types = ("business-plot", "recruitment", "business-start", "zoning")
    other = Unit.objects.get(code="employment-services")

    def add(count: int, offset: int) -> None:
        for n in range(offset, offset + count):
            day = MONDAY_MORNING - timedelta(days=7 * (n % 10))
            inquiry = submit(request_type=types[n % len(types)], now=day).inquiry
            if n % 5 == 0 and inquiry.unit.code == "urban-development":
                services.transfer_inquiry(
                    inquiry_id=inquiry.pk, actor=handler, unit=other, reason="x", now=day
                )

    def count() -> int:
        client.get(DASHBOARD)  # warm: the session, the content types
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    sign_in(client, service_manager)
    add(5, 0)
    with_5 = count()
    add(45, 5)
    with_50 = count()
    print("QUERIES", with_5, with_50)
    assert with_5 == with_50


@pytest.mark.parametrize(
    ("language", "hours", "title"),
    [
        ("fi", f"3,0{NBSP}h", '<html lang="fi">'),
        ("sv", f"3,0{NBSP}h", '<html lang="sv">'),
        ("en", f"3.0{NBSP}h", '<html lang="en">'),
    ],
)
def test_the_page_renders_in_each_language(
    client, service_manager, data_set, language, hours, title
):
    html = page(sign_in(client, service_manager, language))
    assert title in html
    assert hours in html  # the first response median, in the language's number format
    assert "<svg" in html
