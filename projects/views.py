"""Pages of the projects app (core). Thin: permission by decorator, objects through
``get_for_tenant``, business rules in services and selectors."""

from __future__ import annotations

import csv
import io
from itertools import batched

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.display import Counted, LongDates, row_url
from config.pagination import paginate
from federations.models import Membership
from federations.permissions import has_perm
from federations.tenancy import get_for_tenant, scoped, tenant_view
from vendors.models import Software

from . import selectors, services
from .forms import (
    EvidenceForm,
    FederationItemForm,
    GateForm,
    ProjectCreateForm,
    SoftwareForm,
    TaskForm,
    TeamMemberForm,
    apply_validation_error,
)
from .models import (
    FederationItem,
    MethodologyItem,
    Project,
    Step,
    Task,
    TaskEvidence,
    TeamMember,
    TeamRole,
)


def _project_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.federation.slug, project.pk])


def _project(request: HttpRequest, pk: int) -> Project:
    project = get_for_tenant(
        request, Project.objects.select_related("health_centre", "chosen_software"), pk=pk
    )
    project.federation = request.federation  # the same row (scoped to it): no join
    return project


def _task(request: HttpRequest, pk: int) -> Task:
    membership = request.membership
    own_centre = membership.health_centre if membership.health_centre_id else None
    if own_centre is not None:
        # The people of an MSP see its tasks only (scoped): its MSP is already in hand.
        task = get_for_tenant(request, Task.objects.select_related("project"), pk=pk)
    else:
        task = get_for_tenant(request, Task.objects.select_related("project__health_centre"), pk=pk)
    project = task.project
    if own_centre is not None and project.health_centre_id == own_centre.pk:
        project.health_centre = own_centre
    project.federation = request.federation  # the same row (scoped to it): no join
    return task


def _perms(request: HttpRequest) -> dict[str, bool]:
    m = request.membership
    return {
        "can_edit_tasks": has_perm(m, "projects.edit_tasks"),
        "can_manage": has_perm(m, "projects.manage_project"),
        "can_force": has_perm(m, "projects.force_gate"),
    }


# The MSP's own project ------------------------------------------------------------------------


@tenant_view("projects.view_own")
def mine(request: HttpRequest) -> HttpResponse:
    """The MSP's own project page (or the page to start it), straight from the navigation."""
    project = (
        scoped(request, Project).filter(health_centre=request.membership.health_centre).first()
    )
    if project is not None:
        project.federation = request.federation
        project.health_centre = request.membership.health_centre
        return _detail(request, project)
    return _create(request)


@tenant_view("projects.view_project")
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    return _create(request)


def _create(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    can_create = has_perm(membership, "projects.create_project")
    centres = selectors.centres_without_project(membership=membership)
    if membership.role == "coordinator":
        centres = centres.filter(pk=membership.health_centre_id)
    form = ProjectCreateForm(request.POST if request.method == "POST" else None, centres=centres)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                project = services.project_create(
                    actor=request.user,
                    membership=membership,
                    health_centre=form.cleaned_data["health_centre"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Le projet est créé : la méthodologie a été copiée en %(n)s tâches.")
                    % {"n": project.tasks.count()},
                )
                return redirect(_project_url(project))
    return render(
        request,
        "projects/create.html",
        {
            "form": form,
            "can_create": can_create,
            "methodology": services.current_methodology(),
            "has_centres": centres.exists(),
        },
    )


# The project page -----------------------------------------------------------------------------


@tenant_view("projects.view_project")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Its MSP's and software's names come with the page's kept data: no join.
    project = get_for_tenant(request, Project, pk=pk)
    project.federation = request.federation
    return _detail(request, project)


def _detail(request: HttpRequest, project: Project) -> HttpResponse:
    page = selectors.project_page(project=project)
    tasks = page.tasks
    progress = selectors.project_progress(tasks=tasks)
    total = sum(s.total for s in progress)
    closed = sum(s.closed for s in progress)
    step_filter = request.GET.get("etape")
    shown_step = int(step_filter) if step_filter in ("1", "2", "3") else project.current_step
    shown = next(s for s in progress if s.step == shown_step)
    perms = _perms(request)
    items = _task_items([t for t in tasks if t.step == shown_step], request.federation.slug, perms)
    groups = [
        {"activity": a, "tasks": [t for t in items if t["activity"] == a.code]}
        for a in shown.activities
    ]
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "progress": progress,
            "overall": selectors.percent(closed, total),
            "closed": closed,
            "total": total,
            "groups": groups,
            "shown": shown,
            "shown_step": shown_step,
            "gate": selectors.readiness_gate(project=project, tasks=tasks, software=page.software),
            "centre": page.centre,
            "software": page.software,
            "team": page.team,
            "events": _event_items(page.events),
            "methodology": page.methodology,
            **perms,
        },
    )


