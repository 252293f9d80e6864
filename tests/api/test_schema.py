"""The schema validates, the docs are served from our own static files, one error shape."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_validates_without_a_warning(tmp_path):
    # The same as `manage.py spectacular --validate --fail-on-warn` in CI: every view is
    # described (a view without its serializers or annotations makes a warning, and fails).
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/queue/:" in target.read_text()


def test_every_operation_describes_its_errors(client):
    schema = json.loads(client.get("/api/schema/", HTTP_ACCEPT="application/json").content)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "429" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            queried = any(p["in"] == "query" for p in operation.get("parameters", []))
            if operation.get("requestBody") or queried:
                assert "400" in codes, (method, path)


def test_docs_are_served_from_our_static_files(client):
    # when the browsable docs are opened
    response = client.get(reverse("api-docs"))
    # then Swagger UI comes from this site's static files (no CDN)
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle.js" in asset for asset in assets), assets
    assert all(asset.startswith("/static/") or asset.startswith("/api/docs/") for asset in assets)
    assert "cdn" not in page.lower() and "https://" not in page
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    # and no script is inline (the Content-Security-Policy allows none): the start-up script
    # is a file of its own, which reads our schema
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    start_up = next(asset for asset in assets if asset.startswith("/api/docs/"))
    assert "/api/schema/" in client.get(start_up).content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


# -- one error shape ------------------------------------------------------------------------------


def test_an_unknown_api_url_is_a_json_404(api):
    for path in ["/api/v1/", "/api/v1/nothing/here/", "/api/v1/inquiries/a/b/c/"]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}


def test_a_method_a_url_does_not_take_is_405_whoever_asks(api):
    # the staff queue answers 405 to a post even without credentials: no secret in that
    response = api.post(reverse("api:queue"), {})
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}
    assert api.get(reverse("api:inquiry-submit")).status_code == 405


def test_a_body_that_is_not_json_is_a_400_per_field(api):
    response = api.generic(
        "POST", reverse("api:inquiry-submit"), "{oops", content_type="application/json"
    )
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert "JSON parse error" in message


def test_the_staff_api_is_throttled_per_account(as_handler, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]}
        | {"staff": "2/minute"},
    }
    queue = reverse("api:queue")
    # the address does not matter: the account counts
    codes = [as_handler.get(queue, REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(3)]
    assert codes == [200, 200, 429]
    throttled = as_handler.get(queue)
    assert int(throttled["Retry-After"]) > 0
    assert "throttled" in throttled.json()["detail"]


def test_a_broken_throttle_cache_lets_staff_work(as_handler, settings):
    # given a cache server that is down (nothing listens on port 9)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    assert as_handler.get(reverse("api:queue")).status_code == 200
