"""Demo data of the projects app: a project for each demo MSP of federations/data/demo.yaml.
MSPs that chose a software are in Étape 3 (in use, ``deployed_on`` set) — one in Étape 2 —;
the others are in Étape 1 with a few tasks done. Idempotent: an existing project is left as it
is. The planning sections add theirs in ``demo_planning.py``."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from federations.demo import read_demo
from federations.models import Federation, HealthCentre, Membership
from federations.roles import Role
from vendors.models import Software, Vendor

from . import figures, services
from .models import (
    EventVerb,
    Project,
    ProjectChecklistItem,
    ProjectEvent,
    Step,
    Task,
    TaskStatus,
    TeamMember,
    TeamRole,
)

#: Names used only when the catalogue does not hold the software yet (the demo never fails).
FALLBACK_NAMES = {
    "hellodoc": "Hellodoc",
    "weda": "WEDA",
    "chorus": "Chorus",
    "axisante-msp": "Axisanté MSP",
    "crossway-galaxie": "Crossway Galaxie",
    "monlogiciel-medicalcom": "MonLogicielMedical.com",
    "medistory": "Médistory",
}
#: Demo MSPs still deploying (Étape 2); outside FEMASNORD so its regional counts of deployed
#: software (section "iv." of the thesis) hold.
DURING = {"MSP de Montreuil Bel-Air", "MSP de Saint-Denis Pleyel"}


def _software(slug: str) -> Software:
    software = Software.objects.filter(slug=slug).first()
    if software is not None:
        return software
    name = FALLBACK_NAMES.get(slug, slug)
    vendor = Vendor.objects.filter(slug=slug).first() or Vendor.objects.filter(name=name).first()
    if vendor is None:
        vendor = Vendor.objects.create(slug=slug, name=name)
    return Software.objects.create(vendor=vendor, slug=slug, name=name)


def _close(project: Project, steps: list[int], when: date) -> None:
    now = timezone.now()
    Task.objects.filter(project=project, step__in=steps).update(
        status=TaskStatus.DONE, completed_at=now, start_date=when, due_date=when
    )


def load(ctx: dict) -> None:
    from . import demo_planning

    if services.current_methodology() is None:
        from .reference import load_methodologies

        load_methodologies()
    today = timezone.localdate()
    for fed_data in read_demo()["federations"]:
        federation = Federation.objects.get(slug=fed_data["slug"])
        staff = (
            Membership.objects.filter(federation=federation, role=Role.STAFF)
            .select_related("user", "federation")
            .first()
        )
        if staff is None:
            continue
        for n, c in enumerate(fed_data["centres"]):
            centre = HealthCentre.objects.get(federation=federation, name=c["name"])
            if Project.objects.filter(health_centre=centre).exists():
                continue
            project = services.project_create(
                actor=staff.user, membership=staff, health_centre=centre
            )
            _demo_state(project, c.get("software") or "", n, today, staff)
            _demo_team(project, centre)
            figures.forget([project])  # its tasks were set above without the services
            figures.forget_steps([project.federation_id])
    demo_planning.load(ctx)


def _demo_state(project: Project, slug: str, n: int, today: date, staff: Membership) -> None:
    if not slug:
        # Étape 1, a few tasks done, the next ones planned (one overdue).
        first = list(Task.objects.filter(project=project, step=Step.BEFORE)[:4])
        Task.objects.filter(pk__in=[t.pk for t in first[:3]]).update(
            status=TaskStatus.DONE, completed_at=timezone.now()
        )
        if len(first) > 3:
            Task.objects.filter(pk=first[3].pk).update(
                status=TaskStatus.IN_PROGRESS,
                start_date=today - timedelta(days=30),
                due_date=today - timedelta(days=5),
            )
        nxt = Task.objects.filter(project=project, step=Step.BEFORE, status=TaskStatus.TODO)
        for k, task in enumerate(nxt[:3], start=1):
            Task.objects.filter(pk=task.pk).update(due_date=today + timedelta(days=21 * k))
        ProjectEvent.objects.create(
            federation_id=project.federation_id,
            project=project,
            actor=staff.user,
            verb=EventVerb.TASK_STATUS,
            summary=first[0].title if first else "",
        )
        return
    software = _software(slug)
    services.project_choose_software(actor=staff.user, project=project, software=software)
    ProjectChecklistItem.objects.filter(project=project).update(
        is_checked=True, checked_at=timezone.now()
    )
    during = project.health_centre.name in DURING
    deployed = date(2015, 1, 5) + timedelta(days=61 * n)
    if during:
        _close(project, [Step.BEFORE], today - timedelta(days=60))
        Project.objects.filter(pk=project.pk).update(
            current_step=Step.DURING, step_entered_on=today - timedelta(days=45)
        )
        step2 = list(Task.objects.filter(project=project, step=Step.DURING)[:2])
        Task.objects.filter(pk__in=[t.pk for t in step2]).update(
            status=TaskStatus.DONE, completed_at=timezone.now()
        )
        Task.objects.filter(
            project=project, step=Step.DURING, status=TaskStatus.TODO, mandatory=True
        ).update(due_date=today + timedelta(days=30))
    else:
        _close(project, [Step.BEFORE, Step.DURING], deployed - timedelta(days=30))
        Project.objects.filter(pk=project.pk).update(
            current_step=Step.AFTER, deployed_on=deployed, step_entered_on=deployed
        )
        Task.objects.filter(
            Q(code="interlocuteur-structure") | Q(code="interlocuteur-editeur"),
            project=project,
        ).update(status=TaskStatus.DONE, completed_at=timezone.now())
    ProjectEvent.objects.create(
        federation_id=project.federation_id,
        project=project,
        actor=staff.user,
        verb=EventVerb.STEP_CHANGED,
        summary=str(Step(Step.DURING if during else Step.AFTER).label),
    )


def _demo_team(project: Project, centre: HealthCentre) -> None:
    people = Membership.objects.filter(health_centre=centre, is_active=True).select_related("user")
    designated = date(2016, 9, 12)
    for m in people:
        if m.role == Role.COORDINATOR:
            TeamMember.objects.get_or_create(
                federation_id=project.federation_id,
                project=project,
                role=TeamRole.LEAD,
                membership=m,
                defaults={"designated_on": designated},
            )
        elif (
            m.profession
            and not TeamMember.objects.filter(
                project=project, role=TeamRole.REFERENT, profession=m.profession
            ).exists()
        ):
            TeamMember.objects.create(
                federation_id=project.federation_id,
                project=project,
                role=TeamRole.REFERENT,
                membership=m,
                profession=m.profession,
                designated_on=designated,
            )
