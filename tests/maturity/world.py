"""Maturity objects of the shared test world (federation A's MSP A1)."""

from __future__ import annotations

import datetime

from maturity import reference
from maturity.models import (
    Action,
    Campaign,
    CampaignPhase,
    Characteristic,
    Dimension,
    Participant,
)


def load_has_framework():  # noqa: ANN201
    return reference.load_file(reference.DATA_DIR / "has-matrice-2014.yaml").framework


def make_campaign(
    *, federation, centre, framework, year, phase=CampaignPhase.INDIVIDUAL, members=()
) -> Campaign:  # noqa: ANN001
    """A campaign on the SI axis built directly (tests that need a given phase)."""
    campaign = Campaign.objects.create(
        federation=federation, health_centre=centre, framework=framework, year=year, phase=phase
    )
    campaign.dimensions.set(
        Dimension.objects.filter(axis__framework=framework, federation__isnull=True)
    )
    for m in members:
        Participant.objects.create(federation=federation, campaign=campaign, membership=m)
    return campaign


def extend(w) -> None:  # noqa: ANN001
    framework = load_has_framework()
    members = [w.memberships["coordinator_a"], w.memberships["member_a"]]
    w.objects["maturity_framework"] = framework
    w.objects["maturity_campaign"] = make_campaign(
        federation=w.federation_a,
        centre=w.centre_a,
        framework=framework,
        year=2026,
        members=members,
    )
    consensus = make_campaign(
        federation=w.federation_a,
        centre=w.centre_a,
        framework=framework,
        year=2025,
        phase=CampaignPhase.CONSENSUS,
        members=members,
    )
    w.objects["maturity_campaign_consensus"] = consensus
    w.objects["maturity_characteristic"] = Characteristic.objects.filter(
        dimension__axis__framework=framework
    ).first()
    w.objects["maturity_dimension"] = Dimension.objects.filter(
        axis__framework=framework, federation__isnull=True
    ).first()
    w.objects["maturity_action"] = Action.objects.create(
        federation=w.federation_a,
        campaign=consensus,
        objective="Mettre en place la messagerie sécurisée",
        deadline=datetime.date(2026, 3, 1),
    )
    w.objects["maturity_fed_dimension"] = Dimension.objects.create(
        axis=framework.axes.get(code="travail-equipe"),
        code="concertation",
        name="Concertation (ajout Alpha)",
        federation=w.federation_a,
    )
