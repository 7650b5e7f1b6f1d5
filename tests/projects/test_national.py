"""The projects stage of the national dataset: one project per MSP at every step, the
methodology snapshot of the project-creation service, statuses consistent with the step, people
of the project's own MSP, the same data for the same seed, grow mode, and pages that open."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from federations.models import Federation, HealthCentre
from federations.national import Sizes, generate
from projects.models import (
    AdoptionLevel,
    ChecklistItem,
    DemoScore,
    DeploymentPlan,
    DeploymentWave,
    FederationItem,
    MethodologyItem,
    Need,
    NeedsDocument,
    Project,
    ProjectChecklistItem,
    ProjectEvent,
    ShortlistEntry,
    Step,
    Task,
    TaskEvidence,
    TaskStatus,
    TeamMember,
    TeamRole,
    TrainingSession,
)
from projects.services import current_methodology

SMALL = Sizes(
    federations=2,
    centres=6,
    members=40,
    projects=6,
    campaigns_per_centre=0,
    software=5,
    user_groups=0,
    sessions=0,
    feedback=0,
)


def _quiet(_message: str) -> None:
    pass


@pytest.fixture
def reference(db):  # noqa: ANN001, ANN201
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123


def _snapshot_codes(federation_id: int) -> list[tuple]:
    """What ``services.project_create`` copies, in the order it copies it."""
    methodology = current_methodology()
    items = [
        (i.activity.step, i.activity.code, i.code, i.mandatory, i.kind)
        for i in MethodologyItem.objects.filter(activity__methodology=methodology)
        .select_related("activity")
        .order_by("activity__step", "activity__position", "position", "pk")
    ]
    activities = dict(methodology.activities.values_list("code", "step"))
    extra = FederationItem.objects.filter(
        federation_id=federation_id, methodology_code=methodology.code, is_active=True
    ).order_by("pk")
    items += [
        (activities[f.activity_code], f.activity_code, f"federation-{f.pk}", f.mandatory, f.kind)
        for f in extra
        if f.activity_code in activities
    ]
    return items


def _tasks_of(project: Project) -> list[tuple]:
    return [
        (t.step, t.activity_code, t.code, t.mandatory, t.kind)
        for t in project.tasks.order_by("pk")  # the order the service copies them in
    ]


def _assert_consistent(project: Project) -> None:
    """Statuses, dates and owners as a team working through the steps would leave them."""
    people = set(project.health_centre.memberships.values_list("pk", flat=True))
    now = timezone.now()
    for t in project.tasks.all():
        where = f"{project.health_centre} / {t.code} ({t.status})"
        assert (t.status == TaskStatus.DONE) == (t.completed_at is not None), where
        if t.completed_at:
            assert t.completed_at <= now, where
        if t.status == TaskStatus.NOT_APPLICABLE:
            assert not t.mandatory and t.not_applicable_reason, where
        if t.step < project.current_step:
            assert t.status in (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE), where
            if t.mandatory:
                assert t.status == TaskStatus.DONE, where
        if t.step > project.current_step:
            assert t.status == TaskStatus.TODO, where
        if t.owner_id:
            assert t.owner_id in people, where
        if t.start_date and t.due_date:
            assert t.start_date <= t.due_date, where
    for member in project.team.exclude(membership=None):
        assert member.membership_id in people


def test_a_small_run_gives_every_msp_a_project_at_every_step(reference):  # noqa: ANN001
    ctx = generate(sizes=SMALL, seed=3, log=_quiet)
    centres = {c.pk for c in ctx.centres}
    projects = list(
        Project.objects.filter(health_centre__in=centres).select_related("health_centre")
    )
    assert len(projects) == 6
    assert ctx.shared["projects"] == {p.health_centre_id: p.pk for p in projects}
    assert Counter(p.current_step for p in projects) == {1: 2, 2: 2, 3: 2}
    today = timezone.localdate()
    for project in projects:
        assert _tasks_of(project) == _snapshot_codes(project.federation_id)
        assert sorted(project.checklist.values_list("checklist", "code")) == sorted(
            ChecklistItem.objects.filter(methodology=current_methodology()).values_list(
                "checklist", "code"
            )
        )
        _assert_consistent(project)
        assert project.team.filter(role=TeamRole.LEAD).exists()
        if project.current_step >= Step.DURING:
            assert project.chosen_software is not None and project.chosen_software.is_active
            assert not project.checklist.filter(is_checked=False, checklist="contrat").exists()
            assert NeedsDocument.objects.filter(project=project).exists()
            assert DeploymentPlan.objects.filter(project=project).exists()
        if project.current_step == Step.AFTER:
            assert project.deployed_on <= today and project.step_entered_on == project.deployed_on
            assert project.team.filter(role=TeamRole.VENDOR_CONTACT).exists()
            assert AdoptionLevel.objects.filter(project=project).exists()
        else:
            assert project.deployed_on is None
    assert sorted(ctx.shared["deployed"]) == sorted(
        (p.health_centre_id, p.chosen_software_id, p.deployed_on)
        for p in projects
        if p.current_step == Step.AFTER
    )
    # Evidence rows point at a file the storage holds.
    evidence = TaskEvidence.objects.filter(task__project__in=projects)
    assert evidence.exists()
    assert all(e.task.status == TaskStatus.DONE for e in evidence.select_related("task"))
    assert all(e.file.storage.exists(e.file.name) for e in evidence)


def test_the_benchmark_msp_has_a_rich_step_2_project(reference):  # noqa: ANN001
    ctx = generate(sizes=SMALL, seed=3, log=_quiet)
    centre = ctx.centres_of(ctx.federations[0])[0]
    project = Project.objects.get(health_centre=centre)
    assert project.current_step == Step.DURING
    assert project.chosen_software is not None
    assert Need.objects.filter(project=project, capability__isnull=False).count() >= 5
    assert ShortlistEntry.objects.filter(project=project).count() == 4
    assert DemoScore.objects.filter(session__project=project).exists()
    assert DeploymentWave.objects.filter(project=project).count() >= 2
    assert TrainingSession.objects.filter(project=project).exists()
    roles = set(project.team.values_list("role", flat=True))
    assert {TeamRole.LEAD, TeamRole.REFERENT, TeamRole.SUPER_USER} <= roles
    assert TaskEvidence.objects.filter(task__project=project).exists()
    assert ProjectEvent.objects.filter(project=project).count() >= 5
    done = project.tasks.filter(step=Step.DURING, status=TaskStatus.DONE).count()
    assert 0 < done < project.tasks.filter(step=Step.DURING).count()
    assert project.tasks.filter(step=Step.DURING, status=TaskStatus.IN_PROGRESS).exists()


def _digest(federation_slugs: list[str]) -> str:
    """The generated project rows without ids or timestamps, people by e-mail, MSPs by name."""
    rows: list = []
    projects = Project.objects.filter(federation__slug__in=federation_slugs)
    rows += projects.values_list(
        "health_centre__name",
        "current_step",
        "chosen_software__slug",
        "deployed_on",
        "step_entered_on",
        "created_by__email",
    )
    rows += Task.objects.filter(project__in=projects).values_list(
        "project__health_centre__name",
        "code",
        "status",
        "owner__user__email",
        "start_date",
        "due_date",
        "not_applicable_reason",
        "notes",
    )
    rows += TeamMember.objects.filter(project__in=projects).values_list(
        "project__health_centre__name",
        "role",
        "membership__user__email",
        "profession",
        "contact_name",
        "designated_on",
    )
    rows += Need.objects.filter(project__in=projects).values_list(
        "project__health_centre__name", "profession", "title", "priority", "capability__code"
    )
    rows += DemoScore.objects.filter(session__project__in=projects).values_list(
        "session__project__health_centre__name",
        "session__software__slug",
        "use_case__standard_code",
        "profession",
        "score",
    )
    rows += DeploymentWave.objects.filter(project__in=projects).values_list(
        "project__health_centre__name", "label", "start", "end"
    )
    rows += TrainingSession.objects.filter(project__in=projects).values_list(
        "project__health_centre__name", "profession", "level", "date", "hours"
    )
    rows += TaskEvidence.objects.filter(task__project__in=projects).values_list(
        "task__project__health_centre__name", "task__code", "original_name", "file"
    )
    rows += ProjectChecklistItem.objects.filter(project__in=projects).values_list(
        "project__health_centre__name", "code", "is_checked", "note"
    )
    rows += ProjectEvent.objects.filter(project__in=projects).values_list(
        "project__health_centre__name", "verb", "summary", "actor__email"
    )
    text = "\n".join(sorted(repr(tuple(r)) for r in rows))
    return hashlib.sha256(text.encode()).hexdigest()


def _fresh_run(seed: int) -> str:
    with transaction.atomic():
        ctx = generate(sizes=SMALL, seed=seed, log=_quiet)
        digest = _digest([f.slug for f in ctx.federations])
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_projects(reference):  # noqa: ANN001
    first = _fresh_run(3)
    assert not Project.objects.exists()
    assert _fresh_run(3) == first
    assert _fresh_run(4) != first


def test_grow_mode_adds_projects_only_to_the_new_msps(world):  # noqa: ANN001
    existing = {p.pk: p.health_centre_id for p in Project.objects.all()}
    before_tasks = Task.objects.count()
    federations = [world.federation_a, world.federation_b]
    sizes = Sizes(**{**SMALL.__dict__, "centres": 4, "members": 20, "projects": 4})
    ctx = generate(sizes=sizes, seed=5, log=_quiet, federations=federations)
    new = {c.pk for c in ctx.centres}
    assert len(new) == 4
    assert {p.pk: p.health_centre_id for p in Project.objects.exclude(health_centre__in=new)} == (
        existing
    )
    assert Task.objects.exclude(project__health_centre__in=new).count() == before_tasks
    assert not Project.objects.filter(health_centre=world.centre_a2).exists()
    projects = list(Project.objects.filter(health_centre__in=new))
    assert len(projects) == 4
    for project in projects:
        # The federation's own items are copied, as by the service (alpha has one).
        assert _tasks_of(project) == _snapshot_codes(project.federation_id)
        _assert_consistent(project)
    alpha = [p for p in projects if p.federation_id == world.federation_a.pk]
    assert alpha and all(p.tasks.filter(source="federation").count() == 1 for p in alpha)


def test_a_generated_project_opens_for_the_federation_staff(reference):  # noqa: ANN001
    ctx = generate(sizes=SMALL, seed=3, log=_quiet)
    projects = Project.objects.filter(health_centre__in=[c.pk for c in ctx.centres])
    for project in projects.order_by("current_step", "pk"):
        federation = Federation.objects.get(pk=project.federation_id)
        client = Client()
        client.force_login(ctx.staff[federation.pk][0].user)
        slug = federation.slug
        task = project.tasks.filter(evidence__isnull=False).first() or project.tasks.first()
        urls = [
            reverse("projects:detail", args=[slug, project.pk]),
            reverse("projects:task", args=[slug, task.pk]),
            reverse("projects:team", args=[slug, project.pk]),
            reverse("projects:gate", args=[slug, project.pk]),
            reverse("projects:contract", args=[slug, project.pk]),
        ]
        for name in ("planning", "needs", "demos", "deployment", "training", "vendor_requests"):
            urls.append(
                reverse(
                    f"projects:{name}", kwargs={"federation_slug": slug, "project_pk": project.pk}
                )
            )
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (project.current_step, url)
        assert str(project.health_centre.name) in client.get(urls[0]).content.decode()
        evidence = TaskEvidence.objects.filter(task__project=project).first()
        if evidence is not None:
            response = client.get(reverse("projects:evidence_download", args=[slug, evidence.pk]))
            assert response.status_code == 200
            assert len(b"".join(response.streaming_content)) == evidence.size
    first = HealthCentre.objects.get(pk=ctx.centres_of(ctx.federations[0])[0].pk)
    coordinator = Client()
    coordinator.force_login(ctx.coordinator(first).user)
    response = coordinator.get(reverse("projects:mine", args=[ctx.federations[0].slug]))
    assert response.status_code == 200
