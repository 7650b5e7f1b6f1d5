"""Reads of the projects app (core): progress, readiness gate, timeline, follow-up lists. Every
list is one annotated query whatever the number of projects or tasks."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import (
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
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federations.models import Membership
from federations.professions import Profession
from federations.roles import Role

from . import figures as figures_cache
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    EventVerb,
    ItemKind,
    Project,
    ProjectChecklistItem,
    ProjectEvent,
    Step,
    Task,
    TaskEvidence,
    TaskStatus,
    TeamMember,
    TeamRole,
)
from .services import CONTRACT_CHECKLIST, PAIR_OF_LEADS_ABOVE

#: Labels of the codes shown by the project page (lazy: translated when shown).
STATUS_LABELS = dict(TaskStatus.choices)
VERB_LABELS = dict(EventVerb.choices)
ROLE_LABELS = dict(TeamRole.choices)
PROFESSION_LABELS = dict(Profession.choices)


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


@dataclass(slots=True)
class TaskLine:
    """A task as the project page shows it (``task_lines``): plain values, no model instance."""

    pk: int
    step: int
    activity_code: str
    activity_title: str
    activity_position: int
    title: str
    status: str
    kind: str
    mandatory: bool
    due_date: date | None
    #: The owner's full name (or e-mail), "" without an owner.
    owner: str
    evidence_count: int

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def task_lines(*, project: Project) -> list[TaskLine]:
    """Every task of the project in methodology order, with its owner's name and its number of
    evidence files, in one query: the project page's progress, gate and task list."""
    evidence = (
        TaskEvidence.objects.filter(task=OuterRef("pk"))
        .order_by()
        .values("task")
        .annotate(n=Count("*"))
        .values("n")
    )
    rows = (
        Task.objects.filter(project=project)
        .annotate(evidence_count=Coalesce(Subquery(evidence, output_field=IntegerField()), 0))
        .order_by(*Task._meta.ordering)
        .values_list(
            "pk",
            "step",
            "activity_code",
            "activity_title",
            "activity_position",
            "title",
            "status",
            "kind",
            "mandatory",
            "due_date",
            "owner__user__first_name",
            "owner__user__last_name",
            "owner__user__email",
            "evidence_count",
        )
    )
    return [
        TaskLine(
            *row[:10],
            owner=_name(first, last, email),
            evidence_count=count,
        )
        for *row, first, last, email, count in rows
    ]


def project_progress(*, tasks: Sequence[TaskLine]) -> list[StepProgress]:
    """Progress per step and per activity of the project's tasks (``task_lines``)."""
    steps = {s.value: StepProgress(step=s.value, label=s.label) for s in Step}
    activities: dict[tuple, ActivityProgress] = {}
    for t in tasks:
        key = (t.step, t.activity_position, t.activity_code, t.activity_title)
        a = activities.get(key)
        if a is None:
            a = activities[key] = ActivityProgress(t.activity_code, t.activity_title, 0, 0)
        a.total += 1
        a.closed += t.is_closed
    for (step, *_key), a in sorted(activities.items(), key=lambda kv: kv[0][:3]):
        sp = steps[step]
        sp.total += a.total
        sp.closed += a.closed
        sp.activities.append(a)
    return list(steps.values())


@dataclass(slots=True)
class EvidenceLine:
    """An evidence file as the task page lists it: plain values."""

    pk: int
    original_name: str
    size: int
    uploaded_at: object  # an aware datetime
    #: Who deposited it (full name or e-mail), "" when unknown.
    uploaded_by: str


def task_evidence(*, task: Task) -> QuerySet:
    """The task's evidence files, oldest first, as values (``evidence_line`` of each row)."""
    return (
        TaskEvidence.objects.filter(task=task)
        .order_by("uploaded_at", "pk")
        .values_list(
            "pk",
            "original_name",
            "size",
            "uploaded_at",
            "uploaded_by__first_name",
            "uploaded_by__last_name",
            "uploaded_by__email",
        )
    )


def evidence_line(row: tuple) -> EvidenceLine:
    pk, name, size, at, *person = row
    return EvidenceLine(pk, name, size, at, _name(*person))


