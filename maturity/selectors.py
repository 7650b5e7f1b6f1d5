"""Reads of the maturity app. Who may see individual answers is decided here
(``answers_visible``): nobody before the individual phase closes, then the MSP, its DIM and the
federation staff only (the campaign itself is fetched through ``TenantQuerySet.visible_to``)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from federations.models import Membership
from federations.permissions import has_perm
from federations.professions import Profession

from .models import (
    OPEN_ACTION_STATUSES,
    Action,
    Axis,
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

SI_AXIS_CODE = "systeme-information"
#: The federation median is shown only when at least this many MSPs closed a campaign.
MIN_PEERS_FOR_MEDIAN = 5


@dataclass(frozen=True)
class SiPositioning:
    campaign_year: int
    #: (dimension name, level 0–3, level label) for each dimension of the SI axis positioned.
    dimensions: list[tuple[str, int, str]]

    @property
    def mean_level(self) -> float:
        if not self.dimensions:
            return 0.0
        return sum(level for _, level, _ in self.dimensions) / len(self.dimensions)


def si_axis_positioning(*, health_centre) -> SiPositioning | None:  # noqa: ANN001
    """The team's positioning on the axis "Système d'information" in its latest campaign that
    reached consensus, or None when there is none."""
    campaign = (
        Campaign.objects.filter(
            health_centre=health_centre, positionings__dimension__axis__code=SI_AXIS_CODE
        )
        .order_by("-year", "-created_at")
        .first()
    )
    if campaign is None:
        return None
    rows = (
        DimensionPositioning.objects.filter(campaign=campaign, dimension__axis__code=SI_AXIS_CODE)
        .select_related("dimension")
        .order_by("dimension__position")
    )
    return SiPositioning(
        campaign_year=campaign.year,
        dimensions=[(r.dimension.name, r.level, r.get_level_display()) for r in rows],
    )


# --- frameworks -----------------------------------------------------------------------------


def _count_of(model, field: str, **filters: object) -> Coalesce:  # noqa: ANN001
    """``COUNT(*)`` of ``model`` rows pointing at the outer row through ``field``, as a
    correlated subquery: computed for the rows of the page only, unlike a join + GROUP BY that
    counts for every row of the list before the page is cut."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def frameworks_list(*, federation) -> QuerySet[Framework]:  # noqa: ANN001
    """Every framework version, with its axes and the campaigns of ``federation`` using it."""
    return Framework.objects.annotate(
        axes_count=_count_of(Axis, "framework"),
        campaigns_count=_count_of(Campaign, "framework", federation=federation),
    ).order_by("code", "-version")


def framework_tree(*, framework: Framework, federation) -> list[dict]:  # noqa: ANN001
    """Axes → dimensions (national and this federation's) → characteristics, in 3 queries."""
    axes = list(framework.axes.order_by("position", "pk"))
    dimensions = list(
        Dimension.objects.filter(axis__framework=framework)
        .filter(Q(federation__isnull=True) | Q(federation=federation))
        .order_by("position", "pk")
    )
    characteristics = list(
        Characteristic.objects.filter(dimension__in=dimensions).order_by("position", "pk")
    )
    by_dim = defaultdict(list)
    for c in characteristics:
        by_dim[c.dimension_id].append(c)
    used = set(
        Campaign.dimensions.through.objects.filter(dimension__in=dimensions)
        .values_list("dimension_id", flat=True)
        .distinct()
    )
    return [
        {
            "axis": a,
            "dimensions": [
                {"dimension": d, "characteristics": by_dim[d.pk], "in_use": d.pk in used}
                for d in dimensions
                if d.axis_id == a.pk
            ],
        }
        for a in axes
    ]


# --- campaigns ------------------------------------------------------------------------------


def campaigns_list(*, membership: Membership) -> QuerySet[Campaign]:
    return (
        Campaign.objects.visible_to(membership)
        .select_related("health_centre", "framework")
        .annotate(participants_count=_count_of(Participant, "campaign"))
        .order_by("-year", "health_centre__name", "-created_at", "-pk")
    )


@dataclass
class DimensionBlock:
    dimension: Dimension
    characteristics: list[Characteristic]


@dataclass
class AxisBlock:
    axis: object
    dimensions: list[DimensionBlock]


