"""The workspace queues: my work, the unit queue with its filters, bulk actions, the language."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Membership, Unit
from inquiries import services
from inquiries.filters import InquiryFilterSet
from inquiries.models import Inquiry
from tests.conftest import MONDAY_MORNING
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("workspace:queue")
MY_WORK = reverse("workspace:my-work")
BULK = reverse("workspace:queue-bulk")
LANGUAGE = reverse("workspace:language")

# The default policy from Monday 7.9.2026 08:00: the first response is at risk from Tuesday
# 12:00 (12 of 16 business hours) and due Tuesday 16:00.
BEFORE_RISK = MONDAY_MORNING + timedelta(hours=2)
FIRST_AT_RISK = MONDAY_MORNING + timedelta(days=1, hours=5)  # Tuesday 13:00
FIRST_BREACHED = MONDAY_MORNING + timedelta(days=1, hours=9)  # Tuesday 17:00


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def sign_in(client: Client, user, language: str = "en") -> Client:
    """Sign the user in; the workspace speaks the staff member's own language."""
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


@pytest.fixture
def new(submit):
    """Submit a request in urban development (business plot) unless told otherwise."""

    def _new(now: datetime = MONDAY_MORNING, request_type: str = "business-plot", **fields):
        return submit(request_type=request_type, now=now, **fields).inquiry

    return _new


def references(response) -> list[str]:
    """The references in the table, in their order on the page."""
    pattern = r'<th scope="row" class="col-reference"><a [^>]*>(BP-\d{4}-\d{6})'
    return re.findall(pattern, response.content.decode())


def filtered(user, now: datetime = BEFORE_RISK, **data) -> InquiryFilterSet:
    request = RequestFactory().get("/staff/queue/", data)
    request.user = user
    return InquiryFilterSet(request.GET, request=request, now=now)


def refs(filterset: InquiryFilterSet) -> list[str]:
    return [inquiry.reference for inquiry in filterset.qs]


# -- who sees what --------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    # given nobody signed in; when they open each workspace page
    for url in (MY_WORK, QUEUE):
        response = client.get(url)
        # then they are asked to sign in, and come back afterwards
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("workspace:login"))
    assert client.post(BULK, {"action": "claim"}).status_code == 302


def test_signed_in_person_of_no_unit_is_refused(client):
    # given an account that belongs to no unit
    sign_in(client, UserFactory(username="nobody"))
    # when they open the workspace; then it is refused
    assert client.get(MY_WORK).status_code == 403
    assert client.get(QUEUE).status_code == 403
    assert client.post(LANGUAGE, {"language": "sv"}).status_code == 403


def test_handler_sees_only_their_units_requests(client, handler, new):
    # given a request in the handler's unit and one in another unit
    mine = new(subject="Tontti")
    theirs = new(request_type="recruitment", subject="Rekrytointi")
    # when the handler opens the unit queue
    response = sign_in(client, handler).get(QUEUE)
    # then only their unit's request is listed
    assert references(response) == [mine.reference]
    assert theirs.reference not in response.content.decode()


def test_service_manager_sees_every_unit(client, service_manager, new):
    first = new()
    second = new(request_type="recruitment")
    response = sign_in(client, service_manager).get(QUEUE)
    assert sorted(references(response)) == sorted([first.reference, second.reference])


def test_forged_unit_gives_a_form_error_and_no_rows(client, handler, other_unit, new):
    # given requests in both units
    new()
    new(request_type="recruitment")
    # when the handler asks for the other unit, by code or by id
    for value in (other_unit.code, str(other_unit.pk)):
        response = sign_in(client, handler).get(QUEUE, {"unit": value})
        # then the filter says so, and no row of any unit is listed
        assert response.status_code == 200
        assert response.context["form"].errors["unit"]
        assert references(response) == []


def test_unit_choices_are_the_users_own(handler, service_manager, other_unit):
    choices = filtered(handler).form.fields["unit"].queryset
    assert list(choices.values_list("code", flat=True)) == ["urban-development"]
    assert filtered(service_manager).form.fields["unit"].queryset.count() == Unit.objects.count()


