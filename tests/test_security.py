"""Production settings, the Content Security Policy, staff sign-in throttling, sessions, tokens."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.models import SignInLink
from crm.tokens import hash_token
from inquiries import services
from inquiries.models import Inquiry, TrackingLink

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"  # tests/factories.UserFactory's


# -- production settings ------------------------------------------------------------------------


def test_production_settings_pass_the_deployment_check():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "business.porvoo.fi",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# -- Content Security Policy --------------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


PAGES_WITHOUT_SIGN_IN = ("portal:home", "portal:submit", "portal:privacy", "workspace:login")


@pytest.mark.parametrize("name", PAGES_WITHOUT_SIGN_IN)
def test_every_page_forbids_inline_and_foreign_script(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]  # the charts' own CSS
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_pages_need_no_inline_script(client, handler, queued_inquiry, service_manager):
    """Inline script would be blocked by the policy: no page may depend on one."""
    client.force_login(handler)
    pages = [
        reverse("portal:home"),
        reverse("portal:submit"),
        reverse("workspace:queue"),
        reverse("workspace:inquiry", kwargs={"reference": queued_inquiry.reference}),
    ]
    manager_client = Client()
    manager_client.force_login(service_manager)
    for html in [client.get(url).content.decode() for url in pages] + [
        manager_client.get(reverse("workspace:dashboard")).content.decode()
    ]:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
        assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
        assert "javascript:" not in html


# -- staff sign-in ------------------------------------------------------------------------------


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("workspace:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_staff_sign_in_pauses_after_five_failures(handler, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        failed = sign_in(client, handler.username, "wrong")
        assert failed.status_code == 200 and "Sign-in failed" in failed.content.decode()
    # the fifth failure pauses the sign-in
    assert sign_in(client, handler.username, "wrong").status_code == 429
    # then even the right password is refused, with a page that says for how long
    locked = sign_in(client, handler.username, PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(settings.AXES_COOLOFF_MINUTES * 60)
    assert "cannot sign in from here for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # another address is not locked (a colleague at another desk), nor another username
    assert sign_in(Client(), handler.username, PASSWORD, address="10.0.0.2").status_code == 302
    # after the pause the right password works again
    time_machine.move_to(timezone.now() + timedelta(minutes=16), tick=False)
    assert sign_in(client, handler.username, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, service_manager):
    url = reverse("admin:login")
    data = {"username": service_manager.username, "password": "wrong", "next": "/admin/"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, data, REMOTE_ADDR="10.0.0.3").status_code == 200
    assert client.post(url, data, REMOTE_ADDR="10.0.0.3").status_code == 429
    data["password"] = PASSWORD
    assert client.post(url, data, REMOTE_ADDR="10.0.0.3").status_code == 429


def test_the_locked_out_page_speaks_finnish_and_swedish(handler):
    languages = (("fi", "Kirjautuminen keskeytetty"), ("sv", "Inloggningen pausad"))
    for number, (language, text) in enumerate(languages):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            response = sign_in(client, handler.username, "wrong", address=f"10.1.0.{number}")
        assert response.status_code == 429
        assert text in response.content.decode()


def test_staff_sessions_end_after_a_working_day(client, handler, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    assert sign_in(client, handler.username, PASSWORD).status_code == 302
    assert client.session.get_expire_at_browser_close()
    assert client.get(reverse("workspace:queue")).status_code == 200
    time_machine.move_to(timezone.now() + timedelta(hours=8, minutes=1), tick=False)
    response = client.get(reverse("workspace:queue"))
    assert response.status_code == 302 and reverse("workspace:login") in response["Location"]


# -- tokens ---------------------------------------------------------------------------------------


def test_tracking_tokens_are_long_random_and_stored_hashed(submit):
    submitted = [submit() for _ in range(3)]
    tokens = [item.tracking_token for item in submitted]
    assert len(set(tokens)) == 3
    for token in tokens:
        assert len(token) >= 43  # 32 random bytes, base64: 256 bits (at least 128 asked)
        assert not TrackingLink.objects.filter(token_hash=token).exists()
        assert TrackingLink.objects.filter(token_hash=hash_token(token)).count() == 1
    # a token opens its own request only, and a prefix of it opens nothing
    assert Inquiry.objects.with_tracking_token(tokens[0]).get() == submitted[0].inquiry
    assert not Inquiry.objects.with_tracking_token(tokens[0][:-1]).exists()


def test_an_anonymised_request_cannot_be_opened_by_its_link(client, submit, handler):
    submitted = submit()
    url = reverse("portal:track", kwargs={"token": submitted.tracking_token})
    assert client.get(url).status_code == 200
    inquiry = submitted.inquiry
    services.claim_inquiry(inquiry_id=inquiry.pk, handler=handler)
    services.resolve_inquiry(inquiry_id=inquiry.pk, handler=handler, outcome="Done.")
    services.close_resolved_inquiry(inquiry_id=inquiry.pk, now=timezone.now() + timedelta(days=15))
    assert services.anonymise_inquiry(inquiry_id=inquiry.pk)
    assert client.get(url).status_code == 404


def test_sign_in_links_are_hashed_single_use_and_expire(client, submit, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    contact = submit().inquiry.contact
    assert services.request_sign_in_link(email=contact.email, language="fi")
    link = SignInLink.objects.get(contact=contact)
    assert len(link.token_hash) == 64  # only the SHA-256 is kept
    assert link.expires_at - link.created_at <= timedelta(minutes=30)


# -- attachments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\maija\\plan.pdf", "plan.pdf"),
        ("/var/www/static/evil.html", "evil.html"),
        ("tarjous\x00.pdf", "tarjous.pdf"),
    ],
)
def test_file_names_lose_their_folders_and_odd_characters(given, kept):
    from inquiries.attachments import safe_name

    assert safe_name(given) == kept


def test_files_are_stored_under_random_names_outside_the_static_files(client, submit):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import Resolver404, resolve

    from config.settings import base as base_settings
    from inquiries.attachments import check_files

    pdf = SimpleUploadedFile("../tarjous.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n")
    submitted = submit(attachments=tuple(check_files([pdf])))
    attachment = submitted.inquiry.attachments.get()
    stored = Path(attachment.file.path)
    assert attachment.original_name == "tarjous.pdf"
    assert "tarjous" not in stored.name and len(stored.name) == 32
    static_root = base_settings.STATIC_ROOT  # None in the test settings (finders serve)
    assert stored.is_relative_to(settings.MEDIA_ROOT)
    assert not stored.is_relative_to(static_root)
    assert not Path(settings.MEDIA_ROOT).is_relative_to(static_root)
    # no URL serves the media folder: only the views that check who asks
    with pytest.raises(Resolver404):
        resolve("/media/" + attachment.file.name)
    url = reverse(
        "portal:track-file",
        kwargs={"token": submitted.tracking_token, "attachment_id": attachment.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    other = reverse("portal:track-file", kwargs={"token": "x" * 43, "attachment_id": attachment.pk})
    assert client.get(other).status_code == 404
