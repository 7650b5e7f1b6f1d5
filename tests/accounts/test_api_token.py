"""The "Accès API" page gives a personal token; the API accepts it like a session."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from federations.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_member_creates_a_token_uses_it_then_revokes_it(world) -> None:
    client = Client()
    client.force_login(world.users["member_a"])
    url = reverse("accounts:api_token")
    assert "Vous n'avez pas de jeton." in client.get(url).content.decode()

    response = client.post(url, {"action": "create"})
    assert response.status_code == 200
    key = re.search(
        r'id="new-token" type="text" readonly value="([0-9a-f]{40})"', response.content.decode()
    ).group(1)
    assert AuditEvent.objects.filter(
        verb="api_token_created", actor=world.users["member_a"]
    ).exists()
    # The key is shown once only.
    assert key not in client.get(url).content.decode()

    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == "dana@alpha.test"
    centres = api.get("/api/v1/federations/alpha/msp/").json()
    assert [c["name"] for c in centres["results"]] == ["MSP Alpha 1"]  # their own MSP only

    # Replacing the token kills the old one.
    client.post(url, {"action": "create"})
    assert api.get("/api/v1/me/").status_code == 401
    new_key = Token.objects.get(user=world.users["member_a"]).key
    client.post(url, {"action": "revoke"})
    assert Client(HTTP_AUTHORIZATION=f"Token {new_key}").get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=world.users["member_a"]).exists()


def test_a_bad_token_gets_401_not_500(world) -> None:
    api = Client(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get("/api/v1/me/").status_code == 401
    assert Client().get("/api/v1/me/").status_code in (401, 403)