def test_unit_filter_narrows_for_someone_in_two_units(handler, other_unit, new):
    # given a handler in two units, with a request in each
    Membership.objects.create(user=handler, unit=other_unit)
    plot = new()
    job = new(request_type="recruitment")
    # when they choose one unit; then only its request is left
    assert refs(filtered(handler, unit=other_unit.code)) == [job.reference]
    assert refs(filtered(handler, unit="urban-development")) == [plot.reference]


# -- each filter narrows --------------------------------------------------------------------------


def test_status_filter(handler, new):
    queued = new()
    claimed = new()
    services.claim_inquiry(inquiry_id=claimed.pk, handler=handler, now=BEFORE_RISK)
    assert refs(filtered(handler, status="queued")) == [queued.reference]
    assert refs(filtered(handler, status="in_progress")) == [claimed.reference]
    both = filtered(handler, status=["queued", "in_progress"])
    assert sorted(refs(both)) == sorted([queued.reference, claimed.reference])
    # a closed state is no choice here: the queue holds open requests
    assert filtered(handler, status="closed").errors


def test_request_type_filter(handler, new):
    plot = new()
    zoning = new(request_type="zoning")
    assert refs(filtered(handler, request_type="zoning")) == [zoning.reference]
    assert refs(filtered(handler, request_type="business-plot")) == [plot.reference]


def test_assignee_filter(handler, other_handler, new):
    mine, others, nobodys = new(), new(), new()
    services.claim_inquiry(inquiry_id=mine.pk, handler=handler, now=BEFORE_RISK)
    services.claim_inquiry(inquiry_id=others.pk, handler=other_handler, now=BEFORE_RISK)
    assert refs(filtered(handler, assignee="me")) == [mine.reference]
    assert refs(filtered(handler, assignee="unassigned")) == [nobodys.reference]
    assert len(refs(filtered(handler, assignee="anyone"))) == 3


def test_sla_states_follow_the_running_clock(handler, new):
    # given a request whose first response is still owed, one answered, one awaiting the requester
    owed = new()
    answered = new()
    services.claim_inquiry(inquiry_id=answered.pk, handler=handler, now=BEFORE_RISK)
    services.reply_to_inquiry(
        inquiry_id=answered.pk, handler=handler, body="Hello", now=BEFORE_RISK
    )
    waiting = new()
    services.claim_inquiry(inquiry_id=waiting.pk, handler=handler, now=BEFORE_RISK)
    services.ask_customer(inquiry_id=waiting.pk, handler=handler, question="?", now=BEFORE_RISK)

    def state(now: datetime, value: str) -> list[str]:
        return refs(filtered(handler, now=now, sla=value))

    # when nothing is near: all on track
    assert len(state(BEFORE_RISK, "on_track")) == 3
    # when 75 % of the first-response target is used: the owed one is at risk, the answered one's
    # resolution clock (80 hours) is far from it, and the waiting one is paused
    assert state(FIRST_AT_RISK, "at_risk") == [owed.reference]
    assert sorted(state(FIRST_AT_RISK, "on_track")) == sorted(
        [answered.reference, waiting.reference]
    )
    # when the first response is late: breached
    assert state(FIRST_BREACHED, "breached") == [owed.reference]
    assert state(FIRST_BREACHED, "at_risk") == []
    # when even the resolution is late (weeks on): the answered one is breached too, the
    # waiting one stays on track while its clock is paused
    weeks_later = MONDAY_MORNING + timedelta(days=30)
    assert sorted(state(weeks_later, "breached")) == sorted([owed.reference, answered.reference])
    assert state(weeks_later, "on_track") == [waiting.reference]


def test_submitted_between(handler, new):
    monday = new(now=MONDAY_MORNING)
    wednesday = new(now=MONDAY_MORNING + timedelta(days=2))
    friday = new(now=MONDAY_MORNING + timedelta(days=4))
    assert refs(filtered(handler, submitted_after="2026-09-09")) == [
        wednesday.reference,
        friday.reference,
    ]
    assert refs(filtered(handler, submitted_before="2026-09-07")) == [monday.reference]
    between = filtered(handler, submitted_after="2026-09-08", submitted_before="2026-09-10")
    assert refs(between) == [wednesday.reference]


