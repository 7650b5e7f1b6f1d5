"""The maturity API: tenant-scoped, same rules as the pages, 409 on a stale consensus."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from maturity.models import Campaign, Consensus, Rating

pytestmark = pytest.mark.django_db

BASE = "/api/v1/federations/alpha/maturite"


def api_for(world, role: str) -> APIClient:  # noqa: ANN001
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def test_frameworks_are_listed_with_their_tree(world) -> None:  # noqa: ANN001
    framework = world.objects["maturity_framework"]
    body = api_for(world, "member_a").get(f"{BASE}/referentiels/{framework.pk}/").json()
    si = next(a for a in body["axes"] if a["code"] == "systeme-information")
    assert [d["name"] for d in si["dimensions"]] == [
        "Partage de données",
        "Gestion des données",
        "Analyse des pratiques",
    ]
    assert body["rating_scale"][1]["label"] == "en partie"
    # Federation A's own dimension is visible to A, not to B.
    travail = next(a for a in body["axes"] if a["code"] == "travail-equipe")
    assert [d["name"] for d in travail["dimensions"]] == ["Concertation (ajout Alpha)"]
    beta = api_for(world, "member_b").get(
        f"/api/v1/federations/beta/maturite/referentiels/{framework.pk}/"
    )
    travail_b = next(a for a in beta.json()["axes"] if a["code"] == "travail-equipe")
    assert travail_b["dimensions"] == []


def test_a_member_rates_through_the_api(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    dana = api_for(world, "member_a")
    url = f"{BASE}/campagnes/{campaign.pk}/reponses/"
    c = si_characteristics[0]
    response = dana.post(url, {"characteristic": c.pk, "value": "oui"}, format="json")
    assert response.status_code == 200, response.content
    response = dana.post(url, {"characteristic": c.pk, "value": "jamais"}, format="json")
    assert response.status_code == 400
    assert "hors échelle" in str(response.json())
    assert Rating.objects.get().value == "oui"
    assert [r["value"] for r in dana.get(url).json()["results"]] == ["oui"]
    # Charlie sees only his own answers (none) before the phase closes, even asking for all.
    assert api_for(world, "coordinator_a").get(url, {"all": "1"}).json()["results"] == []
    # Another MSP's member: 404; a DIM cannot rate: 403.
    assert (
        api_for(world, "member_a2").post(url, {"characteristic": c.pk, "value": "oui"}).status_code
        == 404
    )
    assert (
        api_for(world, "dim_a").post(url, {"characteristic": c.pk, "value": "oui"}).status_code
        == 403
    )


def test_a_rating_after_the_phase_closed_answers_400(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    response = api_for(world, "member_a").post(
        f"{BASE}/campagnes/{campaign.pk}/reponses/",
        {"characteristic": si_characteristics[0].pk, "value": "oui"},
        format="json",
    )
    assert response.status_code == 400
    assert "phase individuelle est close" in str(response.json())
    assert not Rating.objects.filter(campaign=campaign).exists()


def test_a_stale_consensus_answers_409_with_the_current_value(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    url = f"{BASE}/campagnes/{campaign.pk}/consensus/"
    c = si_characteristics[0]
    charlie, bob = api_for(world, "coordinator_a"), api_for(world, "dim_a")
    first = charlie.post(url, {"characteristic": c.pk, "value": "oui", "version": 0}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == 1
    stale = bob.post(url, {"characteristic": c.pk, "value": "non", "version": 0}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["value"] == "oui"
    assert stale.json()["current"]["version"] == 1
    fresh = bob.post(url, {"characteristic": c.pk, "value": "non", "version": 1}, format="json")
    assert fresh.status_code == 200
    assert Consensus.objects.get().value == "non"
    assert (
        api_for(world, "member_a")
        .post(url, {"characteristic": c.pk, "value": "oui", "version": 2}, format="json")
        .status_code
        == 403
    )


def test_positioning_conflict_answers_409(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    url = f"{BASE}/campagnes/{campaign.pk}/positionnements/"
    dim = campaign.dimensions.first()
    charlie = api_for(world, "coordinator_a")
    assert (
        charlie.post(
            url, {"dimension": dim.pk, "level": 1, "version": 0}, format="json"
        ).status_code
        == 200
    )
    assert (
        charlie.post(
            url, {"dimension": dim.pk, "level": 2, "version": 0}, format="json"
        ).status_code
        == 409
    )
    assert (
        charlie.post(
            url, {"dimension": dim.pk, "level": 9, "version": 1}, format="json"
        ).status_code
        == 400
    )


def test_opening_a_campaign_through_the_api(world, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    Campaign.objects.filter(health_centre=world.centre_a).delete()
    framework = world.objects["maturity_framework"]
    si = framework.axes.get(code="systeme-information")
    payload = {
        "health_centre": world.centre_a.pk,
        "framework": framework.pk,
        "year": 2026,
        "axes": [si.pk],
        "invitees": [world.memberships["member_a"].pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(world, "coordinator_a").post(
            f"{BASE}/campagnes/", payload, format="json"
        )
    assert response.status_code == 201, response.content
    assert len(response.json()["dimensions"]) == 3
    assert [m.to for m in mail.outbox] == [["dana@alpha.test"]]
    # A second one is refused with a reason; an MSP the user cannot see is refused too.
    again = api_for(world, "coordinator_a").post(f"{BASE}/campagnes/", payload, format="json")
    assert again.status_code == 400
    assert "déjà en cours" in str(again.json())
    other = {**payload, "health_centre": world.centre_a2.pk}
    assert (
        api_for(world, "coordinator_a").post(f"{BASE}/campagnes/", other, format="json").status_code
        == 400
    )
    assert (
        api_for(world, "member_a").post(f"{BASE}/campagnes/", payload, format="json").status_code
        == 403
    )


def test_actions_through_the_api_choices_are_scoped(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    url = f"{BASE}/campagnes/{campaign.pk}/actions/"
    charlie = api_for(world, "coordinator_a")
    response = charlie.post(
        url,
        {
            "objective": "Généraliser la messagerie sécurisée",
            "responsible": world.memberships["member_a"].pk,
            "deadline": "2026-06-30",
            "indicator": "Part des courriers envoyés par messagerie",
            "status": "planned",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    action_id = response.json()["id"]
    foreign = charlie.post(
        url,
        {"objective": "X", "responsible": world.memberships["member_b"].pk},
        format="json",
    )
    assert foreign.status_code == 400
    patch = charlie.patch(f"{url}{action_id}/", {"status": "done"}, format="json")
    assert patch.status_code == 200
    assert patch.json()["status"] == "done"
    assert api_for(world, "staff_a").get(url).json()["count"] == 2


def test_the_maturity_api_is_in_the_openapi_schema(world) -> None:  # noqa: ANN001
    schema = api_for(world, "staff_a").get("/api/schema/").content.decode()
    for path in ("/maturite/campagnes/{id}/consensus/", "/maturite/referentiels/", "/actions/"):
        assert path in schema
