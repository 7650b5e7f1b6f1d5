"""Demo data of the maturity self-assessment (idempotent).

- Lille Moulins: last year's campaign closed (answers, consensus, positioning with the targets for
  this year, an action plan with one overdue action) and this year's campaign open, with the
  demo members' answers (the coordinator has not answered yet, so she can try the form).
- Six other FEMASNORD MSPs closed a campaign last year, so the federation median shows
  (at least five MSPs are needed).
"""

from __future__ import annotations

import datetime
import zlib

from django.utils import timezone

from federations.models import Federation, HealthCentre, Membership
from federations.roles import MSP_ROLES

from . import reference
from .models import (
    Action,
    ActionStatus,
    Campaign,
    CampaignPhase,
    Characteristic,
    Consensus,
    Dimension,
    DimensionPositioning,
    Framework,
    Participant,
    Rating,
)
from .selectors import invalidate_federation_medians

LILLE = "Maison Dispersée de Santé de Lille Moulins"
PEERS = [
    "Maison Médicale de l'Alloeu",
    "Maison de Santé de Sin-le-Noble",
    "Maison de Santé de Landas",
    "Maison de Santé Pluridisciplinaire de Fruges",
    "Maison de Santé des Vertes Collines",
    "MSP d'Arras Centre",
]
VALUES = ["non", "en-partie", "oui"]


def _pick(*parts: object, weights: tuple[int, int, int] = (1, 1, 1)) -> str:
    """A deterministic 'random' answer: the same demo every time."""
    n = zlib.crc32("|".join(str(p) for p in parts).encode()) % sum(weights)
    for value, w in zip(VALUES, weights, strict=True):
        if n < w:
            return value
        n -= w
    return VALUES[-1]


def _framework() -> Framework:
    framework = Framework.objects.filter(code="has-matrice", version="2014").first()
    if framework is None:
        reference.load()
        framework = Framework.objects.get(code="has-matrice", version="2014")
    return framework


def _si_dimensions(framework: Framework) -> list[Dimension]:
    return list(
        Dimension.objects.filter(
            axis__framework=framework, axis__code="systeme-information", federation__isnull=True
        ).order_by("position")
    )


def _campaign(federation, centre, framework, year, phase, members) -> tuple[Campaign, bool]:  # noqa: ANN001
    campaign = Campaign.objects.filter(health_centre=centre, framework=framework, year=year).first()
    if campaign is not None:
        return campaign, False
    now = timezone.now()
    campaign = Campaign.objects.create(
        federation=federation,
        health_centre=centre,
        framework=framework,
        year=year,
        phase=phase,
        individual_closed_at=now if phase != CampaignPhase.INDIVIDUAL else None,
        closed_at=now if phase == CampaignPhase.CLOSED else None,
    )
    campaign.axes.set([framework.axes.get(code="systeme-information")])
    campaign.dimensions.set(_si_dimensions(framework))
    Participant.objects.bulk_create(
        [Participant(federation=federation, campaign=campaign, membership=m) for m in members]
    )
    return campaign, True


def _characteristics(framework: Framework) -> list[Characteristic]:
    return list(
        Characteristic.objects.filter(dimension__in=_si_dimensions(framework)).order_by(
            "dimension__position", "position"
        )
    )


def _close_with_consensus(campaign: Campaign, characteristics, weights) -> None:  # noqa: ANN001
    Consensus.objects.bulk_create(
        [
            Consensus(
                federation_id=campaign.federation_id,
                campaign=campaign,
                characteristic=c,
                value=_pick(campaign.health_centre.name, campaign.year, c.code, weights=weights),
            )
            for c in characteristics
        ]
    )
    for d in campaign.dimensions.all():
        values = list(
            Consensus.objects.filter(campaign=campaign, characteristic__dimension=d).values_list(
                "value", flat=True
            )
        )
        yes = sum(1 for v in values if v == "oui") + 0.5 * sum(
            1 for v in values if v == "en-partie"
        )
        level = min(3, round(3 * yes / max(1, len(values))))
        DimensionPositioning.objects.create(
            federation_id=campaign.federation_id,
            campaign=campaign,
            dimension=d,
            level=level,
            target_level=min(3, level + 1),
            comment="Situation discutée en réunion d'équipe (exemple de démonstration).",
        )


