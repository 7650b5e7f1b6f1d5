"""A coordinator creates the project, completes a task with an evidence file, and the DIM sees
it on the follow-up page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD, HealthCentreFactory, MembershipFactory
from tests.projects.factories import small_methodology


@pytest.mark.django_db(transaction=True)
def test_coordinator_completes_a_task_and_the_dim_sees_it(page, live_server, tmp_path):
    small_methodology()
    centre = HealthCentreFactory(name="MSP des Dunes")
    federation = centre.federation
    coordinator = MembershipFactory(
        federation=federation, role="coordinator", health_centre=centre, profession="coordinateur"
    )
    dim = MembershipFactory(federation=federation, role="dim", health_centre=None, profession="")
    dim.assigned_centres.set([centre])

    login(page, live_server, coordinator.user.email, PASSWORD)
    page.goto(f"{live_server.url}/{federation.slug}/")
    page.get_by_role("link", name="Démarrer le projet").click()
    screenshot(page, "projects-create")
    page.get_by_role("button", name="Créer le projet").click()
    page.get_by_text("Le projet est créé").wait_for()
    screenshot(page, "projects-detail")

    page.get_by_role("link", name="Tâche diagnostic").click()
    evidence = tmp_path / "diagnostic.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("#id_file").set_input_files(str(evidence))
    page.get_by_role("button", name="Déposer le justificatif").click()
    page.get_by_text("Le justificatif est déposé.").wait_for()
    page.get_by_label("Fait").check()
    screenshot(page, "projects-task")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La tâche est enregistrée.").wait_for()
    assert "1 justificatif" in page.content()

    page.get_by_role("link", name="Voir ce qu'il reste pour l'étape suivante").click()
    screenshot(page, "projects-gate")
    page.get_by_role("button", name="Se déconnecter").click()

    login(page, live_server, dim.user.email, PASSWORD)
    page.goto(f"{live_server.url}/{federation.slug}/projets/suivi/")
    row = page.locator("tr", has_text="MSP des Dunes")
    assert "17 %" in row.inner_text()  # 1 task closed out of 6
    assert "0 jour" in row.inner_text()
    screenshot(page, "projects-follow-up")
