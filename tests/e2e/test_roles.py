"""Each role signs in through the real login page and lands on its own home, in French."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from federations.roles import Role
from tests.e2e.conftest import login, screenshot
from tests.factories import (
    PASSWORD,
    FederationFactory,
    HealthCentreFactory,
    MembershipFactory,
    UserFactory,
    VendorFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alpha():  # noqa: ANN201
    federation = FederationFactory(slug="alpha", name="Fédération Alpha")
    tilleuls = HealthCentreFactory(federation=federation, name="MSP des Tilleuls")
    HealthCentreFactory(federation=federation, name="MSP du Beffroi")
    return federation, tilleuls


def test_staff_lands_on_the_federation_overview_and_reaches_people(page, live_server, alpha):
    federation, _ = alpha
    user = UserFactory(email="alice@alpha.test", first_name="Alice")
    MembershipFactory(user=user, federation=federation, role=Role.STAFF, profession="")
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Alice"
    assert "2\nMSP" in page.locator(".stats").inner_text()
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.get_by_role("link", name="Personnes").is_visible()
    assert nav.get_by_role("link", name="Journal").is_visible()
    screenshot(page, "home-staff")
    nav.get_by_role("link", name="Personnes").click()
    page.wait_for_url(f"{live_server.url}/alpha/personnes/")
    screenshot(page, "people")
    page.get_by_role("link", name="Inviter une personne").click()
    page.wait_for_url(f"{live_server.url}/alpha/personnes/inviter/")
    assert page.get_by_label("Adresse e-mail").is_visible()
    screenshot(page, "invite")
    nav.get_by_role("link", name="Journal").click()
    assert "Connexion" in page.locator("main table").inner_text()
    screenshot(page, "journal")
    nav.get_by_role("link", name="Paramètres").click()
    assert page.get_by_label(
        "Double authentification obligatoire pour l'équipe de la fédération"
    ).is_visible()
    screenshot(page, "federation-settings")


def test_dim_lands_on_the_msps_they_follow(page, live_server, alpha):
    federation, tilleuls = alpha
    user = UserFactory(email="bob@alpha.test", first_name="Bob")
    membership = MembershipFactory(user=user, federation=federation, role=Role.DIM, profession="")
    membership.assigned_centres.set([tilleuls])
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    followed = page.get_by_role("region", name="Mes MSP suivies").inner_text()
    assert "MSP des Tilleuls" in followed
    assert "MSP du Beffroi" not in followed
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.get_by_role("link", name="Personnes").count() == 0
    screenshot(page, "home-dim")


def test_member_lands_on_their_msp_with_their_profession(page, live_server, alpha):
    federation, tilleuls = alpha
    user = UserFactory(email="dana@alpha.test", first_name="Dana")
    MembershipFactory(
        user=user,
        federation=federation,
        role=Role.MEMBER,
        health_centre=tilleuls,
        profession="infirmier",
    )
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    main = page.locator("main").inner_text()
    assert "Vous êtes membre de MSP des Tilleuls." in main
    assert "Infirmier" in main
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.get_by_role("link", name="Journal").count() == 0
    screenshot(page, "home-member")


def test_vendor_user_lands_on_the_vendor_portal(page, live_server):
    vendor = VendorFactory(slug="weda", name="WEDA")
    user = UserFactory(email="eric@weda.test", first_name="Éric", vendor=vendor)
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/editeur/")
    assert "WEDA" in page.get_by_role("heading", level=1).inner_text()
    screenshot(page, "home-vendor")


def test_a_member_enables_totp_with_the_keyboard(page, live_server, alpha):
    federation, tilleuls = alpha
    user = UserFactory(email="dana@alpha.test", first_name="Dana")
    MembershipFactory(user=user, federation=federation, role=Role.MEMBER, health_centre=tilleuls)
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    page.get_by_role("link", name="Dana").click()  # "Mon compte"
    page.get_by_role("link", name="Double authentification").click()
    screenshot(page, "mfa-index")
    page.get_by_role("link", name="Activer").click()
    # Enabling it asks for the password again.
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(re.compile(r".*/comptes/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    assert page.locator("img.qr-code").is_visible()
    screenshot(page, "mfa-activate")
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    page.get_by_label("Code de l'authentificateur").fill(code)
    page.get_by_label("Code de l'authentificateur").press("Enter")
    page.wait_for_url(re.compile(r".*/comptes/2fa/.*"))
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    screenshot(page, "mfa-enabled")


def test_error_pages_are_in_the_layout(page, live_server, alpha):
    federation, tilleuls = alpha
    user = UserFactory(email="dana@alpha.test", first_name="Dana")
    MembershipFactory(user=user, federation=federation, role=Role.MEMBER, health_centre=tilleuls)
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    response = page.goto(f"{live_server.url}/alpha/personnes/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Accès refusé"
    screenshot(page, "error-403")
    response = page.goto(f"{live_server.url}/beta/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page introuvable"
    screenshot(page, "error-404")
