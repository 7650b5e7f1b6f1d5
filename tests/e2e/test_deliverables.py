"""The deliverable page polls with htmx: a queued document turns ready without a reload; a
failed one shows its reason and can be retried from the page."""

import pytest

from deliverables import services
from deliverables.models import Deliverable
from federations.roles import Role
from tests.deliverables.kinds import SAMPLE_KIND  # noqa: F401  (registers tests.sample)
from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, FederationFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff():  # noqa: ANN201
    user = UserFactory(email="alice@alpha.test", first_name="Alice")
    federation = FederationFactory(slug="alpha", name="Fédération Alpha")
    MembershipFactory(user=user, role=Role.STAFF, federation=federation)
    return user, federation


def test_queued_deliverable_turns_ready_on_the_page(page, live_server, staff) -> None:  # noqa: ANN001
    user, federation = staff
    deliverable = Deliverable.objects.create(
        federation=federation, kind="tests.sample", title="Cahier des charges régional"
    )
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    page.goto(f"{live_server.url}/livrables/{deliverable.pk}/")
    status = page.locator("[data-status]")
    assert status.inner_text() == "En file d'attente"
    screenshot(page, "deliverable-queued")
    services.deliverable_render(deliverable_id=str(deliverable.pk))  # what a worker does
    page.wait_for_selector('[data-status="ready"]', timeout=10_000)
    assert page.locator("[data-status]").inner_text() == "Prêt"
    link = page.get_by_role("link", name="Télécharger le PDF")
    assert link.get_attribute("href") == f"/livrables/{deliverable.pk}/telecharger/"
    screenshot(page, "deliverable-ready")


def test_failed_deliverable_is_retried_from_the_page(page, live_server, staff) -> None:  # noqa: ANN001
    user, federation = staff
    deliverable = Deliverable.objects.create(
        federation=federation,
        kind="tests.sample",
        title="Rapport de maturité",
        status="failed",
        error="Fichier statique introuvable : fonts/DejaVuSans.ttf",
    )
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    page.goto(f"{live_server.url}/livrables/{deliverable.pk}/")
    assert (
        "Fichier statique introuvable : fonts/DejaVuSans.ttf" in page.locator("main").inner_text()
    )
    screenshot(page, "deliverable-failed")
    page.get_by_role("button", name="Relancer la génération").click()
    page.wait_for_selector('[data-status="ready"]', timeout=15_000)
    deliverable.refresh_from_db()
    assert deliverable.status == "ready" and deliverable.attempts == 1