def _kept(entries: Sequence[tuple[str, Callable[[], object]]]) -> list[object]:
    """The values kept in the cache under these keys (``projects.figures``), in one round
    trip; a missing one, or one kept before the outside token last changed, is computed by its
    function and kept."""
    found = cache.get_many([figures_cache.OUTSIDE, *(key for key, _read in entries)])
    token = found.get(figures_cache.OUTSIDE)
    values, fresh = [], {}
    for key, read in entries:
        kept = found.get(key)
        if kept is not None and kept[0] == token:
            values.append(kept[1])
        else:
            value = read()
            fresh[key] = (token, value)
            values.append(value)
    if fresh:
        cache.set_many(fresh, figures_cache.SECONDS)
    return values


#: Evidence files of a task shown per page.
EVIDENCE_PER_PAGE = 20


def kept_value(key: str, read: Callable[[], object]) -> object:
    """The value kept under ``key`` (``_kept``), or ``read()`` kept."""
    return _kept([(key, read)])[0]


def _evidence_entry(task: Task) -> tuple[str, Callable[[], object]]:
    key = figures_cache.evidence_key(task.pk, task.project.created_at)
    return key, lambda: [
        evidence_line(row) for row in task_evidence(task=task)[: EVIDENCE_PER_PAGE + 1]
    ]


def task_evidence_first(*, task: Task) -> list[EvidenceLine]:
    """The task's first ``EVIDENCE_PER_PAGE`` + 1 evidence files (one more tells whether they
    fit in a page): kept per task in the cache (``projects.figures``, forgotten when a file is
    added, read again when a name may have changed), one query when missing."""
    return _kept([_evidence_entry(task)])[0]


def timeline(*, project: Project, limit: int = 30) -> QuerySet[ProjectEvent]:
    return ProjectEvent.objects.filter(project=project).select_related("actor")[:limit]


def _name(first: str | None, last: str | None, email: str | None) -> str:
    """``User.get_full_name()`` or the e-mail, from values."""
    return f"{first or ''} {last or ''}".strip() or email or ""


@dataclass(slots=True)
class EventLine:
    """An event of the timeline as the project page shows it (``timeline_lines``)."""

    created_at: object  # an aware datetime
    verb: str
    summary: str
    #: The actor's full name (or e-mail), "" without one.
    actor: str

    def get_verb_display(self) -> str:
        return VERB_LABELS.get(self.verb, self.verb)


def timeline_lines(*, project: Project, limit: int = 30) -> list[EventLine]:
    """The latest events of the project with their actor's name, in one query of values."""
    rows = ProjectEvent.objects.filter(project=project).values_list(
        "created_at",
        "verb",
        "summary",
        "actor__first_name",
        "actor__last_name",
        "actor__email",
    )[:limit]
    return [EventLine(at, verb, summary, _name(*actor)) for at, verb, summary, *actor in rows]


