"""The review lists of the vendors app cost the same number of queries with one row as with a
full page (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from federations.models import HealthCentre
from tests.factories import SoftwareFactory, UserFactory
from vendors.models import CorrectionProposal, PeerRating

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def crowd(world) -> None:  # noqa: ANN001
    centres = HealthCentre.objects.bulk_create(
        HealthCentre(federation=world.federation_a, name=f"MSP Revue {i:02}") for i in range(24)
    )
    softwares = [SoftwareFactory(vendor=world.vendor_x) for _ in range(3)]
    for i, (centre, author) in enumerate(zip(centres, UserFactory.create_batch(24), strict=True)):
        PeerRating.objects.create(
            federation=world.federation_a,
            health_centre=centre,
            software=softwares[i % 3],
            author=author,
            profession="infirmier",
            **dict.fromkeys(
                ["ergonomics", "billing", "hotline", "training", "data_migration", "transparency"],
                3,
            ),
        )
        CorrectionProposal.objects.create(
            software=softwares[i % 3],
            key="hotline",
            value=f"v{i}",
            proposed_by=world.users["vendor_x"],
        )


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("staff_a", "/alpha/logiciels/avis/"),
        ("staff_a", "/alpha/logiciels/corrections/"),
        ("vendor_x", "vendor_software"),
    ],
)
def test_review_lists_do_not_cost_a_query_per_row(world, role: str, path: str) -> None:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    url = path if path.startswith("/") else reverse(path)
    before = queries(client, url)
    crowd(world)
    # The vendor's page also lists its products (3 more), each with facts read in bulk.
    assert queries(client, url) <= before
