"""Writes of the projects app (core): project creation from the methodology, tasks, evidence,
contract checklist, chosen software, step transitions through the readiness gate, the team,
and the federation's own methodology items. Keyword-only, atomic, taking ``actor=``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federations.models import Federation, HealthCentre, Membership
from federations.roles import Role
from federations.services import audit

from . import figures
from .files import check_evidence
from .models import (
    EventVerb,
    FederationItem,
    ItemKind,
    Methodology,
    MethodologyItem,
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

#: Above this number of professionals, the ASIP advises a pair of project leads.
PAIR_OF_LEADS_ABOVE = 15
CONTRACT_CHECKLIST = "contrat"


def _event(
    project: Project,
    actor,
    verb: str,
    summary: str = "",
    **data: object,  # noqa: ANN001
) -> ProjectEvent:
    """Record what happened on the project's timeline. Every change of a project's tasks goes
    with an event: the project's kept figures (``projects.figures``) are forgotten here."""
    event = ProjectEvent.objects.create(
        federation_id=project.federation_id,
        project=project,
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        summary=str(summary)[:400],
        data=data,
    )
    figures.forget([project])
    return event


def can_create_project_for(membership: Membership, centre: HealthCentre) -> bool:
    """The coordinator of that MSP, the federation's staff, or the DIM who follows it."""
    if centre.federation_id != membership.federation_id:
        return False
    if membership.role == Role.STAFF:
        return True
    if membership.role == Role.DIM:
        return membership.assigned_centres.filter(pk=centre.pk).exists()
    return membership.role == Role.COORDINATOR and membership.health_centre_id == centre.pk


def current_methodology(code: str = "asip") -> Methodology | None:
    return Methodology.objects.filter(code=code, is_current=True).first()


@transaction.atomic
def project_create(
    *,
    actor,  # noqa: ANN001
    membership: Membership,
    health_centre: HealthCentre,
    title: str = "",
    methodology: Methodology | None = None,
) -> Project:
    """Create the MSP's project and copy the methodology into it as one unit: its tasks and
    milestones (with the federation's own items) and its checklists, in one transaction."""
    if not can_create_project_for(membership, health_centre):
        raise PermissionDenied
    if Project.objects.filter(health_centre=health_centre).exists():
        raise ValidationError({"health_centre": _("Cette MSP a déjà un projet.")})
    methodology = methodology or current_methodology()
    if methodology is None:
        raise ValidationError(
            _("Aucune méthodologie n'est chargée : lancez « manage.py load_methodology ».")
        )
    project = Project.objects.create(
        federation_id=health_centre.federation_id,
        health_centre=health_centre,
        title=title or _("Projet de système d'information partagé"),
        methodology=methodology,
        created_by=actor,
        step_entered_on=timezone.localdate(),
    )
    _copy_methodology(project, methodology)
    _event(project, actor, EventVerb.CREATED, str(methodology), methodology=methodology.pk)
    figures.forget_steps([project.federation_id])
    audit(
        federation=project.federation,
        actor=actor,
        verb="project_created",
        target=health_centre.name,
        methodology=f"{methodology.code}-{methodology.version}",
    )
    return project


@dataclass(frozen=True)
class TaskTemplate:
    """What a methodology item (or a federation's own item) gives each new project's task."""

    step: int
    title: str
    code: str
    activity_code: str
    activity_title: str
    activity_position: int
    kind: str
    mandatory: bool
    recommendation: str
    resources: str
    source: str
    position: int

    def task(self, **fields: object) -> Task:
        return Task(**asdict(self), **fields)


