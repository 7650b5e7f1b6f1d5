"""Rules of the planning sections: état des lieux versions, needs, demos, deployment warnings,
training, facilitators, vendor requests, ACI figure and the data files."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from projects import reference_planning as ref
from projects import selectors_planning as sel
from projects import services_planning as svc
from projects.models import (
    DemoScore,
    Need,
    Project,
    SchoolHoliday,
    SurveyVersion,
    UseCase,
)
from tests.factories import CapabilityFactory, HealthCentreFactory, SoftwareFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(world):  # noqa: ANN001, ANN201
    return world.objects["project"]


@pytest.fixture
def charlie(world):  # noqa: ANN001, ANN201
    return world.users["coordinator_a"]


# --- État des lieux -------------------------------------------------------------------------


def test_each_save_of_the_survey_is_a_new_version_and_earlier_ones_stay(project, charlie):
    first = svc.survey_save(
        actor=charlie,
        project=project,
        answers={"nombre_sites": "2", "hebergement_souhaite": "editeur"},
    )
    second = svc.survey_save(actor=charlie, project=project, answers={"nombre_sites": 3})
    assert (first.number, second.number) == (2, 3)  # the world holds version 1
    first.refresh_from_db()
    assert first.answers == {"nombre_sites": 2, "hebergement_souhaite": "editeur"}
    assert sel.survey_latest(project=project).answers == {"nombre_sites": 3}
    assert first.questionnaire_version == ref.questionnaire().version


def test_survey_refuses_bad_answers_and_writes_nothing(project, charlie):
    before = SurveyVersion.objects.count()
    with pytest.raises(ValidationError) as exc:
        svc.survey_save(
            actor=charlie,
            project=project,
            answers={"nombre_sites": "-1", "hebergement_souhaite": "sur_la_lune"},
        )
    assert set(exc.value.message_dict) == {"nombre_sites", "hebergement_souhaite"}
    assert SurveyVersion.objects.count() == before


def test_survey_covers_the_questions_of_the_seeds():
    labels = " ".join(q.label for q in ref.questionnaire().questions).lower()
    for words in (
        "logiciels utilisés",
        "débit",
        "plusieurs",
        "hébergé",
        "confidentialité",
        "partager",
        "à l'aise avec l'informatique",
        "postes de travail",
        "circule",
    ):
        assert words in labels, words


# --- Data files -----------------------------------------------------------------------------


def test_a_questionnaire_with_a_missing_field_names_the_file_and_line(tmp_path):
    bad = tmp_path / "etat.yaml"
    bad.write_text(
        'version: "1"\ntitle: "t"\nsections:\n  - code: a\n    title: "A"\n    questions:\n'
        '      - code: q1\n        label: "Q"\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"etat.yaml, ligne 7 : champ « kind » manquant"):
        ref.parse_questionnaire(bad)


def test_holidays_with_end_before_start_are_refused_and_nothing_changes(tmp_path):
    ref.load_holidays()
    count = SchoolHoliday.objects.count()
    bad = tmp_path / "vacances.yaml"
    bad.write_text(
        "holidays:\n  - {label: Noël, zones: [A], start: 2026-12-19, end: 2027-01-03}\n"
        "  - {label: Hiver, zones: [B], start: 2027-03-07, end: 2027-02-20}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"vacances.yaml, ligne 3 .* précède le début"):
        ref.load_holidays(bad)
    assert SchoolHoliday.objects.count() == count > 0


def test_unknown_zone_is_refused(tmp_path):
    bad = tmp_path / "vacances.yaml"
    bad.write_text(
        "holidays:\n  - {label: Noël, zones: [D], start: 2026-12-19, end: 2027-01-03}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="zone « D » inconnue"):
        ref.parse_holidays(bad)


def test_holidays_cover_every_zone_from_2025_to_2028():
    rows = ref.parse_holidays(ref.HOLIDAYS_FILE)
    for zone in "ABC":
        years = {r.start.year for r in rows if r.zone == zone}
        assert {2025, 2026, 2027, 2028} <= years


def test_load_reference_is_idempotent():
    from io import StringIO

    ref.load(StringIO())
    count = SchoolHoliday.objects.count()
    ref.load(StringIO())
    assert SchoolHoliday.objects.count() == count


# --- ACI figure -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("professionals", "standard", "advanced"),
    [(10, 2500, 2600), (16, 3700, 3800), (20, 4300, 4400)],
)
def test_aci_points_follow_annexe_1(professionals, standard, advanced):
    assert sel.aci_points(professionals, "standard") == standard
    assert sel.aci_points(professionals, "avance") == advanced
    assert sel.aci_points(professionals, "") == 0


def test_aci_figure_follows_the_team_size_and_the_label_level(world, project):
    software = SoftwareFactory(label_level="standard")
    project.chosen_software = software
    project.save()
    centre = project.health_centre
    centre.professionals_count = 20
    centre.save()
    fresh = Project.objects.select_related("health_centre", "chosen_software").get(pk=project.pk)
    figure = sel.aci_figure(project=fresh)
    assert (figure.points, figure.euros) == (4300, 30100)
    software.label_level = "avance"
    software.save()
    centre.professionals_count = 10
    centre.save()
    fresh = Project.objects.select_related("health_centre", "chosen_software").get(pk=project.pk)
    figure = sel.aci_figure(project=fresh)
    assert (figure.points, figure.euros) == (2600, 18200)


def test_aci_rule_values_come_from_the_data_file(tmp_path):
    changed = tmp_path / "aci.yaml"
    changed.write_text(
        ref.ACI_FILE.read_text(encoding="utf-8").replace(
            "point_value_eur: 7", "point_value_eur: 8"
        ),
        encoding="utf-8",
    )
    assert ref.parse_aci_rule(changed).point_value_eur == 8
    missing = tmp_path / "aci_bad.yaml"
    missing.write_text(
        "version: x\npoint_value_eur: 7\nstandard: {base_points: 500}\n"
        "advanced: {extra_points: 100}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="points_per_professional"):
        ref.parse_aci_rule(missing)


# --- Needs ----------------------------------------------------------------------------------


def test_a_need_takes_a_capability_of_its_profession_or_of_the_whole_team(project, charlie):
    nurse_billing = CapabilityFactory(label="Facturation infirmière", profession="infirmier")
    team = CapabilityFactory(label="Messagerie sécurisée", profession="")
    need = svc.need_create(
        actor=charlie,
        project=project,
        title="Facturer",
        profession="infirmier",
        priority="must",
        capability=nurse_billing,
    )
    assert need.capability == nurse_billing
    svc.need_create(
        actor=charlie, project=project, title="Messagerie", profession="infirmier", capability=team
    )
    with pytest.raises(ValidationError) as exc:
        svc.need_create(
            actor=charlie,
            project=project,
            title="Kiné",
            profession="masseur_kinesitherapeute",
            capability=nurse_billing,
        )
    assert "capability" in exc.value.message_dict


def test_unknown_priority_is_refused(project, charlie):
    with pytest.raises(ValidationError):
        svc.need_create(actor=charlie, project=project, title="X", priority="urgent")
    assert not Need.objects.filter(title="X").exists()


# --- Demos ----------------------------------------------------------------------------------


def test_scores_out_of_range_are_refused_and_nothing_is_written(world, project, charlie):
    session = world.objects["planning_demo_session"]
    cases = list(UseCase.objects.filter(project=project))
    with pytest.raises(ValidationError):
        svc.demo_scores_save(
            actor=charlie,
            session=session,
            profession="infirmier",
            scores={cases[0].pk: (4, ""), cases[1].pk: (6, "")},
        )
    assert not DemoScore.objects.exists()


def test_results_show_a_gap_for_the_profession_that_cannot_bill(world, project, charlie):
    session = world.objects["planning_demo_session"]
    cases = {u.standard_code: u for u in UseCase.objects.filter(project=project)}
    svc.demo_scores_save(
        actor=charlie,
        session=session,
        profession="medecin_generaliste",
        scores={u.pk: (5, "") for u in cases.values()},
    )
    svc.demo_scores_save(
        actor=charlie,
        session=session,
        profession="infirmier",
        scores={
            cases["diagnostic"].pk: (4, ""),
            cases["facturation"].pk: (1, "Pas de facturation infirmière"),
        },
    )
    entries = sel.shortlist(project=project)
    results = sel.demo_results(
        project=project, entries=entries, cases=sel.use_cases(project=project)
    )
    row = next(r for r in results["rows"] if r["result"].software == world.software_x)
    assert row["result"].by_profession == {"medecin_generaliste": 5.0, "infirmier": 2.5}
    gap_cases = [g["use_case"] for g in row["result"].gaps if g["use_case"]]
    assert gap_cases == [cases["facturation"].title]
    assert results["has_gaps"]


def test_a_demo_needs_the_software_on_the_shortlist(world, project, charlie):
    other = SoftwareFactory()
    with pytest.raises(ValidationError) as exc:
        svc.demo_session_create(
            actor=charlie, project=project, software=other, date=dt.date(2026, 3, 1)
        )
    assert "software" in exc.value.message_dict
    with pytest.raises(ValidationError, match="Logiciel inconnu"):
        svc.shortlist_add(actor=charlie, project=project, software=999999)


# --- Deployment -----------------------------------------------------------------------------


def test_a_wave_in_the_flu_season_or_in_school_holidays_gets_a_warning(world, project, charlie):
    ref.load_holidays()
    world.federation_a.holiday_zone = "B"
    world.federation_a.save()
    svc.wave_create(
        actor=charlie,
        project=project,
        label="Novembre",
        kind="profession",
        professions=["infirmier"],
        start=dt.date(2026, 11, 16),
        end=dt.date(2026, 11, 27),
    )
    svc.wave_create(
        actor=charlie,
        project=project,
        label="Hiver B",
        kind="module",
        module="Agenda",
        start=dt.date(2027, 2, 22),
        end=dt.date(2027, 2, 26),
    )
    waves = {v.wave.label: v.warnings for v in sel.deployment_waves(project=project, zone="B")}
    assert any("vaccination antigrippale" in w for w in waves["Novembre"])
    assert not any("zone" in w for w in waves["Novembre"])
    assert any("vacances d'hiver de la zone B" in w for w in waves["Hiver B"])
    assert waves["Vague 1"] == []  # May 2026: neither
    c_zone = {v.wave.label: v.warnings for v in sel.deployment_waves(project=project, zone="C")}
    assert c_zone["Hiver B"] == []  # zone C is back at school on 22 February 2027


def test_a_wave_ending_before_it_starts_is_refused(project, charlie):
    with pytest.raises(ValidationError) as exc:
        svc.wave_create(
            actor=charlie,
            project=project,
            label="V",
            kind="profession",
            professions=["infirmier"],
            start=dt.date(2026, 5, 10),
            end=dt.date(2026, 5, 1),
        )
    assert "end" in exc.value.message_dict


def test_facilitator_period_outside_two_to_four_weeks_is_flagged(project, charlie):
    plan = svc.deployment_plan_update(
        actor=charlie,
        project=project,
        facilitator_start=dt.date(2026, 5, 4),
        facilitator_end=dt.date(2026, 5, 8),
    )
    check = sel.deployment_checks(plan)[0]
    assert not check["ok"] and "2 à 4 semaines" in check["detail"]
    plan = svc.deployment_plan_update(
        actor=charlie,
        project=project,
        facilitator_start=dt.date(2026, 5, 4),
        facilitator_end=dt.date(2026, 5, 22),
    )
    assert sel.deployment_checks(plan)[0]["ok"]
    with pytest.raises(ValidationError) as exc:
        svc.deployment_plan_update(
            actor=charlie,
            project=project,
            facilitator_start=dt.date(2026, 5, 4),
            facilitator_end=dt.date(2026, 5, 1),
        )
    assert "facilitator_end" in exc.value.message_dict


def test_migration_checks(project, charlie):
    with pytest.raises(ValidationError):
        svc.deployment_plan_update(
            actor=charlie, project=project, duplicates_found=3, duplicates_resolved=4
        )
    with pytest.raises(ValidationError):
        svc.deployment_plan_update(actor=charlie, project=project, old_software_read_only=True)
    plan = svc.deployment_plan_update(
        actor=charlie,
        project=project,
        duplicates_found=3,
        duplicates_resolved=3,
        migration_checked_on=dt.date(2026, 4, 1),
        old_software_read_only=True,
        read_only_until=dt.date(2026, 12, 31),
    )
    assert all(c["ok"] for c in sel.deployment_checks(plan)[1:])


def test_training_summary_and_adoption(world, project, charlie):
    wave = world.objects["planning_wave"]
    svc.training_create(
        actor=charlie,
        project=project,
        profession="infirmier",
        level="individual",
        date=dt.date(2026, 5, 5),
        hours=Decimal("3"),
        wave=wave,
    )
    svc.training_create(
        actor=charlie,
        project=project,
        profession="infirmier",
        level="individual",
        date=dt.date(2026, 5, 12),
        hours=Decimal("1.5"),
    )
    svc.adoption_set(
        actor=charlie, project=project, profession="masseur_kinesitherapeute", status="not_started"
    )
    rows = {r["profession"]: r for r in sel.training_summary(project=project)}
    assert rows["infirmier"]["levels"][0] == Decimal("4.5")
    assert rows["masseur_kinesitherapeute"]["adoption"].get_status_display() == "Pas encore"
    with pytest.raises(ValidationError):
        svc.training_create(
            actor=charlie,
            project=project,
            profession="infirmier",
            level="individual",
            date=dt.date(2026, 5, 5),
            hours=Decimal("0"),
        )


# --- Meetings, facilitators, vendor requests ------------------------------------------------


def test_meeting_needs_attendees_and_known_topics(project, charlie):
    with pytest.raises(ValidationError):
        svc.meeting_create(
            actor=charlie, project=project, date=dt.date(2026, 1, 8), attendees={}, topics=["aci"]
        )
    with pytest.raises(ValidationError):
        svc.meeting_create(
            actor=charlie,
            project=project,
            date=dt.date(2026, 1, 8),
            attendees={"infirmier": 2},
            topics=["astrologie"],
        )
    meeting = svc.meeting_create(
        actor=charlie,
        project=project,
        date=dt.date(2026, 1, 8),
        attendees={"infirmier": 2, "pharmacien": 0},
        topics=["label", "aci"],
    )
    assert meeting.attendees == {"infirmier": 2}
    assert meeting.topics == ["aci", "label"]


def test_team_sees_facilitators_of_its_shortlist_and_asks_once(world, project, charlie):
    from projects.models import ContactRequest, Facilitator

    ContactRequest.objects.all().delete()
    other_software = SoftwareFactory()
    Facilitator.objects.create(
        federation=world.federation_a, name="Hors liste", software=other_software
    )
    Facilitator.objects.create(
        federation=world.federation_b, name="Autre fédération", software=world.software_x
    )
    names = [f.name for f in sel.facilitators_for_project(project=project)]
    assert names == ["Fanny Facilitatrice"]
    facilitator = world.objects["planning_facilitator"]
    svc.contact_request_create(actor=charlie, project=project, facilitator=facilitator)
    with pytest.raises(ValidationError, match="déjà en cours"):
        svc.contact_request_create(actor=charlie, project=project, facilitator=facilitator)
    stranger = Facilitator.objects.get(name="Hors liste")
    with pytest.raises(ValidationError):
        svc.contact_request_create(actor=charlie, project=project, facilitator=stranger)


def test_vendor_requests_feed_vendor_responsiveness(world, project, charlie):
    from vendors.responsiveness import cases_for

    svc.vendor_request_save(
        actor=charlie,
        project=project,
        software=world.software_x,
        subject="Agenda partagé",
        asked_on=dt.date(2026, 2, 1),
        first_answer_on=dt.date(2026, 2, 3),
        promised_on=dt.date(2026, 4, 1),
        delivered_on=dt.date(2026, 4, 20),
    )
    cases = [c for c in cases_for([world.software_x.pk]) if c.asked_on == dt.date(2026, 2, 1)]
    assert len(cases) == 1 and cases[0].delivered_on == dt.date(2026, 4, 20)
    assert cases_for([world.software_y.pk]) == []
    with pytest.raises(ValidationError) as exc:
        svc.vendor_request_save(
            actor=charlie,
            project=project,
            software=world.software_x,
            subject="X",
            asked_on=dt.date(2026, 2, 1),
            delivered_on=dt.date(2026, 1, 1),
        )
    assert "delivered_on" in exc.value.message_dict


def test_a_project_of_another_federation_is_not_mixed(world):
    centre = HealthCentreFactory(federation=world.federation_b)
    other = Project.objects.create(federation=world.federation_b, health_centre=centre)
    svc.use_cases_ensure_standard(project=other)
    svc.use_cases_ensure_standard(project=other)
    assert UseCase.objects.filter(project=other).count() == 4
    assert Path(ref.SURVEY_FILE).exists()
