from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from federations.models import AuditEvent
from projects import services
from projects.models import (
    EventVerb,
    Project,
    ProjectChecklistItem,
    ProjectEvent,
    Step,
    Task,
    TaskEvidence,
    TaskStatus,
)
from tests.factories import HealthCentreFactory, MembershipFactory
from tests.projects.factories import CONTRACT, small_methodology


def _client(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.django_db
def test_coordinator_creates_the_project_and_the_methodology_is_copied_as_one_unit(world):
    centre = HealthCentreFactory(federation=world.federation_a, name="MSP Gamma")
    coordinator = MembershipFactory(
        federation=world.federation_a, role="coordinator", health_centre=centre
    )
    client = Client()
    client.force_login(coordinator.user)
    response = client.post(reverse("projects:create", args=["alpha"]), {"health_centre": centre.pk})
    project = Project.objects.get(health_centre=centre)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=["alpha", project.pk])
    # The federation's own item (world) is copied with the methodology and its checklist.
    titles = list(project.tasks.values_list("title", flat=True))
    assert "Présenter le projet au conseil de la fédération" in titles
    assert len(titles) == 6 + 1
    assert project.tasks.filter(kind="milestone").count() == 1
    assert list(project.checklist.values_list("code", flat=True)) == CONTRACT
    assert ProjectEvent.objects.filter(project=project, verb=EventVerb.CREATED).exists()
    page = client.get(response["Location"])
    assert "Étape 1" in page.content.decode()


@pytest.mark.django_db
def test_only_the_coordinator_of_that_msp_staff_or_its_dim_create(world):
    # coordinator_a cannot create the project of MSP A2; dim_a does not follow A2.
    for role in ("coordinator_a", "dim_a"):
        with pytest.raises(Exception):  # noqa: B017, PT011
            services.project_create(
                actor=world.users[role],
                membership=world.memberships[role],
                health_centre=world.centre_a2,
            )
    assert not Project.objects.filter(health_centre=world.centre_a2).exists()
    project = services.project_create(
        actor=world.users["staff_a"],
        membership=world.memberships["staff_a"],
        health_centre=world.centre_a2,
    )
    assert project.tasks.exists()


@pytest.mark.django_db
def test_another_federation_items_are_never_copied(world):
    services.federation_item_add(
        actor=world.users["staff_b"],
        federation=world.federation_b,
        activity_code="preparation",
        title="Point propre à Bêta",
    )
    project = services.project_create(
        actor=world.users["staff_a"],
        membership=world.memberships["staff_a"],
        health_centre=world.centre_a2,
    )
    titles = set(project.tasks.values_list("title", flat=True))
    assert "Point propre à Bêta" not in titles
    assert "Présenter le projet au conseil de la fédération" in titles
    # …and an item added later does not touch the project under way.
    services.federation_item_add(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        activity_code="choix",
        title="Ajout tardif",
    )
    assert not project.tasks.filter(title="Ajout tardif").exists()


