"""Results: scores, federation median (at least five MSPs), year on year, PDF, home panels."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deliverables.models import Deliverable, DeliverableStatus
from deliverables.services import deliverable_render
from federations.models import HealthCentre
from maturity import selectors, services
from maturity.models import Action, ActionStatus, CampaignPhase, Consensus
from tests.maturity.world import make_campaign

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def closed_campaign(world, framework, centre, year, value: str, level: int = 2):  # noqa: ANN001, ANN201
    campaign = make_campaign(
        federation=world.federation_a,
        centre=centre,
        framework=framework,
        year=year,
        phase=CampaignPhase.CONSENSUS,
    )
    for c in selectors.characteristics_of(selectors.campaign_structure(campaign=campaign)):
        services.consensus_record(actor=None, campaign=campaign, characteristic=c, value=value)
    for d in campaign.dimensions.all():
        services.positioning_record(
            actor=None, campaign=campaign, dimension=d, level=level, target_level=3
        )
    services.campaign_close(actor=None, campaign=campaign)
    return campaign


def test_scores_per_dimension_and_axis(world, framework, si_characteristics) -> None:  # noqa: ANN001
    campaign = make_campaign(
        federation=world.federation_a,
        centre=world.centre_a2,
        framework=framework,
        year=2026,
        phase=CampaignPhase.CONSENSUS,
    )
    # Partage de données: oui ×5 → 100 %; Gestion: non ×5 → 0 %; Analyse: en partie → 50 %.
    for c in si_characteristics:
        value = {"partage-donnees": "oui", "gestion-donnees": "non"}.get(
            c.dimension.code, "en-partie"
        )
        services.consensus_record(actor=None, campaign=campaign, characteristic=c, value=value)
    scores = selectors.campaign_scores(campaign=campaign)
    assert [(d.dimension.code, d.score) for d in scores.dimensions] == [
        ("partage-donnees", 100.0),
        ("gestion-donnees", 0.0),
        ("analyse-pratiques", 50.0),
    ]
    assert scores.axes == [("systeme-information", "Système d'information", 50.0)]


def test_the_federation_median_needs_five_msps_and_names_none(world, framework) -> None:  # noqa: ANN001
    # MSP A1's own closed campaign plus three peers: four MSPs, no figure.
    mine = closed_campaign(world, framework, world.centre_a2, 2025, "oui", level=3)
    peers = [
        HealthCentre.objects.create(federation=world.federation_a, name=f"MSP Pair {i}")
        for i in range(4)
    ]
    for i, centre in enumerate(peers[:3]):
        closed_campaign(world, framework, centre, 2025, ["non", "en-partie", "non"][i])
    # A campaign of federation B never counts.
    make_campaign(
        federation=world.federation_b,
        centre=world.centre_b,
        framework=framework,
        year=2025,
        phase=CampaignPhase.CLOSED,
    )
    comparison = selectors.federation_comparison(campaign=mine)
    assert (comparison.peers, comparison.available) == (4, False)
    page = (
        client_for(world, "member_a2")
        .get(reverse("maturity:results", args=["alpha", mine.pk]))
        .content.decode()
    )
    assert "Comparaison avec la fédération indisponible" in page
    assert "actuellement 4" in page
    assert "Médiane fédération" not in page
    # A fifth MSP closes: the median shows, and no other MSP's name appears.
    closed_campaign(world, framework, peers[3], 2025, "oui")
    comparison = selectors.federation_comparison(campaign=mine)
    assert comparison.available and comparison.peers == 5
    # Scores: 100, 0, 50, 0, 100 → median 50 on every dimension.
    assert set(comparison.medians.values()) == {50.0}
    page = (
        client_for(world, "member_a2")
        .get(reverse("maturity:results", args=["alpha", mine.pk]))
        .content.decode()
    )
    assert "Médiane fédération" in page
    assert "Médiane calculée sur 5 MSP" in page
    for centre in peers:
        assert centre.name not in page


def test_year_on_year_the_previous_results_and_targets_are_beside(world, framework) -> None:  # noqa: ANN001
    from maturity.models import Campaign

    Campaign.objects.filter(health_centre=world.centre_a).delete()
    last = closed_campaign(world, framework, world.centre_a, 2025, "en-partie", level=1)
    current = services.campaign_open(
        actor=world.users["coordinator_a"],
        federation=world.federation_a,
        health_centre=world.centre_a,
        framework=framework,
        year=2026,
        axes=[framework.axes.get(code="systeme-information")],
        invitees=[world.memberships["member_a"]],
    )
    assert not Consensus.objects.filter(campaign=current).exists()
    page = (
        client_for(world, "member_a")
        .get(reverse("maturity:campaign", args=["alpha", current.pk]))
        .content.decode()
    )
    assert "Rappel de la campagne 2025 et objectifs fixés pour cette année" in page
    assert "toutes les caractéristiques" in page  # the target set last year
    assert "quelques caractéristiques" in page  # last year's positioning
    # Once this year's phase is over, the results compare with last year.
    services.rating_save(
        actor=None,
        membership=world.memberships["member_a"],
        campaign=current,
        characteristic=selectors.characteristics_of(selectors.campaign_structure(campaign=current))[
            0
        ],
        value="oui",
    )
    services.campaign_close_individual(actor=None, campaign=current)
    page = (
        client_for(world, "member_a")
        .get(reverse("maturity:results", args=["alpha", current.pk]))
        .content.decode()
    )
    assert "Comparaison avec la campagne 2025" in page
    assert "Score 2025" in page
    assert "Objectif fixé en 2025" in page
    assert last.pk != current.pk


def test_the_pdf_report_has_the_results_and_the_radar(world, framework) -> None:  # noqa: ANN001
    from pypdf import PdfReader

    campaign = closed_campaign(world, framework, world.centre_a2, 2025, "oui", level=3)
    Action.objects.create(
        federation=world.federation_a,
        campaign=campaign,
        objective="Généraliser le volet de synthèse médicale",
        indicator="Nombre de VSM transmis",
    )
    client = client_for(world, "member_a2")
    response = client.post(reverse("maturity:report", args=["alpha", campaign.pk]))
    deliverable = Deliverable.objects.get(kind="maturity.campaign_report")
    assert response["Location"] == reverse("deliverables:detail", args=[deliverable.pk])
    deliverable_render(deliverable_id=str(deliverable.pk))
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.READY, deliverable.error
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(deliverable.file.read())).pages)
    for expected in (
        "Auto-évaluation de la maturité",
        "MSP Alpha 2",
        "Partage de données",
        "Analyse des pratiques",
        "toutes les caractéristiques",
        "Généraliser le volet de synthèse médicale",
        "100 %",  # the radar's outer ring, drawn in the PDF as in the page
    ):
        assert expected in text, expected
    # Only people who can see the campaign can see the report.
    assert client.get(reverse("deliverables:detail", args=[deliverable.pk])).status_code == 200
    assert (
        client_for(world, "member_a")
        .get(reverse("deliverables:detail", args=[deliverable.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world, "staff_b")
        .get(reverse("deliverables:detail", args=[deliverable.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world, "staff_a")
        .get(reverse("deliverables:detail", args=[deliverable.pk]))
        .status_code
        == 200
    )


def test_overdue_actions_on_the_coordinator_and_dim_homes(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    today = timezone.localdate()
    Action.objects.create(
        federation=world.federation_a,
        campaign=campaign,
        objective="Action finie depuis longtemps",
        deadline=today - datetime.timedelta(days=30),
        status=ActionStatus.DONE,
    )
    Action.objects.create(
        federation=world.federation_a,
        campaign=campaign,
        objective="Action à venir",
        deadline=today + datetime.timedelta(days=30),
    )
    home = reverse("federations:home", args=["alpha"])
    for role in ("coordinator_a", "dim_a"):
        page = client_for(world, role).get(home).content.decode()
        assert "Actions de maturité en retard" in page
        assert "Mettre en place la messagerie sécurisée" in page  # world action, 1 March 2026
        assert "Action finie depuis longtemps" not in page
        assert "Action à venir" not in page
    page = client_for(world, "member_a2").get(home).content.decode()
    assert "Mettre en place la messagerie sécurisée" not in page
    # Members invited to an open campaign are asked to answer.
    page = client_for(world, "member_a").get(home).content.decode()
    assert "Votre équipe attend vos réponses pour la campagne 2026" in page


def test_write_sample_pdf_for_review(world, framework, tmp_path) -> None:  # noqa: ANN001
    """Render the report once and keep the file where a person can look at it."""
    import os
    import shutil

    campaign = closed_campaign(world, framework, world.centre_a2, 2025, "en-partie", level=1)
    from deliverables.services import deliverable_request

    deliverable = deliverable_request(
        actor=None,
        kind="maturity.campaign_report",
        title="Rapport",
        federation=world.federation_a,
        object_id=campaign.pk,
    )
    deliverable_render(deliverable_id=str(deliverable.pk))
    deliverable.refresh_from_db()
    target = os.environ.get("MATURITY_PDF_OUT")
    if target:
        shutil.copy(deliverable.file.path, target)
    assert deliverable.pages >= 2
