"""The figures of the follow-up lists (federation, DIM, API, exports): read for the rows shown
only, kept per project in the cache, forgotten by the services that change a project's tasks
or timeline, and the same as the one-query ``follow_up`` (home panel, API detail)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext_lazy

from config.display import Counted, LongDates
from projects import figures, selectors, services
from projects.models import Project, ProjectEvent, Task, TaskStatus
from tests.factories import HealthCentreFactory
from tests.projects.factories import small_methodology

pytestmark = pytest.mark.django_db


def _client(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def _projects(world, n: int = 6) -> list[Project]:  # noqa: ANN001
    """``n`` projects with varied tasks: statuses, due dates in the past and the future,
    milestones with and without a due date, one project without any task."""
    methodology = small_methodology()
    today = timezone.localdate()
    projects = []
    for k in range(n):
        centre = HealthCentreFactory(federation=world.federation_a, name=f"MSP Chiffres {k}")
        project = Project.objects.create(
            federation=world.federation_a,
            health_centre=centre,
            methodology=methodology,
            current_step=1 + k % 3,
        )
        projects.append(project)
        if k == n - 1:
            continue  # no task at all
        Task.objects.bulk_create(
            Task(
                federation=world.federation_a,
                project=project,
                step=1 + t % 3,
                activity_position=t % 2,
                title=f"Tâche {k}-{t}",
                kind="milestone" if t % 4 == k % 4 else "task",
                status=["todo", "in_progress", "done", "not_applicable"][(t + k) % 4],
                not_applicable_reason="x" if (t + k) % 4 == 3 else "",
                due_date=None if t % 5 == 0 else today + timedelta(days=(t * 7 + k) % 40 - 20),
                position=20 - t,
            )
            for t in range(12 + k)
        )
        if k % 2:
            ProjectEvent.objects.create(
                federation=world.federation_a, project=project, verb="created", summary="x"
            )
    world.memberships["dim_a"].assigned_centres.add(*[p.health_centre for p in projects])
    return projects


FIELDS = (
    "tasks_total",
    "tasks_closed",
    "progress",
    "overdue",
    "next_milestone_title",
    "next_milestone_due",
    "next_due_title",
    "next_due_date",
    "last_activity",
)


def _sql(membership, today: date) -> dict[int, tuple]:  # noqa: ANN001
    return {
        p.pk: tuple(getattr(p, f) for f in FIELDS)
        for p in selectors.follow_up(membership=membership, today=today)
    }


def _listed(membership, today: date) -> dict[int, tuple]:  # noqa: ANN001
    rows = selectors.follow_up_page(
        selectors.follow_up_rows(membership=membership, today=today), today
    )
    return {r.pk: tuple(getattr(r, f) for f in FIELDS) for r in rows}


@pytest.mark.parametrize("role", ["staff_a", "dim_a"])
def test_the_lists_show_the_same_figures_as_the_one_query_follow_up(world, role) -> None:  # noqa: ANN001
    _projects(world)
    membership = world.memberships[role]
    today = timezone.localdate()
    expected = _sql(membership, today)
    assert len(expected) >= 7
    assert _listed(membership, today) == expected  # read from the database
    assert _listed(membership, today) == expected  # read from the cache
    later = today + timedelta(days=9)  # overdue counts move with the day, not the cache
    assert _listed(membership, later) == _sql(membership, later)


def test_every_sort_orders_as_the_one_query_follow_up(world) -> None:  # noqa: ANN001
    _projects(world)
    membership = world.memberships["staff_a"]
    for sort in selectors.SORTS:
        for step in (None, 1, 2):
            expected = [
                p.pk for p in selectors.follow_up(membership=membership, step=step, sort=sort)
            ]
            rows = selectors.follow_up_rows(membership=membership, step=step, sort=sort)
            assert [r[0] for r in rows] == expected, (sort, step)


def test_the_figures_are_kept_then_forgotten_when_a_task_or_the_timeline_changes(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    client = _client(world, "staff_a")
    url = reverse("projects:follow_federation", args=["alpha"])

    def shown() -> selectors.FollowUpRow:
        page = client.get(url).context["page"]
        return next(r for r in page.object_list if r.pk == project.pk)

    shown()  # the session is written on the first page of the federation
    figures.forget(Project.objects.all())
    with CaptureQueriesContext(connection) as cold:
        before = shown()
    with CaptureQueriesContext(connection) as warm:
        assert shown() == before
    assert len(warm) == len(cold) - 3  # counts, next tasks, latest event: from the cache
    # A task ticked on the project page.
    task = project.tasks.filter(status=TaskStatus.TODO).first()
    member = _client(world, "coordinator_a")
    member.post(reverse("projects:task_status", args=["alpha", task.pk]), {"status": "done"})
    after = shown()
    assert after.tasks_closed == before.tasks_closed + 1
    assert after.progress > before.progress
    # A due date set on the task page: the next due task and the overdue count follow.
    other = project.tasks.filter(status=TaskStatus.TODO).exclude(pk=task.pk).first()
    yesterday = timezone.localdate() - timedelta(days=1)
    member.post(
        reverse("projects:task", args=["alpha", other.pk]),
        {"status": "todo", "due_date": yesterday.isoformat()},
    )
    after = shown()
    assert (after.next_due_title, after.next_due_date) == (other.title, yesterday)
    assert after.overdue == before.overdue + 1
    # Any event of the timeline (here the team) moves the last activity.
    ProjectEvent.objects.filter(project=project).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    figures.forget([project])
    assert shown().days_idle == 30
    services.team_remove(actor=world.users["coordinator_a"], member=world.objects["team_member"])
    assert shown().days_idle == 0


def test_a_project_made_again_with_the_same_id_never_reads_the_kept_figures(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    created = project.created_at
    assert figures.key(project.pk, created) != figures.key(
        project.pk, created + timedelta(microseconds=1)
    )


def test_the_api_list_gives_the_figures_of_the_one_query_follow_up(world) -> None:  # noqa: ANN001
    _projects(world)
    client = _client(world, "staff_a")
    listed = client.get("/api/v1/federations/alpha/projets/").json()["results"]
    expected = {p.pk: p for p in selectors.follow_up(membership=world.memberships["staff_a"])}
    assert [r["id"] for r in listed] == list(expected)  # by MSP name
    for r in listed:
        p = expected[r["id"]]
        assert (r["progress"], r["tasks_total"], r["tasks_closed"], r["overdue"]) == (
            p.progress,
            p.tasks_total,
            p.tasks_closed,
            p.overdue,
        )
        assert r["health_centre"] == p.health_centre.name
        assert r["chosen_software"] == (p.chosen_software.slug if p.chosen_software else None)
        detail = client.get(f"/api/v1/federations/alpha/projets/{p.pk}/").json()
        assert detail == r


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_texts_of_the_rows_are_those_of_the_template_filters(language) -> None:  # noqa: ANN001
    from django.template import Context, Template

    template = Template(
        '{% load i18n %}{{ d|date:"j F Y" }}|'
        "{% blocktranslate count n=n %}{{ n }} jour{% plural %}{{ n }} jours"
        "{% endblocktranslate %}"
    )
    with translation.override(language):
        long_date = LongDates()
        days = Counted(ngettext_lazy("%(n)s jour", "%(n)s jours", "n"))
        for d, n in [(date(2026, 1, 1), 0), (date(2026, 8, 15), 1), (date(2027, 12, 31), 12)]:
            assert f"{long_date(d)}|{days(n)}" == template.render(Context({"d": d, "n": n}))
        assert long_date(None) == days(None) == ""


@pytest.mark.parametrize("extra", [0, 40])
def test_the_counts_by_step_are_those_of_every_project_seen(world, extra) -> None:  # noqa: ANN001
    """Read from the first page when every project fits in it (no query of their own), from
    the database otherwise; the same either way."""
    from tests.projects.test_pagination import many_projects

    _projects(world)
    if extra:
        many_projects(world, extra)
    for role, name in [("staff_a", "follow_federation"), ("dim_a", "follow_assigned")]:
        client = _client(world, role)
        url = reverse(f"projects:{name}", args=["alpha"])
        expected = {1: 0, 2: 0, 3: 0}
        for step in Project.objects.visible_to(world.memberships[role]).values_list(
            "current_step", flat=True
        ):
            expected[step] += 1
        for params in ({}, {"etape": 2}, {"page": 2}):
            context = client.get(url, params).context
            assert {value: n for value, _label, n in context["steps"]} == expected
            total = expected[2] if "etape" in params else sum(expected.values())
            assert context["page"].paginator.count == total


def test_the_staff_counts_by_step_are_kept_until_a_project_is_created_moved_or_deleted(world):  # noqa: ANN001
    from tests.factories import HealthCentreFactory as Centre

    staff = world.memberships["staff_a"]

    def counts() -> dict[int, int]:
        return selectors.step_counts(membership=staff)

    def truth() -> dict[int, int]:
        found = {1: 0, 2: 0, 3: 0}
        for step in Project.objects.filter(federation=world.federation_a).values_list(
            "current_step", flat=True
        ):
            found[step] += 1
        return found

    assert counts() == truth() == {1: 1, 2: 0, 3: 0}
    with CaptureQueriesContext(connection) as ctx:
        assert counts() == truth()
    assert len(ctx) == 1  # the truth only: the counts are kept
    created = services.project_create(
        actor=world.users["staff_a"],
        membership=staff,
        health_centre=Centre(federation=world.federation_a),
        methodology=small_methodology(),
    )
    assert counts() == truth() == {1: 2, 2: 0, 3: 0}
    services.project_advance(
        actor=world.users["staff_a"], membership=staff, project=created, force_reason="Vu"
    )
    assert counts() == truth() == {1: 1, 2: 1, 3: 0}
    created.health_centre.delete()
    assert counts() == truth() == {1: 1, 2: 0, 3: 0}
    # Another federation's counts are its own.
    beta = Project.objects.filter(federation=world.federation_b).count()
    assert selectors.step_counts(membership=world.memberships["staff_b"])[1] == beta


@pytest.mark.parametrize("step", [None, 2])
def test_the_column_headers_sort_by_them_then_the_other_way(world, step) -> None:  # noqa: ANN001
    client = _client(world, "staff_a")
    url = reverse("projects:follow_federation", args=["alpha"])
    kept = f"&etape={step}" if step else ""
    first = {"msp": "msp", "step": "step", "progress": "-progress", "overdue": "-overdue"}
    first["activity"] = "activity"
    for sort in selectors.SORTS:
        params = {"tri": sort, **({"etape": step} if step else {})}
        body = client.get(url, params).content.decode()
        thead = body[body.index("<thead>") : body.index("</thead>")]
        for order in first.values():
            target = (order[1:] if order[0] == "-" else f"-{order}") if sort == order else order
            assert f'href="?tri={target}{kept}"' in thead, (sort, order)