def methodology_templates(
    methodology: Methodology, federation_ids: list[int]
) -> dict[int, list[TaskTemplate]]:
    """The tasks a new project of each federation gets: the methodology's items in page order,
    then the federation's active items of the same activities (positions 1001…). Three queries
    whatever the number of federations (the national dataset snapshots thousands of projects)."""
    items = list(
        MethodologyItem.objects.filter(activity__methodology=methodology)
        .select_related("activity")
        .order_by("activity__step", "activity__position", "position", "pk")
    )
    activities = {i.activity.code: i.activity for i in items}
    for a in methodology.activities.all():
        activities.setdefault(a.code, a)
    base = [
        TaskTemplate(
            step=i.activity.step,
            title=i.title,
            code=i.code,
            activity_code=i.activity.code,
            activity_title=i.activity.title,
            activity_position=i.activity.position,
            kind=i.kind,
            mandatory=i.mandatory,
            recommendation=i.recommendation,
            resources=i.resources,
            source=i.source,
            position=i.position,
        )
        for i in items
    ]
    extras: dict[int, list[TaskTemplate]] = defaultdict(list)
    for f in FederationItem.objects.filter(
        federation_id__in=federation_ids,
        methodology_code=methodology.code,
        activity_code__in=list(activities),
        is_active=True,
    ).order_by("pk"):
        a = activities[f.activity_code]
        extras[f.federation_id].append(
            TaskTemplate(
                step=a.step,
                title=f.title,
                code=f"federation-{f.pk}",
                activity_code=a.code,
                activity_title=a.title,
                activity_position=a.position,
                kind=f.kind,
                mandatory=f.mandatory,
                recommendation=f.recommendation,
                resources="",
                source="federation",
                position=1000 + len(extras[f.federation_id]) + 1,
            )
        )
    return {fid: base + extras.get(fid, []) for fid in federation_ids}


def _copy_methodology(project: Project, methodology: Methodology) -> None:
    fid = project.federation_id
    tasks = [
        t.task(federation_id=fid, project=project)
        for t in methodology_templates(methodology, [fid])[fid]
    ]
    Task.objects.bulk_create(tasks)
    ProjectChecklistItem.objects.bulk_create(
        [
            ProjectChecklistItem(
                federation_id=project.federation_id,
                project=project,
                checklist=c.checklist,
                code=c.code,
                label=c.label,
                help=c.help,
                position=c.position,
            )
            for c in methodology.checklist_items.all()
        ]
    )


# Tasks ----------------------------------------------------------------------------------------


def _check_task_values(
    task: Task, *, status: str, reason: str, start: date | None, due: date | None
) -> None:
    errors: dict[str, str] = {}
    if status not in TaskStatus.values:
        errors["status"] = _("Statut inconnu : « %(status)s ».") % {"status": status}
    elif status == TaskStatus.NOT_APPLICABLE:
        if not reason.strip():
            errors["not_applicable_reason"] = _(
                "Dites pourquoi cette tâche est sans objet pour votre MSP."
            )
        elif task.mandatory:
            errors["status"] = _(
                "Cette tâche est obligatoire pour franchir l'étape : elle ne peut pas être "
                "sans objet. Demandez à la fédération ou au DIM si elle ne vous concerne pas."
            )
    if start and due and due < start:
        errors["due_date"] = _("L'échéance ne peut pas précéder la date de début.")
    if errors:
        raise ValidationError(errors)


def _apply_status(task: Task, status: str, reason: str) -> list[str]:
    fields = ["status", "not_applicable_reason"]
    if status != task.status:
        task.completed_at = timezone.now() if status in (TaskStatus.DONE,) else None
        fields.append("completed_at")
    task.status = status
    task.not_applicable_reason = reason.strip() if status == TaskStatus.NOT_APPLICABLE else ""
    return fields


@transaction.atomic
def task_set_status(*, actor, task: Task, status: str, reason: str = "") -> Task:  # noqa: ANN001
    """Change only the task's status (its row only: nothing else of the project is written)."""
    _check_task_values(task, status=status, reason=reason, start=None, due=None)
    old = task.status
    fields = _apply_status(task, status, reason)
    task.updated_by = actor
    task.save(update_fields=[*fields, "updated_by", "updated_at"])
    if old != status:
        _event(
            task.project,
            actor,
            EventVerb.TASK_STATUS,
            task.title,
            task=task.pk,
            old=old,
            new=status,
        )
    return task


