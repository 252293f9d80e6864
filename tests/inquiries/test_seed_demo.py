"""`manage.py seed_demo`: demo log-ins and requests whose histories the real services wrote."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.utils import timezone

from crm.models import Company, Contact, Unit, User, normalize_business_id
from inquiries.demo import STAFF
from inquiries.models import Inquiry, Message, RoutingDecision
from routing.calendar import DEFAULT_CALENDAR

pytestmark = pytest.mark.django_db

COUNT = 60
PASSWORD = "demo-test-password"
S = Inquiry.Status


@pytest.fixture(autouse=True)
def _demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", count=COUNT, stdout=out, **options)
    return out.getvalue()


def test_seed_prints_the_log_ins_and_covers_every_state_and_unit():
    # when the demo is seeded
    output = seed()
    # then every log-in is printed with its role, unit and the password
    for member in STAFF:
        unit = member.unit or "all units"
        line = rf"^{re.escape(member.username)}\s.*{member.role_label}\s+{unit}\s+{PASSWORD}$"
        assert re.search(line, output, re.MULTILINE), member.username
    # and the requests are there, in every state but "new" and in every unit
    assert Inquiry.objects.count() == COUNT
    statuses = set(Inquiry.objects.values_list("status", flat=True))
    assert statuses == set(S.values) - {S.NEW}
    for unit in Unit.objects.all():
        assert unit.inquiries.exists(), unit.code
    # and all three ways of closing unactioned, with a referral where one is owed
    reasons = set(Inquiry.objects.exclude(close_reason="").values_list("close_reason", flat=True))
    assert reasons == set(Inquiry.CloseReason.values)
    for inquiry in Inquiry.objects.filter(close_reason=Inquiry.CloseReason.OUT_OF_SCOPE):
        assert inquiry.messages.filter(kind=Message.Kind.CLOSURE).exists()
    for inquiry in Inquiry.objects.filter(close_reason=Inquiry.CloseReason.DUPLICATE):
        assert inquiry.duplicate_of.submitted_at < inquiry.submitted_at
        assert inquiry.duplicate_of.contact_id == inquiry.contact_id


def test_every_history_is_logged_in_order_and_never_in_the_future():
    # given a seeded demo
    seed()
    now = timezone.now()
    # then each request's log starts with submit and route, and its times never go back
    for inquiry in Inquiry.objects.prefetch_related("transitions", "messages"):
        log = sorted(inquiry.transitions.all(), key=lambda row: row.pk)
        assert [row.name for row in log[:2]] == ["submit", "route"], inquiry.reference
        times = [row.at for row in log]
        assert times == sorted(times), inquiry.reference
        # and nothing happened after the moment of seeding
        assert times[-1] <= now
        assert all(message.created_at <= now for message in inquiry.messages.all())
        assert log[-1].target == inquiry.status
        # and staff work in office hours (a due time may fall on closing time itself)
        for row in log:
            if row.actor_user_id:
                assert DEFAULT_CALENDAR.is_open(row.at - timedelta(seconds=1)), row


def test_handled_requests_have_their_durations_and_transfers_their_decisions():
    # given a seeded demo
    seed()
    # then whatever was resolved has its business-hour durations stored
    resolved = Inquiry.objects.filter(resolved_at__isnull=False)
    assert resolved.filter(status=S.CLOSED).exists() and resolved.filter(status=S.RESOLVED).exists()
    for inquiry in resolved:
        assert inquiry.resolution_seconds is not None
        assert inquiry.first_response_seconds is not None
    # and first responses both within the 16-hour promise and late
    seconds = Inquiry.objects.exclude(first_response_seconds=None).values_list(
        "first_response_seconds", flat=True
    )
    assert min(seconds) <= 16 * 3600 < max(seconds)
    # and a transfer is counted and explained, and only a transfer is
    transfers = RoutingDecision.objects.filter(kind=RoutingDecision.Kind.TRANSFER)
    assert transfers.exists()
    for inquiry in Inquiry.objects.all():
        count = transfers.filter(inquiry=inquiry).count()
        assert inquiry.reroute_count == count, inquiry.reference
    assert all(transfer.reason and transfer.decided_by for transfer in transfers)


def test_requesters_and_companies_look_real():
    # given a seeded demo
    seed()
    # then every business ID is a valid Y-tunnus, and phones are Finnish E.164 numbers
    assert Company.objects.exists()
    for company in Company.objects.all():
        assert normalize_business_id(company.business_id) == company.business_id
    phones = Contact.objects.exclude(phone="").values_list("phone", flat=True)
    assert phones and all(re.fullmatch(r"\+35840\d{7}", phone) for phone in phones)
    # and some requesters have no company yet
    assert Inquiry.objects.filter(company=None, close_reason="").exists()
    assert set(Inquiry.objects.values_list("language", flat=True)) == {"fi", "sv", "en"}


def test_a_second_run_adds_nothing_and_reset_seeds_the_same_again():
    # given a seeded demo
    seed()
    subjects = list(Inquiry.objects.order_by("reference").values_list("subject", flat=True))
    # when it is seeded again
    output = seed()
    # then nothing is added, and the log-ins are printed all the same
    assert "demo data already present" in output
    assert PASSWORD in output
    assert Inquiry.objects.count() == COUNT
    # when it is seeded with --reset
    seed(reset=True)
    # then the same requests are there again, numbered from the start
    assert Inquiry.objects.count() == COUNT
    again = list(Inquiry.objects.order_by("reference").values_list("subject", flat=True))
    assert again == subjects
    assert Contact.objects.count() == len(set(Inquiry.objects.values_list("contact", flat=True)))


def test_service_manager_uses_the_admin_and_a_handler_sees_only_their_unit(client):
    # given a seeded demo
    seed()
    # when the service manager signs in with the demo password
    assert client.login(username="service.manager", password=PASSWORD, request=HttpRequest())
    # then the routing rules are theirs to edit in the admin
    assert client.get("/admin/routing/routingrule/").status_code == 200
    # and a handler may sign in but not edit the rules
    assert client.login(username="handler.posintra", password=PASSWORD, request=HttpRequest())
    assert client.get("/admin/routing/routingrule/").status_code == 403
    # and a handler sees exactly their own unit's requests
    handler = User.objects.get(username="handler.posintra")
    visible = set(Inquiry.objects.visible_to(handler).values_list("pk", flat=True))
    own = set(Inquiry.objects.filter(unit__code="posintra").values_list("pk", flat=True))
    assert visible == own and 0 < len(own) < COUNT