def _task_items(tasks: list[selectors.TaskLine], slug: str, perms: dict) -> list[dict]:
    """What the project page shows of each task of the step, as text: URLs reversed once for
    the list, dates and counts formatted once (the template's tags cost ~15 µs each)."""
    task_url = _pk_url("projects:task", slug)
    status_url = _pk_url("projects:task_status", slug)
    long_date = LongDates()
    today = timezone.localdate()
    labels = {code: str(label) for code, label in selectors.STATUS_LABELS.items()}
    items = []
    for t in tasks:
        due = overdue = ""
        if t.due_date:
            d = long_date(t.due_date)
            if t.due_date < today and not t.is_closed:
                overdue = _("en retard depuis le %(d)s") % {"d": d}
            else:
                due = _("échéance %(d)s") % {"d": d}
        items.append(
            {
                "pk": t.pk,
                "activity": t.activity_code,
                "status": t.status,
                "status_label": labels.get(t.status, t.status),
                "milestone": t.kind == "milestone",
                "mandatory": t.mandatory,
                "url": task_url(t.pk),
                "title": t.title,
                "owner": t.owner,
                "due": due,
                "overdue": overdue,
                "evidence": (
                    ngettext("%(n)s justificatif", "%(n)s justificatifs", t.evidence_count)
                    % {"n": t.evidence_count}
                    if t.evidence_count
                    else ""
                ),
                # The one-click "mark done" form, for those who may edit tasks.
                "status_url": (
                    status_url(t.pk) if perms["can_edit_tasks"] and not t.is_closed else ""
                ),
            }
        )
    return items


def _event_items(events: list[selectors.EventLine]) -> list[dict]:
    """The timeline as text: ``date:'c'`` and ``date:"j F Y H:i"`` once per event."""
    long_date = LongDates()
    items = []
    for e in events:
        at = timezone.localtime(e.created_at)
        items.append(
            {
                "iso": at.isoformat(),
                "when": f"{long_date(at.date())} {at:%H:%M}",
                "verb": str(e.get_verb_display()),
                "summary": e.summary,
                "actor": e.actor,
            }
        )
    return items


# Tasks ----------------------------------------------------------------------------------------


EVIDENCE_PER_PAGE = selectors.EVIDENCE_PER_PAGE


def _evidence_page(request: HttpRequest, task: Task, first: list | None = None):  # noqa: ANN202
    if request.GET.get("page") in (None, "", "1"):
        # Most tasks have a few files (kept in the cache): when they fit in the first page,
        # they are the page.
        if first is None:
            first = selectors.task_evidence_first(task=task)
        if len(first) <= EVIDENCE_PER_PAGE:
            return paginate(request, first, per_page=EVIDENCE_PER_PAGE)
    page = paginate(request, selectors.task_evidence(task=task), per_page=EVIDENCE_PER_PAGE)
    page.object_list = [selectors.evidence_line(row) for row in page.object_list]
    return page


