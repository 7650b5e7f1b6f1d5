"""A coordinator compares three labelled products and sees where they differ, on a desktop and
on a phone."""

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


def test_compare_three_products_and_see_a_highlighted_difference(page, live_server):
    from vendors import reference
    from vendors.models import Capability, Fact, Software

    reference.load_all()
    nurse_billing = Capability.objects.get(code="facturation-infirmier")
    for slug, value in (("hellodoc", "partial"), ("weda", "yes"), ("chorus", "yes")):
        Fact.objects.create(
            software=Software.objects.get(slug=slug),
            capability=nurse_billing,
            value=value,
            source="declared",
            as_of="2026-09-01",
        )
    user = UserFactory(email="charlie@alpha.test", first_name="Charlie")
    federation = FederationFactory(slug="alpha", name="Fédération Alpha")
    centre = HealthCentreFactory(federation=federation, name="MSP des Tilleuls")
    MembershipFactory(user=user, role=Role.COORDINATOR, federation=federation, health_centre=centre)
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")

    page.goto(f"{live_server.url}/alpha/logiciels/comparer/")
    for name in ("Hellodoc", "Weda", "Chorus"):
        page.get_by_label(name, exact=True).check()
    page.get_by_label("Regarder pour la profession").select_option("infirmier")
    page.get_by_role("button", name="Comparer", exact=True).click()

    grid = page.locator("table.compare-grid")
    assert [h.strip() for h in grid.locator("thead th").all_inner_texts()][1:] == [
        "Chorus",
        "Hellodoc",
        "Weda",
    ]
    row = grid.locator("tr", has_text="Facturation des actes infirmiers")
    assert "diff-row" in (row.get_attribute("class") or "")
    cells = row.locator("td.diff")
    assert cells.count() == 3
    assert cells.nth(1).inner_text().startswith("en partie")
    # The label level differs too (Chorus is "avancé"), the perimeter does not.
    assert "diff-row" in (grid.locator("tr", has_text="Niveau").first.get_attribute("class") or "")
    assert grid.locator("tr", has_text="Périmètre").first.locator("td.diff").count() == 0
    screenshot(page, "vendors-compare")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.locator("table.compare-grid").is_visible()
    screenshot(page, "vendors-compare-phone")


def test_one_product_gives_a_clear_message(page, live_server):
    from vendors import reference

    reference.load_all()
    user = UserFactory(email="dana@alpha.test")
    federation = FederationFactory(slug="alpha", name="Fédération Alpha")
    MembershipFactory(user=user, role=Role.MEMBER, federation=federation)
    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    page.goto(f"{live_server.url}/alpha/logiciels/comparer/")
    page.get_by_label("Weda", exact=True).check()
    page.get_by_role("button", name="Comparer", exact=True).click()
    assert (
        "Choisissez au moins 2 logiciels à comparer." in page.locator("[role=alert]").inner_text()
    )
    assert page.locator("table.compare-grid").count() == 0
