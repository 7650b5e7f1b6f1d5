"""The project page: its tasks, team and timeline are kept per project in the cache (shared by
everyone who may see the project) and read again as soon as a service changes them or a
person's name may have changed; what the page shows is what the database holds."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from projects import figures, selectors, services
from projects.models import Project, ProjectEvent, Task, TaskStatus, TeamRole

pytestmark = pytest.mark.django_db


def _client(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def _page(client: Client, project: Project, step: int | None = None) -> str:
    url = reverse("projects:detail", args=["alpha", project.pk])
    return client.get(url, {"etape": step} if step else {}).content.decode()


def test_the_page_shows_the_tasks_team_and_timeline_of_the_database(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    task = world.objects["task"]
    owner = world.memberships["member_a"]
    yesterday = timezone.localdate() - timedelta(days=1)
    Task.objects.filter(pk=task.pk).update(owner=owner, due_date=yesterday)
    figures.forget([project])
    body = _page(_client(world, "staff_a"), project)
    item = body[body.index(f'id="tache-{task.pk}"') :]
    item = item[: item.index("</li>")]
    assert task.title in item
    assert owner.user.get_full_name() in item
    with translation.override("fr"):
        from django.utils.formats import date_format

        assert f"en retard depuis le {date_format(yesterday, 'j F Y')}" in item
    assert "1 justificatif" in item  # the world's evidence
    assert reverse("projects:task_status", args=["alpha", task.pk]) in item
    # Only the shown step's tasks; every one of them.
    shown = Task.objects.filter(project=project, step=project.current_step)
    assert sorted(int(pk) for pk in re.findall(r'id="tache-(\d+)"', body)) == sorted(
        shown.values_list("pk", flat=True)
    )
    # Team and timeline (latest first, 15 at most).
    assert "Chef de projet" in body
    assert world.users["coordinator_a"].get_full_name() in body
    events = ProjectEvent.objects.filter(project=project)
    assert body.count("<time datetime=") == min(events.count(), 15)
    from django.template import Context, Template

    shown = Template('<time datetime="{{ d|date:\'c\' }}">{{ d|date:"j F Y H:i" }}</time>')
    with translation.override("fr"):
        assert shown.render(Context({"d": events.first().created_at})) in body


def test_a_closed_task_has_no_mark_done_form(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    task = world.objects["task"]
    services.task_set_status(actor=world.users["coordinator_a"], task=task, status="done")
    body = _page(_client(world, "member_a"), project)
    assert reverse("projects:task_status", args=["alpha", task.pk]) not in body
    assert "Fait</span>" in body


def test_what_is_kept_is_read_again_when_a_service_changes_it(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    client = _client(world, "coordinator_a")
    _page(client, project)  # the session is written on the first page of the federation
    figures.forget([project])
    with CaptureQueriesContext(connection) as cold:
        _page(client, project)
    with CaptureQueriesContext(connection) as warm:
        _page(client, project)
    assert len(warm) == len(cold) - 4  # tasks, team, timeline, methodology: from the cache
    # A task ticked from the page.
    task = project.tasks.filter(step=project.current_step, status=TaskStatus.TODO).first()
    client.post(reverse("projects:task_status", args=["alpha", task.pk]), {"status": "done"})
    body = _page(client, project)
    assert reverse("projects:task_status", args=["alpha", task.pk]) not in body
    # Evidence added on the task page.
    count = task.evidence.count()
    client.post(
        reverse("projects:evidence_upload", args=["alpha", task.pk]),
        {"file": SimpleUploadedFile("note.txt", b"Compte rendu.\n")},
    )
    assert f"{count + 1} justificatif" in _page(client, project)
    # Someone added to the team.
    services.team_add(
        actor=world.users["coordinator_a"],
        project=project,
        role=TeamRole.SUPER_USER,
        membership=world.memberships["member_a"],
    )
    assert "Super-utilisateur" in _page(client, project)


def test_a_new_name_is_shown_at_once_but_a_sign_in_reads_nothing_again(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    client = _client(world, "staff_a")
    _page(client, project)
    person = world.users["coordinator_a"]  # the lead of the team, the actor of the events
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    with CaptureQueriesContext(connection) as ctx:
        _page(client, project)
    assert not any("projects_teammember" in q["sql"] for q in ctx.captured_queries)
    person.first_name = "Renommée"
    person.save()
    assert "Renommée" in _page(client, project)


def test_the_owner_choices_are_the_msp_people_kept_until_a_person_or_membership_changes(
    world,
) -> None:  # noqa: ANN001
    from tests.factories import MembershipFactory

    task = world.objects["task"]
    client = _client(world, "member_a")
    url = reverse("projects:task", args=["alpha", task.pk])

    def owners() -> list[str]:
        body = client.get(url).content.decode()
        select = body[body.index('<select name="owner"') :]
        return re.findall(r'<option value="(\d*)"', select[: select.index("</select>")])

    people = [
        str(pk) for pk in selectors.msp_people(project=task.project).values_list("pk", flat=True)
    ]
    assert owners() == ["", *people]
    newcomer = MembershipFactory(
        federation=world.federation_a, role="member", health_centre=world.centre_a
    )
    assert str(newcomer.pk) in owners()
    newcomer.is_active = False
    newcomer.save()
    assert str(newcomer.pk) not in owners()
    newcomer.delete()
    person = world.users["member_a"]
    person.last_name = "Nouveau-Nom"
    person.save()
    assert "Nouveau-Nom" in client.get(url).content.decode()
    # What is posted is still checked against the MSP's people.
    response = client.post(url, {"status": "todo", "owner": world.memberships["member_a2"].pk})
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_task_page_lists_a_new_evidence_file_at_once(world) -> None:  # noqa: ANN001
    task = world.objects["task"]
    client = _client(world, "coordinator_a")
    url = reverse("projects:task", args=["alpha", task.pk])
    assert "compte-rendu.txt" in client.get(url).content.decode()  # now kept
    client.post(
        reverse("projects:evidence_upload", args=["alpha", task.pk]),
        {"file": SimpleUploadedFile("releve.txt", b"Releve de decisions.\n")},
    )
    body = client.get(url).content.decode()
    assert "compte-rendu.txt" in body and "releve.txt" in body
    person = world.users["coordinator_a"]
    person.first_name = "Déposante"
    person.save()
    assert "Déposante" in client.get(url).content.decode()


def test_the_page_names_the_methodology_and_a_new_title_at_once(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    client = _client(world, "member_a")
    methodology = project.methodology
    assert f"Méthodologie : {methodology}" in _page(client, project)
    methodology.title = "Méthode révisée"
    methodology.save(update_fields=["title"])
    assert "Méthodologie : Méthode révisée (" in _page(client, project)


def test_a_new_name_of_the_msp_or_of_the_software_is_shown_at_once(world) -> None:  # noqa: ANN001
    project = world.objects["project"]
    services.project_choose_software(
        actor=world.users["coordinator_a"], project=project, software=world.software_x
    )
    client = _client(world, "dim_a")
    body = _page(client, project)
    assert f"<h1>{project.health_centre.name}</h1>" in body
    assert f"Logiciel retenu : {world.software_x.name}" in body
    centre = project.health_centre
    centre.name = "MSP Renommée"
    centre.save()
    assert "<h1>MSP Renommée</h1>" in _page(client, project)
    software = world.software_x
    software.label_level = software.label_level  # another field: nothing read again
    software.save(update_fields=["label_level"])
    software.name = "Logiciel Renommé"
    software.save(update_fields=["name"])
    assert "Logiciel retenu : Logiciel Renommé" in _page(client, project)


def test_the_gate_on_the_page_counts_the_chosen_software(world) -> None:  # noqa: ANN001
    project = world.objects["project"]  # step 1: software, contract and maturity criteria
    client = _client(world, "coordinator_a")
    gate = client.get(reverse("projects:detail", args=["alpha", project.pk])).context["gate"]
    software = next(c for c in gate.criteria if c.where == "contract" and "logiciel" in c.label)
    assert not software.met
    services.project_choose_software(
        actor=world.users["coordinator_a"], project=project, software=world.software_x
    )
    gate = client.get(reverse("projects:detail", args=["alpha", project.pk])).context["gate"]
    software = next(c for c in gate.criteria if c.where == "contract" and "logiciel" in c.label)
    assert software.met and software.detail == world.software_x.name
    assert (
        gate.criteria
        == selectors.readiness_gate(project=Project.objects.get(pk=project.pk)).criteria
    )
