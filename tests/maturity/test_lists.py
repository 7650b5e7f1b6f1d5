"""What the faster pages still show: the campaigns list and its API rows, the distribution of a
consensus, who answered, the previous campaign on another framework version."""

from __future__ import annotations

import datetime
import re
import statistics

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from maturity import selectors, services
from maturity.api import CampaignSerializer
from maturity.models import Campaign, CampaignPhase, Framework, Participant, Rating
from maturity.templatetags.maturity_tags import count_rows, num_cells
from tests.maturity.world import make_campaign

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def url(name: str, *args) -> str:  # noqa: ANN002
    return reverse(f"maturity:{name}", args=["alpha", *args])


def test_each_row_of_the_campaigns_list_links_to_its_campaign(world) -> None:  # noqa: ANN001
    html = client_for(world, "staff_a").get(url("campaigns")).content.decode()
    campaigns = Campaign.objects.filter(federation=world.federation_a)
    links = re.findall(r'<td data-label="MSP"><a href="([^"]+)">([^<]+)</a>', html)
    assert sorted(links) == sorted((url("campaign", c.pk), c.health_centre.name) for c in campaigns)
    framework = world.objects["maturity_framework"]
    assert f"{framework.name} ({framework.version})" in html
    assert "Consensus d&#x27;équipe" in html and "Auto-évaluation individuelle" in html


def test_only_those_who_rate_are_looked_for_a_questionnaire_to_answer(world) -> None:  # noqa: ANN001
    for role, looked_for in (("staff_a", False), ("dim_a", False), ("member_a", True)):
        with CaptureQueriesContext(connection) as ctx:
            html = client_for(world, role).get(url("campaigns")).content.decode()
        invitations = [
            q for q in ctx.captured_queries if 'INNER JOIN "maturity_participant"' in q["sql"]
        ]
        assert bool(invitations) is looked_for, role
    assert "attend vos réponses pour la campagne 2026" in html  # Dana is invited


