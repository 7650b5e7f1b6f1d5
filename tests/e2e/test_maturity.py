"""Browser test of the maturity self-assessment: the coordinator opens a campaign, two members
rate (saved as they go), the coordinator closes the phase, records the consensus and the
positioning, closes the campaign and sees the radar chart."""

import re

import pytest

from federations.roles import Role
from maturity.models import Campaign, Consensus, Rating
from tests.e2e.conftest import login, screenshot
from tests.factories import (
    PASSWORD,
    FederationFactory,
    HealthCentreFactory,
    MembershipFactory,
    UserFactory,
)
from tests.maturity.world import load_has_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, live_server, email: str) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    login(page, live_server, email, PASSWORD)
    page.wait_for_url(re.compile(r".*/alpha/$"))


def test_two_members_rate_and_the_team_agrees(page, live_server) -> None:  # noqa: ANN001
    federation = FederationFactory(slug="alpha", name="Fédération Alpha")
    centre = HealthCentreFactory(federation=federation, name="MSP des Tilleuls")
    people = {}
    for key, role, profession in (
        ("charlie", Role.COORDINATOR, "coordinateur"),
        ("dana", Role.MEMBER, "infirmier"),
        ("erin", Role.MEMBER, "medecin_generaliste"),
    ):
        user = UserFactory(email=f"{key}@alpha.test", first_name=key.capitalize())
        people[key] = MembershipFactory(
            user=user,
            federation=federation,
            role=role,
            health_centre=centre,
            profession=profession,
        )
    framework = load_has_framework()
    page.on("dialog", lambda dialog: dialog.accept())

    # The coordinator opens the campaign on the SI axis; the three are invited.
    as_user(page, live_server, "charlie@alpha.test")
    page.get_by_role("link", name="Maturité").first.click()
    page.get_by_role("link", name="Ouvrir une campagne").click()
    page.get_by_label("Système d'information (2014)").check()
    screenshot(page, "maturity-open")
    page.get_by_role("button", name="Ouvrir la campagne et inviter").click()
    page.wait_for_url(re.compile(r".*/maturite/\d+/$"))
    campaign = Campaign.objects.get()
    assert campaign.framework == framework
    assert campaign.invitations.count() == 3
    screenshot(page, "maturity-campaign")

    # Dana answers everything "oui"; each answer is saved as she clicks.
    as_user(page, live_server, "dana@alpha.test")
    page.goto(f"{live_server.url}/alpha/maturite/{campaign.pk}/repondre/")
    items = page.locator("form.rating-item")
    assert items.count() == 15
    for i in range(15):
        item = items.nth(i)
        item.get_by_label("oui", exact=True).check()
        item.locator(".badge", has_text="Enregistré").wait_for()
    # She closes the tab and comes back: the answers are there.
    page.goto(f"{live_server.url}/alpha/maturite/{campaign.pk}/repondre/")
    assert "Déjà répondu : 15 sur 15" in page.locator("main").inner_text()
    assert page.locator("input[type=radio][value=oui]:checked").count() == 15
    screenshot(page, "maturity-rate")

    # Erin disagrees on "Partage de données" and answers only part of the form.
    as_user(page, live_server, "erin@alpha.test")
    page.goto(f"{live_server.url}/alpha/maturite/{campaign.pk}/repondre/")
    items = page.locator("form.rating-item")
    for i in range(10):
        item = items.nth(i)
        item.get_by_label("non" if i < 5 else "oui", exact=True).check()
        item.locator(".badge", has_text="Enregistré").wait_for()
    assert Rating.objects.filter(campaign=campaign).count() == 25

    # The coordinator sees who answered (not what), then closes the individual phase.
    as_user(page, live_server, "charlie@alpha.test")
    page.goto(f"{live_server.url}/alpha/maturite/{campaign.pk}/")
    main = page.locator("main").inner_text()
    assert "Dana" in main and "15 / 15" in main and "10 / 15" in main
    page.get_by_role("button", name="Clore la phase individuelle").click()
    page.wait_for_url(re.compile(r".*/consensus/$"))
    # The first characteristic shown is one where Dana and Erin disagree.
    first = page.locator("section.consensus-item").first
    assert "avis très partagés" in first.inner_text()
    assert "Partage de données" in first.inner_text()
    screenshot(page, "maturity-consensus")
    first.get_by_label("en partie", exact=True).check()
    first.get_by_role("button", name="Enregistrer le consensus").click()
    assert "Consensus enregistré." in page.locator(".messages").inner_text()
    assert Consensus.objects.get().value == "en-partie"
    for dim_id, level in zip(
        campaign.dimensions.order_by("position").values_list("pk", flat=True),
        (
            "quelques caractéristiques",
            "la plupart des caractéristiques",
            "toutes les caractéristiques",
        ),
        strict=True,
    ):
        section = page.locator(f"#d{dim_id}")
        section.get_by_label(level, exact=True).check()
        section.get_by_role("button", name="Enregistrer le positionnement").click()
        assert "Positionnement enregistré." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Clôturer la campagne").click()
    page.wait_for_url(re.compile(r".*/resultats/$"))
    radar = page.locator("svg.radar")
    assert radar.is_visible()
    assert radar.locator("polygon").count() >= 5
    text = page.locator("main").inner_text()
    assert "Partage de données" in text and "toutes les caractéristiques" in text
    assert "Comparaison avec la fédération indisponible" in text
    screenshot(page, "maturity-results")
