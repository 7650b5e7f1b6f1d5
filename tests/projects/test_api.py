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


@pytest.mark.django_db
def test_the_serializers_write_what_their_declared_fields_write(world):
    """ProjectSerializer and TaskSerializer write their output by hand (lists of 50): the same
    as DRF's fields, for every project and task of the world, in French and in UTC too."""
    from datetime import date

    from django.utils import timezone
    from rest_framework import serializers

    from projects import selectors
    from projects.api import ProjectSerializer, TaskSerializer

    project = world.objects["project"]
    Task.objects.filter(pk=world.objects["task"].pk).update(
        owner=world.memberships["member_a"], start_date=date(2026, 1, 5), due_date=None
    )
    project.deployed_on = date(2026, 3, 1)
    project.chosen_software = world.software_x
    project.save()
    for membership in (world.memberships["staff_a"], world.memberships["staff_b"]):
        for p in selectors.follow_up(membership=membership):
            fast = ProjectSerializer(p).data
            assert fast == serializers.ModelSerializer.to_representation(ProjectSerializer(), p)
            assert list(fast) == ProjectSerializer.Meta.fields
    tasks = Task.objects.select_related("owner__user")
    assert tasks.filter(owner__isnull=False).exists() and tasks.filter(owner=None).exists()
    for zone in ("Europe/Paris", "UTC"):
        with timezone.override(zone):
            for t in tasks:
                fast = TaskSerializer(t).data
                assert fast == serializers.ModelSerializer.to_representation(TaskSerializer(), t)
                assert list(fast) == TaskSerializer.Meta.fields


@pytest.mark.django_db
def test_the_tasks_api_pages_by_fifty_whatever_the_first_page_holds(world):
    from tests.projects.factories import small_methodology

    project = world.objects["project"]
    small_methodology()
    client = _api(world, "staff_a")
    url = f"/api/v1/federations/alpha/projets/{project.pk}/taches/"
    first = client.get(url).json()
    assert first["count"] == project.tasks.count() and first["next"] is None
    Task.objects.bulk_create(
        Task(federation=project.federation, project=project, step=3, title=f"T{i}", position=i)
        for i in range(50)
    )
    total = project.tasks.count()
    first = client.get(url).json()
    assert first["count"] == total and len(first["results"]) == 50
    rest = client.get(first["next"]).json()
    assert len(rest["results"]) == total - 50
    assert {t["id"] for t in first["results"] + rest["results"]} == set(
        project.tasks.values_list("pk", flat=True)
    )
