"""Reads of the projects app (core): progress, readiness gate, timeline, follow-up lists. Every
list is one annotated query whatever the number of projects or tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federations.models import Membership

from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ItemKind,
    Project,
    ProjectChecklistItem,
    ProjectEvent,
    Step,
    Task,
    TaskEvidence,
    TaskStatus,
    TeamMember,
)
from .services import CONTRACT_CHECKLIST, PAIR_OF_LEADS_ABOVE


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


@dataclass
class ActivityProgress:
    code: str
    title: str
    total: int
    closed: int

    @property
    def percent(self) -> int:
        return percent(self.closed, self.total)


@dataclass
class StepProgress:
    step: int
    label: str
    total: int = 0
    closed: int = 0
    activities: list[ActivityProgress] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return percent(self.closed, self.total)


def project_progress(*, project: Project) -> list[StepProgress]:
    """Progress per step and per activity, in one query."""
    rows = (
        Task.objects.filter(project=project)
        .values("step", "activity_code", "activity_title", "activity_position")
        .annotate(total=Count("pk"), closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)))
        .order_by("step", "activity_position", "activity_code")
    )
    steps = {s.value: StepProgress(step=s.value, label=s.label) for s in Step}
    for r in rows:
        sp = steps[r["step"]]
        sp.total += r["total"]
        sp.closed += r["closed"]
        sp.activities.append(
            ActivityProgress(r["activity_code"], r["activity_title"], r["total"], r["closed"])
        )
    return list(steps.values())


def project_tasks(*, project: Project) -> QuerySet[Task]:
    return (
        Task.objects.filter(project=project)
        .select_related("owner__user")
        .annotate(evidence_count=Count("evidence"))
        .order_by("step", "activity_position", "position", "pk")
    )


def task_evidence(*, task: Task) -> QuerySet[TaskEvidence]:
    return task.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk")


def timeline(*, project: Project, limit: int = 30) -> QuerySet[ProjectEvent]:
    return ProjectEvent.objects.filter(project=project).select_related("actor")[:limit]


def team_of(*, project: Project) -> list[TeamMember]:
    return list(
        TeamMember.objects.filter(project=project)
        .select_related("membership__user")
        .order_by("role", "profession", "pk")
    )


def msp_people(*, project: Project) -> QuerySet[Membership]:
    """The people of the project's MSP: the only possible task owners and team members."""
    return (
        Membership.objects.filter(
            federation_id=project.federation_id,
            health_centre_id=project.health_centre_id,
            is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def contract_items(*, project: Project) -> QuerySet[ProjectChecklistItem]:
    return ProjectChecklistItem.objects.filter(project=project, checklist=CONTRACT_CHECKLIST)


# Readiness gate -----------------------------------------------------------------------------


@dataclass
class Criterion:
    label: str
    met: bool
    detail: str = ""
    blocking: bool = True
    missing: list[str] = field(default_factory=list)
    #: Where to act on it: "tasks" (the project page) or "contract" (software and contract).
    where: str = ""


@dataclass
class Gate:
    current_step: int
    next_step: int | None
    criteria: list[Criterion]

    @property
    def is_met(self) -> bool:
        return all(c.met for c in self.criteria if c.blocking)

    @property
    def next_label(self) -> str:
        return Step(self.next_step).label if self.next_step else ""


def readiness_gate(*, project: Project) -> Gate:
    """The criteria to move from the current step to the next one, each met or not."""
    step = project.current_step
    if step >= Step.AFTER:
        return Gate(step, None, [])
    criteria: list[Criterion] = []
    counts = Task.objects.filter(project=project, step=step, mandatory=True).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE))
    )
    missing = list(
        Task.objects.filter(project=project, step=step, mandatory=True)
        .exclude(status=TaskStatus.DONE)
        .values_list("title", flat=True)[:5]
    )
    criteria.append(
        Criterion(
            _("Les tâches obligatoires de l'étape sont faites"),
            counts["done"] == counts["total"],
            _("%(done)s sur %(total)s") % counts,
            missing=missing,
            where="tasks",
        )
    )
    if step == Step.BEFORE:
        software = project.chosen_software
        criteria.append(
            Criterion(
                _("Un logiciel est retenu"),
                software is not None,
                str(software) if software else _("aucun logiciel retenu"),
                where="contract",
            )
        )
        c = ProjectChecklistItem.objects.filter(
            project=project, checklist=CONTRACT_CHECKLIST
        ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(is_checked=True)))
        criteria.append(
            Criterion(
                _("La liste de vérification du contrat est complète"),
                c["total"] > 0 and c["done"] == c["total"],
                _("%(done)s point(s) sur %(total)s") % c,
                where="contract",
            )
        )
        criteria.append(_maturity_advice(project))
    return Gate(step, step + 1, criteria)