@tenant_view("projects.view_project")
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    project = task.project
    people, evidence = selectors.task_page_kept(task=task)
    posted = request.method == "POST"
    form = TaskForm(
        request.POST if posted else None,
        instance=task,
        # What is posted is checked against the MSP's people; a page shows the kept rows.
        people=selectors.msp_people(project=project) if posted else Membership.objects.none(),
        people_rows=people,
    )
    if request.method == "POST":
        if not has_perm(request.membership, "projects.edit_tasks"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.task_update(actor=request.user, task=task, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("La tâche est enregistrée."))
                return redirect(f"{_project_url(project)}?etape={task.step}#tache-{task.pk}")
    return render(
        request,
        "projects/task.html",
        {
            "task": task,
            "project": project,
            "form": form,
            "evidence_form": EvidenceForm(),
            "evidence": _evidence_page(request, task, evidence),
            **_perms(request),
        },
    )


@tenant_view("projects.edit_tasks")
@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One click on the project page: mark a task done (or back to do)."""
    task = _task(request, pk)
    status = request.POST.get("status", "")
    try:
        services.task_set_status(
            actor=request.user, task=task, status=status, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{_project_url(task.project)}?etape={task.step}#tache-{task.pk}")


@tenant_view("projects.edit_tasks")
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(actor=request.user, task=task, uploaded=form.cleaned_data["file"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Le justificatif est déposé."))
            return redirect("projects:task", federation_slug=request.federation.slug, pk=task.pk)
    return render(
        request,
        "projects/task.html",
        {
            "task": task,
            "project": task.project,
            "form": TaskForm(
                instance=task,
                people=selectors.msp_people(project=task.project),
                people_rows=selectors.msp_people_rows(project=task.project),
            ),
            "evidence_form": form,
            "evidence": _evidence_page(request, task),
            **_perms(request),
        },
        status=400,
    )


@tenant_view("projects.view_project")
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_for_tenant(
        request, TaskEvidence.objects.select_related("task__project__federation"), pk=pk
    )
    if not evidence.file or not evidence.file.storage.exists(evidence.file.name):
        raise Http404
    services.evidence_download_log(actor=request.user, evidence=evidence)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


# Readiness gate -------------------------------------------------------------------------------


@tenant_view("projects.view_project")
@require_http_methods(["GET", "POST"])
def gate(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = GateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not has_perm(request.membership, "projects.manage_project"):
            raise PermissionDenied
        if form.is_valid():
            try:
                with transaction.atomic():
                    project = services.project_advance(
                        actor=request.user,
                        membership=request.membership,
                        project=project,
                        force_reason=form.cleaned_data["reason"],
                        deployed_on=form.cleaned_data["deployed_on"],
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Le projet passe à l'%(step)s.") % {"step": Step(project.current_step).label},
                )
                return redirect(_project_url(project))
    return render(
        request,
        "projects/gate.html",
        {
            "project": project,
            "gate": selectors.readiness_gate(project=project),
            "form": form,
            **_perms(request),
        },
        status=400 if request.method == "POST" else 200,
    )


# Contract checklist and chosen software -------------------------------------------------------


def _software_qs():  # noqa: ANN202
    return Software.objects.filter(is_active=True).select_related("vendor").order_by("name")


@tenant_view("projects.view_project")
@require_http_methods(["GET", "POST"])
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    items = list(selectors.contract_items(project=project))
    if request.method == "POST":
        if not has_perm(request.membership, "projects.manage_project"):
            raise PermissionDenied
        checked = {i.pk: f"item-{i.pk}" in request.POST for i in items}
        notes = {i.pk: request.POST.get(f"note-{i.pk}", "") for i in items}
        services.checklist_update(actor=request.user, project=project, checked=checked, notes=notes)
        messages.success(request, _("La liste du contrat est enregistrée."))
        return redirect("projects:contract", federation_slug=request.federation.slug, pk=project.pk)
    software_form = SoftwareForm(
        software_qs=_software_qs(), initial={"software": project.chosen_software_id}
    )
    return render(
        request,
        "projects/contract.html",
        {
            "project": project,
            "items": items,
            "done": sum(1 for i in items if i.is_checked),
            "software_form": software_form,
            **_perms(request),
        },
    )


@tenant_view("projects.view_project")
@require_POST
def choose_software(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not has_perm(request.membership, "projects.manage_project"):
        raise PermissionDenied
    form = SoftwareForm(request.POST, software_qs=_software_qs())
    if form.is_valid():
        try:
            services.project_choose_software(
                actor=request.user, project=project, software=form.cleaned_data["software"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Le logiciel retenu est enregistré."))
    else:
        messages.error(request, _("Choisissez un logiciel de la liste."))
    return redirect("projects:contract", federation_slug=request.federation.slug, pk=project.pk)


# Team -----------------------------------------------------------------------------------------


@tenant_view("projects.view_project")
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    people = selectors.msp_people(project=project)
    form = TeamMemberForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST":
        if not has_perm(request.membership, "projects.manage_project"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.team_add(actor=request.user, project=project, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("L'équipe projet est mise à jour."))
                return redirect(
                    "projects:team", federation_slug=request.federation.slug, pk=project.pk
                )
    members = selectors.team_of(project=project)
    return render(
        request,
        "projects/team.html",
        {
            "project": project,
            "form": form,
            "members": members,
            "leads": [m for m in members if m.role == TeamRole.LEAD],
            "referents": [m for m in members if m.role == TeamRole.REFERENT],
            "super_users": [m for m in members if m.role == TeamRole.SUPER_USER],
            "contacts": [
                m for m in members if m.role in (TeamRole.MSP_CONTACT, TeamRole.VENDOR_CONTACT)
            ],
            "pair_advised": selectors.pair_advice(project=project),
            "pair_threshold": services.PAIR_OF_LEADS_ABOVE,
            **_perms(request),
        },
        status=400 if request.method == "POST" else 200,
    )


@tenant_view("projects.view_project")
@require_POST
def team_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_for_tenant(request, TeamMember.objects.select_related("project"), pk=pk)
    if not has_perm(request.membership, "projects.manage_project"):
        raise PermissionDenied
    services.team_remove(actor=request.user, member=member)
    messages.success(request, _("La personne est retirée de l'équipe projet."))
    return redirect("projects:team", federation_slug=request.federation.slug, pk=member.project_id)


# Follow-up ------------------------------------------------------------------------------------


class _Counted:
    """A list to paginate whose length is already known (from the counts by step): the
    paginator slices it without a COUNT query of its own; ``head``, its first rows when they
    were read already, serves the first page."""

    def __init__(self, items, count: int, head: list | None = None) -> None:  # noqa: ANN001
        self.items, self._count, self.head = items, count, head or []
        self.ordered = True

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):  # noqa: ANN001, ANN204
        if isinstance(key, slice) and key.start in (0, None) and (key.stop or 0) <= len(self.head):
            return self.head[key]
        return self.items[key]


def _pk_url(name: str, slug: str):  # noqa: ANN202
    """``pk -> URL`` of a page of the federation taking ``pk``, reversed once for a list."""
    return row_url(name, varying="pk", federation_slug=slug)


def _follow_up_lines(rows: list[selectors.FollowUpRow], slug: str) -> list[dict[str, str]]:
    """What each row of the follow-up shows, as text: a page renders it once per row, and a
    template renders a string of a dict faster than a number or a date of an object."""
    detail_url = _pk_url("projects:detail", slug)
    long_date, days = LongDates(), Counted(ngettext_lazy("%(n)s jour", "%(n)s jours", "n"))
    lines = []
    for row in rows:
        milestone = row.next_milestone_title or ""
        if milestone and row.next_milestone_due:
            milestone = f"{milestone} — {long_date(row.next_milestone_due)}"
        due = row.next_due_title or ""
        if due:
            due = f"{due} — {long_date(row.next_due_date)}"
        lines.append(
            {
                "url": detail_url(row.pk),
                "name": row.centre_name,
                "software": row.software,
                "step": row.step_label,
                "progress": str(row.progress),
                "overdue": str(row.overdue) if row.overdue else "",
                "idle": days(row.days_idle),
                "milestone": milestone,
                "due": due,
            }
        )
    return lines


#: Rows of a follow-up page: each row shows six computed columns (progress bar, overdue
#: tasks, days without activity, next milestone and due task), about 60 µs a row to read and
#: render; 30 rows keep the page within its time budget. The exports give every project.
FOLLOW_UP_PER_PAGE = 30


#: The order each column of the follow-up sorts by when clicked (its reverse when the list is
#: already sorted by it).
SORT_FIRST = {
    "msp": "msp",
    "step": "step",
    "progress": "-progress",
    "overdue": "-overdue",
    "activity": "activity",
}


def _sort_links(sort: str, step: int | None) -> dict[str, str]:
    """The query string of each column's header link (the step kept)."""
    links = {}
    for column, first in SORT_FIRST.items():
        order = (first[1:] if first.startswith("-") else f"-{first}") if sort == first else first
        # Made of known sort keys and a step number only: written as the template wrote it.
        links[column] = mark_safe(f"?tri={order}" + (f"&etape={step}" if step else ""))  # noqa: S308
    return links


def _follow_up_context(request: HttpRequest) -> dict:
    step = request.GET.get("etape")
    step = int(step) if step in ("1", "2", "3") else None
    sort = request.GET.get("tri", "msp")
    sort = sort if sort in selectors.SORTS else "msp"
    today = timezone.localdate()
    membership = request.membership
    rows = selectors.follow_up_rows(membership=membership, step=step, sort=sort, today=today)
    head = []
    if step is None and request.GET.get("page") in (None, "", "1"):
        # The first page of every project: when they all fit in it (a DIM's projects, most
        # often), they give the counts by step too.
        head = list(rows[: FOLLOW_UP_PER_PAGE + 1])
    if head and len(head) <= FOLLOW_UP_PER_PAGE:
        counts = {s.value: 0 for s in Step}
        for row in head:
            counts[row[3]] = counts.get(row[3], 0) + 1
    else:
        counts = selectors.step_counts(membership=membership)
    # The number of rows comes from the counts by step: no COUNT query for the paginator.
    page = paginate(
        request,
        _Counted(rows, counts[step] if step else sum(counts.values()), head),
        per_page=FOLLOW_UP_PER_PAGE,
    )
    page.object_list = selectors.follow_up_page(page.object_list, today)
    return {
        "page": page,
        "rows": _follow_up_lines(page.object_list, request.federation.slug),
        "step": step,
        "sort": sort,
        "sort_links": _sort_links(sort, step),
        "steps": [(value, label, counts[value]) for value, label in Step.choices],
        "today": today,
    }


@tenant_view("projects.follow_assigned")
def follow_assigned(request: HttpRequest) -> HttpResponse:
    return render(
        request, "projects/follow_up.html", {**_follow_up_context(request), "is_dim": True}
    )


@tenant_view("projects.follow_federation")
def follow_federation(request: HttpRequest) -> HttpResponse:
    return render(
        request, "projects/follow_up.html", {**_follow_up_context(request), "is_dim": False}
    )


EXPORT_HEADER = [
    "MSP",
    "Commune",
    "Étape",
    "Logiciel retenu",
    "Avancement (%)",
    "Tâches closes",
    "Tâches",
    "Tâches en retard",
    "Dernière activité",
    "Jours sans activité",
    "Prochain jalon",
    "Échéance du jalon",
    "Prochaine échéance",
    "Date de la prochaine échéance",
    "Déployé le",
]


def _export_rows(request: HttpRequest):  # noqa: ANN202
    today = timezone.localdate()
    step = request.GET.get("etape")
    step = int(step) if step in ("1", "2", "3") else None
    rows = selectors.follow_up_rows(membership=request.membership, step=step, today=today)
    for chunk in batched(rows.iterator(chunk_size=500), 500):
        yield from (_export_row(p) for p in selectors.follow_up_page(chunk, today))


def _export_row(p: selectors.FollowUpRow) -> list:
    return [
        p.centre_name,
        p.centre_city,
        p.current_step,
        p.software,
        p.progress,
        p.tasks_closed,
        p.tasks_total,
        p.overdue,
        timezone.localtime(p.last_activity).date().isoformat(),
        p.days_idle,
        p.next_milestone_title or "",
        p.next_milestone_due.isoformat() if p.next_milestone_due else "",
        p.next_due_title or "",
        p.next_due_date.isoformat() if p.next_due_date else "",
        p.deployed_on.isoformat() if p.deployed_on else "",
    ]


class _Echo:
    """A file whose ``write`` hands the line back, for ``csv.writer`` in a streamed response."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(request: HttpRequest):  # noqa: ANN202
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # Excel opens UTF-8 with a BOM
    yield writer.writerow(EXPORT_HEADER)
    for row in _export_rows(request):
        yield writer.writerow(row)


@tenant_view("projects.follow_federation")
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Streamed row by row: the file is never held whole in memory."""
    response = StreamingHttpResponse(_csv_lines(request), content_type="text/csv; charset=utf-8")
    name = f"projets-{request.federation.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@tenant_view("projects.follow_federation")
def export_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Projets"))
    sheet.append(EXPORT_HEADER)
    for row in _export_rows(request):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"projets-{request.federation.slug}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# The federation's copy of the methodology -----------------------------------------------------


@tenant_view("projects.manage_methodology")
@require_http_methods(["GET", "POST"])
def methodology(request: HttpRequest) -> HttpResponse:
    current = services.current_methodology()
    form = FederationItemForm(
        request.POST if request.method == "POST" else None, methodology=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.federation_item_add(
                actor=request.user, federation=request.federation, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Le point est ajouté : les projets créés désormais le reprendront."),
            )
            return redirect("projects:methodology", federation_slug=request.federation.slug)
    items = (
        MethodologyItem.objects.filter(activity__methodology=current)
        .select_related("activity")
        .order_by("activity__step", "activity__position", "position")
        if current
        else MethodologyItem.objects.none()
    )
    own = FederationItem.objects.for_federation(request.federation).filter(is_active=True)
    own_by_activity: dict[str, list] = {}
    for item in own:
        own_by_activity.setdefault(item.activity_code, []).append(item)
    from .models import Methodology

    return render(
        request,
        "projects/methodology.html",
        {
            "methodology": current,
            "versions": Methodology.objects.all(),
            "items": items,
            "own_by_activity": own_by_activity,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@tenant_view("projects.view_project")
@require_POST
def methodology_item_disable(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_tenant(request, FederationItem, pk=pk)
    if not has_perm(request.membership, "projects.manage_methodology"):
        raise PermissionDenied
    services.federation_item_disable(actor=request.user, item=item)
    messages.success(request, _("Le point est retiré pour les prochains projets."))
    return redirect("projects:methodology", federation_slug=request.federation.slug)
