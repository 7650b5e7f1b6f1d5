"""The API of the user groups: same services and scoping as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from usergroups.models import FeedbackItem, GroupSession, UserGroup, VendorAnswer

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:  # noqa: ANN001
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_groups_are_scoped_to_the_person(world) -> None:
    url = "/api/v1/federations/alpha/groupes/"
    names = [g["name"] for g in _api(world.users["member_a"]).get(url).json()["results"]]
    assert names == ["Logiciel X — débutants"]
    assert _api(world.users["member_a2"]).get(url).json()["results"] == []
    assert _api(world.users["staff_b"]).get(url).status_code == 404


def test_staff_create_a_group_others_cannot(world) -> None:
    url = "/api/v1/federations/alpha/groupes/"
    data = {
        "name": "Logiciel Y",
        "software": "logiciel-y",
        "level": "beginner",
        "centres": [world.centre_a.pk],
    }
    assert _api(world.users["member_a"]).post(url, data, format="json").status_code == 403
    response = _api(world.users["staff_a"]).post(url, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "beginner"
    # an MSP of another federation: 400 with a reason, nothing written
    bad = {**data, "name": "Autre", "centres": [world.centre_b.pk]}
    response = _api(world.users["staff_a"]).post(url, bad, format="json")
    assert response.status_code == 400 and "centres" in response.json()
    assert not UserGroup.objects.filter(name="Autre").exists()


def test_facilitator_plans_a_session(world) -> None:
    group = world.objects["ug_group"]
    url = f"/api/v1/federations/alpha/groupes/{group.pk}/seances/"
    data = {"starts_at": "2026-12-03T18:00:00+01:00", "video_url": "https://visio.example.org/x"}
    assert _api(world.users["member_a"]).post(url, data, format="json").status_code == 403
    response = _api(world.users["dim_a"]).post(url, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["duration_minutes"] == 60
    assert GroupSession.objects.filter(group=group).count() == 3
    bad = _api(world.users["dim_a"]).post(url, {"starts_at": "demain"}, format="json")
    assert bad.status_code == 400


def test_feedback_on_a_foreign_session_is_404_and_writes_nothing(world) -> None:
    session = world.objects["ug_past"]
    before = FeedbackItem.objects.count()
    data = {"kind": "need", "theme": "billing", "text": "Intrusion"}
    for user, slug in ((world.users["member_b"], "beta"), (world.users["member_a2"], "alpha")):
        url = f"/api/v1/federations/{slug}/groupes/seances/{session.pk}/retours/"
        assert _api(user).post(url, data, format="json").status_code == 404
    assert FeedbackItem.objects.count() == before
    url = f"/api/v1/federations/alpha/groupes/seances/{session.pk}/retours/"
    response = _api(world.users["member_a"]).post(url, data, format="json")
    assert response.status_code == 201
    assert response.json()["centres"] == [world.centre_a.pk]
    assert (
        _api(world.users["member_a"]).post(url, {**data, "kind": "x"}, format="json").status_code
        == 400
    )


def test_syntheses_for_followers(world) -> None:
    url = "/api/v1/federations/alpha/groupes/syntheses/"
    data = _api(world.users["dim_a"]).get(url).json()["results"]
    assert data[0]["software"] == "logiciel-x" and data[0]["versions"][0]["number"] == 1
    assert _api(world.users["member_a"]).get(url).status_code == 403


def test_vendor_lists_its_versions_then_reads_each_one(world) -> None:
    version = world.objects["ug_version"]
    need = world.objects["ug_need"]
    client = _api(world.users["vendor_x"])
    versions = client.get("/api/v1/editeur/syntheses/").json()["results"]
    assert [v["id"] for v in versions] == [version.pk]
    # The list says what each version is, without its content (up to 150 kB each)...
    listed = versions[0]
    assert "content" not in listed
    assert listed["software"] == "logiciel-x" and listed["federation"] == "alpha"
    assert listed["number"] == 1 and listed["needs_count"] == 1
    assert listed["period_start"] == version.synthesis.period_start.isoformat()
    assert listed["url"] == f"http://testserver/api/v1/editeur/syntheses/{version.pk}/"
    # ... which its own URL gives, with the ids of the needs to answer.
    detail = client.get(listed["url"]).json()
    assert {k: detail[k] for k in listed} == listed
    assert [n["id"] for n in detail["content"]["needs"]] == [need.pk]
    assert detail["content"]["needs"][0]["title"] == "Facturation des infirmiers"
    # Another vendor sees neither.
    assert _api(world.users["vendor_y"]).get("/api/v1/editeur/syntheses/").json()["results"] == []
    assert _api(world.users["vendor_y"]).get(listed["url"]).status_code == 404


def test_vendor_answers_through_the_api(world) -> None:
    need = world.objects["ug_need"]
    versions = _api(world.users["vendor_x"]).get("/api/v1/editeur/syntheses/").json()["results"]
    assert [v["id"] for v in versions] == [world.objects["ug_version"].pk]
    assert _api(world.users["vendor_y"]).get("/api/v1/editeur/syntheses/").json()["results"] == []
    url = f"/api/v1/editeur/besoins/{need.pk}/reponses/"
    answer = {"status": "planned", "planned_version": "5.80", "planned_for": "2027-03-01"}
    assert _api(world.users["vendor_y"]).post(url, answer, format="json").status_code == 404
    assert _api(world.users["staff_a"]).post(url, answer, format="json").status_code == 403
    assert not VendorAnswer.objects.exists()
    response = _api(world.users["vendor_x"]).post(url, answer, format="json")
    assert response.status_code == 201, response.content
    bad = _api(world.users["vendor_x"]).post(url, {"status": "planned"}, format="json")
    assert bad.status_code == 400 and "planned_for" in bad.json()
    listed = _api(world.users["vendor_x"]).get(url).json()["results"]
    assert [a["status"] for a in listed] == ["planned"]


def test_openapi_schema_holds_the_usergroups_endpoints(world) -> None:
    response = _api(world.users["staff_a"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/federations/{federation_slug}/groupes/",
        "/api/v1/federations/{federation_slug}/groupes/{id}/seances/",
        "/api/v1/federations/{federation_slug}/groupes/seances/{id}/retours/",
        "/api/v1/federations/{federation_slug}/groupes/syntheses/",
        "/api/v1/editeur/syntheses/",
        "/api/v1/editeur/syntheses/{id}/",
        "/api/v1/editeur/besoins/{id}/reponses/",
    ):
        assert path in paths, sorted(paths)
    # The list of versions leaves their content to each version's URL, and says so.
    schemas = response.json()["components"]["schemas"]
    listed = schemas["VersionSummary"]["properties"]
    assert "content" not in listed and {"url", "needs_count"} <= set(listed)
    assert "content" in schemas["Version"]["properties"]
    described = paths["/api/v1/editeur/syntheses/"]["get"]["description"]
    assert "sans son contenu" in described.replace("\n", " ")
