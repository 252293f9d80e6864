"""The API's clients: anonymous, and a member of staff by token or by session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.models import User


@pytest.fixture
def api() -> APIClient:
    """Nobody signed in; answers in English."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def token_client() -> Callable[[User], APIClient]:
    """A client that sends the user's API token (made as in the admin)."""

    def _client(user: User) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client


@pytest.fixture
def as_handler(token_client, handler) -> APIClient:
    return token_client(handler)


@pytest.fixture
def as_manager(token_client, manager) -> APIClient:
    return token_client(manager)
