"""Long lists of a federation are cut into pages: the MSPs, the people, the pending invitations,
the journal; the home page shows a few rows and links to the full list. The shared helper keeps
the other parameters of the page (filters, the page of another list)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from config.pagination import paginate
from federations.models import AuditEvent, HealthCentre, Invitation
from federations.roles import Role

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def test_the_helper_keeps_the_filters_and_names_each_neighbour() -> None:
    request = RequestFactory().get("/x/", {"etape": "2", "tri": "activite", "page": "2"})
    page = paginate(request, list(range(120)), per_page=50)
    assert list(page) == list(range(50, 100))
    assert page.previous_query == "?etape=2&tri=activite"  # page 1 has no number
    assert page.first_query == "?etape=2&tri=activite"
    assert page.next_query == "?etape=2&tri=activite&page=3"
    assert page.last_query == "?etape=2&tri=activite&page=3"
    # Out of range or garbage: the nearest page, never an error.
    assert paginate(RequestFactory().get("/x/?page=99"), list(range(120))).number == 3
    assert paginate(RequestFactory().get("/x/?page=abc"), list(range(120))).number == 1
    # A second list of the page uses its own parameter and leaves the first one alone.
    other = paginate(
        RequestFactory().get("/x/?page=2&invitations=1"), list(range(60)), param="invitations"
    )
    assert other.next_query == "?page=2&invitations=2"


def test_the_journal_shows_fifty_events_per_page_newest_first(world) -> None:
    client = client_for(world, "staff_a")  # signing in is journalled: before the clean slate
    AuditEvent.objects.all().delete()
    start = timezone.now() - timedelta(days=1)
    AuditEvent.objects.bulk_create(
        AuditEvent(federation=world.federation_a, verb="role_changed", target=f"p{i:03}@alpha.test")
        for i in range(120)
    )
    # Dates in creation order (auto_now_add gave them all the same instant).
    for i, event in enumerate(AuditEvent.objects.order_by("pk")):
        AuditEvent.objects.filter(pk=event.pk).update(created_at=start + timedelta(minutes=i))
    url = reverse("federations:audit", args=["alpha"])
    first = client.get(url).content.decode()
    targets = re.findall(r"p(\d{3})@alpha\.test", first)
    assert targets == [f"{i:03}" for i in range(119, 69, -1)]
    assert "Page 1 sur 3" in first and "Lignes 1 à 50 sur 120" in first
    assert 'href="?page=2"' in first and 'rel="next"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert re.findall(r"p(\d{3})@alpha\.test", second) == [f"{i:03}" for i in range(69, 19, -1)]
    assert "Page 2 sur 3" in second and 'aria-current="page"' in second
    last = client.get(url, {"page": 3}).content.decode()
    assert re.findall(r"p(\d{3})@alpha\.test", last) == [f"{i:03}" for i in range(19, -1, -1)]
    assert 'rel="next"' not in last


def test_events_at_the_same_instant_are_neither_lost_nor_repeated_between_pages(world) -> None:
    client = client_for(world, "staff_a")
    AuditEvent.objects.all().delete()
    AuditEvent.objects.bulk_create(
        AuditEvent(federation=world.federation_a, verb="login", target=f"p{i:03}@alpha.test")
        for i in range(70)
    )
    AuditEvent.objects.update(created_at=timezone.now())
    url = reverse("federations:audit", args=["alpha"])
    seen = []
    for number in (1, 2):
        seen += re.findall(
            r"p(\d{3})@alpha\.test", client.get(url, {"page": number}).content.decode()
        )
    assert sorted(seen) == [f"{i:03}" for i in range(70)]


def test_the_msp_list_and_its_api_are_paginated(world) -> None:
    HealthCentre.objects.bulk_create(
        HealthCentre(federation=world.federation_a, name=f"MSP Zeta {i:03}") for i in range(60)
    )
    client = client_for(world, "staff_a")
    url = reverse("federations:centres", args=["alpha"])
    # 62 MSPs: the two of the world (MSP Alpha 1 and 2), then Zeta 000…059 by name.
    first = client.get(url).content.decode()
    assert "MSP Alpha 1" in first and "MSP Zeta 047" in first and "MSP Zeta 048" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert re.findall(r"MSP Zeta (\d{3})", second) == [f"{i:03}" for i in range(48, 60)]
    assert "MSP Alpha 1" not in second
    data = client.get("/api/v1/federations/alpha/msp/").json()
    assert data["count"] == 62 and len(data["results"]) == 50 and data["next"]
    data = client.get(data["next"]).json()
    assert [c["name"] for c in data["results"]] == [f"MSP Zeta {i:03}" for i in range(48, 60)]


def test_members_and_invitations_have_their_own_pages(world) -> None:
    now = timezone.now()
    Invitation.objects.bulk_create(
        Invitation(
            federation=world.federation_a,
            email=f"invite{i:03}@alpha.test",
            role=Role.MEMBER,
            health_centre=world.centre_a,
            token=f"token-{i:03}",
            expires_at=now + timedelta(days=7),
        )
        for i in range(60)
    )
    for i, invitation in enumerate(
        Invitation.objects.filter(email__startswith="invite").order_by("email")
    ):
        Invitation.objects.filter(pk=invitation.pk).update(created_at=now + timedelta(seconds=i))
    client = client_for(world, "staff_a")
    url = reverse("federations:people", args=["alpha"])
    first = client.get(url).content.decode()
    # Newest first: 059…010 on the first page, the rest and the world's invitation on the second.
    shown = re.findall(r"invite(\d{3})@alpha\.test", first)
    assert shown == [f"{i:03}" for i in range(59, 9, -1)]
    assert 'aria-label="Pages des invitations"' in first
    assert 'href="?invitations=2"' in first
    # The members' list is short: no pagination of its own.
    assert 'aria-label="Pages des membres"' not in first
    second = client.get(url, {"invitations": 2}).content.decode()
    assert re.findall(r"invite(\d{3})@alpha\.test", second) == [f"{i:03}" for i in range(9, -1, -1)]
    assert "newcomer@alpha.test" in second
    # The members are still all there, on their own first page.
    assert "dana@alpha.test" in second


def test_the_dim_home_shows_ten_followed_msps_and_links_to_all(world) -> None:
    dim = world.memberships["dim_a"]
    centres = HealthCentre.objects.bulk_create(
        HealthCentre(federation=world.federation_a, name=f"MSP Suivie {i:02}") for i in range(15)
    )
    dim.assigned_centres.add(*centres)
    page = client_for(world, "dim_a").get(reverse("federations:home", args=["alpha"]))
    html = page.content.decode()
    followed = re.findall(r"<li>(MSP [^<—]+?)(?: —|</li>)", html)
    assert len(followed) == 10
    assert "Voir toutes mes MSP suivies" in html
