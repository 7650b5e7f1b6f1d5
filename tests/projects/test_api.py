import pytest
from rest_framework.test import APIClient

from projects.models import Task, TaskStatus


def _api(world, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


@pytest.mark.django_db
def test_projects_and_tasks_are_listed_tenant_scoped(world):
    project = world.objects["project"]
    data = _api(world, "dim_a").get("/api/v1/federations/alpha/projets/").json()
    assert [p["id"] for p in data["results"]] == [project.pk]
    assert data["results"][0]["current_step"] == 1
    assert _api(world, "member_a2").get("/api/v1/federations/alpha/projets/").json()["count"] == 0
    tasks = _api(world, "member_a").get(f"/api/v1/federations/alpha/projets/{project.pk}/taches/")
    assert tasks.json()["count"] == project.tasks.count()
    foreign = _api(world, "staff_b").get(f"/api/v1/federations/beta/projets/{project.pk}/")
    assert foreign.status_code == 404


@pytest.mark.django_db
def test_task_status_patch_validates_with_a_reason(world):
    task = Task.objects.get(project=world.objects["project"], code="visites")
    client = _api(world, "member_a")
    url = f"/api/v1/federations/alpha/projets/taches/{task.pk}/"
    response = client.patch(url, {"status": "finished"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()
    response = client.patch(url, {"status": "not_applicable"}, format="json")
    assert response.status_code == 400
    assert "Dites pourquoi" in response.json()["not_applicable_reason"][0]
    task.refresh_from_db()
    assert task.status == TaskStatus.TODO
    response = client.patch(
        url, {"status": "not_applicable", "not_applicable_reason": "Un seul site"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "not_applicable"
    task.refresh_from_db()
    assert task.not_applicable_reason == "Un seul site"


@pytest.mark.django_db
def test_project_endpoints_are_in_the_openapi_schema(world):
    response = _api(world, "staff_a").get("/api/schema/")
    body = response.content.decode()
    assert "/api/v1/federations/{federation_slug}/projets/" in body
    assert "/api/v1/federations/{federation_slug}/projets/taches/{id}/" in body
