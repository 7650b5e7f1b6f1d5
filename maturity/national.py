"""The maturity stage of the national dataset (``manage.py generate_national``).

For every MSP the run created, ``campaigns_per_centre`` closed self-assessment campaigns on the
current HAS framework (years ``today.year - k``, the most recent last), as the services would leave
them after a full campaign (``campaign_open`` → ratings → ``campaign_close_individual`` → consensus
and positioning → ``campaign_close`` → action plan):

- the dimensions rated are those ``services.campaign_dimensions`` gives (the framework's national
  dimensions and the federation's own additions, when they have characteristics); the axes are
  stored only when they are a subset of the framework's (as ``campaign_open`` does);
- every MSP person is invited and rated every characteristic with the framework's scale: the team
  mostly agrees, some characteristics split it, a few members are optimists or pessimists; the
  later campaign of an MSP is, as a rule, better than the earlier one;
- the consensus is the team's median answer, the positioning follows the HAS wording (none, some,
  most, all characteristics) with a target for the next campaign;
- a short action plan whose deadlines surround today: some done, some overdue and still open.

Everything is built in memory first (one pass over ``ctx.rng``, so the data is deterministic) and
then inserted with ``ctx.copy`` (the timestamps the models fill themselves are given explicitly).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from . import reference
from .models import (
    Action,
    ActionStatus,
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

#: The framework every generated campaign uses (its latest version with something to rate).
FRAMEWORK_CODE = "has-matrice"

#: Share of a team that answers differently from the others, per characteristic.
CONTROVERSY = [(0.03, 30), (0.15, 35), (0.3, 25), (0.45, 10)]
#: A member's leaning when they disagree: -1 pessimist, +1 optimist, 0 either way.
LEANING = [(-1, 20), (0, 60), (1, 20)]

OBJECTIVES = {
    "partage-donnees": [
        "Équiper chaque professionnel d'une messagerie sécurisée de santé",
        "Rédiger la charte de partage des données de l'équipe",
        "Partager le dossier patient entre tous les professionnels de la MSP",
        "Utiliser le volet de synthèse médicale pour les patients complexes",
        "Recueillir l'accord des patients au partage de leur dossier",
    ],
    "gestion-donnees": [
        "Définir les données à coder de façon structurée",
        "Produire la liste des patients inscrits auprès des médecins traitants",
        "Mettre en place des rappels pour les examens de dépistage",
        "Harmoniser le codage des antécédents dans le dossier",
    ],
    "analyse-pratiques": [
        "Discuter les indicateurs de pratique en équipe",
        "Choisir le thème d'analyse des pratiques de l'année",
        "Calculer en routine les indicateurs du suivi des patients diabétiques",
        "Présenter les résultats des indicateurs en réunion pluriprofessionnelle",
    ],
}
GENERIC_OBJECTIVES = [
    "Travailler la dimension « {name} » en réunion pluriprofessionnelle",
    "Désigner un référent de l'équipe pour la dimension « {name} »",
    "Faire un point d'étape sur la dimension « {name} » avec la fédération",
]
INDICATORS = [
    "Nombre de professionnels équipés / nombre de professionnels",
    "Compte rendu de réunion diffusé à l'équipe",
    "Procédure écrite et validée en réunion",
    "Liste produite et vérifiée par le coordinateur",
    "Part des dossiers renseignés sur un échantillon de 20 dossiers",
    "",
]
MEANS = [
    "Accompagnement du DIM de la fédération.",
    "Une demi-journée de formation par profession.",
    "Deux réunions de travail, appui de la fédération.",
    "Temps de coordination financé par l'ACI.",
    "Paramétrage du logiciel avec l'éditeur.",
    "",
]
RATING_COMMENTS = [
    "Seulement pour une partie de l'équipe.",
    "Pas encore en place sur le deuxième site.",
    "À vérifier avec le logiciel.",
    "Je ne suis pas sûr(e) de ce que l'équipe a décidé.",
]
CONSENSUS_COMMENTS = [
    "Avis partagés : en place pour certaines professions seulement.",
    "L'équipe retient la valeur la plus prudente.",
    "À retravailler lors de la prochaine réunion d'équipe.",
]
POSITIONING_COMMENTS = [
    "Situation discutée en réunion d'équipe.",
    "Des progrès depuis l'an dernier, encore inégaux selon les professions.",
    "Priorité de l'équipe pour l'année à venir.",
    "L'équipe souhaite l'appui de la fédération sur ce point.",
    "",
]


@dataclass
class _Scale:
    codes: list[str]
    scores: list[float]  # ascending

    def nearest(self, p: float) -> int:
        return min(range(len(self.scores)), key=lambda i: (abs(self.scores[i] - p), i))


@dataclass
class _Plan:
    """One campaign, everything decided, nothing inserted yet."""

    federation_id: int
    centre_id: int
    year: int
    opened: dt.datetime
    individual_closed: dt.datetime
    closed: dt.datetime
    coordinator_user_id: int | None
    people: list[Any]  # Membership
    dims: list[Dimension]
    chars: list[Characteristic]
    #: answers[char index] = bytes of scale indexes, one per person.
    answers: list[bytes] = field(default_factory=list)
    answered_at: list[dt.datetime] = field(default_factory=list)
    reminded_at: list[dt.datetime | None] = field(default_factory=list)
    rating_comments: dict[tuple[int, int], str] = field(default_factory=dict)
    #: (char index, scale index, comment, version, at)
    consensus: list[tuple[int, int, str, int, dt.datetime]] = field(default_factory=list)
    #: (dimension, level, target, comment, at)
    positionings: list[tuple[Dimension, int, int, str, dt.datetime]] = field(default_factory=list)
    #: (dimension, objective, responsible, deadline, indicator, means, status, created, updated)
    actions: list[tuple] = field(default_factory=list)
    campaign_id: int = 0


def current_framework() -> Framework:
    """The latest version of the HAS framework that has something to rate (loaded if absent)."""
    rateable = Dimension.objects.filter(
        federation__isnull=True, pk__in=Characteristic.objects.values("dimension_id")
    )
    for attempt in range(2):
        framework = (
            Framework.objects.filter(code=FRAMEWORK_CODE, axes__dimensions__in=rateable)
            .order_by("-version")
            .first()
        )
        if framework is not None:
            return framework
        if attempt == 0:
            reference.load()
    raise RuntimeError(
        f"Aucun référentiel « {FRAMEWORK_CODE} » avec des caractéristiques : "
        "lancez manage.py load_reference."
    )


def generate(ctx) -> None:  # noqa: ANN001
    n_campaigns = ctx.sizes.campaigns_per_centre
    if not n_campaigns or not ctx.centres:
        return
    framework = current_framework()
    items = sorted(framework.rating_scale, key=lambda i: (float(i["score"]), i["code"]))
    scale = _Scale([i["code"] for i in items], [float(i["score"]) for i in items])
    axes = list(Axis.objects.filter(framework=framework).order_by("position", "pk"))
    federation_ids = sorted({c.federation_id for c in ctx.centres})
    # What campaign_dimensions() gives each federation: national + its own, with characteristics.
    dimensions = list(
        Dimension.objects.filter(axis__framework=framework)
        .filter(Q(federation__isnull=True) | Q(federation_id__in=federation_ids))
        .filter(pk__in=Characteristic.objects.values("dimension_id"))
        .select_related("axis")
        .order_by("axis__position", "axis_id", "position", "pk")
    )
    chars_of: dict[int, list[Characteristic]] = defaultdict(list)
    for c in Characteristic.objects.filter(dimension__in=dimensions).order_by("position", "pk"):
        chars_of[c.dimension_id].append(c)
    dims_of = {
        fid: [d for d in dimensions if d.federation_id in (None, fid)] for fid in federation_ids
    }
    axes_of = {}
    for fid, dims in dims_of.items():
        used = {d.axis_id for d in dims}
        chosen = [a.pk for a in axes if a.pk in used]
        axes_of[fid] = chosen if len(chosen) < len(axes) else []

    plans = _plan(ctx, scale, dims_of, chars_of, n_campaigns)
    _insert(ctx, framework, scale, plans, axes_of)
    # The campaign with the most ratings (the latest of an MSP among equals: it has a previous
    # campaign to compare with), whose consensus page the benchmark times.
    largest = max(plans, key=lambda p: (len(p.people) * len(p.chars), p.year, -p.campaign_id))
    ctx.shared["largest_campaign"] = largest.campaign_id
    ctx.log(
        f"Maturité : campagne la plus grande n° {largest.campaign_id} "
        f"({len(largest.people)} membres × {len(largest.chars)} caractéristiques)"
    )


# --- planning (all randomness here, in a fixed order) ---------------------------------------


def _at(day: dt.date, rng) -> dt.datetime:  # noqa: ANN001
    moment = dt.time(rng.randint(8, 19), rng.choice((0, 15, 30, 45)))
    return dt.datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def _between(start: dt.datetime, end: dt.datetime, rng) -> dt.datetime:  # noqa: ANN001
    seconds = max(60, int((end - start).total_seconds()))
    return start + dt.timedelta(seconds=rng.randint(30, seconds - 30))


def _plan(ctx, scale: _Scale, dims_of, chars_of, n_campaigns: int) -> list[_Plan]:  # noqa: ANN001
    rng = ctx.rng
    top = len(scale.codes) - 1
    plans: list[_Plan] = []
    for centre in ctx.centres:
        people = ctx.people.get(centre.pk) or []
        if not people:
            continue
        dims = dims_of[centre.federation_id]
        chars = [c for d in dims for c in chars_of[d.pk]]
        # What this MSP is like, kept from one campaign to the next.
        level = rng.betavariate(2.0, 3.2)
        # The first characteristics of a dimension are the easier ones (the HAS order).
        ease = []
        for d in dims:
            n = len(chars_of[d.pk])
            for i in range(n):
                ease.append(0.18 - 0.36 * i / max(1, n - 1) + rng.gauss(0, 0.12))
        leaning = [ctx.pick_weighted(LEANING) for _ in people]
        coordinator = people[0]
        for k in range(n_campaigns, 0, -1):
            year = ctx.today.year - k
            if k < n_campaigns:
                # Progress over the previous campaign, as a rule; some teams mark time.
                level += (
                    rng.uniform(0.06, 0.22) if rng.random() < 0.85 else rng.uniform(-0.05, 0.03)
                )
            opened = _at(dt.date(year, rng.randint(1, 5), rng.randint(1, 28)), rng)
            individual_closed = opened + dt.timedelta(days=rng.randint(14, 42), hours=2)
            closed = individual_closed + dt.timedelta(days=rng.randint(7, 56), hours=3)
            plan = _Plan(
                federation_id=centre.federation_id,
                centre_id=centre.pk,
                year=year,
                opened=opened,
                individual_closed=individual_closed,
                closed=closed,
                coordinator_user_id=coordinator.user_id,
                people=people,
                dims=dims,
                chars=chars,
            )
            # Who answered when (some after a reminder).
            for _ in people:
                if rng.random() < 0.25:
                    reminded = _between(opened, individual_closed - dt.timedelta(days=3), rng)
                    plan.reminded_at.append(reminded)
                    plan.answered_at.append(_between(reminded, individual_closed, rng))
                else:
                    plan.reminded_at.append(None)
                    plan.answered_at.append(_between(opened, individual_closed, rng))
            # Individual answers around the team's reality, then the team's consensus.
            n_people = len(people)
            for ci in range(len(chars)):
                truth = scale.nearest(min(1.0, max(0.0, level + ease[ci] + rng.gauss(0, 0.08))))
                split = ctx.pick_weighted(CONTROVERSY)
                row = bytearray(n_people)
                for pi in range(n_people):
                    value = truth
                    if rng.random() < split:
                        step = leaning[pi] or rng.choice((-1, 1))
                        value = truth + step if 0 <= truth + step <= top else truth - step
                        value = min(top, max(0, value))
                    row[pi] = value
                    if rng.random() < 0.01:
                        plan.rating_comments[(ci, pi)] = rng.choice(RATING_COMMENTS)
                plan.answers.append(bytes(row))
                agreed = sorted(row)[n_people // 2]
                divided = len(set(row)) > 1 and rng.random() < 0.3
                plan.consensus.append(
                    (
                        ci,
                        agreed,
                        rng.choice(CONSENSUS_COMMENTS) if divided else "",
                        2 if rng.random() < 0.1 else 1,
                        _between(individual_closed, closed, rng),
                    )
                )
            # The team's positioning on each dimension, with a target for next time.
            agreed_by_char = {chars[ci].pk: v for ci, v, *_ in plan.consensus}
            levels = {}
            for d in dims:
                values = [scale.scores[agreed_by_char[c.pk]] for c in chars_of[d.pk]]
                if all(v == scale.scores[-1] for v in values):
                    lvl = PositioningLevel.ALL
                elif all(v == scale.scores[0] for v in values):
                    lvl = PositioningLevel.NONE
                elif sum(values) / len(values) >= 0.5:
                    lvl = PositioningLevel.MOST
                else:
                    lvl = PositioningLevel.SOME
                target = min(3, lvl + 1) if rng.random() < 0.75 else lvl
                levels[d.pk] = int(lvl)
                plan.positionings.append(
                    (
                        d,
                        int(lvl),
                        int(target),
                        rng.choice(POSITIONING_COMMENTS),
                        _between(individual_closed, closed, rng),
                    )
                )
            _plan_actions(ctx, plan, levels, latest=(k == 1))
            plans.append(plan)
    return plans


def _plan_actions(ctx, plan: _Plan, levels: dict[int, int], *, latest: bool) -> None:  # noqa: ANN001
    """A few actions, on the weakest dimensions first. The latest campaign's deadlines surround
    today (done, open, overdue); an earlier campaign's are past, mostly done or abandoned."""
    rng = ctx.rng
    today = ctx.today
    closed_day = timezone.localtime(plan.closed).date()
    choices = []
    for d in plan.dims:
        texts = OBJECTIVES.get(d.code) or [t.format(name=d.name) for t in GENERIC_OBJECTIVES]
        weight = 4 - levels[d.pk]
        choices.extend((d, text, weight) for text in texts)
    picked = []
    for _ in range(min(len(choices), rng.randint(2, 5))):
        i = rng.choices(range(len(choices)), weights=[w for *_, w in choices], k=1)[0]
        picked.append(choices.pop(i))
    people = plan.people
    cutoff = dt.datetime.combine(today, dt.time(7, 0), tzinfo=timezone.get_current_timezone())
    for dimension, objective, _ in picked:
        responsible = people[0] if rng.random() < 0.4 else rng.choice(people)
        if latest:
            deadline = max(
                closed_day + dt.timedelta(days=21),
                today + dt.timedelta(days=rng.randint(-150, 240)),
            )
            if deadline < today:
                status = ctx.pick_weighted(
                    [
                        (ActionStatus.DONE, 55),
                        (ActionStatus.IN_PROGRESS, 20),
                        (ActionStatus.PLANNED, 10),
                        (ActionStatus.ABANDONED, 15),
                    ]
                )
            else:
                status = ctx.pick_weighted(
                    [
                        (ActionStatus.PLANNED, 50),
                        (ActionStatus.IN_PROGRESS, 40),
                        (ActionStatus.DONE, 10),
                    ]
                )
        else:
            deadline = closed_day + dt.timedelta(days=rng.randint(30, 300))
            status = ctx.pick_weighted(
                [
                    (ActionStatus.DONE, 65),
                    (ActionStatus.ABANDONED, 20),
                    (ActionStatus.IN_PROGRESS, 10),
                    (ActionStatus.PLANNED, 5),
                ]
            )
        created = plan.closed + dt.timedelta(days=rng.randint(0, 10), hours=1)
        updated = created
        if status != ActionStatus.PLANNED:
            updated = min(cutoff, created + dt.timedelta(days=rng.randint(10, 200)))
        plan.actions.append(
            (
                dimension,
                objective,
                responsible,
                deadline,
                rng.choice(INDICATORS),
                rng.choice(MEANS),
                str(status),
                created,
                max(created, updated),
            )
        )