@transaction.atomic
def task_update(
    *,
    actor,  # noqa: ANN001
    task: Task,
    status: str,
    owner: Membership | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    notes: str = "",
    not_applicable_reason: str = "",
) -> Task:
    _check_task_values(
        task, status=status, reason=not_applicable_reason, start=start_date, due=due_date
    )
    if owner is not None and (
        owner.health_centre_id != task.project.health_centre_id
        or owner.federation_id != task.federation_id
    ):
        raise ValidationError({"owner": _("Le responsable doit être une personne de la MSP.")})
    old = task.status
    fields = _apply_status(task, status, not_applicable_reason)
    task.owner = owner
    task.start_date = start_date
    task.due_date = due_date
    task.notes = notes
    task.updated_by = actor
    task.save(
        update_fields=[
            *fields,
            "owner",
            "start_date",
            "due_date",
            "notes",
            "updated_by",
            "updated_at",
        ]
    )
    if old != status:
        _event(
            task.project,
            actor,
            EventVerb.TASK_STATUS,
            task.title,
            task=task.pk,
            old=old,
            new=status,
        )
    else:
        _event(task.project, actor, EventVerb.TASK_UPDATED, task.title, task=task.pk)
    return task


@transaction.atomic
def evidence_add(*, actor, task: Task, uploaded) -> TaskEvidence:  # noqa: ANN001
    """Store an evidence file after checking its size and its type (extension and content)."""
    _ext, content_type = check_evidence(uploaded)
    name = (uploaded.name or "fichier").rsplit("/", 1)[-1][:200]
    evidence = TaskEvidence(
        federation_id=task.federation_id,
        task=task,
        original_name=name,
        size=uploaded.size,
        content_type=content_type,
        uploaded_by=actor,
    )
    evidence.file.save(name, uploaded, save=False)
    evidence.save()
    figures.forget_evidence(task)
    _event(task.project, actor, EventVerb.EVIDENCE, f"{task.title} — {name}", task=task.pk)
    return evidence


def evidence_download_log(*, actor, evidence: TaskEvidence) -> None:  # noqa: ANN001
    audit(
        federation=evidence.task.project.federation,
        actor=actor,
        verb="evidence_downloaded",
        target=evidence.original_name,
        evidence=evidence.pk,
        task=evidence.task_id,
    )


# Contract checklist and chosen software -------------------------------------------------------


@transaction.atomic
def checklist_update(
    *,
    actor,  # noqa: ANN001
    project: Project,
    checked: dict[int, bool],
    notes: dict[int, str],
) -> int:
    """Tick or untick items of the project's contract checklist; returns how many changed."""
    items = list(project.checklist.select_for_update().all())
    changed = 0
    now = timezone.now()
    for item in items:
        is_checked = bool(checked.get(item.pk, False))
        note = (notes.get(item.pk) or "").strip()[:300]
        if (item.is_checked, item.note) == (is_checked, note):
            continue
        item.is_checked = is_checked
        item.note = note
        item.checked_at = now if is_checked else None
        item.checked_by = actor if is_checked else None
        item.save(update_fields=["is_checked", "note", "checked_at", "checked_by"])
        changed += 1
    if changed:
        done = sum(1 for i in items if i.is_checked)
        _event(
            project,
            actor,
            EventVerb.CONTRACT,
            _("%(done)s point(s) sur %(total)s couverts") % {"done": done, "total": len(items)},
            done=done,
            total=len(items),
        )
    return changed


