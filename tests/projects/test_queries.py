"""The federation-wide lists of the projects app cost the same number of queries with one row
as with a full page of rows (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import ContactRequest, Facilitator, TaskEvidence

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def crowd(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    people = [world.users["coordinator_a"], world.users["member_a"], world.users["staff_a"]]
    facilitators = Facilitator.objects.bulk_create(
        Facilitator(
            federation=world.federation_a,
            name=f"Facilitateur {i:02}",
            software=world.software_y,
            health_centre=world.centre_a2,
        )
        for i in range(45)
    )
    ContactRequest.objects.bulk_create(
        ContactRequest(
            federation=world.federation_a,
            project=project,
            facilitator=f,
            requested_by=people[i % 3],
        )
        for i, f in enumerate(facilitators)
    )
    TaskEvidence.objects.bulk_create(
        TaskEvidence(
            federation=world.federation_a,
            task=world.objects["task"],
            file=f"evidence/p{i}.txt",
            original_name=f"p{i}.txt",
            size=1,
            content_type="text/plain",
            uploaded_by=people[i % 3],
        )
        for i in range(18)
    )


@pytest.mark.parametrize(
    ("role", "url_name", "kwargs"),
    [
        ("staff_a", "projects:facilitators", {}),
        ("staff_a", "projects:contact_requests", {}),
        ("dim_a", "projects:contact_requests", {}),
        ("coordinator_a", "projects:task", {"pk": "task"}),
    ],
)
def test_federation_lists_do_not_cost_a_query_per_row(world, role, url_name, kwargs) -> None:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    resolved = {k: world.objects[v].pk for k, v in kwargs.items()}
    url = reverse(url_name, kwargs={"federation_slug": "alpha", **resolved})
    before = queries(client, url)
    crowd(world)
    assert queries(client, url) <= before