def test_language_and_channel(handler, new):
    finnish = new(language="fi")
    swedish = new(language="sv", channel=Inquiry.Channel.EMAIL)
    assert refs(filtered(handler, language="sv")) == [swedish.reference]
    assert refs(filtered(handler, language="fi")) == [finnish.reference]
    assert refs(filtered(handler, channel="email")) == [swedish.reference]
    assert refs(filtered(handler, channel="web")) == [finnish.reference]


def test_search_over_reference_company_business_id_and_subject(handler, new):
    bakery = new(
        subject="Tontti leipomolle", company_name="Borgå Bageri Ab", business_id="1572860-0"
    )
    sawmill = new(subject="Laajennus", company_name="Sahaus Oy")
    unnamed = new(subject="Varastohalli Kullooseen")
    assert refs(filtered(handler, q="bageri")) == [bakery.reference]
    assert refs(filtered(handler, q="1572860")) == [bakery.reference]
    assert refs(filtered(handler, q="SAHAUS")) == [sawmill.reference]
    assert refs(filtered(handler, q="kulloo")) == [unnamed.reference]
    assert refs(filtered(handler, q=unnamed.reference)) == [unnamed.reference]
    assert refs(filtered(handler, q="nothing like this")) == []


def test_ordering(handler, new):
    # given three requests: the later submitted ones are due later
    first = new(now=MONDAY_MORNING)
    second = new(now=MONDAY_MORNING + timedelta(days=1))
    third = new(now=MONDAY_MORNING + timedelta(days=2))
    # and the first one answered: its running clock is now the resolution, due two weeks on
    services.claim_inquiry(inquiry_id=first.pk, handler=handler, now=BEFORE_RISK)
    services.reply_to_inquiry(inquiry_id=first.pk, handler=handler, body="Hi", now=BEFORE_RISK)
    # then by due time the answered one comes last; by submission it comes first
    assert refs(filtered(handler)) == [second.reference, third.reference, first.reference]
    assert refs(filtered(handler, ordering="due")) == refs(filtered(handler))
    assert refs(filtered(handler, ordering="-due")) == [
        first.reference,
        third.reference,
        second.reference,
    ]
    assert refs(filtered(handler, ordering="submitted")) == [
        first.reference,
        second.reference,
        third.reference,
    ]
    assert refs(filtered(handler, ordering="-submitted"))[0] == third.reference
    # the last change: the first one was changed last
    assert refs(filtered(handler, ordering="-changed"))[0] == first.reference