@transaction.atomic
def project_choose_software(*, actor, project: Project, software) -> Project:  # noqa: ANN001
    if software is not None and not software.is_active:
        raise ValidationError({"software": _("Ce logiciel n'est plus commercialisé.")})
    if project.chosen_software_id == (software.pk if software else None):
        return project
    Project.objects.filter(pk=project.pk).update(
        chosen_software=software, updated_at=timezone.now()
    )
    project.chosen_software = software
    _event(
        project,
        actor,
        EventVerb.SOFTWARE_CHOSEN,
        str(software) if software else _("aucun"),
        software=software.pk if software else None,
    )
    audit(
        federation=project.federation,
        actor=actor,
        verb="project_software_chosen",
        target=project.health_centre.name,
        software=str(software) if software else "",
    )
    return project


# Step transitions -----------------------------------------------------------------------------


@transaction.atomic
def project_advance(
    *,
    actor,  # noqa: ANN001
    membership: Membership,
    project: Project,
    force_reason: str = "",
    deployed_on: date | None = None,
) -> Project:
    """Move the project to the next step through the readiness gate. When a blocking criterion
    is not met, only federation staff or the DIM may pass, with a reason (event + audit)."""
    from .selectors import readiness_gate

    project = (
        Project.objects.select_for_update()
        .select_related("federation", "health_centre")
        .get(pk=project.pk)
    )
    gate = readiness_gate(project=project)
    if gate.next_step is None:
        raise ValidationError(_("Le projet est déjà à la dernière étape."))
    force_reason = force_reason.strip()
    forced = not gate.is_met
    if forced:
        if membership.role not in (Role.STAFF, Role.DIM):
            raise ValidationError(
                _(
                    "Tous les critères ne sont pas remplis : "
                    "l'étape ne peut pas encore être franchie."
                )
            )
        if not force_reason:
            raise ValidationError(
                {
                    "reason": _(
                        "Les critères ne sont pas tous remplis : indiquez pourquoi vous faites "
                        "passer l'étape malgré tout."
                    )
                }
            )
    old = project.current_step
    new = gate.next_step
    fields = {
        "current_step": new,
        "step_entered_on": timezone.localdate(),
        "updated_at": timezone.now(),
    }
    if new == Step.AFTER:
        fields["deployed_on"] = deployed_on or timezone.localdate()
    updated = Project.objects.filter(pk=project.pk, current_step=old).update(**fields)
    if not updated:  # pragma: no cover - guarded by select_for_update
        raise ValidationError(_("Le projet a changé entre-temps : rechargez la page."))
    for key, value in fields.items():
        setattr(project, key, value)
    figures.forget_steps([project.federation_id])
    unmet = [c.label for c in gate.criteria if c.blocking and not c.met]
    _event(
        project,
        actor,
        EventVerb.GATE_FORCED if forced else EventVerb.STEP_CHANGED,
        force_reason if forced else Step(new).label,
        old=old,
        new=new,
        reason=force_reason,
        unmet=[str(u) for u in unmet],
    )
    audit(
        federation=project.federation,
        actor=actor,
        verb="project_gate_forced" if forced else "project_step_changed",
        target=project.health_centre.name,
        old=old,
        new=new,
        reason=force_reason,
        unmet=[str(u) for u in unmet],
    )
    return project


# Team -----------------------------------------------------------------------------------------


def needs_pair_of_leads(project: Project) -> bool:
    return project.health_centre.professionals_count > PAIR_OF_LEADS_ABOVE


