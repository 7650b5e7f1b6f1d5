"""API of the planning sections: needs of a project and its ACI figure, tenant-scoped."""

import pytest
from django.test import Client

from projects.models import Need
from tests.factories import CapabilityFactory

pytestmark = pytest.mark.django_db


def _url(world, what: str, slug: str = "alpha") -> str:  # noqa: ANN001
    return f"/api/v1/federations/{slug}/projets/{world.objects['project'].pk}/{what}/"


def _client(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def test_needs_are_listed_for_the_team(world):
    response = _client(world, "member_a").get(_url(world, "besoins"))
    assert response.status_code == 200
    titles = [n["title"] for n in response.json()["results"]]
    assert titles == ["Facturer les actes infirmiers"]


def test_coordinator_adds_a_need_through_the_same_rules(world):
    capability = CapabilityFactory(code="facturation-infirmier", profession="infirmier")
    client = _client(world, "coordinator_a")
    data = {
        "title": "Tournées",
        "profession": "infirmier",
        "priority": "must",
        "capability": capability.code,
    }
    response = client.post(_url(world, "besoins"), data, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Need.objects.get(title="Tournées").capability == capability
    # A capability of another profession: 400 with the reason, nothing written.
    data = {
        "title": "Kiné",
        "profession": "masseur_kinesitherapeute",
        "capability": capability.code,
    }
    response = client.post(_url(world, "besoins"), data, content_type="application/json")
    assert response.status_code == 400
    assert "capability" in response.json()
    response = client.post(
        _url(world, "besoins"),
        {"title": "X", "priority": "urgent"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "priority" in response.json()
    assert not Need.objects.filter(title__in=["Kiné", "X"]).exists()


def test_member_cannot_add_and_other_msp_or_tenant_gets_404(world):
    response = _client(world, "member_a").post(
        _url(world, "besoins"), {"title": "Y"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert _client(world, "member_a2").get(_url(world, "besoins")).status_code == 404
    assert _client(world, "staff_b").get(_url(world, "besoins", "beta")).status_code == 404


def test_aci_figure(world):
    centre = world.centre_a
    centre.professionals_count = 20
    centre.save()
    software = world.software_x
    software.label_level = "standard"
    software.save()
    project = world.objects["project"]
    project.chosen_software = software
    project.save()
    body = _client(world, "dim_a").get(_url(world, "aci")).json()
    assert (body["points"], body["euros"], body["level"]) == (4300, 30100, "standard")
