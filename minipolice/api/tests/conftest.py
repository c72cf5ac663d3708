"""API test helpers: a token per persona, and a client that sends it."""

import json

import pytest
from django.test import Client

from minipolice.api.services import create_api_token


class ApiClient:
    """The Django test client, speaking JSON with a bearer token."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, params=None):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers)

    def _send(self, method, path, body):
        return getattr(self.client, method)(
            f"/api/v1{path}",
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path, body=None):
        return self._send("post", path, body)

    def patch(self, path, body=None):
        return self._send("patch", path, body)

    def put(self, path, body=None):
        return self._send("put", path, body)


@pytest.fixture
def token_for(db):
    def make(user, name="test"):
        return create_api_token(acting_user=None, user=user, name=name)[1]

    return make


@pytest.fixture
def api_as(token_for):
    """`api_as(user)`: an API client authenticated with a new token of `user`."""

    def make(user):
        return ApiClient(token_for(user))

    return make


@pytest.fixture
def anonymous_api():
    return ApiClient(None)