def test_invalid_input_gives_form_errors_not_500(client, handler, new):
    new()
    response = sign_in(client, handler).get(
        QUEUE,
        {
            "submitted_after": "31.2.2026x",
            "sla": "whenever",
            "ordering": "random",
            "status": "nonsense",
            "page": "many",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"submitted_after", "sla", "ordering", "status"} <= set(errors)
    assert references(response) == []
    assert 'role="alert"' in response.content.decode()


# -- the page -------------------------------------------------------------------------------------


def test_queue_page_is_an_accessible_table(client, handler, new):
    inquiry = new(company_name="Borgå Bageri Ab", business_id="1572860-0")
    html = sign_in(client, handler).get(QUEUE).content.decode()
    assert "<caption" in html
    assert html.count('<th scope="col"') >= 9
    assert f"Choose {inquiry.reference}" in html  # each checkbox is labelled
    assert reverse("workspace:inquiry", kwargs={"reference": inquiry.reference}) in html
    assert reverse("workspace:company", kwargs={"pk": inquiry.company_id}) in html
    # every filter control has its label
    for name in ("request_type", "unit", "assignee", "sla", "submitted_after", "q", "ordering"):
        assert f'<label for="id_{name}">' in html
    assert 'type="date"' in html


def test_due_marks_say_their_state_in_words(client, handler, new):
    new()
    with time_machine.travel(FIRST_BREACHED, tick=False):
        html = sign_in(client, handler).get(QUEUE).content.decode()
    assert "sla--breached" in html
    assert 'aria-hidden="true">✕</span> Breached' in html


def test_quick_filter_counts(client, handler, other_handler, new):
    # given: two unassigned (one of them old enough to be breached), one mine, one someone
    # else's awaiting the requester, and one in another unit
    new(now=MONDAY_MORNING - timedelta(days=7))
    new(now=FIRST_BREACHED - timedelta(hours=1))
    mine = new()
    services.claim_inquiry(inquiry_id=mine.pk, handler=handler, now=BEFORE_RISK)
    waiting = new()
    services.claim_inquiry(inquiry_id=waiting.pk, handler=other_handler, now=BEFORE_RISK)
    services.ask_customer(
        inquiry_id=waiting.pk, handler=other_handler, question="?", now=BEFORE_RISK
    )
    new(request_type="recruitment")
    # when the handler opens the queue on Tuesday at 13:00
    with time_machine.travel(FIRST_AT_RISK, tick=False):
        response = sign_in(client, handler).get(QUEUE)
        unassigned = client.get(QUEUE, {"assignee": "unassigned"})
    # then each quick filter shows its count
    counts = {quick.label: quick.count for quick in response.context["quick_filters"]}
    assert counts == {
        "All open": 4,
        "Unassigned": 2,
        "Mine": 1,
        "At risk": 1,  # mine: 3 of 16 hours left
        "Breached": 1,  # last week's
        "Awaiting the requester": 1,
    }
    assert '?sla=at_risk">At risk <span class="count">1</span>' in response.content.decode()
    # and the quick filter in use is marked as the current one, its count the table's
    response = unassigned
    current = [quick.label for quick in response.context["quick_filters"] if quick.current]
    assert current == ["Unassigned"]
    assert response.context["page"].paginator.count == 2
    assert "1–2 of 2" in response.content.decode()


def test_fifty_a_page(client, handler, new):
    created = [new(now=MONDAY_MORNING + timedelta(minutes=n)) for n in range(51)]
    sign_in(client, handler)
    first = client.get(QUEUE)
    assert len(references(first)) == 50
    assert 'aria-label="Pages"' in first.content.decode()
    second = client.get(QUEUE, {"page": 2})
    assert references(second) == [created[-1].reference]
    # the filters stay on when paging
    filtered_page = client.get(QUEUE, {"assignee": "unassigned", "page": 2})
    assert "assignee=unassigned&amp;page=1" in filtered_page.content.decode()


def test_my_work_lists_my_open_requests_most_urgent_first(client, handler, other_handler, new):
    later = new(now=MONDAY_MORNING + timedelta(days=1))
    sooner = new(now=MONDAY_MORNING)
    someone_elses = new()
    for inquiry in (later, sooner):
        services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler, now=BEFORE_RISK)
    services.claim_inquiry(inquiry_id=someone_elses.pk, handler=other_handler, now=BEFORE_RISK)
    response = sign_in(client, handler).get(MY_WORK)
    assert references(response) == [sooner.reference, later.reference]


