"""Reads of the maturity app. Who may see individual answers is decided here
(``answers_visible``): nobody before the individual phase closes, then the MSP, its DIM and the
federation staff only (the campaign itself is fetched through ``TenantQuerySet.visible_to``)."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from config.kept import kept, renew
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
    PositioningLevel,
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


def count_of(model, field: str, **filters: object) -> Coalesce:  # noqa: ANN001
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
        axes_count=count_of(Axis, "framework"),
        campaigns_count=count_of(Campaign, "framework", federation=federation),
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


#: What a row of the campaigns list holds (page and API): plain values, not model instances
#: (nor the framework's scales and description, JSON decoded on every row otherwise).
CAMPAIGN_ROW_FIELDS = (
    "pk",
    "health_centre_id",
    "health_centre__name",
    "framework_id",
    "framework__name",
    "framework__version",
    "year",
    "phase",
    "created_at",
    "individual_closed_at",
    "closed_at",
)


def campaigns_list(*, membership: Membership, participants: bool = True) -> QuerySet[Campaign]:
    """The campaigns the membership may see, newest year first, with the number of members
    invited to each unless ``participants`` is false. Count it as it is (no join); read the rows
    of a page with ``campaign_rows``."""
    campaigns = Campaign.objects.visible_to(membership)
    if participants:
        campaigns = campaigns.annotate(participants_count=count_of(Participant, "campaign"))
    return campaigns.order_by("-year", "health_centre__name", "-created_at", "-pk")


def campaign_rows(campaigns: QuerySet[Campaign]) -> QuerySet[dict]:
    """The rows (``CAMPAIGN_ROW_FIELDS``, and ``participants_count`` when counted) of
    ``campaigns_list`` or of a page of it."""
    counted = ("participants_count",) if "participants_count" in campaigns.query.annotations else ()
    return campaigns.values(*CAMPAIGN_ROW_FIELDS, *counted)


@dataclass
class DimensionBlock:
    dimension: Dimension
    characteristics: list[Characteristic]


@dataclass
class AxisBlock:
    axis: object
    dimensions: list[DimensionBlock]


#: Seconds a dimension's structure (its axis, its characteristics) is kept in the cache. A
#: dimension rated in a campaign never changes (the framework files, the admin and the
#: federation's additions all refuse it); the services that may change one that is not rated
#: yet forget it (``invalidate_dimensions``).
STRUCTURE_CACHE_SECONDS = 24 * 3600


def _dimension_key(pk: int) -> str:
    # "v1": the layout of the cached value (DimensionBlock of model instances); change it when
    # that layout changes, so that a deployment never reads the former one.
    return f"maturity:dimension:v1:{pk}"


def dimension_blocks(dimension_ids: Iterable[int]) -> list[DimensionBlock]:
    """The dimensions with their axis and characteristics, in the framework's order (axis,
    dimension, characteristic positions). Reference data shared by every campaign rating these
    dimensions in every federation: read from the cache, 2 queries for those missing."""
    keys = {pk: _dimension_key(pk) for pk in dimension_ids}
    found = cache.get_many(list(keys.values())) if keys else {}
    blocks = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in blocks]
    if missing:
        dimensions = list(Dimension.objects.filter(pk__in=missing).select_related("axis"))
        by_dim: dict[int, list[Characteristic]] = defaultdict(list)
        for c in Characteristic.objects.filter(dimension__in=missing).order_by("position", "pk"):
            by_dim[c.dimension_id].append(c)
        fresh = {
            d.pk: DimensionBlock(dimension=d, characteristics=by_dim[d.pk]) for d in dimensions
        }
        cache.set_many({keys[pk]: block for pk, block in fresh.items()}, STRUCTURE_CACHE_SECONDS)
        blocks.update(fresh)
    return sorted(
        blocks.values(),
        key=lambda b: (b.dimension.axis.position, b.dimension.position, b.dimension.pk),
    )


def invalidate_dimensions(dimension_ids: Iterable[int]) -> None:
    """Forget the cached structure of these dimensions (now and once the transaction commits)."""
    keys = [_dimension_key(pk) for pk in dimension_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def campaigns_dimension_ids(campaign_ids: Iterable[int]) -> dict[int, list[int]]:
    """campaign id → its dimension ids (in the dimensions' order), for a page of campaigns."""
    out: dict[int, list[int]] = defaultdict(list)
    for cid, did in (
        Campaign.dimensions.through.objects.filter(campaign_id__in=list(campaign_ids))
        .order_by("dimension__position", "dimension_id")
        .values_list("campaign_id", "dimension_id")
    ):
        out[cid].append(did)
    return out


def campaign_structures(campaigns: Iterable[Campaign | None]) -> dict[int, list[AxisBlock]]:
    """campaign id → the axes, dimensions and characteristics it rates, for one or a few
    campaigns (a campaign and the previous one): their dimension ids in 1 query, the
    dimensions' structure from the cache (``dimension_blocks``) in one call."""
    ids = [c.pk for c in campaigns if c is not None]
    links: dict[int, list[int]] = defaultdict(list)
    for cid, did in Campaign.dimensions.through.objects.filter(campaign_id__in=ids).values_list(
        "campaign_id", "dimension_id"
    ):
        links[cid].append(did)
    blocks = dimension_blocks({did for dids in links.values() for did in dids})
    out: dict[int, list[AxisBlock]] = {}
    for cid in ids:
        mine = set(links[cid])
        axes: list[AxisBlock] = []
        for block in blocks:  # in the framework's order
            if block.dimension.pk not in mine:
                continue
            d = block.dimension
            if not axes or axes[-1].axis.pk != d.axis_id:
                axes.append(AxisBlock(axis=d.axis, dimensions=[]))
            axes[-1].dimensions.append(block)
        out[cid] = axes
    return out


def campaign_structure(*, campaign: Campaign) -> list[AxisBlock]:
    """The axes, dimensions and characteristics rated in this campaign (``campaign_structures``)."""
    return campaign_structures([campaign])[campaign.pk]


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
    membership_id: int
    answered: int
    total: int
    reminded_at: object = None
    #: the person's name (e-mail when none) and profession label, for the progress table
    name: str = ""
    profession: str = ""

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total

    @property
    def answered_label(self) -> str:
        return f"{self.answered} / {self.total}"

    @property
    def reminded_label(self) -> str:
        """When the last reminder went, as the page writes dates ("—" when never)."""
        if not self.reminded_at:
            return "—"
        return date_format(timezone.localtime(self.reminded_at), "j F Y H:i")


def characteristics_count(structure: list[AxisBlock]) -> int:
    return sum(len(d.characteristics) for a in structure for d in a.dimensions)


def campaign_progress(
    *, campaign: Campaign, structure: list[AxisBlock] | None = None
) -> list[ParticipantProgress]:
    """Who answered how many characteristics (never what): 2 plain queries, and the campaign's
    structure when the page has not read it yet."""
    rows = (
        Participant.objects.filter(campaign_id=campaign.pk)
        .order_by("membership__user__last_name", "membership__user__email")
        .values_list(
            "membership_id",
            "reminded_at",
            "membership__user__first_name",
            "membership__user__last_name",
            "membership__user__email",
            "membership__profession",
        )
    )
    answered = dict(
        Rating.objects.filter(campaign_id=campaign.pk)
        .order_by()
        .values_list("membership_id")
        .annotate(n=Count("pk"))
        .values_list("membership_id", "n")
    )
    structure = structure if structure is not None else campaign_structure(campaign=campaign)
    total = characteristics_count(structure)
    labels = dict(Profession.choices)
    return [
        ParticipantProgress(
            membership_id=membership_id,
            answered=answered.get(membership_id, 0),
            total=total,
            reminded_at=reminded_at,
            name=f"{first} {last}".strip() or email,
            profession=str(labels.get(profession, profession)) or "—",
        )
        for membership_id, reminded_at, first, last, email, profession in rows
    ]


def participant_progress(
    *, campaign: Campaign, membership: Membership, structure: list[AxisBlock] | None = None
) -> ParticipantProgress | None:
    """How many characteristics this member answered, if invited (for the members, who do not
    see the others' progress); without the name, profession and reminder of the progress
    table. One query when they answered (only those invited can), two otherwise."""
    answered = Rating.objects.filter(campaign_id=campaign.pk, membership_id=membership.pk).count()
    if not answered and not is_participant(campaign=campaign, membership=membership):
        return None
    return ParticipantProgress(
        membership_id=membership.pk,
        answered=answered,
        total=characteristics_count(
            structure if structure is not None else campaign_structure(campaign=campaign)
        ),
    )


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
    #: number of answers per value, in the order of the framework's rating scale
    counts: list[int]
    #: (profession label, number of answers per value in the scale's order), by label
    by_profession: list[tuple[str, list[int]]]
    total: int
    disagreement: float
    mean_score: float | None
    consensus: Consensus | None = None
    #: the individual answers (codes), for the scores
    answers: list[str] = field(default_factory=list)


def _pstdev(values: list[float]) -> float:
    """Population standard deviation (0 for fewer than two values or identical values), without
    the exact fractions of ``statistics.pstdev``: the page computes one per characteristic."""
    if len(values) < 2 or min(values) == max(values):
        return 0.0
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def answers_distribution(
    *, campaign: Campaign, structure: list[AxisBlock] | None = None
) -> list[CharacteristicAnswers]:
    """For each characteristic, the answers by value and by profession, ordered by disagreement
    (standard deviation of the scores, largest first) so the meeting starts where views differ.
    Constant number of queries whatever the number of members and characteristics (3, with the
    structure)."""
    structure = structure if structure is not None else campaign_structure(campaign=campaign)
    codes = campaign.framework.rating_codes()
    column = {code: i for i, code in enumerate(codes)}
    scores = _scale_scores(campaign.framework)
    # The answers, then the professions of those who answered: joining the memberships in the
    # same query lets PostgreSQL hash the whole membership table on small datasets.
    answers = list(
        Rating.objects.filter(campaign_id=campaign.pk).values_list(
            "characteristic_id", "value", "membership_id"
        )
    )
    profession_of = dict(
        Membership.objects.filter(pk__in={m for _, _, m in answers}).values_list("pk", "profession")
    )
    rows = ((c, v, profession_of.get(m, "")) for c, v, m in answers)
    values: dict[int, list[str]] = defaultdict(list)
    by_prof: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for char_id, value, profession in rows:
        values[char_id].append(value)
        per_prof = by_prof[char_id]
        counts = per_prof.get(profession or "")
        if counts is None:
            counts = per_prof[profession or ""] = [0] * len(codes)
        if (i := column.get(value)) is not None:
            counts[i] += 1
    consensus = {c.characteristic_id: c for c in Consensus.objects.filter(campaign=campaign)}
    choices = dict(Profession.choices)
    labels: dict[str, str] = {}  # each profession's label translated once
    for per_prof in by_prof.values():
        for p in per_prof:
            if p not in labels:
                labels[p] = str(choices.get(p, p or "—"))
    result = []
    for block in structure:
        for d in block.dimensions:
            for c in d.characteristics:
                vals = values.get(c.pk, [])
                numeric = [s for v in vals if (s := scores.get(v)) is not None]
                result.append(
                    CharacteristicAnswers(
                        characteristic=c,
                        dimension=d.dimension,
                        counts=[vals.count(code) for code in codes],
                        by_profession=sorted(
                            ((labels[p], cnt) for p, cnt in by_prof.get(c.pk, {}).items()),
                            key=lambda item: item[0],
                        ),
                        total=len(vals),
                        disagreement=_pstdev(numeric),
                        mean_score=statistics.fmean(numeric) if numeric else None,
                        consensus=consensus.get(c.pk),
                        answers=vals,
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
    target_label: str = ""
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


def _scale_scores(framework: Framework) -> dict[str, float]:
    """code → score of the framework's rating scale, read once rather than for every answer."""
    scores: dict[str, float] = {}
    for item in framework.rating_scale:
        scores.setdefault(item["code"], float(item["score"]))
    return scores


def _dimension_scores(
    dimension_ids: list[int],
    chars_of: dict[int, list[int]],
    consensus: dict[int, str],
    individual: dict[int, list[str]],
    scale: dict[str, float],
) -> dict[int, float | None]:
    """Score 0–100 per dimension of one campaign: the team's consensus values; where a
    characteristic has no consensus yet, the mean of the individual answers (none are given for
    a closed campaign). Pure computation, no query."""
    per_dim: dict[int, float | None] = {}
    for did in dimension_ids:
        values = []
        for ch in chars_of.get(did, ()):
            agreed = consensus.get(ch)
            if agreed is not None:
                if (s := scale.get(agreed)) is not None:
                    values.append(s)
            else:
                answers = [s for v in individual.get(ch, ()) if (s := scale.get(v)) is not None]
                if answers:
                    values.append(statistics.fmean(answers))
        mean = _mean(values)
        per_dim[did] = round(mean * 100, 1) if mean is not None else None
    return per_dim


def campaign_scores(
    *,
    campaign: Campaign,
    structure: list[AxisBlock] | None = None,
    consensus: dict[int, str] | None = None,
    individual: dict[int, list[str]] | None = None,
) -> CampaignScores:
    """The campaign's score per dimension and per axis, with the team's positioning. Pages that
    already read the campaign's ``structure``, its ``consensus`` (characteristic id → value) or
    its ``individual`` answers (characteristic id → values) pass them instead of reading them
    again: 3 queries at most (the campaign's dimensions, consensus, positioning; 2 with the
    structure), one more while individual answers still count."""
    if structure is None:
        structure = campaign_structure(campaign=campaign)
    blocks = [b for a in structure for b in a.dimensions]
    dimensions = [b.dimension for b in blocks]
    chars_of = {b.dimension.pk: [c.pk for c in b.characteristics] for b in blocks}
    if consensus is None:
        consensus = dict(
            Consensus.objects.filter(campaign=campaign).values_list("characteristic_id", "value")
        )
    if campaign.phase == CampaignPhase.CLOSED:
        individual = {}
    elif individual is None:
        individual = defaultdict(list)
        for ch, v in Rating.objects.filter(campaign=campaign).values_list(
            "characteristic_id", "value"
        ):
            individual[ch].append(v)
    scores = _dimension_scores(
        [d.pk for d in dimensions],
        chars_of,
        consensus,
        individual,
        _scale_scores(campaign.framework),
    )
    positionings = {
        p.dimension_id: p for p in DimensionPositioning.objects.filter(campaign=campaign)
    }
    levels = dict(PositioningLevel.choices)
    rows = []
    for d in dimensions:
        p = positionings.get(d.pk)
        target = p.target_level if p else None
        rows.append(
            DimensionScore(
                dimension=d,
                axis_name=d.axis.name,
                score=scores.get(d.pk),
                level=p.level if p else None,
                level_label=str(levels.get(p.level, p.level)) if p else "",
                target_level=target,
                target_label=str(levels.get(target, target)) if target is not None else "",
                comment=p.comment if p else "",
                positioning=p,
            )
        )
    axes: list[tuple[str, str, float | None]] = []
    per_axis: dict[str, list[float]] = defaultdict(list)
    for d in rows:
        code = d.dimension.axis.code
        if not axes or axes[-1][0] != code:
            axes.append((code, d.axis_name, None))
        if d.score is not None:
            per_axis[code].append(d.score)
    axes = [
        (code, name, round(m, 1) if (m := _mean(per_axis[code])) is not None else None)
        for code, name, _ in axes
    ]
    return CampaignScores(campaign=campaign, dimensions=rows, axes=axes)


def _previous_among(campaign: Campaign, candidates: Iterable[Campaign]) -> Campaign | None:
    """The latest closed campaign before ``campaign`` on the same framework (any version) among
    the MSP's campaigns ``candidates`` (their framework loaded)."""
    code = campaign.framework.code
    before = [
        c
        for c in candidates
        if c.phase == CampaignPhase.CLOSED
        and c.framework.code == code
        and c.pk != campaign.pk
        and (c.year, c.created_at) < (campaign.year, campaign.created_at)
    ]
    return max(before, key=lambda c: (c.year, c.created_at, c.pk)) if before else None


def previous_campaign(*, campaign: Campaign) -> Campaign | None:
    """The MSP's latest closed campaign before this one, on the same framework (any version),
    among the MSP's closed campaigns (one a year): one query."""
    return _previous_among(
        campaign,
        Campaign.objects.filter(
            health_centre_id=campaign.health_centre_id, phase=CampaignPhase.CLOSED
        ).select_related("framework"),
    )


def campaign_and_previous(
    campaigns: QuerySet[Campaign], pk: int
) -> tuple[Campaign | None, Campaign | None]:
    """Campaign ``pk`` among ``campaigns`` (scoped to what the membership may see: ``None``
    when it is not there) and its MSP's previous campaign (``previous_campaign``), in one query
    reading every campaign of that MSP (one a year) with its MSP and framework."""
    rows = list(
        campaigns.filter(
            health_centre_id=Subquery(Campaign.objects.filter(pk=pk).values("health_centre_id")[:1])
        ).select_related("health_centre", "framework")
    )
    campaign = next((c for c in rows if c.pk == pk), None)
    if campaign is None:
        return None, None
    return campaign, _previous_among(campaign, rows)


@dataclass
class FederationComparison:
    peers: int
    available: bool
    #: dimension id → federation median score (0–100); only when available.
    medians: dict[int, float] = field(default_factory=dict)


#: Seconds the federation medians are kept in the cache. Closing a campaign (the only change
#: that moves them) invalidates them at once (``invalidate_federation_medians``); this is only
#: the bound for changes made outside the services (data generators, the shell).
MEDIANS_CACHE_SECONDS = 3600


def _medians_keys(federation_id: int, framework_id: int) -> tuple[str, str]:
    return (
        f"maturity:medians-token:{federation_id}",
        f"maturity:medians:{federation_id}:{framework_id}",
    )


def federation_comparison(*, campaign: Campaign) -> FederationComparison:
    """The federation's median per dimension over the latest closed campaign of each MSP on the
    same framework version — only when at least MIN_PEERS_FOR_MEDIAN MSPs closed one, so that no
    MSP's own figures can be inferred. No MSP is ever named.

    Shared by every campaign of the federation on that framework, it is kept in the cache under
    the federation's current token (``config.kept``): ``invalidate_federation_medians`` (called
    when a campaign closes or is deleted) renews it. One cache round trip when it is there."""
    token_key, value_key = _medians_keys(campaign.federation_id, campaign.framework_id)
    return kept(
        token_key,
        value_key,
        lambda: _federation_comparison(
            federation_id=campaign.federation_id, framework=campaign.framework
        ),
        MEDIANS_CACHE_SECONDS,
    )


def invalidate_federation_medians(*, federation_id: int) -> None:
    """Forget the federation's medians (every framework)."""
    renew(_medians_keys(federation_id, 0)[0])


def _federation_comparison(*, federation_id: int, framework: Framework) -> FederationComparison:
    """The figure itself, from the database: 4 queries (1 under five MSPs)."""
    rows = (
        Campaign.objects.filter(
            federation_id=federation_id, framework_id=framework.pk, phase=CampaignPhase.CLOSED
        )
        .order_by("health_centre_id", "-year", "-created_at")
        .values_list("pk", "health_centre_id")
    )
    latest: dict[int, int] = {}
    for pk, centre_id in rows:
        latest.setdefault(centre_id, pk)
    peers = len(latest)
    if peers < MIN_PEERS_FOR_MEDIAN:
        return FederationComparison(peers=peers, available=False)
    ids = list(latest.values())
    dims_of: dict[int, list[int]] = defaultdict(list)
    for cid, did in Campaign.dimensions.through.objects.filter(campaign_id__in=ids).values_list(
        "campaign_id", "dimension_id"
    ):
        dims_of[cid].append(did)
    chars_of: dict[int, list[int]] = defaultdict(list)
    for ch, did in Characteristic.objects.filter(
        dimension_id__in={d for ds in dims_of.values() for d in ds}
    ).values_list("pk", "dimension_id"):
        chars_of[did].append(ch)
    consensus: dict[int, dict[int, str]] = defaultdict(dict)
    for cid, ch, v in Consensus.objects.filter(campaign_id__in=ids).values_list(
        "campaign_id", "characteristic_id", "value"
    ):
        consensus[cid][ch] = v
    scale = _scale_scores(framework)
    per_dim: dict[int, list[float]] = defaultdict(list)
    for cid in ids:
        for did, s in _dimension_scores(dims_of[cid], chars_of, consensus[cid], {}, scale).items():
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


@dataclass(slots=True)
class OverdueAction:
    campaign_id: int
    objective: str
    deadline: date
    centre_name: str
    responsible: str  # the person's full name, or e-mail; "" when nobody


def overdue_actions_panel(
    *, membership: Membership, shown: int, today: date | None = None
) -> tuple[list[OverdueAction], int]:
    """The first ``shown`` overdue actions the membership may see (soonest deadline first) and
    how many more there are, in one query (the total comes with the rows, ``COUNT(*) OVER ()``)."""
    rows = list(
        overdue_actions(membership=membership, today=today)
        .annotate(total=Window(Count("pk")))
        .values_list(
            "campaign_id",
            "objective",
            "deadline",
            "campaign__health_centre__name",
            "responsible__user__first_name",
            "responsible__user__last_name",
            "responsible__user__email",
            "total",
        )[:shown]
    )
    actions = [
        OverdueAction(
            campaign_id=campaign_id,
            objective=objective,
            deadline=deadline,
            centre_name=centre,
            responsible=f"{first or ''} {last or ''}".strip() or email or "",
        )
        for campaign_id, objective, deadline, centre, first, last, email, _total in rows
    ]
    total = rows[0][-1] if rows else 0
    return actions, max(total - shown, 0)


def open_campaign_for_member(*, membership: Membership) -> Campaign | None:
    """The campaign in its individual phase this member is invited to, if any (no query for the
    roles that never rate: staff, DIM)."""
    if not has_perm(membership, "maturity.rate"):
        return None
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
