"""Browser tests: pytest-playwright on Debian Chromium (no `playwright install`) against
Django's live server.

Every test here is marked `browser`: it is skipped where Chromium is missing, and fails instead
when REQUIRE_SERVICES=1 (CI). The browser's locale (fi-FI, sv-SE or en-US) is a fixture, so a
test chooses it with `@pytest.mark.parametrize("browser_locale", [...])`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import BrowserContext, Page, Playwright, Response

# The sync Playwright API runs an event loop in the test's thread; Django's ORM refuses to run
# in a thread with a running loop unless told this is fine (it is: the loop is idle meanwhile).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
HERE = Path(__file__).resolve().parent
LOCALES = {"fi": "fi-FI", "sv": "sv-SE", "en": "en-US"}

# Committed data, so the live server's thread sees it; the catalogue (a data migration) comes
# back after each flush.
LIVE_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session: mark only the tests of this folder.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") and CHROMIUM is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Chromium is required (REQUIRE_SERVICES=1) but `chromium` is not on PATH")
        pytest.skip("needs Chromium: apt-get install chromium")


@pytest.fixture(scope="session")
def _serialized_catalogue(django_db_setup: None) -> dict[str, str]:
    """The migrated data serialized_rollback restores, read before Playwright starts."""
    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def playwright(_serialized_catalogue: dict[str, str], playwright: Playwright) -> Playwright:
    """Playwright, with serialized_rollback still working once it runs.

    The sync API leaves an event loop running in this thread, and from then on Django hands
    the thread other connection objects (asgiref's Local keeps sync and async storage apart).
    The migrated data that django_db_setup serialized hangs on the first ones: without this,
    a browser test that runs after any other database test would restore nothing after the
    flush (no catalogue).
    """
    for alias, contents in _serialized_catalogue.items():
        connections[alias]._test_serialized_contents = contents
    return playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def browser_locale() -> str:
    """The browser's locale (and so its Accept-Language); parametrize to change it."""
    return "en-US"


@pytest.fixture
def browser_context_args(
    browser_context_args: dict[str, Any], browser_locale: str
) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": browser_locale,
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    # A page of this local server answers in well under a second: fail fast, not in 30 s.
    context = new_context()
    context.set_default_timeout(5_000)
    context.set_default_navigation_timeout(10_000)
    return context


@pytest.fixture
def site(live_server, settings) -> str:
    """The live server's base URL; links in e-mails point to it too."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def choose_language(page: Page, site: str) -> Callable[[str], None]:
    """Choose the page language as the language switch does, with its cookie."""

    def _choose(language: str) -> None:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}]
        )

    return _choose


def assert_styled(page: Page) -> None:
    """The site's CSS was served and applied (the skip link is moved off screen by it)."""
    position = page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position")
    assert position == "absolute", "static CSS did not load in the live server"


def assert_language(page: Page, language: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language


def translated(language: str, text: str) -> str:
    """`text` as the server shows it in `language`: the same catalogue, loaded in this process.

    Pages are checked against this instead of a hard-coded translation, so a string that is not
    translated yet (English on a Swedish page) still matches, and a new translation does too.
    """
    with translation.override(language):
        return gettext(text)


class RefusedPost(AssertionError):
    """The server refused a form post (403), e.g. the CSRF check."""


def post_form(page: Page, submit: Callable[[], None]) -> Response:
    """Send a form (`submit` presses its button) and wait for the page the server answers with.

    Waiting for the whole navigation (post, redirect, page loaded) matters: with SQLite the
    live server shares the test's connection, so the test must not query while it serves.
    A refused post fails at once, not at a timeout.
    """
    with (
        page.expect_navigation(),
        page.expect_response(lambda r: r.request.method == "POST") as posted,
    ):
        submit()
    response = posted.value
    if response.status == 403:
        raise RefusedPost(f"{response.url} refused the form with 403")
    return response