def campaign_structure(*, campaign: Campaign) -> list[AxisBlock]:
    """The axes, dimensions and characteristics rated in this campaign, in 2 queries."""
    dimensions = list(
        campaign.dimensions.select_related("axis").order_by("axis__position", "position", "pk")
    )
    characteristics = list(
        Characteristic.objects.filter(dimension__in=dimensions).order_by("position", "pk")
    )
    by_dim: dict[int, list[Characteristic]] = defaultdict(list)
    for c in characteristics:
        by_dim[c.dimension_id].append(c)
    blocks: list[AxisBlock] = []
    for d in dimensions:
        if not blocks or blocks[-1].axis.pk != d.axis_id:
            blocks.append(AxisBlock(axis=d.axis, dimensions=[]))
        blocks[-1].dimensions.append(DimensionBlock(dimension=d, characteristics=by_dim[d.pk]))
    return blocks


def characteristics_of(structure: list[AxisBlock]) -> list[Characteristic]:
    return [c for a in structure for d in a.dimensions for c in d.characteristics]


def my_ratings(*, campaign: Campaign, membership: Membership) -> dict[int, Rating]:
    return {
        r.characteristic_id: r
        for r in Rating.objects.filter(campaign=campaign, membership=membership)
    }


def is_participant(*, campaign: Campaign, membership: Membership) -> bool:
    return Participant.objects.filter(campaign=campaign, membership=membership).exists()


@dataclass
class ParticipantProgress:
    membership: Membership
    answered: int
    total: int
    reminded_at: object = None

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total


def campaign_progress(*, campaign: Campaign) -> list[ParticipantProgress]:
    """Who answered how many characteristics (never what): 2 queries."""
    total = Characteristic.objects.filter(dimension__in=campaign.dimensions.all()).count()
    answered = (
        Rating.objects.filter(campaign=campaign, membership=OuterRef("membership"))
        .values("membership")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Participant.objects.filter(campaign=campaign)
        .select_related("membership__user")
        .annotate(answered=Coalesce(Subquery(answered, output_field=IntegerField()), 0))
        .order_by("membership__user__last_name", "membership__user__email")
    )
    return [
        ParticipantProgress(
            membership=p.membership, answered=p.answered, total=total, reminded_at=p.reminded_at
        )
        for p in rows
    ]


def answers_visible(*, campaign: Campaign, membership: Membership) -> bool:
    """Individual answers of others are hidden from everyone until the individual phase closes;
    then the MSP, its DIM and the federation staff (those who can reach the campaign) see them."""
    return campaign.phase != CampaignPhase.INDIVIDUAL and has_perm(
        membership, "maturity.view_answers"
    )


@dataclass
class CharacteristicAnswers:
    characteristic: Characteristic
    dimension: Dimension
    counts: dict[str, int]
    by_profession: list[tuple[str, dict[str, int]]]
    total: int
    disagreement: float
    mean_score: float | None
    consensus: Consensus | None = None


def answers_distribution(
    *, campaign: Campaign, structure: list[AxisBlock] | None = None
) -> list[CharacteristicAnswers]:
    """For each characteristic, the answers by value and by profession, ordered by disagreement
    (standard deviation of the scores, largest first) so the meeting starts where views differ.
    Constant number of queries whatever the number of members and characteristics."""
    structure = structure if structure is not None else campaign_structure(campaign=campaign)
    framework = campaign.framework
    codes = framework.rating_codes()
    scores = {c: framework.rating_score(c) for c in codes}
    rows = Rating.objects.filter(campaign=campaign).values_list(
        "characteristic_id", "value", "membership__profession"
    )
    values: dict[int, list[str]] = defaultdict(list)
    by_prof: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for char_id, value, profession in rows:
        values[char_id].append(value)
        counts = by_prof[char_id][profession or ""]
        counts[value] = counts.get(value, 0) + 1
    consensus = {c.characteristic_id: c for c in Consensus.objects.filter(campaign=campaign)}
    labels = dict(Profession.choices)
    result = []
    for block in structure:
        for d in block.dimensions:
            for c in d.characteristics:
                vals = values.get(c.pk, [])
                numeric = [scores[v] for v in vals if scores.get(v) is not None]
                result.append(
                    CharacteristicAnswers(
                        characteristic=c,
                        dimension=d.dimension,
                        counts={code: vals.count(code) for code in codes},
                        by_profession=sorted(
                            (
                                (
                                    str(labels.get(p, p or "—")),
                                    {code: cnt.get(code, 0) for code in codes},
                                )
                                for p, cnt in by_prof[c.pk].items()
                            ),
                            key=lambda item: item[0],
                        ),
                        total=len(vals),
                        disagreement=statistics.pstdev(numeric) if len(numeric) > 1 else 0.0,
                        mean_score=statistics.fmean(numeric) if numeric else None,
                        consensus=consensus.get(c.pk),
                    )
                )
    order = {a.characteristic.pk: i for i, a in enumerate(result)}
    result.sort(key=lambda a: (-round(a.disagreement, 6), order[a.characteristic.pk]))
    return result