def test_table_rows_say_in_words_and_link_what_the_template_did(
    client, handler, other_handler, new
):
    # given a request with a company, one answered and assigned, and one awaiting the requester
    with_company = new(company_name="Borgå Bageri Ab", business_id="1572860-0")
    answered = new(company_name="Ei tunnusta Oy", subject="Tontti <b>& halli</b>")
    services.claim_inquiry(inquiry_id=answered.pk, handler=other_handler, now=BEFORE_RISK)
    services.reply_to_inquiry(
        inquiry_id=answered.pk, handler=other_handler, body="Hei", now=BEFORE_RISK
    )
    waiting = new()
    services.claim_inquiry(inquiry_id=waiting.pk, handler=handler, now=BEFORE_RISK)
    services.ask_customer(inquiry_id=waiting.pk, handler=handler, question="?", now=BEFORE_RISK)
    # when a Swedish-speaking handler opens the queue as the first response comes near
    with time_machine.travel(FIRST_AT_RISK, tick=False):
        html = sign_in(client, handler, language="sv").get(QUEUE).content.decode()
    rows = {
        inquiry.reference: re.search(
            rf"<tr[^>]*>(?:(?!</tr>).)*{inquiry.reference}.*?</tr>", html, re.S
        )[0]
        for inquiry in (with_company, answered, waiting)
    }
    # then each row has a cell under each of the ten column headers
    assert html.count('<th scope="col"') == 10
    for row in rows.values():
        assert row.count("<td") + row.count('<th scope="row"') == 10
    # the at-risk row: its due time in Swedish format, the clock, the state in words
    row = rows[with_company.reference]
    assert 'class="row--at_risk"' in row
    assert (
        '<time class="nowrap" datetime="2026-09-08T16:00:00+03:00">2026-09-08 16:00</time> '
        '<span class="clock">första svar</span>' in row
    )
    assert '<span class="sla__icon" aria-hidden="true">!</span> Risk för försening' in row
    company = reverse("workspace:company", kwargs={"pk": with_company.company_id})
    assert f'<a href="{company}">Borgå Bageri Ab</a>' in row
    assert '<span class="muted">Ingen handläggare</span>' in row
    assert '<time datetime="2026-09-07T08:00:00+03:00">2026-09-07</time>' in row
    # the answered one: the resolution clock, the name as typed, escaped text, the assignee
    row = rows[answered.reference]
    assert '<span class="clock">lösning</span>' in row and "row--" not in row
    assert "<td>Ei tunnusta Oy</td>" in row
    assert "Tontti &lt;b&gt;&amp; halli&lt;/b&gt;" in row
    assert "<td>Olli Other</td>" in row and "<td>Under behandling</td>" in row
    # the waiting one: paused, whatever its clock
    row = rows[waiting.reference]
    assert "sla--paused" in row and "Pausad: väntar på kundens svar" in row
    assert f"Välj {waiting.reference}" in row


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_dates_are_formatted_as_the_date_filter_does(language):
    from django.template.defaultfilters import date as date_filter
    from django.utils import translation

    from inquiries.views.workspace.queue_table import date_formatter

    moments = [
        MONDAY_MORNING + timedelta(days=days, hours=hours, minutes=minutes)
        for days in (0, 1, 100, 300)
        for hours in (-8, 0, 4, 15)  # midnight and noon, morning and afternoon
        for minutes in (0, 7, 30)
    ]
    with translation.override(language):
        for name in ("SHORT_DATETIME_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT"):
            format_date = date_formatter(name)
            assert [format_date(moment) for moment in moments] == [
                date_filter(moment, name) for moment in moments
            ]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": 'tontti "x" <y>', "status": ["queued", "new"], "sla": "breached", "unit": "nope"},
        {"submitted_after": "31.2.2026x", "ordering": "-due", "assignee": "me"},
    ],
)
def test_filter_controls_are_djangos_own_markup(handler, data):
    from django.forms.renderers import get_default_renderer

    from crm.models import Unit
    from inquiries.views.workspace.queue import dress
    from routing.models import RequestType

    def controls(renderer) -> list[str]:
        form = filtered(handler, **data).form
        dress(form, units=list(Unit.objects.all()), request_types=list(RequestType.objects.all()))
        form.is_valid()
        if renderer is not None:
            form.renderer = renderer
        html = [str(field) for field in form if field.name != "status"]
        html += [choice.tag() for choice in form["status"]]
        return [re.sub(r">\s+<", "><", control).strip() for control in html]

    # then written without templates, the controls are what Django's templates make of them
    assert controls(None) == controls(get_default_renderer())


def test_a_first_page_that_is_not_full_is_not_counted_again(client, handler, new):
    from inquiries.pagination import IdsFirstPaginator

    for _ in range(3):
        new()
    rows = Inquiry.objects.filter(status=Inquiry.Status.QUEUED).order_by("pk")
    ids = list(rows.values_list("pk", flat=True))
    # a first page that is not full: its ids (a row more than a page asked for) and its rows
    with CaptureQueriesContext(connection) as not_full:
        page = IdsFirstPaginator(rows, 5).get_page(None)
    assert page.paginator.count == 3 and [inquiry.pk for inquiry in page] == ids
    # a full one: counted as well, its ids not read again
    with CaptureQueriesContext(connection) as first:
        page = IdsFirstPaginator(rows, 2).get_page("1")
    assert page.paginator.count == 3 and [inquiry.pk for inquiry in page] == ids[:2]
    # a page further on: the count, the ids, the rows
    with CaptureQueriesContext(connection) as second:
        page = IdsFirstPaginator(rows, 2).get_page(2)
    assert [inquiry.pk for inquiry in page] == ids[2:]
    assert (len(not_full), len(first), len(second)) == (2, 3, 3)


# -- bulk claim and assign ------------------------------------------------------------------------


