import pytest

from federations.roles import Role
from tests.e2e.conftest import login, screenshot
from tests.factories import (
    PASSWORD,
    FederationFactory,
    HealthCentreFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_and_lands_on_their_home_in_french(page, live_server):
    user = UserFactory(email="charlie@alpha.test", first_name="Charlie")
    federation = FederationFactory(slug="alpha", name="Fédération Alpha")
    centre = HealthCentreFactory(federation=federation, name="MSP des Tilleuls")
    membership = MembershipFactory(
        user=user, role=Role.COORDINATOR, federation=federation, health_centre=centre
    )
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Charlie"
    assert "Vous pilotez le projet de système d'information de MSP des Tilleuls" in (
        page.locator("main").inner_text()
    )
    assert membership.federation.name in page.locator("header").inner_text()
    screenshot(page, "home-coordinator")