@dataclass(slots=True)
class TeamLine:
    """A place in the project team as the project page shows it (``team_lines``)."""

    role: str
    profession: str
    person_label: str

    def get_role_display(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def get_profession_display(self) -> str:
        return PROFESSION_LABELS.get(self.profession, self.profession)


def team_lines(*, project: Project) -> list[TeamLine]:
    """The project team (as ``team_of``, same order) with each person's name, in one query of
    values."""
    rows = (
        TeamMember.objects.filter(project=project)
        .order_by("role", "profession", "pk")
        .values_list(
            "role",
            "profession",
            "contact_name",
            "membership_id",
            "membership__user__first_name",
            "membership__user__last_name",
            "membership__user__email",
        )
    )
    return [
        TeamLine(role, profession, _name(*user) if membership_id else contact_name)
        for role, profession, contact_name, membership_id, *user in rows
    ]


def team_of(*, project: Project) -> list[TeamMember]:
    return list(
        TeamMember.objects.filter(project=project)
        .select_related("membership__user")
        .order_by("role", "profession", "pk")
    )


@dataclass(slots=True)
class ProjectPage:
    """What a project's page shows of its tasks, team and timeline, whoever looks at it."""

    tasks: list[TaskLine]
    team: list[TeamLine]
    events: list[EventLine]
    #: The name of the project's MSP, of its chosen software ("" without one) and of the
    #: methodology it was created with (its title and version, "" without one).
    centre: str = ""
    software: str = ""
    methodology: str = ""


#: Events shown on a project's page.
PAGE_EVENTS = 15


def project_page(*, project: Project) -> ProjectPage:
    """The tasks (``task_lines``), team, latest events and the names of the MSP, software and
    methodology of the project: kept in the cache per project (``projects.figures``, forgotten
    by the services that change them and when a name may have changed elsewhere), read in four
    queries when missing."""
    return _kept(
        [(figures_cache.page_key(project.pk, project.created_at), partial(_page, project))]
    )[0]


def _page(project: Project) -> ProjectPage:
    centre, software, title, version = (
        Project.objects.filter(pk=project.pk)
        .values_list(
            "health_centre__name",
            "chosen_software__name",
            "methodology__title",
            "methodology__version",
        )
        .get()
    )
    return ProjectPage(
        tasks=task_lines(project=project),
        team=team_lines(project=project),
        events=timeline_lines(project=project, limit=PAGE_EVENTS),
        centre=centre,
        software=software or "",
        # As ``str(Methodology)``.
        methodology=f"{title} ({version})" if title is not None else "",
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
        # What a choice shows (``forms.person_label``) and the form checks.
        .only(
            "federation_id",
            "health_centre_id",
            "profession",
            "user__first_name",
            "user__last_name",
            "user__email",
        )
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def _people_entry(project: Project) -> tuple[str, Callable[[], object]]:
    return figures_cache.people_key(project.health_centre_id), lambda: list(
        msp_people(project=project).values_list(
            "pk", "user__first_name", "user__last_name", "user__email", "profession"
        )
    )


def msp_people_rows(*, project: Project) -> list[tuple]:
    """``(pk, first name, last name, e-mail, profession)`` of each person of ``msp_people``, in
    its order: kept per MSP in the cache (``projects.figures``; read again when a person or a
    membership may have changed), one query when missing."""
    return _kept([_people_entry(project)])[0]


def task_page_kept(*, task: Task) -> tuple[list[tuple], list[EvidenceLine]]:
    """``msp_people_rows`` of the task's project and ``task_evidence_first``, in one round
    trip to the cache."""
    people, first = _kept([_people_entry(task.project), _evidence_entry(task)])
    return people, first


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


def readiness_gate(
    *, project: Project, tasks: Sequence[TaskLine] | None = None, software: str | None = None
) -> Gate:
    """The criteria to move from the current step to the next one, each met or not. ``tasks``:
    the project's tasks, ``software``: the name of its chosen software ("" without one), when
    the page has them already (``project_page``)."""
    step = project.current_step
    if step >= Step.AFTER:
        return Gate(step, None, [])
    criteria: list[Criterion] = []
    if tasks is None:
        mandatory = list(
            Task.objects.filter(project=project, step=step, mandatory=True)
            .order_by(*Task._meta.ordering)
            .values_list("title", "status")
        )
    else:
        mandatory = [(t.title, t.status) for t in tasks if t.step == step and t.mandatory]
    undone = [title for title, status in mandatory if status != TaskStatus.DONE]
    counts = {"total": len(mandatory), "done": len(mandatory) - len(undone)}
    missing = undone[:5]
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
        if software is None:
            chosen = project.chosen_software
            software = str(chosen) if chosen is not None else ""
        criteria.append(
            Criterion(
                _("Un logiciel est retenu"),
                bool(software),
                software or _("aucun logiciel retenu"),
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

        positioning = si_axis_positioning(health_centre=project.health_centre_id)
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


def _progress() -> Coalesce:
    """Percentage of closed tasks, rounded like ``percent()``, in one subquery per project (0
    without tasks)."""
    total = Count("pk")
    closed = Count("pk", filter=Q(status__in=CLOSED_STATUSES))
    return Coalesce(
        Subquery(
            Task.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(p=(closed * 100 + total / 2) / total)
            .values("p"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _last_activity() -> Coalesce:
    """The project's latest event (its creation when it has none): one index probe per row."""
    latest = (
        ProjectEvent.objects.filter(project=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(latest, output_field=DateTimeField()), F("created_at"))


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

#: Order of a project's milestones: the next one is the first open one in this order.
MILESTONE_ORDER = ("step", "activity_position", "position", "pk")


def follow_up(
    *,
    membership: Membership,
    step: int | None = None,
    sort: str = "msp",
    today: date | None = None,
) -> QuerySet[Project]:
    """Every project the membership may see, with its figures, in one query: tasks total and
    closed, progress %, overdue tasks, last activity, next milestone and next due task. For one
    project or a few (lists use ``follow_up_rows`` and ``project_figures``)."""
    today = today or timezone.localdate()
    open_tasks = Task.objects.filter(project=OuterRef("pk"), status__in=OPEN_STATUSES).order_by()
    next_milestone = open_tasks.filter(kind=ItemKind.MILESTONE).order_by(
        F("due_date").asc(nulls_last=True), *MILESTONE_ORDER
    )
    next_due = open_tasks.filter(due_date__isnull=False).order_by("due_date", "pk")
    qs = (
        Project.objects.visible_to(membership)
        .select_related("health_centre", "chosen_software")
        .annotate(
            tasks_total=Coalesce(_count(), Value(0)),
            tasks_closed=Coalesce(_count(status__in=CLOSED_STATUSES), Value(0)),
            overdue=Coalesce(_count(status__in=OPEN_STATUSES, due_date__lt=today), Value(0)),
            last_activity=_last_activity(),
            next_milestone_title=Subquery(next_milestone.values("title")[:1]),
            next_milestone_due=Subquery(next_milestone.values("due_date")[:1]),
            next_due_title=Subquery(next_due.values("title")[:1]),
            next_due_date=Subquery(next_due.values("due_date")[:1]),
            progress=_progress(),
        )
    )
    if step in (1, 2, 3):
        qs = qs.filter(current_step=step)
    return qs.order_by(*SORTS.get(sort, SORTS["msp"]))


@dataclass(slots=True)
class Facts:
    """What is kept of a project for its figures (``project_figures``), whatever the day."""

    tasks_total: int = 0
    tasks_closed: int = 0
    #: Due dates of the open tasks, sorted: the overdue ones are counted on the day of reading.
    open_due: list[date] = field(default_factory=list)
    next_milestone_title: str | None = None
    next_milestone_due: date | None = None
    next_due_title: str | None = None
    next_due_date: date | None = None
    #: The latest event of the project (None: none yet).
    last_event: object = None


def _project_facts(project_ids: list[int]) -> dict[int, Facts]:
    """The facts of these projects in three queries whatever their number: the task counts,
    the open milestones and open tasks with a due date (a few per project), the latest event."""
    facts = {pk: Facts() for pk in project_ids}
    counts = (
        Task.objects.filter(project_id__in=project_ids)
        .order_by()
        .values("project_id")
        # Counted on columns of the (project, status, due_date) index: an index-only scan.
        .annotate(total=Count("*"), closed=Count("status", filter=Q(status__in=CLOSED_STATUSES)))
        .values_list("project_id", "total", "closed")
    )
    for pk, total, closed in counts:
        facts[pk].tasks_total, facts[pk].tasks_closed = total, closed
    heads = (
        Task.objects.filter(project_id__in=project_ids, status__in=OPEN_STATUSES)
        .filter(Q(kind=ItemKind.MILESTONE) | Q(due_date__isnull=False))
        .order_by()
        .values_list("project_id", "kind", "title", "due_date", *MILESTONE_ORDER)
    )
    milestone_keys: dict[int, tuple] = {}
    due_keys: dict[int, tuple] = {}
    for pk, kind, title, due, step, activity_position, position, task_pk in heads:
        f = facts[pk]
        if kind == ItemKind.MILESTONE:
            # Due date first (none last), then methodology order: as ``follow_up``.
            key = (due is None, due or date.min, step, activity_position, position, task_pk)
            if pk not in milestone_keys or key < milestone_keys[pk]:
                milestone_keys[pk] = key
                f.next_milestone_title, f.next_milestone_due = title, due
        if due is not None:
            f.open_due.append(due)
            if pk not in due_keys or (due, task_pk) < due_keys[pk]:
                due_keys[pk] = (due, task_pk)
                f.next_due_title, f.next_due_date = title, due
    for f in facts.values():
        f.open_due.sort()
    latest = (
        ProjectEvent.objects.filter(project_id__in=project_ids)
        .order_by()
        .values("project_id")
        .annotate(m=Max("created_at"))
        .values_list("project_id", "m")
    )
    for pk, moment in latest:
        facts[pk].last_event = moment
    return facts


@dataclass(slots=True)
class Figures:
    """A project's figures on a given day (``project_figures``)."""

    tasks_total: int
    tasks_closed: int
    progress: int
    overdue: int
    next_milestone_title: str | None
    next_milestone_due: date | None
    next_due_title: str | None
    next_due_date: date | None
    #: The latest event of the project (None: none yet; lists then show its creation).
    last_event: object


def project_figures(
    projects: Sequence[tuple[int, datetime]], today: date | None = None
) -> dict[int, Figures]:
    """The figures of the given projects (``(pk, created_at)`` of each, a page of a list): their
    facts are kept in the cache per project (``projects.figures``, forgotten by the services
    that change them); the missing ones are read in three queries whatever their number."""
    today = today or timezone.localdate()
    keys = {pk: figures_cache.key(pk, created_at) for pk, created_at in projects}
    found = cache.get_many(list(keys.values())) if keys else {}
    facts = {pk: found[k] for pk, k in keys.items() if k in found}
    missing = [pk for pk in keys if pk not in facts]
    if missing:
        read = _project_facts(missing)
        cache.set_many({keys[pk]: f for pk, f in read.items()}, figures_cache.SECONDS)
        facts.update(read)
    return {
        pk: Figures(
            tasks_total=f.tasks_total,
            tasks_closed=f.tasks_closed,
            progress=percent(f.tasks_closed, f.tasks_total),
            overdue=bisect_left(f.open_due, today),
            next_milestone_title=f.next_milestone_title,
            next_milestone_due=f.next_milestone_due,
            next_due_title=f.next_due_title,
            next_due_date=f.next_due_date,
            last_event=f.last_event,
        )
        for pk, f in ((pk, facts[pk]) for pk in keys)
    }


class ProjectListRow(NamedTuple):
    """A project as the API lists it (``projects_list``): plain values."""

    pk: int
    title: str
    centre_name: str
    health_centre_id: int
    current_step: int
    software_slug: str | None
    deployed_on: date | None
    created_at: datetime


def projects_list(*, membership: Membership) -> QuerySet:
    """The projects the membership may see by MSP name, as the values of ``ProjectListRow``
    (their figures come from ``project_figures`` for the page shown)."""
    return (
        Project.objects.visible_to(membership)
        .order_by("health_centre__name")
        .values_list(
            "pk",
            "title",
            "health_centre__name",
            "health_centre_id",
            "current_step",
            "chosen_software__slug",
            "deployed_on",
            "created_at",
        )
    )


@dataclass(slots=True)
class FollowUpRow:
    """One line of the follow-up lists and exports: a project and its figures, as plain values
    (no model instance)."""

    pk: int
    centre_name: str
    centre_city: str
    current_step: int
    step_label: str
    software: str
    deployed_on: date | None
    last_activity: object  # an aware datetime
    days_idle: int | None
    tasks_total: int
    tasks_closed: int
    progress: int
    overdue: int
    next_milestone_title: str | None
    next_milestone_due: date | None
    next_due_title: str | None
    next_due_date: date | None


def follow_up_rows(
    *,
    membership: Membership,
    step: int | None = None,
    sort: str = "msp",
    today: date | None = None,
) -> QuerySet:
    """The projects the membership may see, in the order asked for, as plain values (for
    ``follow_up_page``): a figure is computed in SQL for every project only when the list is
    sorted by it; the figures shown come from ``project_figures`` for the rows of the page."""
    today = today or timezone.localdate()
    # The MSPs of the same federation (always true): their index then serves the sort by name.
    qs = Project.objects.visible_to(membership).filter(
        health_centre__federation_id=membership.federation_id
    )
    sort = sort if sort in SORTS else "msp"
    by = sort.lstrip("-")
    if by == "progress":
        qs = qs.annotate(progress=_progress())
    elif by == "overdue":
        qs = qs.annotate(
            overdue=Coalesce(_count(status__in=OPEN_STATUSES, due_date__lt=today), Value(0))
        )
    elif by == "activity":
        qs = qs.annotate(last_activity=_last_activity())
    if step in (1, 2, 3):
        qs = qs.filter(current_step=step)
    return qs.order_by(*SORTS[sort]).values_list(
        "pk",
        "health_centre__name",
        "health_centre__city",
        "current_step",
        "chosen_software__name",
        "deployed_on",
        "created_at",
    )


def follow_up_page(rows: Iterable[tuple], today: date | None = None) -> list[FollowUpRow]:
    """The rows of one page of ``follow_up_rows`` with their figures."""
    today = today or timezone.localdate()
    rows = list(rows)
    figures = project_figures([(r[0], r[-1]) for r in rows], today)
    labels = {s.value: str(s.label) for s in Step}
    out = []
    for pk, name, city, current_step, software, deployed_on, created_at in rows:
        f = figures[pk]
        last_activity = f.last_event or created_at
        out.append(
            FollowUpRow(
                pk=pk,
                centre_name=name,
                centre_city=city,
                current_step=current_step,
                step_label=labels.get(current_step, ""),
                software=software or "",
                deployed_on=deployed_on,
                last_activity=last_activity,
                days_idle=days_since(last_activity, today),
                tasks_total=f.tasks_total,
                tasks_closed=f.tasks_closed,
                progress=f.progress,
                overdue=f.overdue,
                next_milestone_title=f.next_milestone_title,
                next_milestone_due=f.next_milestone_due,
                next_due_title=f.next_due_title,
                next_due_date=f.next_due_date,
            )
        )
    return out


@dataclass(slots=True)
class OwnProject:
    """The MSP's own project as its people's home page shows it (``own_project``)."""

    pk: int
    step_label: str
    progress: int
    overdue: int
    next_due_title: str | None
    next_due_date: date | None


def own_project(*, membership: Membership, today: date | None = None) -> OwnProject | None:
    """The project of the membership's MSP with its figures: one query for the project, its
    figures from what ``project_figures`` keeps per project (the follow-up lists share it)."""
    row = (
        Project.objects.visible_to(membership)
        .filter(health_centre_id=membership.health_centre_id)
        .values_list("pk", "created_at", "current_step")
        .first()
    )
    if row is None:
        return None
    pk, created_at, step = row
    figures = project_figures([(pk, created_at)], today=today)[pk]
    return OwnProject(
        pk=pk,
        step_label=str(Step(step).label),
        progress=figures.progress,
        overdue=figures.overdue,
        next_due_title=figures.next_due_title,
        next_due_date=figures.next_due_date,
    )


def days_since(moment, today: date | None = None) -> int | None:  # noqa: ANN001
    if moment is None:
        return None
    today = today or timezone.localdate()
    return (today - timezone.localtime(moment).date()).days


def step_counts(*, membership: Membership) -> dict[int, int]:
    """The number of projects the membership may see at each step. Those of a whole federation
    (its staff) are kept in the cache (``projects.figures``, forgotten when a project is
    created, deleted or changes step)."""
    if membership.role == Role.STAFF:
        key = figures_cache.steps_key(membership.federation_id)
        counts = cache.get(key)
        if counts is None:
            counts = _step_counts(membership)
            cache.set(key, counts, figures_cache.SECONDS)
        return dict(counts)
    return _step_counts(membership)


def _step_counts(membership: Membership) -> dict[int, int]:
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
