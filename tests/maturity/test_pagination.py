"""Long lists of the maturity app are cut into pages: the campaigns (page and API, which used to
stop at 200 rows), a campaign's action plan (page and API), the answers of the API. The
frameworks page counts the campaigns of the federation only."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from federations.models import HealthCentre
from federations.roles import Role
from maturity.models import (
    Action,
    ActionStatus,
    Campaign,
    CampaignPhase,
    Characteristic,
    Participant,
    Rating,
)
from tests.factories import MembershipFactory
from tests.maturity.world import make_campaign

pytestmark = pytest.mark.django_db

BASE = "/api/v1/federations/alpha/maturite"


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def api_for(world, role: str) -> APIClient:  # noqa: ANN001
    client = APIClient()
    client.force_authenticate(world.users[role])
    return client


def many_campaigns(world, n: int) -> None:  # noqa: ANN001
    """``n`` closed 2020 campaigns of MSPs "MSP Éval 000"… (older than the world's)."""
    framework = world.objects["maturity_framework"]
    centres = HealthCentre.objects.bulk_create(
        HealthCentre(federation=world.federation_a, name=f"MSP Éval {i:03}") for i in range(n)
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            federation=world.federation_a,
            health_centre=c,
            framework=framework,
            year=2020,
            phase=CampaignPhase.CLOSED,
        )
        for c in centres
    )
    dimensions = list(framework.axes.first().dimensions.all())
    Campaign.dimensions.through.objects.bulk_create(
        Campaign.dimensions.through(campaign_id=c.pk, dimension_id=d.pk)
        for c in campaigns
        for d in dimensions
    )


def test_the_campaigns_page_shows_thirty_then_the_next_ones(world) -> None:  # noqa: ANN001
    many_campaigns(world, 70)
    client = client_for(world, "staff_a")
    url = reverse("maturity:campaigns", args=["alpha"])
    seen = []
    for number in (1, 2, 3):
        html = client.get(url, {"page": number}).content.decode()
        seen += re.findall(r"MSP Éval (\d{3})", html)
        assert f"Page {number} sur 3" in html
    # The world's recent campaigns first (newer years), then 2020 by MSP name; none twice.
    assert seen == [f"{i:03}" for i in range(70)]


def test_the_campaigns_api_reaches_every_campaign_page_by_page(world) -> None:  # noqa: ANN001
    many_campaigns(world, 230)  # more than the former cut at 200
    client = api_for(world, "staff_a")
    total = Campaign.objects.filter(federation=world.federation_a).count()
    data = client.get(f"{BASE}/campagnes/").json()
    assert data["count"] == total and len(data["results"]) == 50
    ids = []
    url = f"{BASE}/campagnes/"
    while url:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url).json()
        assert len(ctx.captured_queries) <= 12  # dimensions prefetched, counts per page row
        ids += [c["id"] for c in page["results"]]
        url = page["next"]
    assert len(ids) == len(set(ids)) == total
    assert all(len(c["dimensions"]) > 0 for c in data["results"])


def test_the_action_plan_is_paginated_on_the_page_and_in_the_api(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    Action.objects.bulk_create(
        Action(
            federation=world.federation_a,
            campaign=campaign,
            objective=f"Objectif {i:03}",
            responsible=world.memberships["member_a"],
            status=ActionStatus.PLANNED,
        )
        for i in range(70)
    )
    total = Action.objects.filter(campaign=campaign).count()
    client = client_for(world, "coordinator_a")
    url = reverse("maturity:actions", args=["alpha", campaign.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    shown = re.findall(r"Objectif (\d{3})", first) + re.findall(r"Objectif (\d{3})", second)
    assert sorted(shown) == [f"{i:03}" for i in range(70)]
    assert "Page 2 sur 2" in second
    api = api_for(world, "coordinator_a")
    data = api.get(f"{BASE}/campagnes/{campaign.pk}/actions/").json()
    assert data["count"] == total and len(data["results"]) == 50
    rest = api.get(data["next"]).json()
    assert len(rest["results"]) == total - 50


def test_everyone_s_answers_come_page_by_page(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    members = [world.memberships["coordinator_a"], world.memberships["member_a"]] + [
        MembershipFactory(
            federation=world.federation_a, role=Role.MEMBER, health_centre=world.centre_a
        )
        for _ in range(2)
    ]
    for m in members:
        Participant.objects.get_or_create(
            federation=world.federation_a, campaign=campaign, membership=m
        )
    Rating.objects.filter(campaign=campaign).delete()
    chars = list(Characteristic.objects.filter(dimension__in=campaign.dimensions.all()))
    assert len(members) * len(chars) == 60
    Rating.objects.bulk_create(
        Rating(
            federation=world.federation_a,
            campaign=campaign,
            membership=m,
            characteristic=c,
            value="oui",
        )
        for m in members
        for c in chars
    )
    api = api_for(world, "coordinator_a")
    data = api.get(f"{BASE}/campagnes/{campaign.pk}/reponses/", {"all": "1"}).json()
    assert data["count"] == 60 and len(data["results"]) == 50
    assert "all=1" in data["next"]  # the filter is kept
    rest = api.get(data["next"]).json()["results"]
    assert len(rest) == 10
    # In characteristic order, each one once per member: nothing lost or repeated between pages.
    shown = [r["characteristic"] for r in data["results"] + rest]
    assert shown == sorted(c.pk for c in chars for _ in members)


def test_the_frameworks_page_counts_the_campaigns_of_the_federation_only(world) -> None:  # noqa: ANN001
    framework = world.objects["maturity_framework"]
    mine = Campaign.objects.filter(federation=world.federation_a, framework=framework).count()
    for i in range(3):
        centre = HealthCentre.objects.create(
            federation=world.federation_b, name=f"MSP Bêta Éval {i}"
        )
        make_campaign(federation=world.federation_b, centre=centre, framework=framework, year=2024)
    response = client_for(world, "staff_a").get(reverse("maturity:frameworks", args=["alpha"]))
    row = next(f for f in response.context["page"] if f.pk == framework.pk)
    assert row.campaigns_count == mine
    assert row.axes_count == framework.axes.count()


def test_the_home_panel_shows_five_overdue_actions_and_links_to_the_campaigns(world) -> None:  # noqa: ANN001
    import datetime

    campaign = world.objects["maturity_campaign_consensus"]
    Action.objects.filter(campaign=campaign).delete()
    Action.objects.bulk_create(
        Action(
            federation=world.federation_a,
            campaign=campaign,
            objective=f"En retard {i}",
            deadline=datetime.date(2020, 1, 1 + i),
            status=ActionStatus.PLANNED,
        )
        for i in range(8)
    )
    html = client_for(world, "coordinator_a").get(reverse("federations:home", args=["alpha"]))
    html = html.content.decode()
    assert len(re.findall(r"En retard \d", html)) == 5
    assert "et 3 autres" in html
    campaigns = reverse("maturity:campaigns", args=["alpha"])
    assert f'<a href="{campaigns}">voir les campagnes et leurs plans d' in html
    # Each with its deadline and whoever is responsible; the DIM also reads the MSP's name.
    responsible = world.memberships["member_a"]
    Action.objects.filter(objective="En retard 0").update(responsible=responsible)
    html = client_for(world, "dim_a").get(reverse("federations:home", args=["alpha"]))
    html = html.content.decode()
    user = responsible.user
    name = f"{user.first_name} {user.last_name}".strip() or user.email
    assert f"{campaign.health_centre.name}, échéance 1 janvier 2020 ({name})" in html
    assert "et 3 autres" in html
