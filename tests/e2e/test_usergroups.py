"""From a session's feedback to a published synthesis to the vendor's answer, in a browser."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login, screenshot
from tests.factories import PASSWORD
from usergroups.models import Need, VendorAnswer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _new_page(browser, live_server):  # noqa: ANN001, ANN202
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_feedback_to_synthesis_to_vendor_answer(page, browser, live_server, world) -> None:  # noqa: ANN001
    session = world.objects["ug_past"]
    # 1. Dana, a nurse of MSP A1, adds a need to the minutes of the session she attended.
    login(page, live_server, "dana@alpha.test", PASSWORD)
    page.wait_for_url(f"{live_server.url}/alpha/")
    page.get_by_role("link", name="Groupes d'utilisateurs").first.click()
    page.get_by_role("link", name="Logiciel X — débutants").click()
    page.locator(f"a[href='/alpha/groupes/seances/{session.pk}/']").click()
    form = page.locator("#ajouter-retour")
    form.get_by_label("Nature").select_option("need")
    form.get_by_label("Thème").select_option("mobility")
    form.locator("textarea[name=text]").fill(
        "Saisir les transmissions sur tablette pendant la tournée"
    )
    form.get_by_role("button", name="Ajouter le retour").click()
    page.wait_for_url(re.compile(r"/seances/\d+/$"))
    assert "Le retour a été ajouté au compte rendu." in page.locator("main").inner_text()
    assert "Saisir les transmissions sur tablette" in page.locator("main").inner_text()
    screenshot(page, "usergroups-session-feedback")

    # 2. Alice (federation staff) merges it into a need and publishes a new version.
    staff_context, staff = _new_page(browser, live_server)
    login(staff, live_server, "alice@alpha.test", PASSWORD)
    staff.wait_for_url(f"{live_server.url}/alpha/")
    staff.get_by_role("link", name="Synthèses éditeurs").click()
    staff.get_by_role("link", name="Logiciel X").first.click()
    staff.get_by_role("link", name="Regrouper les retours").click()
    staff.get_by_label("Saisir les transmissions sur tablette pendant la tournée").check()
    staff.get_by_label("Intitulé du nouveau besoin").fill("Transmissions sur tablette en tournée")
    screenshot(staff, "usergroups-merge")
    staff.get_by_role("button", name="Regrouper en un besoin").click()
    assert "Les retours ont été regroupés en un besoin." in staff.locator("main").inner_text()
    staff.get_by_role("link", name="Synthèse Logiciel X").click()
    assert "Transmissions sur tablette en tournée" in staff.locator("main").inner_text()
    screenshot(staff, "usergroups-synthesis")
    staff.on("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name="Publier une nouvelle version").click()
    staff.wait_for_url(re.compile(r"/groupes/versions/\d+/$"))
    body = staff.locator("main").inner_text()
    assert "version 2" in body and "Transmissions sur tablette en tournée" in body
    screenshot(staff, "usergroups-version")

    # 3. Xavier, of vendor X, answers the new need from the vendor portal.
    vendor_context, vendor = _new_page(browser, live_server)
    login(vendor, live_server, "xavier@vendor-x.test", PASSWORD)
    vendor.goto(f"{live_server.url}/editeur/syntheses/")
    screenshot(vendor, "usergroups-portal")
    vendor.get_by_role("link", name="Logiciel X").first.click()
    need = Need.objects.get(title="Transmissions sur tablette en tournée")
    section = vendor.locator(f"#besoin-{need.pk}")
    section.get_by_text("Répondre à ce besoin").click()
    section.get_by_label("Statut").select_option("planned")
    section.get_by_label("Version prévue").fill("5.80")
    section.get_by_label("Date prévue").fill("2027-03-01")
    section.get_by_label("Commentaire").fill("Arrive avec l'application tablette.")
    section.get_by_role("button", name="Enregistrer la réponse").click()
    assert "Votre réponse est enregistrée" in vendor.locator("main").inner_text()
    assert (
        "version 5.80, prévue le 1 mars 2027" in vendor.locator(f"#besoin-{need.pk}").inner_text()
    )
    screenshot(vendor, "usergroups-portal-answer")
    assert VendorAnswer.objects.filter(need=need, status="planned").count() == 1

    # 4. The federation sees the answer on the version page.
    staff.reload()
    assert "Arrive avec l'application tablette." in staff.locator("main").inner_text()
    staff_context.close()
    vendor_context.close()