def test_bulk_claim_reports_what_was_already_taken(client, handler, other_handler, new):
    # given three queued requests, one of which another handler has taken
    free_one, free_two, taken = new(), new(), new()
    services.claim_inquiry(inquiry_id=taken.pk, handler=other_handler, now=BEFORE_RISK)
    # when the handler claims all three
    response = sign_in(client, handler).post(
        BULK,
        {"action": "claim", "inquiry": [free_one.pk, free_two.pk, taken.pk], "next": QUEUE},
        follow=True,
    )
    # then the free ones are theirs, the taken one stays, and the summary says which
    for inquiry in (free_one, free_two, taken):
        inquiry.refresh_from_db()
    assert free_one.assignee == handler and free_two.assignee == handler
    assert taken.assignee == other_handler
    texts = [str(message) for message in response.context["messages"]]
    assert any("Claimed 2 requests" in text for text in texts)
    assert any(taken.reference in text and "Already taken" in text for text in texts)


def test_bulk_claim_ignores_requests_outside_the_queue(client, handler, new):
    theirs = new(request_type="recruitment")
    response = sign_in(client, handler).post(
        BULK, {"action": "claim", "inquiry": [theirs.pk]}, follow=True
    )
    theirs.refresh_from_db()
    assert theirs.assignee is None
    texts = [str(message) for message in response.context["messages"]]
    assert any("no longer open in your queue" in text for text in texts)


def test_bulk_assign_by_a_unit_manager(client, manager, other_handler, new):
    first, second = new(), new()
    response = sign_in(client, manager).post(
        BULK,
        {"action": "assign", "assignee": other_handler.pk, "inquiry": [first.pk, second.pk]},
        follow=True,
    )
    for inquiry in (first, second):
        inquiry.refresh_from_db()
        assert inquiry.assignee == other_handler
        assert inquiry.status == Inquiry.Status.IN_PROGRESS
    texts = [str(message) for message in response.context["messages"]]
    assert any("Assigned 2 requests to Olli Other" in text for text in texts)


def test_bulk_assign_goes_on_past_a_request_it_cannot_assign(
    client, manager, handler, other_handler, new
):
    # given two queued requests and one awaiting the requester (no assigning then)
    first, second, waiting = new(), new(), new()
    services.claim_inquiry(inquiry_id=waiting.pk, handler=handler, now=BEFORE_RISK)
    services.ask_customer(inquiry_id=waiting.pk, handler=handler, question="?", now=BEFORE_RISK)
    # when the manager assigns all three to another handler
    response = sign_in(client, manager).post(
        BULK,
        {
            "action": "assign",
            "assignee": other_handler.pk,
            "inquiry": [first.pk, waiting.pk, second.pk],
        },
        follow=True,
    )
    # then the two are assigned, the waiting one is unchanged and named in the summary
    for inquiry in (first, second, waiting):
        inquiry.refresh_from_db()
    assert first.assignee == other_handler and second.assignee == other_handler
    assert waiting.assignee == handler
    texts = [str(message) for message in response.context["messages"]]
    assert any("Assigned 2 requests" in text for text in texts)
    assert any(waiting.reference in text and "no longer possible" in text for text in texts)


def test_bulk_claim_by_someone_not_in_the_unit_is_refused(client, service_manager, new):
    # a service manager sees every queue but claims only where they are a handler
    inquiry = new()
    response = sign_in(client, service_manager).post(
        BULK, {"action": "claim", "inquiry": [inquiry.pk]}, follow=True
    )
    inquiry.refresh_from_db()
    assert inquiry.assignee is None
    texts = [str(message) for message in response.context["messages"]]
    assert texts == [f"Only a handler of its unit can claim a request: {inquiry.reference}."]


def test_assign_control_lists_the_managers_handlers(client, manager, handler, outsider, new):
    new()
    html = sign_in(client, manager).get(QUEUE).content.decode()
    assert 'name="assignee"' in html
    assert f'value="{handler.pk}">Hanna Handler' in html
    assert "Ulla Outsider" not in html