def test_the_campaigns_api_rows_are_those_of_the_serializer(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    Campaign.objects.filter(pk=campaign.pk).update(
        phase=CampaignPhase.CLOSED, individual_closed_at=campaign.created_at
    )
    client = APIClient()
    client.force_authenticate(world.users["staff_a"])
    rows = client.get("/api/v1/federations/alpha/maturite/campagnes/").json()["results"]
    expected = [
        CampaignSerializer(c).data
        for c in Campaign.objects.filter(pk__in=[r["id"] for r in rows])
        .select_related("health_centre")
        .prefetch_related("dimensions")
    ]
    assert len(rows) == Campaign.objects.filter(federation=world.federation_a).count()
    assert sorted(rows, key=lambda r: r["id"]) == sorted(
        (dict(e) for e in expected), key=lambda r: r["id"]
    )
    assert all(r["dimensions"] for r in rows)


def test_the_distribution_shows_each_profession_s_answers(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    c = si_characteristics[0]
    for role, value in (("coordinator_a", "oui"), ("member_a", "non")):
        services.rating_save(
            actor=None,
            membership=world.memberships[role],
            campaign=campaign,
            characteristic=c,
            value=value,
        )
    services.campaign_close_individual(actor=None, campaign=campaign)
    rows = selectors.answers_distribution(campaign=campaign)
    row = next(r for r in rows if r.characteristic.pk == c.pk)
    assert row.counts == [1, 0, 1]  # non, en partie, oui
    assert (row.total, row.disagreement, sorted(row.answers)) == (2, 0.5, ["non", "oui"])
    html = client_for(world, "member_a").get(url("consensus", campaign.pk)).content.decode()
    assert '<tr class="total"><th scope="row">Équipe (2 réponses)</th>' in html
    assert '<td class="num">1</td><td class="num">0</td><td class="num">1</td></tr>' in html
    for label, counts in row.by_profession:
        assert f'<tr><th scope="row">{label}</th>' in html
        assert sum(counts) == 1
    # A member never edits: no consensus form is built nor shown.
    assert not re.search(r'action="[^"]*/consensus/\d+/"', html)
    assert not re.search(r'name="c\d+-value"', html)


def test_the_distribution_cells_are_escaped_numbers() -> None:
    assert num_cells([1, 0, 12]) == (
        '<td class="num">1</td><td class="num">0</td><td class="num">12</td>'
    )
    assert count_rows([("<b>Kiné</b>", [2, 0])]) == (
        '<tr><th scope="row">&lt;b&gt;Kiné&lt;/b&gt;</th>'
        '<td class="num">2</td><td class="num">0</td></tr>'
    )


def test_disagreement_is_the_population_standard_deviation() -> None:
    for values in ([0.0, 1.0], [0.5, 0.5, 0.5], [0.0, 0.5, 1.0, 1.0], [0.1] * 3, [1.0]):
        expected = statistics.pstdev(values) if len(values) > 1 else 0.0
        assert selectors._pstdev(values) == pytest.approx(expected, abs=1e-12)
    assert selectors._pstdev([0.1, 0.1, 0.1]) == 0.0  # unanimous is exactly zero


def test_members_see_their_own_progress_coordinators_everyone_s(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    for c in si_characteristics[:3]:
        services.rating_save(
            actor=None,
            membership=world.memberships["member_a"],
            campaign=campaign,
            characteristic=c,
            value="oui",
        )
    total = len(si_characteristics)
    reminded = timezone.make_aware(datetime.datetime(2026, 3, 9, 14, 5))
    Participant.objects.filter(campaign=campaign, membership=world.memberships["member_a"]).update(
        reminded_at=reminded
    )
    dana = client_for(world, "member_a").get(url("campaign", campaign.pk)).content.decode()
    assert f"Vous avez répondu à 3 caractéristique(s) sur {total}." in dana
    assert "Qui a répondu ?" not in dana
    charlie = client_for(world, "coordinator_a").get(url("campaign", campaign.pk))
    html = charlie.content.decode()
    assert "Qui a répondu ?" in html
    member = world.memberships["member_a"]
    name = member.user.get_full_name() or member.user.email
    assert f'<td data-label="Membre">{name}</td>' in html
    assert f"3 / {total}" in html and f"0 / {total}" in html
    assert '<td data-label="Relancé le">9 mars 2026 14:05</td>' in html
    assert '<td data-label="Relancé le">—</td>' in html  # Charlie was never reminded
    progress = selectors.participant_progress(
        campaign=campaign, membership=world.memberships["member_a"]
    )
    assert (progress.answered, progress.total, progress.complete) == (3, total, False)
    assert (
        selectors.participant_progress(campaign=campaign, membership=world.memberships["member_a2"])
        is None
    )
    assert Rating.objects.filter(campaign=campaign).count() == 3


def test_the_previous_campaign_may_use_another_version_of_the_framework(world, framework) -> None:  # noqa: ANN001
    older = Framework.objects.create(
        code=framework.code,
        version="2010",
        name="Ancienne matrice",
        rating_scale=framework.rating_scale,
        positioning_scale=framework.positioning_scale,
    )
    Campaign.objects.filter(health_centre=world.centre_a2).delete()
    before = make_campaign(
        federation=world.federation_a,
        centre=world.centre_a2,
        framework=older,
        year=2023,
        phase=CampaignPhase.CLOSED,
    )
    other_code = Framework.objects.create(code="autre", version="1", name="Autre grille")
    make_campaign(
        federation=world.federation_a,
        centre=world.centre_a2,
        framework=other_code,
        year=2024,
        phase=CampaignPhase.CLOSED,
    )
    current = make_campaign(
        federation=world.federation_a, centre=world.centre_a2, framework=framework, year=2025
    )
    previous = selectors.previous_campaign(campaign=current)
    assert previous.pk == before.pk
    assert previous.framework.pk == older.pk and previous.framework.name == "Ancienne matrice"
    assert selectors.previous_campaign(campaign=before) is None


def test_the_team_edits_consensus_and_positioning_while_in_consensus(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    html = client_for(world, "coordinator_a").get(url("consensus", campaign.pk)).content.decode()
    characteristics = selectors.characteristics_of(selectors.campaign_structure(campaign=campaign))
    for c in characteristics:
        assert f'action="{url("consensus_save", campaign.pk, c.pk)}"' in html
        assert f'name="c{c.pk}-value"' in html
    for d in campaign.dimensions.all():
        assert f'action="{url("positioning_save", campaign.pk, d.pk)}"' in html
        assert f'name="d{d.pk}-level"' in html
    assert "Clôturer la campagne" in html