@transaction.atomic
def team_add(
    *,
    actor,  # noqa: ANN001
    project: Project,
    role: str,
    membership: Membership | None = None,
    profession: str = "",
    designated_on: date | None = None,
    contact_name: str = "",
    contact_details: str = "",
) -> TeamMember:
    errors: dict[str, str] = {}
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Rôle inconnu.")})
    if role == TeamRole.VENDOR_CONTACT:
        if not contact_name.strip():
            errors["contact_name"] = _("Indiquez le nom de l'interlocuteur chez l'éditeur.")
        membership = None
    else:
        if membership is None:
            errors["membership"] = _("Choisissez une personne de la MSP.")
        elif (
            membership.health_centre_id != project.health_centre_id
            or membership.federation_id != project.federation_id
        ):
            errors["membership"] = _("Cette personne ne fait pas partie de la MSP.")
    if role in (TeamRole.REFERENT, TeamRole.SUPER_USER):
        profession = profession or (membership.profession if membership else "")
        if not profession:
            errors["profession"] = _("Indiquez la profession représentée.")
    if role == TeamRole.REFERENT and not designated_on:
        errors["designated_on"] = _("Indiquez la date à laquelle l'équipe l'a désigné(e).")
    if designated_on and designated_on > timezone.localdate():
        errors["designated_on"] = _("La date de désignation ne peut pas être dans le futur.")
    if errors:
        raise ValidationError(errors)
    team = project.team.select_for_update()
    if role == TeamRole.LEAD:
        leads = team.filter(role=TeamRole.LEAD).count()
        limit = 2 if needs_pair_of_leads(project) else 1
        if leads >= limit:
            raise ValidationError(
                {
                    "role": _(
                        "Le projet a déjà son chef de projet. Un binôme n'est prévu qu'au-delà "
                        "de 15 professionnels."
                    )
                    if limit == 1
                    else _("Le projet a déjà son binôme de chefs de projet.")
                }
            )
    if role == TeamRole.REFERENT and team.filter(role=role, profession=profession).exists():
        raise ValidationError(
            {"profession": _("Cette profession a déjà son référent : retirez-le d'abord.")}
        )
    if role in (TeamRole.MSP_CONTACT, TeamRole.VENDOR_CONTACT) and team.filter(role=role).exists():
        raise ValidationError(
            {"role": _("L'interlocuteur unique est déjà désigné : retirez-le d'abord.")}
        )
    if (
        membership is not None
        and team.filter(role=role, membership=membership, profession=profession).exists()
    ):
        raise ValidationError({"membership": _("Cette personne a déjà ce rôle.")})
    member = TeamMember.objects.create(
        federation_id=project.federation_id,
        project=project,
        role=role,
        membership=membership,
        profession=profession,
        designated_on=designated_on,
        contact_name=contact_name.strip(),
        contact_details=contact_details.strip(),
    )
    _event(
        project,
        actor,
        EventVerb.TEAM,
        f"{member.get_role_display()} : {member.person_label}",
        role=role,
    )
    return member


@transaction.atomic
def team_remove(*, actor, member: TeamMember) -> None:  # noqa: ANN001
    project = member.project
    label = f"{member.get_role_display()} : {member.person_label}"
    member.delete()
    _event(project, actor, EventVerb.TEAM, _("retiré(e) — %(who)s") % {"who": label})


# The federation's own methodology items -------------------------------------------------------


@transaction.atomic
def federation_item_add(
    *,
    actor,  # noqa: ANN001
    federation: Federation,
    activity_code: str,
    title: str,
    recommendation: str = "",
    kind: str = ItemKind.TASK,
    mandatory: bool = False,
    methodology_code: str = "asip",
) -> FederationItem:
    """Add an item to the federation's copy of the methodology: projects created from now on
    get it; projects under way and other federations are untouched."""
    methodology = current_methodology(methodology_code)
    if methodology is None or not methodology.activities.filter(code=activity_code).exists():
        raise ValidationError({"activity_code": _("Activité inconnue.")})
    if not title.strip():
        raise ValidationError({"title": _("Indiquez l'intitulé.")})
    item = FederationItem.objects.create(
        federation=federation,
        methodology_code=methodology_code,
        activity_code=activity_code,
        title=title.strip(),
        recommendation=recommendation.strip(),
        kind=kind,
        mandatory=mandatory,
        created_by=actor,
    )
    audit(federation=federation, actor=actor, verb="methodology_item_added", target=item.title)
    return item


@transaction.atomic
def federation_item_disable(*, actor, item: FederationItem) -> None:  # noqa: ANN001
    item.is_active = False
    item.save(update_fields=["is_active"])
    audit(
        federation=item.federation, actor=actor, verb="methodology_item_disabled", target=item.title
    )