# --- results --------------------------------------------------------------------------------


@dataclass
class DimensionScore:
    dimension: Dimension
    axis_name: str
    score: float | None  # 0–100
    level: int | None = None
    level_label: str = ""
    target_level: int | None = None
    comment: str = ""
    positioning: DimensionPositioning | None = None


@dataclass
class CampaignScores:
    campaign: Campaign
    dimensions: list[DimensionScore]
    axes: list[tuple[str, str, float | None]] = field(default_factory=list)  # code, name, score

    def by_code(self) -> dict[str, DimensionScore]:
        return {f"{d.dimension.axis.code}/{d.dimension.code}": d for d in self.dimensions}


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _dimension_scores_bulk(campaigns: list[Campaign]) -> dict[int, dict[int, float | None]]:
    """Score 0–100 per dimension for several campaigns: the team's consensus values; where a
    characteristic has no consensus yet, the mean of the individual answers. 3 queries."""
    if not campaigns:
        return {}
    frameworks = {c.framework_id: c.framework for c in campaigns}
    consensus: dict[tuple[int, int], str] = {
        (cid, ch): v
        for cid, ch, v in Consensus.objects.filter(campaign__in=campaigns).values_list(
            "campaign_id", "characteristic_id", "value"
        )
    }
    individual: dict[tuple[int, int], list[str]] = defaultdict(list)
    needs_individual = [c.pk for c in campaigns if c.phase != CampaignPhase.CLOSED]
    if needs_individual:
        for cid, ch, v in Rating.objects.filter(campaign__in=needs_individual).values_list(
            "campaign_id", "characteristic_id", "value"
        ):
            individual[(cid, ch)].append(v)
    links = Campaign.dimensions.through.objects.filter(campaign__in=campaigns).values_list(
        "campaign_id", "dimension_id"
    )
    dims_of: dict[int, list[int]] = defaultdict(list)
    for cid, did in links:
        dims_of[cid].append(did)
    chars = Characteristic.objects.filter(
        dimension__in={d for ds in dims_of.values() for d in ds}
    ).values_list("pk", "dimension_id")
    chars_of: dict[int, list[int]] = defaultdict(list)
    for ch, did in chars:
        chars_of[did].append(ch)
    out: dict[int, dict[int, float | None]] = {}
    for campaign in campaigns:
        framework = frameworks[campaign.framework_id]
        per_dim: dict[int, float | None] = {}
        for did in dims_of[campaign.pk]:
            values = []
            for ch in chars_of[did]:
                if (campaign.pk, ch) in consensus:
                    s = framework.rating_score(consensus[(campaign.pk, ch)])
                    if s is not None:
                        values.append(s)
                else:
                    answers = [
                        s
                        for v in individual.get((campaign.pk, ch), [])
                        if (s := framework.rating_score(v)) is not None
                    ]
                    if answers:
                        values.append(statistics.fmean(answers))
            mean = _mean(values)
            per_dim[did] = round(mean * 100, 1) if mean is not None else None
        out[campaign.pk] = per_dim
    return out


def campaign_scores(*, campaign: Campaign) -> CampaignScores:
    dimensions = list(
        campaign.dimensions.select_related("axis").order_by("axis__position", "position", "pk")
    )
    scores = _dimension_scores_bulk([campaign]).get(campaign.pk, {})
    positionings = {
        p.dimension_id: p for p in DimensionPositioning.objects.filter(campaign=campaign)
    }
    rows = []
    for d in dimensions:
        p = positionings.get(d.pk)
        rows.append(
            DimensionScore(
                dimension=d,
                axis_name=d.axis.name,
                score=scores.get(d.pk),
                level=p.level if p else None,
                level_label=p.get_level_display() if p else "",
                target_level=p.target_level if p else None,
                comment=p.comment if p else "",
                positioning=p,
            )
        )
    axes: list[tuple[str, str, float | None]] = []
    for d in rows:
        if not axes or axes[-1][0] != d.dimension.axis.code:
            axes.append((d.dimension.axis.code, d.axis_name, None))
    axes = [
        (
            code,
            name,
            (
                round(m, 1)
                if (
                    m := _mean(
                        [
                            r.score
                            for r in rows
                            if r.dimension.axis.code == code and r.score is not None
                        ]
                    )
                )
                is not None
                else None
            ),
        )
        for code, name, _ in axes
    ]
    return CampaignScores(campaign=campaign, dimensions=rows, axes=axes)