def _maturity_advice(project: Project) -> Criterion:
    """Advice, never blocking: the ASIP advises starting the SI project only when the
    organisation is mature enough (team positioning on the maturity axis "Système
    d'information", when a campaign exists)."""
    label = _("Avis : la maturité de l'équipe sur l'axe « Système d'information »")
    try:
        from maturity.selectors import si_axis_positioning

        positioning = si_axis_positioning(health_centre=project.health_centre)
    except Exception:  # noqa: BLE001 - the maturity app may not be ready: advice only
        positioning = None
    if positioning is None or not positioning.dimensions:
        return Criterion(
            label,
            False,
            _(
                "Aucune campagne de maturité positionnée : l'ASIP conseille de n'aborder le projet "
                "SI que lorsque l'organisation est suffisamment mature."
            ),
            blocking=False,
        )
    parts = ", ".join(
        f"{name} : {level_label}" for name, _level, level_label in positioning.dimensions
    )
    return Criterion(
        label,
        positioning.mean_level >= 1.5,
        _("Campagne %(year)s — %(parts)s") % {"year": positioning.campaign_year, "parts": parts},
        blocking=False,
    )


# Follow-up ---------------------------------------------------------------------------------------


def _count(**filters: object) -> Subquery:
    return Subquery(
        Task.objects.filter(project=OuterRef("pk"), **filters)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


SORTS = {
    "msp": ("health_centre__name",),
    "-msp": ("-health_centre__name",),
    "step": ("current_step", "health_centre__name"),
    "-step": ("-current_step", "health_centre__name"),
    "progress": ("progress", "health_centre__name"),
    "-progress": ("-progress", "health_centre__name"),
    "overdue": ("overdue", "health_centre__name"),
    "-overdue": ("-overdue", "health_centre__name"),
    "activity": ("last_activity", "health_centre__name"),
    "-activity": ("-last_activity", "health_centre__name"),
}


def follow_up(
    *,
    membership: Membership,
    step: int | None = None,
    sort: str = "msp",
    today: date | None = None,
) -> QuerySet[Project]:
    """Every project the membership may see, with its figures, in one query: tasks total and
    closed, progress %, overdue tasks, last activity, next milestone and next due task."""
    today = today or timezone.localdate()
    open_tasks = Task.objects.filter(project=OuterRef("pk"), status__in=OPEN_STATUSES).order_by()
    next_milestone = open_tasks.filter(kind=ItemKind.MILESTONE).order_by(
        F("due_date").asc(nulls_last=True), "step", "activity_position", "position", "pk"
    )
    next_due = open_tasks.filter(due_date__isnull=False).order_by("due_date", "pk")
    last_event = (
        ProjectEvent.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(m=Max("created_at"))
        .values("m")
    )
    qs = (
        Project.objects.visible_to(membership)
        .select_related("health_centre", "chosen_software")
        .annotate(
            tasks_total=Coalesce(_count(), Value(0)),
            tasks_closed=Coalesce(_count(status__in=CLOSED_STATUSES), Value(0)),
            overdue=Coalesce(_count(status__in=OPEN_STATUSES, due_date__lt=today), Value(0)),
            last_activity=Coalesce(
                Subquery(last_event, output_field=DateTimeField()), F("created_at")
            ),
            next_milestone_title=Subquery(next_milestone.values("title")[:1]),
            next_milestone_due=Subquery(next_milestone.values("due_date")[:1]),
            next_due_title=Subquery(next_due.values("title")[:1]),
            next_due_date=Subquery(next_due.values("due_date")[:1]),
        )
        .annotate(
            progress=Case(
                When(tasks_total=0, then=Value(0)),
                # Rounded like ``percent()`` on the project page.
                default=(F("tasks_closed") * 100 + F("tasks_total") / 2) / F("tasks_total"),
                output_field=IntegerField(),
            )
        )
    )
    if step in (1, 2, 3):
        qs = qs.filter(current_step=step)
    return qs.order_by(*SORTS.get(sort, SORTS["msp"]))


def days_since(moment, today: date | None = None) -> int | None:  # noqa: ANN001
    if moment is None:
        return None
    today = today or timezone.localdate()
    return (today - timezone.localtime(moment).date()).days


def step_counts(*, membership: Membership) -> dict[int, int]:
    rows = (
        Project.objects.visible_to(membership)
        .order_by()
        .values("current_step")
        .annotate(n=Count("pk"))
    )
    counts = {s.value: 0 for s in Step}
    for r in rows:
        counts[r["current_step"]] = r["n"]
    return counts


def centres_without_project(*, membership: Membership) -> QuerySet:
    from federations.models import HealthCentre

    return HealthCentre.objects.visible_to(membership).filter(project__isnull=True).order_by("name")


def pair_advice(*, project: Project) -> bool:
    return project.health_centre.professionals_count > PAIR_OF_LEADS_ABOVE