@pytest.mark.django_db
def test_staff_adds_an_item_on_the_methodology_page(world):
    client = _client(world, "staff_a")
    url = reverse("projects:methodology", args=["alpha"])
    response = client.post(url, {"activity_code": "choix", "title": "", "kind": "task"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(
        url, {"activity_code": "choix", "title": "Visiter le salon", "kind": "task"}
    )
    assert response.status_code == 302
    assert "Visiter le salon" in client.get(url).content.decode()


@pytest.mark.django_db
def test_task_form_refuses_due_before_start_and_na_without_reason(world):
    task = world.objects["task"]
    client = _client(world, "member_a")
    url = reverse("projects:task", args=["alpha", task.pk])
    response = client.post(
        url,
        {"status": "in_progress", "start_date": "2026-05-10", "due_date": "2026-05-01"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "L&#x27;échéance ne peut pas précéder la date de début." in body
    assert 'id="id_due_date_error"' in body
    task.refresh_from_db()
    assert (task.status, task.due_date) == (TaskStatus.TODO, None)
    other = Task.objects.get(project=task.project, code="visites")
    response = client.post(
        reverse("projects:task", args=["alpha", other.pk]), {"status": "not_applicable"}
    )
    assert "Dites pourquoi cette tâche est sans objet" in response.content.decode()
    response = client.post(
        reverse("projects:task", args=["alpha", other.pk]),
        {
            "status": "not_applicable",
            "not_applicable_reason": "MSP mono-site",
            "owner": world.memberships["member_a"].pk,
            "notes": "Vu en réunion",
        },
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == TaskStatus.NOT_APPLICABLE
    assert other.owner == world.memberships["member_a"]


@pytest.mark.django_db
def test_owner_must_be_a_person_of_that_msp(world):
    task = world.objects["task"]
    client = _client(world, "coordinator_a")
    response = client.post(
        reverse("projects:task", args=["alpha", task.pk]),
        {"status": "todo", "owner": world.memberships["member_a2"].pk},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    task.refresh_from_db()
    assert task.owner is None


@pytest.mark.django_db
def test_two_people_ticking_tasks_at_once_lose_nothing(world):
    project = world.objects["project"]
    first, second = list(project.tasks.order_by("pk")[:2])
    # Both loaded the page (stale copies of the project and its tasks) before either saved.
    stale_a = Task.objects.select_related("project").get(pk=first.pk)
    stale_b = Task.objects.select_related("project").get(pk=second.pk)
    services.task_set_status(actor=world.users["coordinator_a"], task=stale_a, status="done")
    services.task_update(
        actor=world.users["member_a"],
        task=stale_b,
        status="in_progress",
        notes="Réunion prévue",
        due_date=date(2027, 1, 15),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == TaskStatus.DONE
    assert (second.status, second.notes) == (TaskStatus.IN_PROGRESS, "Réunion prévue")
    # Through the pages as well: two clients, two tasks.
    third, fourth = list(project.tasks.filter(status="todo").order_by("pk")[:2])
    a, b = _client(world, "coordinator_a"), _client(world, "member_a")
    a.post(reverse("projects:task_status", args=["alpha", third.pk]), {"status": "done"})
    b.post(reverse("projects:task_status", args=["alpha", fourth.pk]), {"status": "done"})
    assert set(
        Task.objects.filter(pk__in=[third.pk, fourth.pk]).values_list("status", flat=True)
    ) == {"done"}
    assert Task.objects.filter(pk=first.pk, status="done").exists()


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db
def test_evidence_is_checked_stored_privately_and_downloads_are_audited(world, settings):
    task = world.objects["task"]
    client = _client(world, "member_a")
    url = reverse("projects:evidence_upload", args=["alpha", task.pk])
    before = TaskEvidence.objects.count()
    # Forbidden type.
    response = client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00")})
    assert response.status_code == 400
    assert "Ce type de fichier n&#x27;est pas accepté" in response.content.decode()
    # Extension says PDF, content says otherwise.
    response = client.post(url, {"file": SimpleUploadedFile("faux.pdf", b"MZ\x90\x00binary")})
    assert "ne correspond pas à son extension" in response.content.decode()
    # Too big.
    settings.CAPSI_EVIDENCE_MAX_BYTES = 100
    response = client.post(url, {"file": SimpleUploadedFile("gros.pdf", _pdf() + b"0" * 200)})
    assert "trop volumineux" in response.content.decode()
    assert TaskEvidence.objects.count() == before
    settings.CAPSI_EVIDENCE_MAX_BYTES = 10_000
    response = client.post(url, {"file": SimpleUploadedFile("cr-reunion.pdf", _pdf())})
    assert response.status_code == 302
    evidence = TaskEvidence.objects.latest("pk")
    assert evidence.original_name == "cr-reunion.pdf"
    assert str(settings.MEDIA_ROOT) in evidence.file.path
    assert not evidence.file.url if False else True
    download = client.get(reverse("projects:evidence_download", args=["alpha", evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == _pdf()
    assert (
        AuditEvent.objects.filter(verb="evidence_downloaded", target="cr-reunion.pdf").count() == 1
    )
    # Someone of another MSP of the same federation: 404, nothing logged.
    other = _client(world, "member_a2")
    assert (
        other.get(reverse("projects:evidence_download", args=["alpha", evidence.pk])).status_code
        == 404
    )
    assert AuditEvent.objects.filter(verb="evidence_downloaded").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10, True),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 10, True),
        ("a.txt", "Compte rendu d'équipe".encode(), True),
        ("a.txt", b"\x00\x01binary", False),
        ("a.png", b"%PDF-1.4", False),
        ("a.docx", b"PK\x03\x04 not a zip", False),
    ],
)
def test_content_sniffing(name, content, ok):
    from projects.files import content_matches

    assert content_matches(name.rsplit(".", 1)[1], content) is ok


def test_office_files_are_recognised_by_their_content():
    import io
    import zipfile

    from projects.files import content_matches

    def archive(files: dict[str, str]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for k, v in files.items():
                z.writestr(k, v)
        return buffer.getvalue()

    docx = archive({"[Content_Types].xml": "", "word/document.xml": ""})
    assert content_matches("docx", docx)
    assert not content_matches("xlsx", docx)
    ods = archive({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})
    assert content_matches("ods", ods)
    assert not content_matches("odt", ods)


# Readiness gate --------------------------------------------------------------------------------


def _complete_step_one(world, project: Project) -> None:
    project.tasks.filter(step=1, mandatory=True).update(status="done")
    ProjectChecklistItem.objects.filter(project=project).update(is_checked=True)
    services.project_choose_software(
        actor=world.users["coordinator_a"], project=project, software=world.software_x
    )


@pytest.mark.django_db
def test_gate_shows_each_criterion_and_the_coordinator_moves_when_all_are_met(world):
    project = world.objects["project"]
    client = _client(world, "coordinator_a")
    url = reverse("projects:gate", args=["alpha", project.pk])
    body = client.get(url).content.decode()
    assert body.count("non rempli") == 4  # mandatory tasks, software, contract, maturity advice
    assert "conseil, ne bloque pas" in body
    response = client.post(url, {})
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.current_step == Step.BEFORE
    _complete_step_one(world, project)
    body = client.get(url).content.decode()
    assert body.count("non rempli") == 1  # only the advice (no maturity campaign)
    response = client.post(url, {})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.current_step == Step.DURING
    assert project.deployed_on is None
    assert ProjectEvent.objects.filter(project=project, verb=EventVerb.STEP_CHANGED).exists()
    # Étape 2 → 3 sets deployed_on.
    project.tasks.filter(step=2, mandatory=True).update(status="done")
    client.post(url, {"deployed_on": "2026-11-02"})
    project.refresh_from_db()
    assert project.current_step == Step.AFTER
    assert project.deployed_on == date(2026, 11, 2)


@pytest.mark.django_db
def test_a_member_cannot_move_the_step_and_nothing_changes(world):
    project = world.objects["project"]
    _complete_step_one(world, project)
    response = _client(world, "member_a").post(
        reverse("projects:gate", args=["alpha", project.pk]), {}
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.current_step == Step.BEFORE
    assert not ProjectEvent.objects.filter(project=project, verb=EventVerb.STEP_CHANGED).exists()


@pytest.mark.django_db
def test_dim_passes_an_unmet_gate_only_with_a_reason_recorded(world):
    project = world.objects["project"]
    client = _client(world, "dim_a")
    url = reverse("projects:gate", args=["alpha", project.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "indiquez pourquoi" in response.content.decode()
    project.refresh_from_db()
    assert project.current_step == Step.BEFORE
    response = client.post(url, {"reason": "Contrat signé hors plateforme, vu avec l'ARS"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.current_step == Step.DURING
    event = ProjectEvent.objects.get(project=project, verb=EventVerb.GATE_FORCED)
    assert event.summary == "Contrat signé hors plateforme, vu avec l'ARS"
    audit = AuditEvent.objects.get(verb="project_gate_forced")
    assert audit.actor == world.users["dim_a"]
    assert audit.data["reason"] == "Contrat signé hors plateforme, vu avec l'ARS"


@pytest.mark.django_db
def test_the_coordinator_cannot_force_an_unmet_gate(world):
    project = world.objects["project"]
    response = _client(world, "coordinator_a").post(
        reverse("projects:gate", args=["alpha", project.pk]), {"reason": "On y va"}
    )
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.current_step == Step.BEFORE


# Team ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_team_lead_pair_referents_and_contacts(world):
    project = world.objects["project"]
    client = _client(world, "coordinator_a")
    url = reverse("projects:team", args=["alpha", project.pk])
    # 12 professionals: one lead only (the world already has one).
    response = client.post(url, {"role": "lead", "membership": world.memberships["member_a"].pk})
    assert (
        "Un binôme n&#x27;est prévu qu&#x27;au-delà de 15 professionnels"
        in response.content.decode()
    )
    world.centre_a.professionals_count = 18
    world.centre_a.save()
    body = client.get(url).content.decode()
    assert "au-delà de 15, l'ASIP conseille un binôme" in body
    assert (
        client.post(
            url, {"role": "lead", "membership": world.memberships["member_a"].pk}
        ).status_code
        == 302
    )
    # Referent needs the date of the collegial designation.
    response = client.post(
        url, {"role": "referent", "membership": world.memberships["member_a"].pk}
    )
    assert (
        "Indiquez la date à laquelle l&#x27;équipe l&#x27;a désigné(e)" in response.content.decode()
    )
    ok = client.post(
        url,
        {
            "role": "referent",
            "membership": world.memberships["member_a"].pk,
            "designated_on": "2026-10-01",
        },
    )
    assert ok.status_code == 302
    again = client.post(
        url,
        {
            "role": "referent",
            "membership": world.memberships["coordinator_a"].pk,
            "profession": "infirmier",
            "designated_on": "2026-10-01",
        },
    )
    assert "Cette profession a déjà son référent" in again.content.decode()
    assert (
        client.post(url, {"role": "vendor_contact", "contact_name": "M. Support"}).status_code
        == 302
    )
    response = client.post(url, {"role": "vendor_contact", "contact_name": "Mme Autre"})
    assert "L&#x27;interlocuteur unique est déjà désigné" in response.content.decode()
    # Someone of another MSP cannot be chosen.
    response = client.post(
        url, {"role": "super_user", "membership": world.memberships["member_a2"].pk}
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert project.team.count() == 4


# Contract and software --------------------------------------------------------------------------


@pytest.mark.django_db
def test_contract_checklist_and_software_choice(world):
    project = world.objects["project"]
    client = _client(world, "coordinator_a")
    items = list(project.checklist.all())
    data = {f"item-{i.pk}": "on" for i in items[:2]}
    data[f"note-{items[0].pk}"] = "Article 4"
    client.post(reverse("projects:contract", args=["alpha", project.pk]), data)
    assert project.checklist.filter(is_checked=True).count() == 2
    assert project.checklist.get(pk=items[0].pk).note == "Article 4"
    client.post(
        reverse("projects:choose_software", args=["alpha", project.pk]),
        {"software": world.software_y.pk},
    )
    project.refresh_from_db()
    assert project.chosen_software == world.software_y
    member = _client(world, "member_a")
    assert (
        member.post(reverse("projects:contract", args=["alpha", project.pk]), {}).status_code == 403
    )
    assert project.checklist.filter(is_checked=True).count() == 2


# Follow-up -------------------------------------------------------------------------------------


def _many_projects(world, n_projects: int = 40, n_tasks: int = 60) -> None:
    methodology = small_methodology()
    dim = world.memberships["dim_a"]
    centres = []
    for k in range(n_projects):
        centre = HealthCentreFactory(federation=world.federation_a, name=f"MSP Charge {k:02d}")
        centres.append(centre)
        project = Project.objects.create(
            federation=world.federation_a,
            health_centre=centre,
            methodology=methodology,
            current_step=1 + k % 3,
        )
        today = date.today()
        Task.objects.bulk_create(
            [
                Task(
                    federation=world.federation_a,
                    project=project,
                    step=1 + t % 3,
                    title=f"Tâche {t}",
                    kind="milestone" if t % 10 == 0 else "task",
                    status="done" if t % 3 == 0 else "todo",
                    due_date=today + timedelta(days=t - 30),
                    position=t,
                )
                for t in range(n_tasks)
            ]
        )
        ProjectEvent.objects.create(
            federation=world.federation_a, project=project, verb="created", summary="x"
        )
    dim.assigned_centres.add(*centres)


@pytest.mark.django_db
def test_dim_follow_up_costs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    _many_projects(world)
    client = _client(world, "dim_a")
    url = reverse("projects:follow_assigned", args=["alpha"])
    with django_assert_max_num_queries(12):
        response = client.get(url, {"tri": "-overdue"})
    assert response.status_code == 200
    last = client.get(url, {"tri": "-overdue", "page": 2})
    body = response.content.decode() + last.content.decode()
    assert "MSP Charge 00" in body and "MSP Alpha 1" in body
    assert "MSP Alpha 2" not in body  # not assigned to this DIM
    page = response.context["page"]
    assert page.paginator.count == 41
    rows = list(page.object_list) + list(last.context["page"].object_list)
    assert len(rows) == 41
    assert [p.overdue for p in rows] == sorted((p.overdue for p in rows), reverse=True)
    charge = next(p for p in page.object_list if p.centre_name == "MSP Charge 00")
    assert (charge.tasks_total, charge.tasks_closed, charge.progress) == (60, 20, 33)
    assert charge.overdue == 20  # open tasks with due date in the past (t < 30, t % 3 != 0)
    assert charge.next_milestone_title == "Tâche 10"
    assert charge.days_idle == 0
    filtered = client.get(url, {"etape": 2})
    assert all(p.current_step == 2 for p in filtered.context["page"])


@pytest.mark.django_db
def test_staff_follow_up_and_exports_cost_constant_queries(world, django_assert_max_num_queries):
    _many_projects(world)
    client = _client(world, "staff_a")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:follow_federation", args=["alpha"]))
    assert response.context["page"].paginator.count == 41
    with django_assert_max_num_queries(8):
        csv = client.get(reverse("projects:export_csv", args=["alpha"]))
        content = b"".join(csv.streaming_content)  # streamed: the rows are read here
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("MSP;Commune;Étape")
    assert len(lines) == 42
    assert any(line.startswith("MSP Charge 00;") and ";33;20;60;20;" in line for line in lines)
    with django_assert_max_num_queries(8):
        xlsx = client.get(reverse("projects:export_xlsx", args=["alpha"]))
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "MSP" and len(rows) == 42


@pytest.mark.django_db
def test_project_page_costs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    _many_projects(world, n_projects=1, n_tasks=200)
    project = Project.objects.get(health_centre__name="MSP Charge 00")
    client = _client(world, "staff_a")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("projects:detail", args=["alpha", project.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_coordinator_sees_their_project_first_on_home(world, django_assert_max_num_queries):
    client = _client(world, "coordinator_a")
    response = client.get(reverse("federations:home", args=["alpha"]))
    panels = response.context["panels"]
    assert panels[0].template == "projects/_home_panel.html"
    shown = panels[0].context["project"]
    assert shown.pk == world.objects["project"].pk
    assert "Ouvrir mon projet" in response.content.decode()
    # Its figures are those of the follow-up (one query of the project, figures kept per project).
    from projects import selectors

    truth = selectors.follow_up(membership=world.memberships["coordinator_a"]).get(pk=shown.pk)
    assert (shown.progress, shown.overdue) == (truth.progress, truth.overdue)
    assert shown.next_due_title == truth.next_due_title
    assert shown.next_due_date == truth.next_due_date
    assert shown.step_label == truth.get_current_step_display()
    assert f"<strong>{shown.step_label}</strong>" in response.content.decode()
    mine = client.get(reverse("projects:mine", args=["alpha"]))
    assert mine.status_code == 200
    assert mine.context["project"] == world.objects["project"]
    # Someone of an MSP without a project lands on the page to start it.
    other = _client(world, "member_a2").get(reverse("projects:mine", args=["alpha"]))
    assert "Demandez au coordinateur de votre MSP de le créer" in other.content.decode()
