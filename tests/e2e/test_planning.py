"""A coordinator writes a need of the cahier des charges, then plans a deployment wave in the
flu-vaccination season and is warned."""

import pytest

from federations.roles import Role
from projects.models import Need, Project
from projects.reference_planning import load_holidays
from tests.e2e.conftest import login, screenshot
from tests.factories import (
    PASSWORD,
    FederationFactory,
    HealthCentreFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_writes_a_need_and_is_warned_about_a_wave_in_flu_season(page, live_server):
    load_holidays()
    federation = FederationFactory(slug="alpha", name="Fédération Alpha", holiday_zone="B")
    centre = HealthCentreFactory(federation=federation, name="MSP des Tilleuls")
    user = UserFactory(email="charlie@alpha.test", first_name="Charlie")
    MembershipFactory(
        user=user,
        role=Role.COORDINATOR,
        federation=federation,
        health_centre=centre,
        profession="medecin_generaliste",
    )
    project, _ = Project.objects.get_or_create(
        health_centre=centre, defaults={"federation": federation}
    )
    base = f"{live_server.url}/alpha/projets/{project.pk}"

    login(page, live_server, user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    page.goto(f"{base}/cahier-des-charges/")
    page.get_by_role("link", name="Ajouter un besoin").click()
    page.get_by_label("Besoin").fill("Facturer les actes infirmiers en tiers payant")
    page.get_by_label("Profession").select_option(label="Infirmier")
    page.get_by_label("Priorité").select_option(label="Indispensable")
    assert "Aucune donnée de patient" in page.locator("main").inner_text()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{base}/cahier-des-charges/")
    main = page.locator("main").inner_text()
    assert "Besoin ajouté." in main
    assert "Facturer les actes infirmiers en tiers payant" in main
    assert "Indispensable" in main
    assert Need.objects.get(project=project).priority == "must"
    screenshot(page, "planning-needs")

    page.get_by_role("link", name="Déploiement").click()
    page.get_by_role("link", name="Ajouter une vague").click()
    page.get_by_label("Intitulé").fill("Vague 2 — infirmiers")
    page.get_by_label("Infirmier", exact=True).check()
    page.get_by_label("Début").fill("2026-11-16")
    page.get_by_label("Fin").fill("2026-11-27")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{base}/deploiement/")
    warning = page.locator(".wave.has-warning").inner_text()
    assert "Vague 2 — infirmiers" in warning
    assert "campagne de vaccination antigrippale" in warning
    assert "du 15 octobre 2026 au 31 janvier 2027" in warning
    screenshot(page, "planning-deployment-warning")