def test_bulk_assign_is_refused_to_a_plain_handler(client, handler, other_handler, new):
    inquiry = new()
    sign_in(client, handler)
    # the page offers no assign control
    assert 'value="assign"' not in client.get(QUEUE).content.decode()
    # and a forged post is refused, changing nothing
    response = client.post(
        BULK, {"action": "assign", "assignee": other_handler.pk, "inquiry": [inquiry.pk]}
    )
    assert response.status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.assignee is None and inquiry.status == Inquiry.Status.QUEUED


def test_bulk_assign_to_someone_outside_the_unit_changes_nothing(client, manager, outsider, new):
    inquiry = new()
    response = sign_in(client, manager).post(
        BULK, {"action": "assign", "assignee": outsider.pk, "inquiry": [inquiry.pk]}, follow=True
    )
    inquiry.refresh_from_db()
    assert inquiry.assignee is None
    texts = [str(message) for message in response.context["messages"]]
    assert any("Choose the handler" in text for text in texts)


def test_unsafe_next_is_not_followed(client, handler, new):
    inquiry = new()
    response = sign_in(client, handler).post(
        BULK, {"action": "claim", "inquiry": [inquiry.pk], "next": "https://evil.example/"}
    )
    assert response["Location"] == QUEUE


# -- the staff member's language ------------------------------------------------------------------


def test_language_switch_is_saved_on_the_user(client, handler):
    sign_in(client, handler, language="fi")
    response = client.post(LANGUAGE, {"language": "sv", "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    handler.refresh_from_db()
    assert handler.language == "sv"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    # and the workspace now speaks Swedish, whatever the browser asks for
    assert '<html lang="sv">' in client.get(QUEUE).content.decode()


def test_language_switch_refuses_unknown_languages_and_unsafe_next(client, handler):
    sign_in(client, handler, language="en")
    response = client.post(LANGUAGE, {"language": "de", "next": "//evil.example/"})
    assert response["Location"] == MY_WORK
    handler.refresh_from_db()
    assert handler.language == "en"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_each_staff_member_reads_the_workspace_in_their_language(client, handler, language):
    # given a staff member whose browser asks for English
    sign_in(client, handler, language=language)
    # when they land on their work after signing in
    response = client.get(MY_WORK)
    # then the page is in their own language, and the cookie follows it
    assert f'<html lang="{language}">' in response.content.decode()
    if language != "en":
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_sign_in_lands_on_my_work(client, handler):
    page = client.get(reverse("workspace:login")).content.decode()
    assert '<label for="id_username">' in page and '<label for="id_password">' in page
    failed = client.post(reverse("workspace:login"), {"username": "hanna.handler", "password": "x"})
    assert 'role="alert"' in failed.content.decode()
    response = client.post(
        reverse("workspace:login"),
        {"username": "hanna.handler", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302 and response["Location"] == MY_WORK


# -- queries --------------------------------------------------------------------------------------


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def rows(new, handler):
    """Add requests in the handler's unit, each with a company, claimed by the handler."""

    def _rows(count: int) -> None:
        for n in range(count):
            inquiry = new(
                now=MONDAY_MORNING + timedelta(minutes=n),
                company_name=f"Yritys {n} Oy",
                business_id=_business_id(n),
            )
            services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler, now=BEFORE_RISK)

    return _rows


def _business_id(n: int) -> str:
    from tests.factories import _ytunnus

    return _ytunnus(2_000_000 + 10 * n)


@pytest.mark.parametrize("user", ["handler", "manager"])
def test_queue_and_my_work_queries_do_not_grow_with_rows(client, rows, request, user):
    sign_in(client, request.getfixturevalue(user))
    rows(5)
    counts_5 = (queries(client, QUEUE), queries(client, MY_WORK))
    rows(45)
    counts_50 = (queries(client, QUEUE), queries(client, MY_WORK))
    assert counts_5 == counts_50


def test_submitted_dates_are_days_in_helsinki(handler, new):
    # given a request sent at 00:30 on Tuesday in Porvoo (still Monday in UTC)
    night = new(now=datetime(2026, 9, 8, 0, 30, tzinfo=MONDAY_MORNING.tzinfo))
    # then it counts as Tuesday's
    assert refs(filtered(handler, submitted_after=date(2026, 9, 8).isoformat())) == [
        night.reference
    ]
    assert refs(filtered(handler, submitted_before="2026-09-07")) == []