# --- inserting ------------------------------------------------------------------------------


def _insert(ctx, framework: Framework, scale: _Scale, plans: list[_Plan], axes_of) -> None:  # noqa: ANN001
    stamp = connection.ops.adapt_datetimefield_value
    day = connection.ops.adapt_datefield_value
    ctx.copy(
        Campaign,
        [
            "federation_id",
            "health_centre_id",
            "framework_id",
            "year",
            "phase",
            "opened_by_id",
            "created_at",
            "individual_closed_at",
            "closed_at",
        ],
        (
            (
                p.federation_id,
                p.centre_id,
                framework.pk,
                p.year,
                CampaignPhase.CLOSED.value,
                p.coordinator_user_id,
                stamp(p.opened),
                stamp(p.individual_closed),
                stamp(p.closed),
            )
            for p in plans
        ),
        "campagnes d'auto-évaluation",
    )
    # The ids back, by MSP and year (the MSPs are new: they had no campaign before).
    centre_ids = sorted({p.centre_id for p in plans})
    ids: dict[tuple[int, int], int] = {}
    for start in range(0, len(centre_ids), 2_000):
        rows = Campaign.objects.filter(
            health_centre_id__in=centre_ids[start : start + 2_000], framework=framework
        ).values_list("pk", "health_centre_id", "year")
        ids.update({(centre, year): pk for pk, centre, year in rows})
    for p in plans:
        p.campaign_id = ids[(p.centre_id, p.year)]

    ctx.copy(
        Campaign.axes.through,
        ["campaign_id", "axis_id"],
        ((p.campaign_id, a) for p in plans for a in axes_of[p.federation_id]),
        "axes évalués (campagnes)",
    )
    ctx.copy(
        Campaign.dimensions.through,
        ["campaign_id", "dimension_id"],
        ((p.campaign_id, d.pk) for p in plans for d in p.dims),
        "dimensions évaluées (campagnes)",
    )
    ctx.copy(
        Participant,
        ["federation_id", "campaign_id", "membership_id", "invited_at", "reminded_at"],
        (
            (
                p.federation_id,
                p.campaign_id,
                m.pk,
                stamp(p.opened),
                stamp(r) if r is not None else None,
            )
            for p in plans
            for m, r in zip(p.people, p.reminded_at, strict=True)
        ),
        "membres invités",
    )
    ctx.copy(
        Rating,
        [
            "federation_id",
            "campaign_id",
            "membership_id",
            "characteristic_id",
            "value",
            "comment",
            "updated_at",
        ],
        _rating_rows(plans, scale, stamp),
        "réponses individuelles",
    )
    ctx.copy(
        Consensus,
        [
            "federation_id",
            "campaign_id",
            "characteristic_id",
            "value",
            "comment",
            "version",
            "updated_by_id",
            "updated_at",
        ],
        (
            (
                p.federation_id,
                p.campaign_id,
                p.chars[ci].pk,
                scale.codes[v],
                comment,
                version,
                p.coordinator_user_id,
                stamp(at),
            )
            for p in plans
            for ci, v, comment, version, at in p.consensus
        ),
        "consensus",
    )
    ctx.copy(
        DimensionPositioning,
        [
            "federation_id",
            "campaign_id",
            "dimension_id",
            "level",
            "target_level",
            "comment",
            "version",
            "updated_by_id",
            "updated_at",
        ],
        (
            (
                p.federation_id,
                p.campaign_id,
                d.pk,
                level,
                target,
                comment,
                1,
                p.coordinator_user_id,
                stamp(at),
            )
            for p in plans
            for d, level, target, comment, at in p.positionings
        ),
        "positionnements",
    )
    ctx.copy(
        Action,
        [
            "federation_id",
            "campaign_id",
            "dimension_id",
            "objective",
            "responsible_id",
            "deadline",
            "indicator",
            "means",
            "status",
            "task_id",
            "created_by_id",
            "created_at",
            "updated_at",
        ],
        (
            (
                p.federation_id,
                p.campaign_id,
                d.pk,
                objective,
                responsible.pk,
                day(deadline),
                indicator,
                means,
                status,
                None,
                p.coordinator_user_id,
                stamp(created),
                stamp(updated),
            )
            for p in plans
            for (
                d,
                objective,
                responsible,
                deadline,
                indicator,
                means,
                status,
                created,
                updated,
            ) in p.actions
        ),
        "actions du plan",
    )


def _rating_rows(plans: list[_Plan], scale: _Scale, stamp):  # noqa: ANN001, ANN202
    codes = scale.codes
    for p in plans:
        members = [(m.pk, stamp(at)) for m, at in zip(p.people, p.answered_at, strict=True)]
        comments = p.rating_comments
        fid, cid = p.federation_id, p.campaign_id
        for ci, (c, row) in enumerate(zip(p.chars, p.answers, strict=True)):
            for pi, value in enumerate(row):
                mid, at = members[pi]
                yield (fid, cid, mid, c.pk, codes[value], comments.get((ci, pi), ""), at)
