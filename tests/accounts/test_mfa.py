"""Two-factor authentication (TOTP): anyone may enable it; a federation can make it mandatory
for its staff, who then reach no page and no API call without it."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOTP_ACTIVATE = "/comptes/2fa/totp/activate/"


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current period
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def mfa_required(world):  # noqa: ANN001, ANN201
    world.federation_a.staff_mfa_required = True
    world.federation_a.save()
    return world


def test_staff_without_totp_reaches_no_page_when_the_federation_requires_it(mfa_required):
    w = mfa_required
    client = Client()
    client.force_login(w.users["staff_a"])
    for url in [
        "/",
        "/alpha/",
        "/alpha/personnes/",
        "/alpha/journal/",
        reverse("accounts:api_token"),
        reverse("federation_switch"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == TOTP_ACTIVATE, url
    # The set-up pages themselves stay reachable, as does signing out.
    assert client.get("/comptes/2fa/").status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_staff_without_totp_gets_no_api_answer_by_session_or_token(mfa_required):
    w = mfa_required
    session = Client()
    session.force_login(w.users["staff_a"])
    token = Token.objects.create(user=w.users["staff_a"])
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    for client in (session, by_token):
        for url in ["/api/v1/me/", "/api/v1/federations/", "/api/v1/federations/alpha/msp/"]:
            response = client.get(url)
            assert response.status_code == 403, url
            assert "double authentification est obligatoire" in response.json()["detail"]


def test_once_totp_is_enabled_staff_get_pages_and_api_again(mfa_required):
    w = mfa_required
    TOTP.activate(w.users["staff_a"], generate_totp_secret())
    session = Client()
    session.force_login(w.users["staff_a"])
    assert session.get("/alpha/").status_code == 200
    assert session.get("/api/v1/federations/alpha/msp/").status_code == 200
    token = Token.objects.create(user=w.users["staff_a"])
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert by_token.get("/api/v1/federations/alpha/msp/").status_code == 200


def test_the_rule_binds_only_the_staff_of_that_federation(mfa_required):
    w = mfa_required
    for role in ("dim_a", "coordinator_a", "member_a", "staff_b"):
        client = Client()
        client.force_login(w.users[role])
        assert client.get("/").status_code == 302
        home = client.get(client.get("/")["Location"])
        assert home.status_code == 200, role


def test_a_member_enables_totp_then_signing_in_asks_for_the_code(world):
    client = Client()
    client.post("/comptes/login/", {"login": "dana@alpha.test", "password": PASSWORD})
    # Enabling it asks for the password again first.
    response = client.get(TOTP_ACTIVATE)
    assert response["Location"].startswith("/comptes/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == TOTP_ACTIVATE
    page = client.get(TOTP_ACTIVATE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Activer" in html  # in French, in our layout
    assert 'class="qr-code"' in html
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', html).group(1)
    response = client.post(TOTP_ACTIVATE, {"code": "000000"})
    assert response.status_code == 200  # a wrong code is refused on the field
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(TOTP_ACTIVATE, {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=world.users["member_a"], type=Authenticator.Type.TOTP
    ).exists()

    fresh = Client()
    response = fresh.post("/comptes/login/", {"login": "dana@alpha.test", "password": PASSWORD})
    assert response["Location"] == "/comptes/2fa/authenticate/"
    assert fresh.get("/alpha/").status_code == 302  # not signed in with the password alone
    response = fresh.post("/comptes/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert fresh.get("/alpha/").status_code == 200
