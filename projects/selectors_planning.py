"""Reads of the planning sections. Each function costs a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, IntegerField, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from federations.professions import Profession
from vendors.models import Software
from vendors.responsiveness import ResponseCase

from . import figures as figures_cache
from .models import (
    AdoptionLevel,
    ContactRequest,
    DemoScore,
    DemoSession,
    DeploymentPlan,
    DeploymentWave,
    Facilitator,
    Need,
    NeedPriority,
    NeedsDocument,
    Project,
    SchoolHoliday,
    ShortlistEntry,
    SurveyVersion,
    TrainingLevel,
    TrainingSession,
    UseCase,
    UseCaseKind,
    VendorRequest,
)
from .reference_planning import Questionnaire, aci_rule, calendar_rules, questionnaire

PROFESSION_LABELS = dict(Profession.choices)
PRIORITY_ORDER = {NeedPriority.MUST: 0, NeedPriority.SHOULD: 1, NeedPriority.COULD: 2}
USE_CASE_KINDS = dict(UseCaseKind.choices)
GAP_THRESHOLD = 2.5  # an average at or below this, for one profession, is a gap


# --- État des lieux -------------------------------------------------------------------------


def survey_latest(*, project: Project) -> SurveyVersion | None:
    return (
        SurveyVersion.objects.filter(project=project)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )


def survey_versions(*, project: Project) -> QuerySet[SurveyVersion]:
    return (
        SurveyVersion.objects.filter(project=project)
        .select_related("created_by")
        .order_by("-number")
    )


def survey_rows(version: SurveyVersion | None, form: Questionnaire | None = None) -> list[dict]:
    """Sections with each question and its answer, shown as the user would read it."""
    form = form or questionnaire()
    answers = version.answers if version else {}
    sections = []
    for s in form.sections:
        rows = []
        for q in s.questions:
            value = answers.get(q.code, "")
            if q.kind == "choice":
                value = dict(q.options).get(value, value)
            rows.append({"question": q, "answer": value})
        sections.append({"section": s, "rows": rows})
    return sections


# --- Needs document -------------------------------------------------------------------------


def needs_document(*, project: Project) -> NeedsDocument | None:
    return NeedsDocument.objects.filter(project=project).first()


def _vendor_order(need) -> tuple:  # noqa: ANN001
    """By profession (team first), then priority."""
    return (
        need.profession != "",
        str(PROFESSION_LABELS.get(need.profession, "")),
        PRIORITY_ORDER.get(need.priority, 9),
        need.position,
        need.pk,
    )


def needs_list(*, project: Project) -> list[Need]:
    """Needs ordered as a vendor reads them: by profession (team first), then priority."""
    needs = list(Need.objects.filter(project=project).select_related("capability"))
    needs.sort(key=_vendor_order)
    return needs


@dataclass(slots=True)
class NeedLine:
    """A need as the needs page shows it (``need_lines``): plain values."""

    pk: int
    profession: str
    priority: str
    position: int
    title: str
    description: str
    #: The label of the matching capability, "" without one.
    capability: str


def need_lines(*, project: Project) -> list[NeedLine]:
    """``needs_list`` as plain values (one query, no model instance), in the same order."""
    rows = Need.objects.filter(project=project).values_list(
        "pk", "profession", "priority", "position", "title", "description", "capability__label"
    )
    needs = [NeedLine(*row[:6], capability=row[6] or "") for row in rows]
    needs.sort(key=_vendor_order)
    return needs


@dataclass(slots=True)
class UseCaseLine:
    """A use case as the needs page shows it."""

    title: str
    kind: str
    description: str

    def get_kind_display(self) -> str:
        return USE_CASE_KINDS.get(self.kind, self.kind)


#: The parts of the needs document the needs page shows.
DOCUMENT_FIELDS = (
    "professionals",
    "target_users",
    "sites",
    "mobility",
    "data_migration",
    "access_rights",
)


@dataclass(slots=True)
class NeedsPage:
    """What the needs page (cahier des charges) of a project shows, whoever looks at it."""

    #: The parts of the needs document ("" when not written).
    document: dict[str, str]
    needs: list[NeedLine]
    use_cases: list[UseCaseLine]


def needs_page(*, project: Project) -> NeedsPage:
    """The needs document, needs (``need_lines``) and use cases of the project: kept in the
    cache per project (``projects.figures``, forgotten by the services of the needs page, read
    again when a capability's label may have changed), three queries when missing."""
    from .selectors import kept_value

    return kept_value(
        figures_cache.needs_key(project.pk, project.created_at), lambda: _needs_page(project)
    )


def _needs_page(project: Project) -> NeedsPage:
    document = NeedsDocument.objects.filter(project=project).values(
        *DOCUMENT_FIELDS
    ).first() or dict.fromkeys(DOCUMENT_FIELDS, "")
    return NeedsPage(
        document=document,
        needs=need_lines(project=project),
        use_cases=[
            UseCaseLine(*row)
            for row in UseCase.objects.filter(project=project).values_list(
                "title", "kind", "description"
            )
        ],
    )


def needs_by_profession(needs: list) -> list[dict]:
    """Needs (``needs_list`` or ``need_lines``) grouped by profession, in their order."""
    groups: dict[str, list] = {}
    for need in needs:
        groups.setdefault(need.profession, []).append(need)
    from django.utils.translation import gettext

    return [
        {
            "profession": code,
            "label": PROFESSION_LABELS.get(code) if code else gettext("Toute l'équipe"),
            "needs": items,
            "must": sum(1 for n in items if n.priority == NeedPriority.MUST),
        }
        for code, items in groups.items()
    ]


def use_cases(*, project: Project) -> list[UseCase]:
    return list(UseCase.objects.filter(project=project))


# --- Vendor demos ---------------------------------------------------------------------------


@dataclass
class SoftwareResult:
    software: Software
    average: float | None = None
    scores_count: int = 0
    by_profession: dict[str, float] = field(default_factory=dict)
    by_use_case: dict[int, float] = field(default_factory=dict)
    gaps: list[dict] = field(default_factory=list)


def shortlist(*, project: Project) -> list[ShortlistEntry]:
    return list(ShortlistEntry.objects.filter(project=project).select_related("software__vendor"))


def demo_sessions(*, project: Project) -> list[DemoSession]:
    return list(
        DemoSession.objects.filter(project=project)
        .select_related("software")
        .annotate(scores_count=Count("scores"))
    )


def demo_results(*, project: Project, entries: list[ShortlistEntry], cases: list[UseCase]) -> dict:
    """Average scores by software × profession and software × use case, and the gaps: a
    profession whose average for a software, or whose score of one use case, is low. Two queries."""
    base = DemoScore.objects.filter(session__project=project)
    by_prof = base.values("session__software_id", "profession").annotate(
        avg=Avg("score"), n=Count("id"), low=Min("score")
    )
    by_case = base.values("session__software_id", "use_case_id").annotate(
        avg=Avg("score"), n=Count("id")
    )
    low_cases = (
        base.filter(score__lte=2)
        .values("session__software_id", "profession", "use_case_id")
        .annotate(low=Min("score"))
    )
    results = {e.software_id: SoftwareResult(software=e.software) for e in entries}
    case_titles = {c.pk: c.title for c in cases}
    professions: set[str] = set()
    for row in by_prof:
        result = results.get(row["session__software_id"])
        if result is None:
            continue
        professions.add(row["profession"])
        result.by_profession[row["profession"]] = round(float(row["avg"]), 1)
        if float(row["avg"]) <= GAP_THRESHOLD:
            result.gaps.append(
                {
                    "profession": PROFESSION_LABELS.get(row["profession"]),
                    "use_case": None,
                    "score": round(float(row["avg"]), 1),
                }
            )
    for row in by_case:
        result = results.get(row["session__software_id"])
        if result is None:
            continue
        result.by_use_case[row["use_case_id"]] = round(float(row["avg"]), 1)
        result.scores_count += row["n"]
    for row in low_cases:
        result = results.get(row["session__software_id"])
        if result is None:
            continue
        result.gaps.append(
            {
                "profession": PROFESSION_LABELS.get(row["profession"]),
                "use_case": case_titles.get(row["use_case_id"]),
                "score": row["low"],
            }
        )
    for result in results.values():
        if result.by_use_case:
            values = list(result.by_use_case.values())
            result.average = round(sum(values) / len(values), 1)
    ordered_professions = [p for p in Profession.values if p in professions]
    rows = []
    for result in results.values():
        rows.append(
            {
                "result": result,
                "professions": [result.by_profession.get(p) for p in ordered_professions],
                "use_cases": [result.by_use_case.get(c.pk) for c in cases],
            }
        )
    return {
        "rows": rows,
        "professions": [(p, PROFESSION_LABELS[p]) for p in ordered_professions],
        "cases": cases,
        "has_gaps": any(r.gaps for r in results.values()),
    }


def session_scores(*, session: DemoSession, profession: str) -> dict[int, DemoScore]:
    return {
        s.use_case_id: s for s in DemoScore.objects.filter(session=session, profession=profession)
    }


# --- Deployment -----------------------------------------------------------------------------


def flu_seasons_overlapping(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    rules = calendar_rules()
    seasons = []
    for year in range(start.year - 1, end.year + 1):
        s_start = dt.date(year, *rules.flu_start)
        end_year = year + 1 if rules.flu_end < rules.flu_start else year
        s_end = dt.date(end_year, *rules.flu_end)
        if start <= s_end and end >= s_start:
            seasons.append((s_start, s_end))
    return seasons


@dataclass
class WaveView:
    wave: DeploymentWave
    warnings: list[str] = field(default_factory=list)


def deployment_waves(*, project: Project, zone: str) -> list[WaveView]:
    """The waves with their warnings (flu season, school holidays of the federation's zone).
    Two queries whatever the number of waves."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    waves = list(DeploymentWave.objects.filter(project=project))
    if not waves:
        return []
    lo, hi = min(w.start for w in waves), max(w.end for w in waves)
    holidays = list(SchoolHoliday.objects.filter(zone=zone, start__lte=hi, end__gte=lo))
    rules = calendar_rules()
    views = []
    for wave in waves:
        view = WaveView(wave)
        for s_start, s_end in flu_seasons_overlapping(wave.start, wave.end):
            view.warnings.append(
                _(
                    "Cette vague tombe pendant la %(label)s (du %(start)s au %(end)s) : "
                    "période de forte activité, à éviter."
                )
                % {
                    "label": rules.flu_label.lower(),
                    "start": date_format(s_start, "j F Y"),
                    "end": date_format(s_end, "j F Y"),
                }
            )
        for h in holidays:
            if h.start <= wave.end and h.end >= wave.start:
                view.warnings.append(
                    _(
                        "Cette vague chevauche les %(label)s de la zone %(zone)s "
                        "(du %(start)s au %(end)s) : des professionnels seront en congés."
                    )
                    % {
                        "label": h.label.lower(),
                        "zone": h.zone,
                        "start": date_format(h.start, "j F Y"),
                        "end": date_format(h.end, "j F Y"),
                    }
                )
        views.append(view)
    return views


def deployment_plan(*, project: Project) -> DeploymentPlan | None:
    return DeploymentPlan.objects.filter(project=project).first()


def deployment_checks(plan: DeploymentPlan | None) -> list[dict]:
    """The facilitator period and data-migration checks, each met or not, with advice."""
    from django.utils.translation import gettext as _

    rules = calendar_rules()
    checks = []
    if plan is None or not (plan.facilitator_start and plan.facilitator_end):
        checks.append(
            {
                "ok": False,
                "label": _("Accompagnement sur site"),
                "detail": _(
                    "Aucune période d'accompagnement sur site n'est prévue "
                    "(2 à 4 semaines recommandées)."
                ),
            }
        )
    else:
        days = (plan.facilitator_end - plan.facilitator_start).days + 1
        ok = rules.facilitator_min_days <= days <= rules.facilitator_max_days
        detail = _("%(days)s jours d'accompagnement sur site.") % {"days": days}
        if not ok:
            detail += " " + _(
                "La durée recommandée est de %(min)s à %(max)s jours (2 à 4 semaines)."
            ) % {"min": rules.facilitator_min_days, "max": rules.facilitator_max_days}
        checks.append({"ok": ok, "label": _("Accompagnement sur site"), "detail": detail})
    found = plan.duplicates_found if plan else None
    resolved = plan.duplicates_resolved if plan else None
    if found is None:
        checks.append(
            {
                "ok": False,
                "label": _("Doublons"),
                "detail": _("La recherche de doublons n'est pas encore faite."),
            }
        )
    else:
        ok = (resolved or 0) >= found
        checks.append(
            {
                "ok": ok,
                "label": _("Doublons"),
                "detail": _("%(found)s trouvés, %(resolved)s résolus.")
                % {"found": found, "resolved": resolved or 0},
            }
        )
    checks.append(
        {
            "ok": bool(plan and plan.migration_checked_on),
            "label": _("Reprise des données vérifiée"),
            "detail": _("Vérifiée en recette.")
            if plan and plan.migration_checked_on
            else _("À vérifier en recette, avant le déploiement."),
        }
    )
    if plan and plan.old_software_read_only and plan.read_only_until:
        from django.utils.formats import date_format

        detail = _("Ancien logiciel en lecture seule jusqu'au %(date)s.") % {
            "date": date_format(plan.read_only_until, "j F Y")
        }
        checks.append(
            {"ok": True, "label": _("Ancien logiciel en lecture seule"), "detail": detail}
        )
    else:
        checks.append(
            {
                "ok": False,
                "label": _("Ancien logiciel en lecture seule"),
                "detail": _(
                    "Conservez un accès en lecture seule pendant une période de transition."
                ),
            }
        )
    return checks


# --- Training and adoption ------------------------------------------------------------------


def trainings(*, project: Project) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(project=project).select_related("wave")


def training_summary(*, project: Project) -> list[dict]:
    """Hours per profession and level, with the adoption status: which professions actually use
    the software. Two queries."""
    totals = (
        TrainingSession.objects.filter(project=project)
        .values("profession", "level")
        .annotate(hours=Sum("hours"), sessions=Count("id"))
    )
    adoption = {a.profession: a for a in AdoptionLevel.objects.filter(project=project)}
    per_prof: dict[str, dict] = defaultdict(
        lambda: {lvl: Decimal(0) for lvl in TrainingLevel.values}
    )
    for row in totals:
        per_prof[row["profession"]][row["level"]] = row["hours"]
    codes = [p for p in Profession.values if p in per_prof or p in adoption]
    return [
        {
            "profession": code,
            "label": PROFESSION_LABELS[code],
            "levels": [
                per_prof[code][lvl] if code in per_prof else Decimal(0)
                for lvl in TrainingLevel.values
            ],
            "adoption": adoption.get(code),
        }
        for code in codes
    ]


# --- Facilitators ---------------------------------------------------------------------------


def facilitators_for_project(*, project: Project) -> list[Facilitator]:
    """Available facilitators of the federation who use a software of the shortlist (or the
    chosen one), with this project's open request if any. Two queries."""
    software_ids = set(
        ShortlistEntry.objects.filter(project=project).values_list("software_id", flat=True)
    )
    if project.chosen_software_id:
        software_ids.add(project.chosen_software_id)
    facilitators = list(
        Facilitator.objects.filter(
            federation_id=project.federation_id, software_id__in=software_ids, is_available=True
        )
        .exclude(health_centre_id=project.health_centre_id)
        .select_related("software", "health_centre")
    )
    requests = {}
    for r in ContactRequest.objects.filter(project=project).order_by("created_at"):
        requests[r.facilitator_id] = r
    for f in facilitators:
        f.project_request = requests.get(f.pk)
    return facilitators


def facilitators_pool(*, federation) -> QuerySet[Facilitator]:  # noqa: ANN001
    # Counted for the rows of the page only, not for the whole pool before cutting the page.
    requests = (
        ContactRequest.objects.filter(facilitator=OuterRef("pk"))
        .order_by()
        .values("facilitator")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Facilitator.objects.filter(federation=federation)
        .select_related("software", "health_centre")
        .annotate(requests_count=Coalesce(Subquery(requests, output_field=IntegerField()), 0))
        .order_by("name", "pk")
    )


def contact_requests(*, membership) -> QuerySet[ContactRequest]:  # noqa: ANN001
    return (
        ContactRequest.objects.visible_to(membership)
        .select_related("project__health_centre", "facilitator__software", "requested_by")
        .order_by("status", "-created_at", "-pk")
    )


# --- ACI figure -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AciFigure:
    professionals: int
    level: str  # "standard", "avance" or ""
    points: int
    euros: int
    standard_points: int
    advanced_points: int
    rule_version: str
    point_value_eur: int


def aci_points(professionals: int, level: str) -> int:
    """Points of the ACI's SI axis for a labelled SI (0 without a label)."""
    rule = aci_rule()
    if level not in ("standard", "avance"):
        return 0
    n = max(professionals, 0)
    within = min(n, rule.professionals_threshold)
    beyond = max(n - rule.professionals_threshold, 0)
    points = (
        rule.base_points
        + within * rule.points_per_professional
        + beyond * rule.points_per_professional_beyond
    )
    if level == "avance":
        points += rule.advanced_extra_points
    return points


def aci_figure(*, project: Project) -> AciFigure:
    rule = aci_rule()
    n = project.health_centre.professionals_count
    software = project.chosen_software
    level = software.label_level if software else ""
    points = aci_points(n, level)
    return AciFigure(
        professionals=n,
        level=level,
        points=points,
        euros=points * rule.point_value_eur,
        standard_points=aci_points(n, "standard"),
        advanced_points=aci_points(n, "avance"),
        rule_version=rule.version,
        point_value_eur=rule.point_value_eur,
    )


# --- Vendor requests ------------------------------------------------------------------------


def vendor_requests(*, project: Project) -> QuerySet[VendorRequest]:
    return VendorRequest.objects.filter(project=project).select_related("software")


def vendor_response_cases(software_ids) -> list[ResponseCase]:  # noqa: ANN001
    """Source of ``vendors.responsiveness``: every logged request for these software."""
    return [
        ResponseCase(
            software_id=r.software_id,
            asked_on=r.asked_on,
            first_answer_on=r.first_answer_on,
            promised_on=r.promised_on,
            delivered_on=r.delivered_on,
        )
        for r in VendorRequest.objects.filter(software_id__in=list(software_ids)).only(
            "software_id", "asked_on", "first_answer_on", "promised_on", "delivered_on"
        )
    ]
