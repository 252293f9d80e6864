"""Django admin: the catalogue and rules are edited there; inquiries are only read there."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from routing.models import RoutingRule

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root.admin", is_staff=True, is_superuser=True)


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m.__name__)
def test_every_admin_list_opens_for_a_superuser_and_not_for_a_handler(
    client, superuser, handler, model, queued_inquiry
):
    client.force_login(handler)  # not staff
    assert client.get(changelist(model)).status_code == 302
    client.force_login(superuser)
    assert client.get(changelist(model)).status_code == 200


def test_inquiry_page_shows_its_log_and_routing_decision_but_cannot_be_edited(
    client, superuser, claimed_inquiry
):
    client.force_login(superuser)
    url = reverse("admin:inquiries_inquiry_change", args=[claimed_inquiry.pk])
    page = client.get(url).content.decode()
    assert claimed_inquiry.reference in page
    assert "claim" in page and "route" in page
    assert claimed_inquiry.routing_decisions.get().rule_name in page
    assert client.get(reverse("admin:inquiries_inquiry_add")).status_code == 403
    assert client.post(url, {"subject": "changed"}).status_code == 403


def test_keyword_syntax_is_explained_under_the_field(client, superuser):
    client.force_login(superuser)
    rule = RoutingRule.objects.first()
    page = client.get(
        reverse("admin:routing_routingrule_change", args=[rule.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "compound words" in page.content.decode()


def test_bad_keywords_are_refused_beside_the_field(client, superuser):
    client.force_login(superuser)
    rule = RoutingRule.objects.filter(request_type=None).first()
    response = client.post(
        reverse("admin:routing_routingrule_change", args=[rule.pk]),
        {
            "order": rule.order,
            "name": rule.name,
            "keywords": "ok-word\nab",
            "unit": rule.unit_id,
            "priority": "",
            "is_active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # the form again, with the error
    assert "at least 3 letters" in response.content.decode()
    rule.refresh_from_db()
    assert "ab" not in rule.keywords.split()


def test_failed_mail_is_listed_and_can_be_retried_from_the_admin(client, superuser, queued_inquiry):
    from notifications.models import Notification

    receipt = Notification.objects.get(kind="receipt")
    Notification.objects.filter(pk=receipt.pk).update(
        status="failed", attempts=8, last_error="SMTPServerDisconnected"
    )
    client.force_login(superuser)
    url = reverse("admin:notifications_notification_changelist")
    listing = client.get(url, {"status__exact": "failed"}).content.decode()
    assert receipt.recipient_email in listing
    client.post(url, {"action": "retry", "_selected_action": [receipt.pk]})
    receipt.refresh_from_db()
    # tasks run inline in tests: the retried mail went out at once
    assert receipt.status == "sent" and receipt.attempts == 1