def load(ctx: dict) -> None:
    federation = Federation.objects.filter(slug="femasnord").first()
    if federation is None:
        return
    framework = _framework()
    characteristics = _characteristics(framework)
    this_year = timezone.localdate().year
    last_year = this_year - 1
    lille = HealthCentre.objects.get(federation=federation, name=LILLE)
    members = list(
        Membership.objects.filter(
            federation=federation, health_centre=lille, role__in=MSP_ROLES, is_active=True
        ).select_related("user")
    )

    # Last year, closed: everyone answered, the team agreed, positioned and planned.
    past, created = _campaign(
        federation, lille, framework, last_year, CampaignPhase.CLOSED, members
    )
    if created:
        Rating.objects.bulk_create(
            [
                Rating(
                    federation=federation,
                    campaign=past,
                    membership=m,
                    characteristic=c,
                    value=_pick(m.user.email, last_year, c.code, weights=(3, 3, 2)),
                )
                for m in members
                for c in characteristics
            ]
        )
        _close_with_consensus(past, characteristics, (3, 3, 2))
        from projects.models import Task

        task = (
            Task.objects.filter(project__health_centre=lille).order_by("step", "position").first()
        )
        coordinator = next((m for m in members if m.role == "coordinator"), None)
        nurse = next((m for m in members if m.profession == "infirmier"), None)
        today = timezone.localdate()
        Action.objects.bulk_create(
            [
                Action(
                    federation=federation,
                    campaign=past,
                    dimension=_si_dimensions(framework)[0],
                    objective="Équiper chaque professionnel d'une messagerie sécurisée de santé",
                    responsible=coordinator,
                    deadline=today - datetime.timedelta(days=20),
                    indicator="Nombre de professionnels équipés / nombre de professionnels",
                    means="Accompagnement du DIM ; une demi-journée de formation par profession.",
                    status=ActionStatus.IN_PROGRESS,
                    task=task,
                ),
                Action(
                    federation=federation,
                    campaign=past,
                    dimension=_si_dimensions(framework)[1],
                    objective="Définir les données à coder de façon structurée",
                    responsible=nurse,
                    deadline=today + datetime.timedelta(days=60),
                    indicator="Liste des données validée en réunion pluriprofessionnelle",
                    means="Deux réunions de travail, appui de la fédération.",
                    status=ActionStatus.PLANNED,
                ),
                Action(
                    federation=federation,
                    campaign=past,
                    dimension=_si_dimensions(framework)[2],
                    objective="Discuter les indicateurs de pratique en équipe",
                    responsible=coordinator,
                    deadline=today - datetime.timedelta(days=90),
                    indicator="Compte rendu de réunion",
                    means="Une réunion par trimestre.",
                    status=ActionStatus.DONE,
                ),
            ]
        )

    # This year, open: the members answered (better than last year), the coordinator not yet.
    current, created = _campaign(
        federation, lille, framework, this_year, CampaignPhase.INDIVIDUAL, members
    )
    if created:
        Rating.objects.bulk_create(
            [
                Rating(
                    federation=federation,
                    campaign=current,
                    membership=m,
                    characteristic=c,
                    value=_pick(m.user.email, this_year, c.code, weights=(1, 3, 4)),
                )
                for m in members
                if m.role != "coordinator"
                for c in characteristics
            ]
        )

    # Six other MSPs closed a campaign last year: the federation median can be shown.
    for i, name in enumerate(PEERS):
        centre = HealthCentre.objects.filter(federation=federation, name=name).first()
        if centre is None:
            continue
        peer, created = _campaign(
            federation, centre, framework, last_year, CampaignPhase.CLOSED, []
        )
        if created:
            weights = [(4, 3, 1), (2, 3, 3), (3, 3, 2), (1, 3, 4), (3, 2, 3), (2, 4, 2)][i % 6]
            _close_with_consensus(peer, characteristics, weights)

    # Closed campaigns were written directly, not through ``campaign_close``.
    invalidate_federation_medians(federation_id=federation.pk)
