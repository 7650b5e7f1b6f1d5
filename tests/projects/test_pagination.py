"""Long lists of the projects app are cut into pages and keep their filters: the follow-up
(federation and DIM), the evidence of a task, the facilitators' pool and the contact requests;
the API lists page too. The CSV export stays complete, streamed."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from federations.models import HealthCentre
from projects.models import ContactRequest, Facilitator, Project, TaskEvidence
from tests.projects.factories import small_methodology

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def many_projects(world, n: int = 60) -> list[Project]:  # noqa: ANN001
    """``n`` projects of MSPs "MSP Page 000"… at step 1 + i % 3 (no task: cheap)."""
    methodology = small_methodology()
    centres = HealthCentre.objects.bulk_create(
        HealthCentre(federation=world.federation_a, name=f"MSP Page {i:03}") for i in range(n)
    )
    projects = Project.objects.bulk_create(
        Project(
            federation=world.federation_a,
            health_centre=c,
            methodology=methodology,
            current_step=1 + i % 3,
        )
        for i, c in enumerate(centres)
    )
    world.memberships["dim_a"].assigned_centres.add(*centres)
    return projects


def names(html: str) -> list[str]:
    return re.findall(r"MSP Page (\d{3})", html)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [("staff_a", "projects:follow_federation"), ("dim_a", "projects:follow_assigned")],
)
def test_the_follow_up_shows_thirty_projects_then_the_next_ones(world, role, url_name) -> None:  # noqa: ANN001
    many_projects(world)
    client = client_for(world, role)
    url = reverse(url_name, args=["alpha"])
    # By MSP name: "MSP Alpha 1" (the world's project) then Page 000…059, 30 a page.
    first = client.get(url).content.decode()
    assert names(first) == [f"{i:03}" for i in range(29)]
    assert "Page 1 sur 3" in first and "Lignes 1 à 30 sur 61" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert names(second) == [f"{i:03}" for i in range(29, 59)]
    third = client.get(url, {"page": 3}).content.decode()
    assert names(third) == ["059"]
    assert "MSP Alpha 1" not in second + third
    # A number out of range shows the last page.
    assert names(client.get(url, {"page": 9}).content.decode()) == ["059"]


def test_the_follow_up_pages_keep_the_step_and_the_sort(world) -> None:
    many_projects(world, 180)  # 60 per step
    client = client_for(world, "staff_a")
    url = reverse("projects:follow_federation", args=["alpha"])
    # Step 2 (i % 3 == 1), sorted by MSP name descending.
    first = client.get(url, {"etape": 2, "tri": "-msp"}).content.decode()
    expected = [f"{i:03}" for i in range(178, 0, -3)]
    assert names(first) == expected[:30]
    assert "Lignes 1 à 30 sur 60" in first
    assert 'href="?etape=2&amp;tri=-msp&amp;page=2"' in first
    second = client.get(url, {"etape": 2, "tri": "-msp", "page": 2}).content.decode()
    assert names(second) == expected[30:]  # the world's project (step 1) is not in step 2
    assert 'href="?etape=2&amp;tri=-msp"' in second  # back to page 1, filters kept


def test_the_csv_export_stays_complete_and_is_streamed(world) -> None:
    many_projects(world, 120)
    response = client_for(world, "staff_a").get(reverse("projects:export_csv", args=["alpha"]))
    assert response.streaming
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("MSP;")
    assert len(lines) == 1 + 121


def test_the_projects_api_pages_by_fifty(world) -> None:
    many_projects(world)
    client = client_for(world, "staff_a")
    data = client.get("/api/v1/federations/alpha/projets/").json()
    assert data["count"] == 61 and len(data["results"]) == 50
    rest = client.get(data["next"]).json()
    assert len(rest["results"]) == 11 and rest["next"] is None
    seen = {p["id"] for p in data["results"]} | {p["id"] for p in rest["results"]}
    assert len(seen) == 61


def test_the_evidence_of_a_task_is_paginated(world) -> None:
    task = world.objects["task"]
    TaskEvidence.objects.bulk_create(
        TaskEvidence(
            federation=world.federation_a,
            task=task,
            file=f"evidence/piece-{i:03}.txt",
            original_name=f"piece-{i:03}.txt",
            size=10,
            content_type="text/plain",
        )
        for i in range(30)
    )
    client = client_for(world, "coordinator_a")
    url = reverse("projects:task", args=["alpha", task.pk])
    first = client.get(url).content.decode()
    # The world's own evidence first (oldest), then 19 of these.
    assert "compte-rendu.txt" in first
    assert re.findall(r"piece-(\d{3})\.txt", first) == [f"{i:03}" for i in range(19)]
    second = client.get(url, {"page": 2}).content.decode()
    assert re.findall(r"piece-(\d{3})\.txt", second) == [f"{i:03}" for i in range(19, 30)]


def test_the_facilitators_pool_and_the_contact_requests_are_paginated(world) -> None:
    project = world.objects["project"]
    facilitators = Facilitator.objects.bulk_create(
        Facilitator(federation=world.federation_a, name=f"Zoé Facilitatrice {i:03}", software=s)
        for i, s in enumerate([world.software_y] * 60)
    )
    ContactRequest.objects.bulk_create(
        ContactRequest(
            federation=world.federation_a,
            project=project,
            facilitator=f,
            message=f"demande-{i:03}",
        )
        for i, f in enumerate(facilitators)
    )
    client = client_for(world, "staff_a")
    pool = reverse("projects:facilitators", args=["alpha"])
    first = client.get(pool).content.decode()
    shown = re.findall(r"Zoé Facilitatrice (\d{3})", first)
    assert len(shown) < 60 and shown == sorted(shown)
    second = client.get(pool, {"page": 2}).content.decode()
    rest = re.findall(r"Zoé Facilitatrice (\d{3})", second)
    assert shown + rest == [f"{i:03}" for i in range(60)]
    requests_url = reverse("projects:contact_requests", args=["alpha"])
    first = client.get(requests_url)
    assert first.context["page"].paginator.count == 61  # with the world's request
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(requests_url, {"page": 2})
    ids = [r.pk for r in first.context["page"]] + [r.pk for r in second.context["page"]]
    assert len(set(ids)) == 61
