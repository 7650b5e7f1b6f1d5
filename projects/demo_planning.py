"""Demo data of the planning sections, for Lille Moulins (a team that went all the way, with a
wave in the flu season to show the warning), MSP de Marquise (choosing its software, with
facilitators on its shortlist) and MSP de Bailleul (information meeting held). Idempotent: each
part is added only when the project does not have it yet. People and answers are invented;
nothing about patients."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from federations.models import Federation, HealthCentre, Membership
from federations.roles import Role
from vendors.models import Capability, Software

from . import services_planning as svc
from .models import (
    ContactRequest,
    DemoSession,
    DeploymentWave,
    Facilitator,
    InformationMeeting,
    Need,
    Project,
    ShortlistEntry,
    SurveyVersion,
    UseCase,
    VendorRequest,
)
from .reference_planning import load_holidays

LILLE = "Maison Dispersée de Santé de Lille Moulins"
MARQUISE = "MSP de Marquise"
BAILLEUL = "MSP de Bailleul"

SURVEY_V1 = {
    "qui_fait_quoi": "3 médecins, 6 infirmiers, 3 kinés, 2 pharmaciens, 1 orthophoniste, "
    "1 diététicienne, 1 coordinatrice, 1 secrétaire. Chaque profession a son logiciel.",
    "circulation_information": "Par téléphone, courrier papier et messagerie non sécurisée ; "
    "réunions de concertation mensuelles sans compte rendu partagé.",
    "nombre_sites": 3,
    "description_sites": "Trois sites dans le quartier de Moulins, à 5 minutes à pied ; "
    "infirmiers en tournée à domicile.",
    "postes_de_travail": 14,
    "logiciels_par_professionnel": "Médecins : logiciel de cabinet ; infirmiers : logiciel de "
    "facturation et tournées ; kinés : logiciel de facturation seul.",
    "qualite_connexion": "moyenne",
    "hebergement_souhaite": "indecis",
    "aisance_informatique": "Les jeunes médecins et la coordinatrice sont à l'aise ; "
    "deux infirmiers et un kiné le sont moins.",
}
SURVEY_V2 = {
    **SURVEY_V1,
    "qualite_connexion": "bonne",
    "debit_mesure": "Fibre installée sur les trois sites en 2025.",
    "hebergement_souhaite": "editeur",
    "quoi_partager": "Synthèse médicale, traitements, comptes rendus de concertation ; "
    "pas les notes personnelles.",
    "besoins_equipe": "Un dossier partagé pour les patients suivis en commun, et les requêtes "
    "pour l'ACI.",
}
NEEDS = [
    ("", "must", "Dossier patient partagé entre les trois sites", "multi-site"),
    ("", "must", "Messagerie sécurisée de santé intégrée", "mssante"),
    ("", "should", "Compte rendu de concertation intégré au dossier", "reunion-pluripro"),
    ("", "should", "Requêtes pour les indicateurs de l'ACI", "requetes-aci"),
    ("medecin_generaliste", "must", "Prescription avec aide certifiée", "aide-prescription"),
    (
        "medecin_generaliste",
        "must",
        "Télétransmission SESAM-Vitale",
        "facturation-medecin-generaliste",
    ),
    (
        "infirmier",
        "must",
        "Facturation des actes infirmiers et des tournées",
        "facturation-infirmier",
    ),
    ("infirmier", "should", "Accès au dossier en visite à domicile", "mobilite"),
    (
        "masseur_kinesitherapeute",
        "must",
        "Facturation des actes de kinésithérapie",
        "facturation-masseur-kinesitherapeute",
    ),
    ("masseur_kinesitherapeute", "could", "Bilans de rééducation structurés", "dossier-kine"),
    ("pharmacien", "could", "Consultation des traitements en cours", ""),
]


def _project(centre: HealthCentre) -> Project:
    project, _created = Project.objects.get_or_create(
        health_centre=centre, defaults={"federation_id": centre.federation_id}
    )
    return project


def _software(*slugs: str) -> list[Software]:
    found = {s.slug: s for s in Software.objects.filter(slug__in=slugs)}
    return [found[s] for s in slugs if s in found]


def _coordinator(centre: HealthCentre):  # noqa: ANN202
    m = (
        Membership.objects.filter(health_centre=centre, role=Role.COORDINATOR)
        .select_related("user")
        .first()
    )
    return m.user if m else None


def _survey(project: Project, actor, versions: list[dict]) -> None:  # noqa: ANN001
    if SurveyVersion.objects.filter(project=project).exists():
        return
    for answers in versions:
        svc.survey_save(actor=actor, project=project, answers=answers)


def _needs(project: Project, actor, needs: list[tuple]) -> None:  # noqa: ANN001
    if Need.objects.filter(project=project).exists():
        return
    capabilities = {c.code: c for c in Capability.objects.all()}
    for profession, priority, title, code in needs:
        capability = capabilities.get(code)
        if capability is not None and capability.profession not in ("", profession):
            capability = None
        svc.need_create(
            actor=actor,
            project=project,
            title=title,
            profession=profession,
            priority=priority,
            capability=capability,
        )


def _shortlist(project: Project, actor, software: list[Software]) -> None:  # noqa: ANN001
    for s in software:
        if not ShortlistEntry.objects.filter(project=project, software=s).exists():
            svc.shortlist_add(actor=actor, project=project, software=s)


def _meeting(project: Project, actor, date: dt.date, attendees: dict, topics: list) -> None:  # noqa: ANN001
    if InformationMeeting.objects.filter(project=project).exists():
        return
    svc.meeting_create(
        actor=actor,
        project=project,
        date=date,
        attendees=attendees,
        topics=topics,
        materials="Diaporama de la fédération « Le SI partagé en MSP », grille ACI, "
        "liste des logiciels labellisés.",
    )


def _lille(project: Project, actor) -> None:  # noqa: ANN001
    _meeting(
        project,
        actor,
        dt.date(2024, 9, 12),
        {
            "medecin_generaliste": 3,
            "infirmier": 4,
            "masseur_kinesitherapeute": 2,
            "pharmacien": 1,
            "coordinateur": 1,
        },
        [code for code, _label in svc.MEETING_TOPICS],
    )
    _survey(project, actor, [SURVEY_V1, SURVEY_V2])
    svc.needs_document_update(
        actor=actor,
        project=project,
        professionals="18 professionnels : 3 médecins généralistes, 6 infirmiers, "
        "3 kinésithérapeutes, 2 pharmaciens, 1 orthophoniste, 1 diététicienne, "
        "1 coordinatrice, 1 secrétaire.",
        target_users="Une vingtaine d'utilisateurs, secrétariat compris ; usage quotidien attendu.",
        sites="Trois sites proches dans le quartier de Moulins (MSP dispersée).",
        mobility="Tournées infirmières et visites à domicile des médecins.",
        data_migration="Dossiers des logiciels de cabinet des médecins ; fichiers de tournées.",
        access_rights="Chaque profession voit la synthèse et les traitements ; notes "
        "personnelles réservées à leur auteur.",
    )
    _needs(project, actor, NEEDS)
    shortlist = _software("hellodoc", "weda", "chorus")
    _shortlist(project, actor, shortlist)
    svc.use_cases_ensure_standard(project=project)
    if shortlist and not DemoSession.objects.filter(project=project).exists():
        cases = {u.standard_code: u for u in UseCase.objects.filter(project=project)}
        grid = {
            # software slug → profession → scores per use case (diagnostic, prescription,
            # facturation, coordination); WEDA shows the classic gap: nurses cannot bill.
            "hellodoc": {
                "medecin_generaliste": (5, 4, 4, 4),
                "infirmier": (4, 3, 4, 4),
                "masseur_kinesitherapeute": (4, 3, 4, 3),
            },
            "weda": {
                "medecin_generaliste": (5, 5, 4, 3),
                "infirmier": (3, 3, 1, 3),
                "masseur_kinesitherapeute": (3, 3, 2, 3),
            },
            "chorus": {
                "medecin_generaliste": (4, 4, 4, 4),
                "infirmier": (3, 3, 3, 4),
                "masseur_kinesitherapeute": (3, 3, 3, 3),
            },
        }
        for i, software in enumerate(shortlist):
            session = svc.demo_session_create(
                actor=actor,
                project=project,
                software=software,
                date=dt.date(2024, 11, 5) + dt.timedelta(days=7 * i),
                attendees="Un médecin, un infirmier, un kinésithérapeute, la coordinatrice ; "
                "un commercial et une formatrice de l'éditeur.",
            )
            for profession, scores in grid.get(software.slug, {}).items():
                comment = (
                    "Pas de facturation infirmière"
                    if software.slug == "weda" and profession == "infirmier"
                    else ""
                )
                svc.demo_scores_save(
                    actor=actor,
                    session=session,
                    profession=profession,
                    scores={
                        cases[code].pk: (score, comment if code == "facturation" else "")
                        for code, score in zip(
                            ("diagnostic", "prescription", "facturation", "coordination"),
                            scores,
                            strict=True,
                        )
                    },
                )
    svc.deployment_plan_update(
        actor=actor,
        project=project,
        facilitator_name="Facilitatrice de la fédération",
        facilitator_start=dt.date(2025, 9, 8),
        facilitator_end=dt.date(2025, 9, 26),
        duplicates_found=42,
        duplicates_resolved=42,
        migration_checked_on=dt.date(2025, 9, 3),
        old_software_read_only=True,
        read_only_until=dt.date(2026, 3, 31),
        notes="Reprise des dossiers des médecins vérifiée en recette.",
    )
    if not DeploymentWave.objects.filter(project=project).exists():
        waves = [
            (
                "Vague 1 — médecins et secrétariat",
                ["medecin_generaliste", "secretaire"],
                dt.date(2025, 9, 8),
                dt.date(2025, 9, 26),
            ),
            (
                "Vague 2 — infirmiers et kinés",
                ["infirmier", "masseur_kinesitherapeute"],
                dt.date(2025, 11, 3),
                dt.date(2025, 11, 21),
            ),
            (
                "Vague 3 — pharmaciens, orthophoniste, diététicienne",
                ["pharmacien", "orthophoniste", "dieteticien"],
                dt.date(2026, 3, 9),
                dt.date(2026, 3, 27),
            ),
        ]
        created = []
        for label, professions, start, end in waves:
            created.append(
                svc.wave_create(
                    actor=actor,
                    project=project,
                    label=label,
                    kind="profession",
                    professions=professions,
                    start=start,
                    end=end,
                )
            )
        trainings = [
            (created[0], "medecin_generaliste", "individual", dt.date(2025, 9, 9), "3", 3),
            (created[0], "secretaire", "individual", dt.date(2025, 9, 10), "2", 1),
            (created[0], "medecin_generaliste", "multi", dt.date(2025, 10, 14), "2", 3),
            (created[1], "infirmier", "individual", dt.date(2025, 11, 4), "3", 5),
            (created[1], "masseur_kinesitherapeute", "individual", dt.date(2025, 11, 5), "2", 3),
            (created[1], "infirmier", "multi", dt.date(2025, 12, 9), "2", 4),
            (created[2], "pharmacien", "individual", dt.date(2026, 3, 10), "1.5", 2),
            (None, "coordinateur", "piloting", dt.date(2026, 4, 14), "3", 1),
        ]
        for wave, profession, level, date, hours, n in trainings:
            svc.training_create(
                actor=actor,
                project=project,
                profession=profession,
                level=level,
                date=date,
                hours=Decimal(hours),
                attendees_count=n,
                wave=wave,
            )
        for profession, status, note in [
            ("medecin_generaliste", "daily", ""),
            ("secretaire", "daily", ""),
            ("infirmier", "daily", ""),
            ("masseur_kinesitherapeute", "partial", "Les bilans restent sur papier."),
            ("pharmacien", "not_started", "Consultent peu le dossier partagé."),
        ]:
            svc.adoption_set(
                actor=actor, project=project, profession=profession, status=status, note=note
            )
    hellodoc = _software("hellodoc")
    if hellodoc and not VendorRequest.objects.filter(project=project).exists():
        for subject, asked, first, promised, delivered in [
            (
                "Requête ACI : patients en ALD vus en concertation",
                dt.date(2025, 11, 4),
                dt.date(2025, 11, 6),
                dt.date(2026, 1, 15),
                dt.date(2026, 2, 10),
            ),
            (
                "Export des comptes rendus de concertation",
                dt.date(2026, 2, 2),
                dt.date(2026, 2, 20),
                dt.date(2026, 6, 30),
                None,
            ),
            ("Droits d'accès des kinés aux traitements", dt.date(2026, 5, 12), None, None, None),
        ]:
            svc.vendor_request_save(
                actor=actor,
                project=project,
                software=hellodoc[0],
                subject=subject,
                asked_on=asked,
                first_answer_on=first,
                promised_on=promised,
                delivered_on=delivered,
            )


def _facilitators(federation: Federation, actor) -> list[Facilitator]:  # noqa: ANN001
    centres = {c.name: c for c in HealthCentre.objects.filter(federation=federation)}
    rows = [
        (
            "Dr Camille Leroy",
            "medecin_generaliste",
            "Maison de Santé de Sin-le-Noble",
            "weda",
            "Réunion de 30 minutes en visio possible.",
        ),
        (
            "Nicolas Caron",
            "infirmier",
            "MSP d'Arras Centre",
            "hellodoc",
            "Tournées et facturation infirmière.",
        ),
        (
            "Élodie Vandamme",
            "coordinateur",
            "Maison Médicale de l'Alloeu",
            "chorus",
            "Requêtes ACI et réunions de concertation.",
        ),
        ("Dr Thomas Delattre", "medecin_generaliste", "MSP de Lens", "weda", ""),
    ]
    found = []
    software = {s.slug: s for s in Software.objects.filter(slug__in=[r[3] for r in rows])}
    for name, profession, centre, slug, notes in rows:
        if slug not in software:
            continue
        existing = Facilitator.objects.filter(federation=federation, name=name).first()
        found.append(
            existing
            or svc.facilitator_save(
                actor=actor,
                federation=federation,
                name=name,
                profession=profession,
                health_centre=centres.get(centre),
                software=software[slug],
                email=f"{name.split()[-1].lower()}@exemple.demo",
                is_available=True,
                notes=notes,
            )
        )
    return found


def _marquise(project: Project, actor, facilitators: list[Facilitator]) -> None:  # noqa: ANN001
    _meeting(
        project,
        actor,
        dt.date(2026, 9, 17),
        {"medecin_generaliste": 2, "infirmier": 3, "masseur_kinesitherapeute": 1, "pharmacien": 1},
        ["purpose", "aci", "label", "method", "investment", "step_by_step"],
    )
    _survey(
        project,
        actor,
        [
            {
                "nombre_sites": 1,
                "qualite_connexion": "insuffisante",
                "hebergement_souhaite": "editeur",
                "aisance_informatique": "Une infirmière très à l'aise, "
                "prête à être super-utilisatrice.",
            }
        ],
    )
    _needs(
        project,
        actor,
        [
            ("", "must", "Dossier patient partagé", ""),
            ("infirmier", "must", "Facturation des actes infirmiers", "facturation-infirmier"),
            (
                "medecin_generaliste",
                "should",
                "Agenda partagé avec le secrétariat",
                "agenda-partage",
            ),
        ],
    )
    shortlist = _software("weda", "hellodoc")
    _shortlist(project, actor, shortlist)
    svc.use_cases_ensure_standard(project=project)
    weda = [f for f in facilitators if f.software.slug == "weda"]
    if weda and not ContactRequest.objects.filter(project=project).exists():
        svc.contact_request_create(
            actor=actor,
            project=project,
            facilitator=weda[0],
            message="Pouvons-nous venir voir le logiciel en usage ?",
        )


@transaction.atomic
def load(ctx: dict) -> None:
    """Demo data of the planning sections."""
    from .models import SchoolHoliday

    if not SchoolHoliday.objects.exists():
        load_holidays()
    federation = Federation.objects.filter(slug="femasnord").first()
    if federation is None:
        return
    staff = (
        Membership.objects.filter(federation=federation, role=Role.STAFF)
        .select_related("user")
        .first()
    )
    staff_user = staff.user if staff else None
    centres = {
        c.name: c
        for c in HealthCentre.objects.filter(
            federation=federation, name__in=[LILLE, MARQUISE, BAILLEUL]
        )
    }
    facilitators = _facilitators(federation, staff_user)
    if LILLE in centres:
        centre = centres[LILLE]
        _lille(_project(centre), _coordinator(centre) or staff_user)
    if MARQUISE in centres:
        centre = centres[MARQUISE]
        _marquise(_project(centre), _coordinator(centre) or staff_user, facilitators)
    if BAILLEUL in centres:
        _meeting(
            _project(centres[BAILLEUL]),
            staff_user,
            dt.date(2026, 10, 8),
            {"medecin_generaliste": 3, "infirmier": 2, "dieteticien": 1},
            ["purpose", "aci", "method", "vendors"],
        )
