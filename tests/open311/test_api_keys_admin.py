"""API keys are created in the admin; the secret is shown once, right after saving."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from open311.models import ApiKey

from ..factories import UserFactory
from .conftest import json_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="root.admin", is_staff=True, is_superuser=True)


def test_a_key_is_created_in_the_admin_and_its_secret_shown_only_once(client, superuser):
    client.force_login(superuser)
    # when a service manager adds a key for a partner
    response = client.post(
        reverse("admin:open311_apikey_add"),
        {"name": "Porvoo app", "is_active": "on"},
        headers={"accept-language": "en"},
    )
    # then the page after saving shows the secret, and only its hash is stored
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    secret = re.search(r'id="api-key-secret"[^>]*value="([^"]+)"', page).group(1)
    assert len(secret) >= 43
    key = ApiKey.objects.get()
    assert key.name == "Porvoo app" and key.is_active
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    # the key's own page never shows it again
    change = client.get(reverse("admin:open311_apikey_change", args=[key.pk])).content.decode()
    assert secret not in change
    assert secret not in client.get(reverse("admin:open311_apikey_changelist")).content.decode()
    # and the partner can post with it
    form = {
        "api_key": secret,
        "service_code": "other",
        "description": "Kysymys.",
        "last_name": "Asiakas",
        "email": "aino@example.fi",
    }
    posted = client.post(reverse("open311:requests", kwargs={"fmt": "json"}), form)
    assert posted.status_code == 200
    assert json_document(posted)[0]["service_request_id"].startswith("BP-")


def test_a_key_revoked_in_the_admin_is_refused(client, superuser, api_key):
    client.force_login(superuser)
    key = ApiKey.objects.get()
    client.post(
        reverse("admin:open311_apikey_change", args=[key.pk]), {"name": key.name}
    )  # the box unticked
    key.refresh_from_db()
    assert not key.is_active
    form = {"api_key": api_key, "service_code": "other", "description": "x", "email": "a@b.fi"}
    assert client.post(reverse("open311:requests", kwargs={"fmt": "json"}), form).status_code == 403


def test_a_handler_cannot_open_the_keys(client, handler):
    client.force_login(handler)
    assert client.get(reverse("admin:open311_apikey_changelist")).status_code == 302
