"""Pages of the planning sections: what a coordinator reads and types, bounded queries, exports."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from projects import services_planning as svc
from projects.models import (
    DemoScore,
    DemoSession,
    DeploymentWave,
    Facilitator,
    InformationMeeting,
    Need,
    ShortlistEntry,
    SurveyVersion,
    TrainingSession,
    UseCase,
    VendorRequest,
)
from tests.factories import CapabilityFactory, SoftwareFactory

pytestmark = pytest.mark.django_db


def url(name, world, **kwargs):  # noqa: ANN001, ANN003, ANN201
    project = world.objects["project"]
    return reverse(
        f"projects:{name}", kwargs={"federation_slug": "alpha", "project_pk": project.pk, **kwargs}
    )


@pytest.fixture
def charlie(world):  # noqa: ANN001, ANN201
    client = Client()
    client.force_login(world.users["coordinator_a"])
    return client


def test_coordinator_fills_the_survey_and_reads_previous_versions(world, charlie):
    response = charlie.post(
        url("survey_edit", world),
        {
            "nombre_sites": "2",
            "qualite_connexion": "moyenne",
            "aisance_informatique": "Les kinés moins à l'aise",
        },
    )
    assert response.status_code == 302
    page = charlie.get(url("survey", world)).content.decode()
    assert "Moyenne, coupures ou lenteurs" in page and "Version 2" in page
    versions = charlie.get(url("survey_versions", world)).content.decode()
    assert "Version 1" in versions and "Version 2" in versions
    old = charlie.get(url("survey_version", world, number=1)).content.decode()
    assert "version 1" in old


def test_survey_form_shows_errors_by_field(world, charlie):
    before = SurveyVersion.objects.count()
    response = charlie.post(
        url("survey_edit", world), {"nombre_sites": "-3", "postes_de_travail": "beaucoup"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"nombre_sites", "postes_de_travail"}
    assert SurveyVersion.objects.count() == before
    assert "Aucune donnée de patient" in response.content.decode()


def test_coordinator_writes_a_need_with_a_capability(world, charlie):
    capability = CapabilityFactory(label="Facturation infirmière", profession="infirmier")
    response = charlie.post(
        url("need_create", world),
        {
            "title": "Facturer en tiers payant",
            "profession": "infirmier",
            "priority": "must",
            "capability": capability.pk,
        },
    )
    assert response.status_code == 302
    page = charlie.get(url("needs", world)).content.decode()
    assert (
        "Facturer en tiers payant" in page
        and "Indispensable" in page
        and "Facturation infirmière" in page
    )


def test_needs_csv_lists_needs_and_priorities(world, charlie):
    Need.objects.create(
        federation=world.federation_a,
        project=world.objects["project"],
        title="Agenda partagé",
        priority="could",
    )
    response = charlie.get(url("needs_csv", world))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Profession;Besoin;Priorité" in text
    assert "Infirmier;Facturer les actes infirmiers;Important" in text
    assert "Toute l'équipe;Agenda partagé;Souhaitable" in text


def test_needs_pdf_is_written_for_a_vendor(world, charlie, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    from deliverables.models import Deliverable

    project = world.objects["project"]
    svc.needs_document_update(
        actor=None,
        project=project,
        sites="Deux sites à 3 km",
        data_migration="Dossiers de l'ancien logiciel",
    )
    Need.objects.create(
        federation=world.federation_a,
        project=project,
        title="Prescrire en DCI",
        profession="medecin_generaliste",
        priority="must",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = charlie.post(url("needs_pdf", world))
    deliverable = Deliverable.objects.get(kind="projects.needs_document")
    assert response.status_code == 302 and str(deliverable.pk) in response["Location"]
    deliverable.refresh_from_db()
    assert deliverable.status == "ready", deliverable.error
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(deliverable.file.read())).pages)
    for expected in (
        "Cahier des charges",
        "MSP Alpha 1",
        "Prescrire en DCI",
        "Indispensable",
        "Facturer les actes infirmiers",
        "Important",
        "Deux sites à 3 km",
    ):
        assert expected in text, expected
    # Someone of another MSP cannot open it.
    other = Client()
    other.force_login(world.users["member_a2"])
    assert other.get(reverse("deliverables:detail", args=[deliverable.pk])).status_code == 404


def test_scorecard_refuses_a_score_of_six(world):
    client = Client()
    client.force_login(world.users["member_a"])
    session = world.objects["planning_demo_session"]
    case = UseCase.objects.filter(project=world.objects["project"]).first()
    response = client.post(
        url("demo_session", world, session_pk=session.pk),
        {"profession": "infirmier", f"score_{case.pk}": "6"},
    )
    assert response.status_code == 200
    assert "La note va de 1 à 5." in response.content.decode()
    assert not DemoScore.objects.exists()
    response = client.post(
        url("demo_session", world, session_pk=session.pk),
        {"profession": "infirmier", f"score_{case.pk}": "2", f"comment_{case.pk}": "Lent"},
    )
    assert response.status_code == 302
    assert DemoScore.objects.get().score == 2


def test_unknown_software_on_the_shortlist_is_a_clear_message(world, charlie):
    response = charlie.post(url("shortlist_add", world), {"software": "999999"}, follow=True)
    assert "Logiciel inconnu." in response.content.decode()


def test_wave_form_refuses_end_before_start(world, charlie):
    response = charlie.post(
        url("wave_create", world),
        {
            "label": "V2",
            "kind": "profession",
            "professions": ["infirmier"],
            "start": "2026-06-10",
            "end": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert not DeploymentWave.objects.filter(label="V2").exists()


def test_member_reads_but_cannot_write(world):
    client = Client()
    client.force_login(world.users["member_a"])
    assert client.get(url("needs", world)).status_code == 200
    assert (
        client.post(url("need_create", world), {"title": "X", "priority": "must"}).status_code
        == 403
    )
    assert not Need.objects.filter(title="X").exists()


def test_aci_section_shows_the_figure(world, charlie):
    project = world.objects["project"]
    project.chosen_software = SoftwareFactory(label_level="avance")
    project.save()
    project.health_centre.professionals_count = 16
    project.health_centre.save()
    page = charlie.get(url("aci", world)).content.decode()
    page = page.replace("\u202f", " ").replace("\xa0", " ")
    assert "3 800 points" in page and "26 600 €" in page
    assert "niveau avancé" in page


def _many(world, n=30):  # noqa: ANN001, ANN202
    project = world.objects["project"]
    fed = world.federation_a
    software = [SoftwareFactory() for _ in range(5)]
    for s in software:
        ShortlistEntry.objects.create(federation=fed, project=project, software=s)
    cases = list(UseCase.objects.filter(project=project))
    for i in range(n):
        s = software[i % 5]
        session = DemoSession.objects.create(
            federation=fed, project=project, software=s, date=dt.date(2026, 3, 1 + i % 28)
        )
        for j, case in enumerate(cases):
            DemoScore.objects.create(
                federation=fed,
                session=session,
                use_case=case,
                profession=["infirmier", "medecin_generaliste", "pharmacien"][j % 3],
                score=1 + (i + j) % 5,
            )
        Need.objects.create(
            federation=fed,
            project=project,
            title=f"Besoin {i}",
            profession="infirmier",
            capability=CapabilityFactory(),
        )
        DeploymentWave.objects.create(
            federation=fed,
            project=project,
            label=f"V{i}",
            professions=["infirmier"],
            start=dt.date(2026, 1 + i % 12, 1),
            end=dt.date(2026, 1 + i % 12, 20),
        )
        TrainingSession.objects.create(
            federation=fed,
            project=project,
            profession="infirmier",
            level="individual",
            date=dt.date(2026, 5, 1),
            hours=2,
        )
        InformationMeeting.objects.create(
            federation=fed,
            project=project,
            date=dt.date(2026, 1, 1),
            attendees={"infirmier": 2},
            topics=["aci"],
        )
        VendorRequest.objects.create(
            federation=fed,
            project=project,
            software=s,
            subject=f"D{i}",
            asked_on=dt.date(2026, 1, 1),
        )
        SurveyVersion.objects.create(
            federation=fed, project=project, number=10 + i, questionnaire_version="x", answers={}
        )
        f = Facilitator.objects.create(federation=fed, name=f"F{i}", software=s)
        svc.contact_request_create(actor=None, project=project, facilitator=f)


@pytest.mark.parametrize(
    "name",
    [
        "planning",
        "aci",
        "survey",
        "survey_versions",
        "needs",
        "demos",
        "deployment",
        "training",
        "meetings",
        "project_facilitators",
        "vendor_requests",
    ],
)
def test_project_pages_have_a_bounded_number_of_queries(
    world, charlie, name, django_assert_max_num_queries
):
    _many(world)
    with django_assert_max_num_queries(20):
        response = charlie.get(url(name, world))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["facilitators", "contact_requests"])
def test_federation_pages_have_a_bounded_number_of_queries(
    world, name, django_assert_max_num_queries
):
    _many(world)
    client = Client()
    client.force_login(world.users["staff_a"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse(f"projects:{name}", kwargs={"federation_slug": "alpha"}))
    assert response.status_code == 200
    assert response.content.decode().count("F2") >= 1


def test_staff_follows_a_contact_request(world):
    client = Client()
    client.force_login(world.users["staff_a"])
    request = world.objects["planning_contact_request"]
    response = client.post(
        reverse(
            "projects:contact_request_update",
            kwargs={"federation_slug": "alpha", "request_pk": request.pk},
        ),
        {"status": "connected", "staff_note": "Appel le 3 mars"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.staff_note) == ("connected", "Appel le 3 mars")


def test_the_needs_page_shows_every_need_in_the_vendor_order_with_its_actions(world, charlie):
    from projects import selectors_planning
    from projects.models import NeedsDocument

    project = world.objects["project"]
    capability = CapabilityFactory(label="Agenda partagé", profession="")
    for title, profession, priority in [
        ("Téléconsultation", "medecin_generaliste", "could"),
        ("Messagerie sécurisée", "", "must"),
        ("Tournées", "infirmier", "must"),
    ]:
        Need.objects.create(
            federation=world.federation_a,
            project=project,
            title=title,
            profession=profession,
            priority=priority,
            capability=capability if not profession else None,
        )
    NeedsDocument.objects.update_or_create(
        project=project, defaults={"federation": world.federation_a, "sites": "Deux sites"}
    )
    page = charlie.get(url("needs", world)).content.decode()
    needs = selectors_planning.needs_list(project=project)
    positions = [page.index(f"<strong>{n.title}</strong>") for n in needs]
    assert positions == sorted(positions)  # as a vendor reads them
    for n in needs:
        edit = reverse("projects:need_edit", args=["alpha", project.pk, n.pk])
        delete = reverse("projects:need_delete", args=["alpha", project.pk, n.pk])
        assert f'href="{edit}"' in page and f'action="{delete}"' in page
    assert "capacité : Agenda partagé" in page
    assert "Deux sites" in page


def test_the_planning_sections_link_every_section_and_mark_the_current_one(world, charlie):
    project = world.objects["project"]
    names = [
        "planning",
        "meetings",
        "survey",
        "needs",
        "demos",
        "project_facilitators",
        "deployment",
        "training",
        "vendor_requests",
        "aci",
    ]
    links = [reverse(f"projects:{n}", args=["alpha", project.pk]) for n in names]
    on_project = charlie.get(reverse("projects:detail", args=["alpha", project.pk]))
    nav = on_project.content.decode().split('class="planning-sections')[1].split("</nav>")[0]
    assert [href for href in links if f'href="{href}"' in nav] == links
    assert "aria-current" not in nav and "Cahier des charges" in nav
    on_needs = charlie.get(url("needs", world)).content.decode()
    nav = on_needs.split('class="planning-sections')[1].split("</nav>")[0]
    assert f'<a href="{links[3]}" aria-current="page">' in nav
    assert nav.count("aria-current") == 1


def test_the_needs_page_shows_every_change_at_once(world, charlie):
    """Kept in the cache: read again after each change of its services, and after a
    capability is renamed."""
    page = lambda: charlie.get(url("needs", world)).content.decode()  # noqa: E731
    capability = CapabilityFactory(label="Agenda partagé", profession="")
    assert "Agenda partagé" not in page()
    charlie.post(
        url("need_create", world),
        {"title": "Agenda commun", "priority": "must", "capability": capability.pk},
    )
    assert "Agenda commun" in page() and "capacité : Agenda partagé" in page()
    need = Need.objects.get(title="Agenda commun")
    charlie.post(
        url("need_edit", world, need_pk=need.pk),
        {"title": "Agenda de la MSP", "priority": "could", "capability": capability.pk},
    )
    assert "Agenda de la MSP" in page() and "Agenda commun" not in page()
    capability.label = "Agenda partagé de l'équipe"
    capability.save()
    assert "capacité : Agenda partagé de l&#x27;équipe" in page()
    charlie.post(url("need_delete", world, need_pk=need.pk))
    assert "Agenda de la MSP" not in page()
    charlie.post(url("needs_document_edit", world), {"sites": "Trois sites reliés"})
    assert "Trois sites reliés" in page()
    charlie.post(
        url("use_case_create", world),
        {"title": "Visite à domicile", "kind": "individual", "description": ""},
    )
    assert "Visite à domicile" in page()
