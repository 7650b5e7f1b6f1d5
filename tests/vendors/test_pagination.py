"""Long lists of the vendors app are cut into pages: the catalogue (page, filters kept; API),
the ratings to moderate, the corrections to review, the vendor's own proposals on the portal.
The software page shows the latest facts only."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from federations.models import HealthCentre
from tests.factories import SoftwareFactory, UserFactory
from tests.vendors.factories import fact, labelled
from vendors.models import CorrectionProposal, PeerRating

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def url(name: str, **kw) -> str:  # noqa: ANN003
    return reverse(f"vendors:{name}", kwargs={"federation_slug": "alpha", **kw})


def test_the_catalogue_pages_by_25_and_keeps_its_filters(world) -> None:  # noqa: ANN001
    for i in range(40):
        labelled(f"zeta-{i:02}", name=f"Zeta {i:02}", perimeter="msp_cds" if i % 2 else "cds")
    client = client_for(world, "member_a")
    first = client.get(url("catalogue")).content.decode()
    second = client.get(url("catalogue"), {"page": 2}).content.decode()
    shown = re.findall(r"Zeta (\d{2})", first) + re.findall(r"Zeta (\d{2})", second)
    assert sorted(set(shown)) == [f"{i:02}" for i in range(40)]
    assert len(shown) == 40  # none twice
    # Valid for MSPs only (odd numbers): 20 rows, one page; the filter stays in the links.
    msp = client.get(url("catalogue"), {"label": "msp", "q": "Zeta"}).content.decode()
    assert re.findall(r"Zeta (\d{2})", msp) == [f"{i:02}" for i in range(1, 40, 2)]
    for i in range(40, 80):
        labelled(f"zeta-{i:02}", name=f"Zeta {i:02}")
    page = client.get(url("catalogue"), {"label": "msp", "q": "Zeta"}).content.decode()
    assert 'href="?label=msp&amp;q=Zeta&amp;page=2"' in page
    data = client.get("/api/v1/logiciels/").json()
    assert data["count"] >= 80 and len(data["results"]) == 50 and data["next"]


def test_ratings_to_moderate_come_25_at_a_time_oldest_first(world) -> None:  # noqa: ANN001
    PeerRating.objects.all().delete()
    software = SoftwareFactory(slug="note", name="Noté")
    centres = HealthCentre.objects.bulk_create(
        HealthCentre(federation=world.federation_a, name=f"MSP Avis {i:02}") for i in range(30)
    )
    authors = UserFactory.create_batch(30)
    for i, (centre, author) in enumerate(zip(centres, authors, strict=True)):
        PeerRating.objects.create(
            federation=world.federation_a,
            health_centre=centre,
            software=software,
            author=author,
            profession="infirmier",
            comment=f"avis-{i:02}",
            **dict.fromkeys(
                ["ergonomics", "billing", "hotline", "training", "data_migration", "transparency"],
                3,
            ),
        )
    client = client_for(world, "staff_a")
    first = client.get(url("moderation")).content.decode()
    assert re.findall(r"avis-(\d{2})", first) == [f"{i:02}" for i in range(25)]
    second = client.get(url("moderation"), {"page": 2}).content.decode()
    assert re.findall(r"avis-(\d{2})", second) == [f"{i:02}" for i in range(25, 30)]


def test_corrections_are_paginated_for_staff_and_on_the_vendor_portal(world) -> None:  # noqa: ANN001
    CorrectionProposal.objects.all().delete()
    for i in range(30):
        CorrectionProposal.objects.create(
            software=world.software_x,
            key="hotline",
            value=f"valeur-{i:02}",
            proposed_by=world.users["vendor_x"],
        )
    staff = client_for(world, "staff_a")
    first = staff.get(url("corrections")).content.decode()
    second = staff.get(url("corrections"), {"page": 2}).content.decode()
    # Oldest first, to be reviewed in order.
    assert re.findall(r"valeur-(\d{2})", first) == [f"{i:02}" for i in range(25)]
    assert re.findall(r"valeur-(\d{2})", second) == [f"{i:02}" for i in range(25, 30)]
    # The vendor sees their own proposals, newest first, page by page.
    vendor = client_for(world, "vendor_x")
    first = vendor.get(reverse("vendor_software")).content.decode()
    second = vendor.get(reverse("vendor_software"), {"page": 2}).content.decode()
    assert re.findall(r"valeur-(\d{2})", first) == [f"{i:02}" for i in range(29, 4, -1)]
    assert re.findall(r"valeur-(\d{2})", second) == [f"{i:02}" for i in range(4, -1, -1)]


def test_the_software_page_shows_the_latest_thirty_facts(world) -> None:  # noqa: ANN001
    software = labelled("historique", name="Historique")
    for i in range(45):
        fact(software, f"Horaire-{i:02}", key="hotline")
    html = client_for(world, "member_a").get(url("detail", slug="historique")).content.decode()
    history = set(re.findall(r"Horaire-(\d{2})", html))
    assert history == {f"{i:02}" for i in range(15, 45)}