def previous_campaign(*, campaign: Campaign) -> Campaign | None:
    """The MSP's latest closed campaign before this one, on the same framework (any version)."""
    return (
        Campaign.objects.filter(
            health_centre_id=campaign.health_centre_id,
            framework__code=campaign.framework.code,
            phase=CampaignPhase.CLOSED,
        )
        .filter(
            Q(year__lt=campaign.year) | Q(year=campaign.year, created_at__lt=campaign.created_at)
        )
        .exclude(pk=campaign.pk)
        .select_related("framework")
        .order_by("-year", "-created_at")
        .first()
    )


@dataclass
class FederationComparison:
    peers: int
    available: bool
    #: dimension id → federation median score (0–100); only when available.
    medians: dict[int, float] = field(default_factory=dict)


def federation_comparison(*, campaign: Campaign) -> FederationComparison:
    """The federation's median per dimension over the latest closed campaign of each MSP on the
    same framework version — only when at least MIN_PEERS_FOR_MEDIAN MSPs closed one, so that no
    MSP's own figures can be inferred. No MSP is ever named."""
    closed = list(
        Campaign.objects.filter(
            federation_id=campaign.federation_id,
            framework_id=campaign.framework_id,
            phase=CampaignPhase.CLOSED,
        )
        .select_related("framework")
        .order_by("health_centre_id", "-year", "-created_at")
    )
    latest: dict[int, Campaign] = {}
    for c in closed:
        latest.setdefault(c.health_centre_id, c)
    peers = len(latest)
    if peers < MIN_PEERS_FOR_MEDIAN:
        return FederationComparison(peers=peers, available=False)
    scores = _dimension_scores_bulk(list(latest.values()))
    per_dim: dict[int, list[float]] = defaultdict(list)
    for per_campaign in scores.values():
        for did, s in per_campaign.items():
            if s is not None:
                per_dim[did].append(s)
    medians = {
        did: round(statistics.median(v), 1)
        for did, v in per_dim.items()
        if len(v) >= MIN_PEERS_FOR_MEDIAN
    }
    return FederationComparison(peers=peers, available=bool(medians), medians=medians)


# --- action plan ----------------------------------------------------------------------------


def campaign_actions(*, campaign: Campaign) -> QuerySet[Action]:
    return (
        Action.objects.filter(campaign=campaign)
        .select_related("dimension", "responsible__user", "task")
        .order_by("deadline", "pk")
    )


def overdue_actions(*, membership: Membership, today: date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return (
        Action.objects.visible_to(membership)
        .filter(deadline__lt=today, status__in=OPEN_ACTION_STATUSES)
        .select_related("campaign__health_centre", "responsible__user")
        .order_by("deadline", "pk")
    )


def open_campaign_for_member(*, membership: Membership) -> Campaign | None:
    """The campaign in its individual phase this member is invited to, if any."""
    return (
        Campaign.objects.filter(invitations__membership=membership, phase=CampaignPhase.INDIVIDUAL)
        .select_related("health_centre")
        .order_by("-created_at")
        .first()
    )


def answers_rows(*, campaign: Campaign) -> list[list[str]]:
    """The individual answers as rows for the CSV export (only called once they are visible)."""
    framework = campaign.framework
    labels = dict(Profession.choices)
    rows = (
        Rating.objects.filter(campaign=campaign)
        .select_related("characteristic__dimension__axis", "membership__user")
        .order_by(
            "characteristic__dimension__axis__position",
            "characteristic__dimension__position",
            "characteristic__position",
            "membership__user__last_name",
        )
    )
    return [
        [
            campaign.health_centre.name,
            str(campaign.year),
            r.characteristic.dimension.axis.name,
            r.characteristic.dimension.name,
            r.characteristic.code,
            r.characteristic.text,
            r.membership.user.get_full_name() or r.membership.user.email,
            str(labels.get(r.membership.profession, r.membership.profession)),
            framework.rating_label(r.value),
            r.comment,
        ]
        for r in rows
    ]
