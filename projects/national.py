"""The projects stage of the national dataset (``manage.py generate_national``): one project per
MSP for the first ``sizes.projects`` MSPs, at every step, with what a team that far along holds.

- The methodology in force is copied into each project exactly as ``services.project_create``
  does (tasks and milestones with the federation's own items, then the checklists), but in bulk:
  the snapshot is read once and written with ``COPY``.
- Steps: about 35 % at step 1 (preparation and choice), 35 % at step 2 (deployment), 30 % at
  step 3 (routine). Tasks of the steps already passed are closed (mandatory ones done, a few
  optional ones "not applicable" with a reason), the current step is under way, the next ones
  are still to do; dates are in the past for what is done, owners are people of the project's
  own MSP, ``completed_at`` is set exactly when a task is done.
- From the choice of the software on: état des lieux, information meeting, cahier des charges and
  its needs, standard use cases, shortlist, demos and their scorecards, contract checklist;
  from step 2: deployment plan, waves, training, adoption; step 3: ``deployed_on``, the single
  contacts, vendor requests. A few facilitators per federation and contact requests.
- Evidence: metadata rows on a share of the done tasks. Their files are a handful of small
  documents written once each to the default storage (named by their content hash); every
  evidence row points at one of them, so a download works without writing thousands of files.
- The first MSP of the first federation (the benchmark's coordinator and member accounts) gets a
  rich project at step 2 with every section filled.

Hands to later stages: ``ctx.shared["deployed"]`` = [(centre_id, software_id, deployed_on)] and
``ctx.shared["projects"]`` = {centre_id: project_id} (``ctx.shared["chosen_software"]`` =
{centre_id: software_id} for every project that chose one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from federations.professions import Profession
from vendors.models import Capability, Software

from . import figures
from .files import ALLOWED_TYPES
from .models import (
    AdoptionLevel,
    AdoptionStatus,
    ContactRequest,
    ContactRequestStatus,
    DemoScore,
    DemoSession,
    DeploymentPlan,
    DeploymentWave,
    EventVerb,
    Facilitator,
    InformationMeeting,
    ItemKind,
    Need,
    NeedPriority,
    NeedsDocument,
    Project,
    ProjectChecklistItem,
    ProjectEvent,
    ShortlistEntry,
    Step,
    SurveyVersion,
    Task,
    TaskEvidence,
    TaskStatus,
    TeamMember,
    TeamRole,
    TrainingLevel,
    TrainingSession,
    UseCase,
    VendorRequest,
    WaveKind,
)
from .reference_planning import questionnaire
from .services import (
    CONTRACT_CHECKLIST,
    PAIR_OF_LEADS_ABOVE,
    TaskTemplate,
    current_methodology,
    methodology_templates,
)
from .services_planning import MEETING_TOPICS, STANDARD_USE_CASES

#: Share of the projects at each step (percent).
STEP_SHARES = {Step.BEFORE: 35, Step.DURING: 35, Step.AFTER: 30}
#: Chance that a closed optional task is "not applicable" rather than done.
NOT_APPLICABLE_RATE = 0.12
#: Chance that a done task carries an evidence file (milestones: more often).
EVIDENCE_RATE = 0.15
EVIDENCE_RATE_MILESTONE = 0.45
#: Market leaders among MSPs (catalogue slugs) and their weight; without them in the catalogue,
#: the first labelled products take these weights.
LEADERS = [
    ("hellodoc", 30),
    ("weda", 25),
    ("chorus", 18),
    ("axisante-msp", 12),
    ("monlogiciel-medicalcom", 8),
]
#: Professions that never get a referent or a scorecard of their own.
SUPPORT = {Profession.COORDINATOR.value, Profession.SECRETARY.value}
#: Order in which professions are usually deployed (first wave first).
WAVE_ORDER = [
    Profession.GP, Profession.SECRETARY, Profession.NURSE, Profession.PHYSIO,
    Profession.PHARMACIST, Profession.MIDWIFE, Profession.SPEECH_THERAPIST, Profession.PODIATRIST,
    Profession.DIETITIAN, Profession.PSYCHOLOGIST, Profession.DENTIST, Profession.SPECIALIST,
    Profession.ORTHOPTIST, Profession.MEDICO_SOCIAL, Profession.COORDINATOR,
]  # fmt: skip

NOT_APPLICABLE_REASONS = [
    "Déjà fait lors du projet de santé de la MSP.",
    "Sans objet pour une MSP mono-site.",
    "Pas d'équipe de ce type dans la MSP.",
    "Remplacé par un échange avec la fédération.",
    "L'éditeur retenu ne le propose pas ; vu avec le DIM.",
    "La MSP n'a pas d'ancien logiciel commun.",
]
TASK_NOTES = [
    "Fait en réunion d'équipe.",
    "Compte rendu déposé sur l'espace partagé de la MSP.",
    "Validé collégialement.",
    "Avec l'appui du DIM de la fédération.",
    "Reporté une fois faute de disponibilité, fait ensuite.",
    "",
    "",
    "",
]

# (title, capability code, usual priority). Team needs first, then by profession.
TEAM_NEEDS = [
    ("Dossier patient partagé entre les professionnels de la MSP", "", "must"),
    ("Messagerie sécurisée de santé intégrée", "mssante", "must"),
    ("Lecture de la carte Vitale et de la carte CPS", "carte-vitale", "must"),
    ("Alimentation et consultation du DMP", "dmp", "should"),
    ("Compte rendu de concertation intégré au dossier", "reunion-pluripro", "should"),
    ("Requêtes pour les indicateurs de l'ACI", "requetes-aci", "should"),
    ("Droits d'accès aux dossiers selon la profession", "droits-par-profession", "must"),
    ("Agenda partagé avec le secrétariat", "agenda-partage", "could"),
    ("Reprise des données des logiciels actuels", "reprise-donnees", "should"),
    ("Formation sur site par profession", "formation-sur-site", "should"),
    ("Accès au dossier en visite à domicile", "mobilite", "could"),
    ("Application mobile pour les tournées", "application-mobile", "could"),
]
MULTI_SITE_NEED = ("Fonctionnement sur les différents sites de la MSP", "multi-site", "must")
PROFESSION_NEEDS = {
    Profession.GP: [
        ("Prescription avec aide certifiée", "aide-prescription", "must"),
        ("Télétransmission SESAM-Vitale", "facturation-medecin-generaliste", "must"),
    ],
    Profession.NURSE: [
        ("Facturation des actes infirmiers et des tournées", "facturation-infirmier", "must"),
        ("Transmissions ciblées dans le dossier de soins", "dossier-infirmier", "should"),
        ("Gestion des tournées", "tournees", "could"),
    ],
    Profession.PHYSIO: [
        ("Facturation des actes de kinésithérapie", "facturation-masseur-kinesitherapeute", "must"),
        ("Bilans de rééducation structurés", "dossier-kine", "could"),
    ],
    Profession.PODIATRIST: [
        ("Facturation des actes de pédicurie-podologie", "facturation-pedicure-podologue", "must"),
    ],
    Profession.SPEECH_THERAPIST: [
        ("Facturation des actes d'orthophonie", "facturation-orthophoniste", "must"),
    ],
    Profession.MIDWIFE: [
        ("Facturation des actes de sage-femme", "facturation-sage-femme", "must"),
    ],
    Profession.PHARMACIST: [
        ("Consultation des traitements en cours", "", "could"),
        ("Facturation propre aux pharmaciens", "facturation-pharmacien", "should"),
    ],
}
OTHER_PROFESSION_NEED = ("Accès en lecture à la synthèse du dossier", "", "should")

MODULES = ["Dossier et synthèse", "Agenda et secrétariat", "Messagerie sécurisée", "Requêtes ACI"]
ADOPTION_NOTES = {
    AdoptionStatus.PARTIAL: [
        "Les bilans restent sur papier.",
        "Utilisé pour la facturation, peu pour le dossier.",
        "Une partie de l'équipe seulement.",
    ],
    AdoptionStatus.NOT_STARTED: [
        "Consultent peu le dossier partagé.",
        "Formation à reprogrammer.",
        "Attendent le module de facturation.",
    ],
}
VENDOR_SUBJECTS = [
    "Requête ACI : patients en ALD vus en concertation",
    "Export des comptes rendus de concertation",
    "Droits d'accès des kinésithérapeutes aux traitements",
    "Lenteurs à l'ouverture du dossier sur le site secondaire",
    "Facturation des tournées infirmières",
    "Modèle de courrier de sortie pour les spécialistes",
    "Synchronisation de l'agenda partagé",
]
SURVEY_TEXT = {
    "circulation_information": [
        "Par téléphone, courrier papier et messagerie non sécurisée ; réunions mensuelles "
        "sans compte rendu partagé.",
        "Messagerie sécurisée pour les médecins seulement ; le reste passe par le secrétariat.",
        "Cahier de liaison papier et réunions hebdomadaires.",
    ],
    "etat_postes": [
        "Postes récents chez les médecins, plus anciens chez les paramédicaux.",
        "Un poste par cabinet ; les infirmiers utilisent des tablettes.",
    ],
    "logiciels_par_professionnel": [
        "Chaque profession a son logiciel de facturation ; pas de dossier commun.",
        "Médecins : logiciel de cabinet ; infirmiers : logiciel de tournées ; "
        "kinés : facturation seule.",
    ],
    "aisance_informatique": [
        "Les plus jeunes sont à l'aise ; deux professionnels le sont moins.",
        "Une infirmière très à l'aise, prête à être super-utilisatrice.",
        "Équipe globalement à l'aise, secrétariat demandeur de formation.",
    ],
    "quoi_partager": [
        "Synthèse médicale, traitements, comptes rendus de concertation ; "
        "pas les notes personnelles.",
        "Traitements en cours et allergies, comptes rendus de concertation.",
    ],
    "besoins_equipe": [
        "Un dossier partagé pour les patients suivis en commun, et les requêtes pour l'ACI.",
        "Se coordonner sur les sorties d'hospitalisation et les soins à domicile.",
    ],
}


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF that any reader opens (correct cross-reference table)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


#: (name stem, extension, content): the only evidence files written to the storage.
EVIDENCE_FILES = [
    (
        "compte-rendu",
        "txt",
        "Compte rendu de la réunion de l'équipe projet.\n"
        "Ordre du jour : avancement du projet de système d'information partagé.\n"
        "Aucune donnée de patient.\n".encode(),
    ),
    ("liste-de-presence", "pdf", _minimal_pdf("Liste de presence - reunion equipe projet")),
    ("decision-equipe", "pdf", _minimal_pdf("Decision collegiale de l'equipe projet")),
    (
        "tableau-de-suivi",
        "txt",
        "Tableau de suivi du projet : tâches, responsables, échéances.\n".encode(),
    ),
]


# --- Plans ------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What one project will hold, decided before anything is written."""

    centre: Any
    people: list
    step: int
    created: dt.date
    step2: dt.date | None = None
    deployed: dt.date | None = None
    progress: float = 0.0
    software: Software | None = None
    rich: bool = False
    creator_id: int | None = None
    pk: int = 0
    shortlist: list[Software] = field(default_factory=list)
    demos: bool = False
    needs: bool = False
    survey: bool = False
    professions: list[str] = field(default_factory=list)
    by_profession: dict[str, list] = field(default_factory=dict)
    choice_date: dt.date | None = None
    contract_date: dt.date | None = None
    task_ids: list[tuple[int, Any]] = field(default_factory=list)
    waves: list[dict] = field(default_factory=list)

    @property
    def federation_id(self) -> int:
        return self.centre.federation_id

    @property
    def coordinator(self):  # noqa: ANN201
        return self.people[0]

    def period(self, step: int, today: dt.date) -> tuple[dt.date, dt.date]:
        """The days the project spent (or has spent so far) in ``step``."""
        starts = {Step.BEFORE: self.created, Step.DURING: self.step2, Step.AFTER: self.deployed}
        start = starts[step] or today
        ends = {Step.BEFORE: self.step2, Step.DURING: self.deployed, Step.AFTER: None}
        end = ends[step] or today
        return start, max(start, min(end, today))


# --- Helpers ----------------------------------------------------------------------------------


def _day(start: dt.date, end: dt.date, fraction: float) -> dt.date:
    return start + dt.timedelta(days=round((end - start).days * fraction))


#: The last day a generated moment may fall on (the day before the run: nothing in the future).
_LATEST: dict[str, dt.date] = {}


def _moment(day: dt.date, rng, hour_from: int = 8, hour_to: int = 19) -> dt.datetime:  # noqa: ANN001
    day = min(day, _LATEST.get("day", day))
    naive = dt.datetime.combine(day, dt.time(rng.randint(hour_from, hour_to), rng.randint(0, 59)))
    return timezone.make_aware(naive)


def _adapt(value: Any) -> Any:  # noqa: ANN401
    """A Python value as ``ctx.copy`` must receive it on both databases."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return value.replace("\r", "")
    return value


def _insert(ctx, model: type[models.Model], rows: Iterable[dict], label: str) -> int:  # noqa: ANN001
    """COPY rows given as {attname: value}; every concrete column but the id must be given
    (a forgotten column fails here, not in the database)."""
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.column for f in columns]
    attnames = [f.attname for f in columns]
    return ctx.copy(model, names, (tuple(_adapt(row[a]) for a in attnames) for row in rows), label)


def _last_pk(model: type[models.Model]) -> int:
    return model.objects.aggregate(m=Max("pk"))["m"] or 0


def _ids(model: type[models.Model], after: int, *keys: str) -> dict[tuple, int]:
    """Ids of the rows inserted after ``after``, by ``keys`` (one query)."""
    return {
        tuple(rest): pk
        for pk, *rest in model.objects.filter(pk__gt=after)
        .order_by()
        .values_list("pk", *keys)
        .iterator(chunk_size=20_000)
    }


def _weighted_sample(rng, weighted: Sequence[tuple[Any, int]], k: int) -> list:  # noqa: ANN001
    pool = list(weighted)
    chosen = []
    while pool and len(chosen) < k:
        values, weights = zip(*pool, strict=True)
        pick = rng.choices(range(len(pool)), weights=weights, k=1)[0]
        chosen.append(values[pick])
        pool.pop(pick)
    return chosen


def _label(code: str) -> str:
    try:
        return str(Profession(code).label)
    except ValueError:
        return code


def _full_name(membership) -> str:  # noqa: ANN001
    user = membership.user
    return f"{user.first_name} {user.last_name}".strip() or user.email


# --- Reference rows ---------------------------------------------------------------------------


def _software_pool(ctx) -> list[tuple[Software, int]]:  # noqa: ANN001
    """Active software with a market weight: a few leaders take most MSPs, labelled products
    share the rest, products without a label valid for MSPs are rare choices."""
    shared = ctx.shared.get("software")
    if shared:
        ids = [s.pk if isinstance(s, Software) else int(s) for s in shared]
        software = list(Software.objects.filter(pk__in=ids, is_active=True))
    else:
        software = list(Software.objects.filter(is_active=True))
    software.sort(key=lambda s: (s.label_level == "", s.slug))
    leaders = dict(LEADERS)
    if not any(s.slug in leaders for s in software):
        labelled = [s.slug for s in software if s.label_level]
        leaders = dict(zip(labelled, [w for _slug, w in LEADERS], strict=False))
    return [(s, leaders.get(s.slug) or (4 if s.label_level else 1)) for s in software]


# --- The stage --------------------------------------------------------------------------------


def generate(ctx) -> None:  # noqa: ANN001
    # People and memberships were written in bulk, without signals: no list of people kept.
    figures.outside_changed()
    methodology = current_methodology()
    if methodology is None:
        ctx.log("Projets : aucune méthodologie chargée (manage.py load_reference) — étape sautée.")
        return
    _LATEST["day"] = ctx.today - dt.timedelta(days=1)
    federation_ids = sorted({c.federation_id for c in ctx.centres})
    templates = methodology_templates(methodology, federation_ids)
    checklist = list(methodology.checklist_items.all())
    pool = _software_pool(ctx)
    capabilities = {c.code: (c.pk, c.profession) for c in Capability.objects.all()}

    taken = set(
        Project.objects.filter(health_centre__in=[c.pk for c in ctx.centres]).values_list(
            "health_centre_id", flat=True
        )
    )
    centres = [c for c in ctx.centres if c.pk not in taken][: ctx.sizes.projects]
    if not centres:
        return
    plans = _plans(ctx, centres, pool)

    _write_projects(ctx, plans, methodology)
    evidence, events = _write_tasks(ctx, plans, templates)
    _write_evidence(ctx, evidence, events)
    _write_checklists(ctx, plans, checklist)
    _write_team(ctx, plans, events)
    _write_planning(ctx, plans, capabilities)
    _write_facilitators(ctx, plans)
    contract = sum(1 for c in checklist if c.checklist == CONTRACT_CHECKLIST)
    _write_events(ctx, plans, events, methodology, contract)
    # Written in bulk, without the services: no figures kept from an earlier dataset.
    figures.forget(Project.objects.filter(pk__in=[p.pk for p in plans]).only("created_at"))
    figures.forget_steps(p.federation_id for p in plans)

    ctx.shared["projects"] = {p.centre.pk: p.pk for p in plans}
    ctx.shared["chosen_software"] = {p.centre.pk: p.software.pk for p in plans if p.software}
    ctx.shared["deployed"] = [
        (p.centre.pk, p.software.pk, p.deployed) for p in plans if p.step == Step.AFTER
    ]
    steps = Counter(p.step for p in plans)
    ctx.log(
        f"Projets : {len(plans)} (étape 1 : {steps[1]}, étape 2 : {steps[2]}, étape 3 : {steps[3]})"
    )


def _plans(ctx, centres: list, pool: list[tuple[Software, int]]) -> list[_Plan]:  # noqa: ANN001
    rng, today = ctx.rng, ctx.today
    n = len(centres)
    counts = {s: round(n * share / 100) for s, share in STEP_SHARES.items()}
    counts[Step.AFTER] = n - counts[Step.BEFORE] - counts[Step.DURING]
    # The benchmark's MSP (first MSP of the first federation) is the rich step-2 project.
    rich_centre = None
    if ctx.federations and pool:
        first = ctx.centres_of(ctx.federations[0])
        if first and first[0] in centres:
            rich_centre = first[0]
    steps = [s for s, k in counts.items() for _ in range(k)]
    if rich_centre is not None and Step.DURING in steps:
        steps.remove(Step.DURING)
    rng.shuffle(steps)
    if not pool:
        ctx.log("Projets : aucun logiciel commercialisé — tous les projets restent à l'étape 1.")
        steps = [Step.BEFORE] * len(steps)
    staff = {fid: [m.user.pk for m in ms] for fid, ms in ctx.staff.items()}
    plans = []
    it = iter(steps)
    for centre in centres:
        people = ctx.people[centre.pk]
        rich = centre is rich_centre
        step = Step.DURING if rich else next(it)
        plan = _Plan(centre=centre, people=people, step=step, created=today, rich=rich)
        if step == Step.BEFORE:
            plan.created = today - dt.timedelta(days=rng.randint(20, 420))
            plan.progress = rng.uniform(0.05, 0.95)
        elif step == Step.DURING:
            plan.step2 = today - dt.timedelta(days=75 if rich else rng.randint(15, 240))
            plan.created = plan.step2 - dt.timedelta(days=rng.randint(180, 540))
            plan.progress = 0.6 if rich else rng.uniform(0.1, 0.9)
        else:
            plan.deployed = today - dt.timedelta(days=rng.randint(45, 2200))
            plan.step2 = plan.deployed - dt.timedelta(days=rng.randint(60, 240))
            plan.created = plan.step2 - dt.timedelta(days=rng.randint(180, 540))
            plan.progress = rng.uniform(0.2, 1.0)
        fed_staff = staff.get(centre.federation_id) or []
        plan.creator_id = (
            rng.choice(fed_staff) if fed_staff and rng.random() < 0.2 else plan.coordinator.user.pk
        )
        for m in people:
            if m.profession:
                plan.by_profession.setdefault(m.profession, []).append(m)
        plan.professions = [p.value for p in WAVE_ORDER if p.value in plan.by_profession]
        late_choice = step == Step.BEFORE and plan.progress >= 0.75
        if pool and (step >= Step.DURING or late_choice):
            plan.software = ctx.pick_weighted(pool)
        start, end = plan.period(Step.BEFORE, today)
        plan.choice_date = _day(start, end, 0.75 if step > Step.BEFORE else 0.95)
        plan.contract_date = _day(start, end, 0.85 if step > Step.BEFORE else 0.97)
        plan.survey = step > Step.BEFORE or plan.progress >= 0.2
        plan.needs = step > Step.BEFORE or plan.progress >= 0.5
        if pool and (step > Step.BEFORE or plan.progress >= 0.55):
            others = [(s, w) for s, w in pool if s != plan.software]
            k = 3 if rich else rng.randint(1, 3)
            picks = _weighted_sample(rng, others, k)
            plan.shortlist = ([plan.software] if plan.software else []) + picks
            plan.demos = step > Step.BEFORE or plan.progress >= 0.65
        plans.append(plan)
    return plans


def _write_projects(ctx, plans: list[_Plan], methodology) -> None:  # noqa: ANN001
    rng, today = ctx.rng, ctx.today
    title = Project._meta.get_field("title").default
    before = _last_pk(Project)
    rows = []
    for p in plans:
        created = _moment(p.created, rng)
        entered = {Step.BEFORE: p.created, Step.DURING: p.step2, Step.AFTER: p.deployed}[p.step]
        rows.append(
            {
                "federation_id": p.federation_id,
                "health_centre_id": p.centre.pk,
                "title": title,
                "current_step": int(p.step),
                "chosen_software_id": p.software.pk if p.software else None,
                "deployed_on": p.deployed,
                "created_at": created,
                "updated_at": _moment(today - dt.timedelta(days=rng.randint(0, 20)), rng)
                if p.step == Step.BEFORE
                else _moment(entered, rng),
                "created_by_id": p.creator_id,
                "methodology_id": methodology.pk,
                "step_entered_on": entered,
            }
        )
    _insert(ctx, Project, rows, "projets")
    ids = _ids(Project, before, "health_centre_id")
    for p in plans:
        p.pk = ids[(p.centre.pk,)]


def _owner(rng, people: list):  # noqa: ANN001, ANN202
    return people[0] if rng.random() < 0.4 else rng.choice(people)


def _write_tasks(ctx, plans: list[_Plan], templates: dict[int, list[TaskTemplate]]):  # noqa: ANN001, ANN202
    """Tasks with statuses consistent with the step. Returns the evidence to attach and the
    events to write, keyed by (project pk, activity code, code) until the ids are known."""
    rng, today = ctx.rng, ctx.today
    before = _last_pk(Task)
    rows: list[dict] = []
    evidence: list[dict] = []
    events: list[dict] = []
    for p in plans:
        people = p.people
        closed_log: list[tuple[dt.datetime, tuple, str, Any]] = []
        # Decided in the order of the project page, written in the order the service copies.
        order = {id(t): n for n, t in enumerate(templates[p.federation_id])}
        written: dict[int, dict] = {}
        by_step: dict[int, list[TaskTemplate]] = defaultdict(list)
        for t in templates[p.federation_id]:
            by_step[t.step].append(t)
        for step in (Step.BEFORE, Step.DURING, Step.AFTER):
            tasks = sorted(by_step.get(step, []), key=lambda t: (t.activity_position, t.position))
            if step < p.step:
                done_count = len(tasks)
            elif step == p.step:
                done_count = round(p.progress * len(tasks))
            else:
                done_count = 0
            start, end = p.period(step, today)
            upcoming = 0
            for i, t in enumerate(tasks):
                row = {
                    "federation_id": p.federation_id,
                    "project_id": p.pk,
                    "step": t.step,
                    "title": t.title,
                    "status": TaskStatus.TODO.value,
                    "due_date": None,
                    "position": t.position,
                    "code": t.code,
                    "activity_code": t.activity_code,
                    "activity_title": t.activity_title,
                    "activity_position": t.activity_position,
                    "kind": t.kind,
                    "mandatory": t.mandatory,
                    "recommendation": t.recommendation,
                    "resources": t.resources,
                    "source": t.source,
                    "owner_id": None,
                    "start_date": None,
                    "notes": "",
                    "not_applicable_reason": "",
                    "completed_at": None,
                    "updated_at": _moment(p.created, rng),
                    "updated_by_id": None,
                }
                key = (p.pk, t.activity_code, t.code)
                if i < done_count:
                    day = _day(start, end, (i + 1) / (len(tasks) + 1))
                    day = min(end, max(start, day + dt.timedelta(days=rng.randint(-4, 4))))
                    owner = _owner(rng, people)
                    row["owner_id"] = owner.pk
                    row["updated_by_id"] = owner.user.pk
                    moment = _moment(day, rng)
                    row["updated_at"] = moment
                    if not t.mandatory and rng.random() < NOT_APPLICABLE_RATE:
                        row["status"] = TaskStatus.NOT_APPLICABLE.value
                        row["not_applicable_reason"] = rng.choice(NOT_APPLICABLE_REASONS)
                        closed_log.append((moment, key, TaskStatus.NOT_APPLICABLE.value, owner))
                    else:
                        row["status"] = TaskStatus.DONE.value
                        row["completed_at"] = moment
                        row["notes"] = rng.choice(TASK_NOTES)
                        if rng.random() < 0.7:
                            due = day + dt.timedelta(days=rng.randint(-14, 21))
                            row["due_date"] = due
                            row["start_date"] = min(due, day) - dt.timedelta(
                                days=rng.randint(5, 45)
                            )
                        closed_log.append((moment, key, TaskStatus.DONE.value, owner))
                        milestone = t.kind == ItemKind.MILESTONE
                        rate = EVIDENCE_RATE_MILESTONE if milestone else EVIDENCE_RATE
                        if p.rich:
                            rate = max(rate, 0.5)
                        if rng.random() < rate:
                            evidence.append(
                                {"key": key, "task": t, "moment": moment, "owner": owner, "p": p}
                            )
                elif step == p.step:
                    # The current step: the next ones under way, then dated and owned, then open.
                    rank = i - done_count
                    chance = 1.0 if p.rich else (0.75 if rank == 0 else 0.4)
                    if rank < 2 and rng.random() < chance:
                        owner = _owner(rng, people)
                        row["status"] = TaskStatus.IN_PROGRESS.value
                        row["owner_id"] = owner.pk
                        row["updated_by_id"] = owner.user.pk
                        began = today - dt.timedelta(days=rng.randint(3, 60))
                        row["start_date"] = began
                        due = today + dt.timedelta(days=rng.randint(-20, 60))
                        row["due_date"] = max(due, began)
                        row["updated_at"] = _moment(began, rng)
                    elif upcoming < 3:
                        upcoming += 1
                        due = today + dt.timedelta(days=rng.randint(-10, 25) + 21 * upcoming)
                        row["due_date"] = due
                        if rng.random() < 0.6:
                            row["owner_id"] = _owner(rng, people).pk
                written[order[id(t)]] = row
        rows.extend(written[n] for n in sorted(written))
        closed_log.sort(key=lambda e: e[0])
        for moment, key, status, owner in closed_log[-5:]:
            events.append(
                {
                    "project": p,
                    "actor_id": owner.user.pk,
                    "verb": EventVerb.TASK_STATUS.value,
                    "task_key": key,
                    "new": status,
                    "at": moment,
                }
            )
    _insert(ctx, Task, rows, "tâches de projet")
    ids = _ids(Task, before, "project_id", "activity_code", "code")
    titles = {(r["project_id"], r["activity_code"], r["code"]): r["title"] for r in rows}
    for e in evidence:
        e["task_id"] = ids[e["key"]]
    for e in events:
        e["task_id"] = ids[e["task_key"]]
        e["summary"] = titles[e["task_key"]]
        e["data"] = {"task": e["task_id"], "old": TaskStatus.IN_PROGRESS.value, "new": e["new"]}
    return evidence, events


def _evidence_files() -> list[tuple[str, str, int, str, str]]:
    """Write each evidence document once (named by its content hash); returns
    (stem, ext, size, content type, storage name)."""
    files = []
    for stem, ext, content in EVIDENCE_FILES:
        digest = hashlib.sha256(content).hexdigest()[:16]
        name = f"projects/evidence/national/{stem}-{digest}.{ext}"
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:  # pragma: no cover - a storage that renames on its own
                name = saved
        files.append((stem, ext, len(content), ALLOWED_TYPES[ext], name))
    return files


def _write_evidence(ctx, evidence: list[dict], events: list[dict]) -> None:  # noqa: ANN001
    if not evidence:
        return
    rng = ctx.rng
    files = _evidence_files()
    rows = []
    for e in evidence:
        stem, ext, size, content_type, name = rng.choice(files)
        original = f"{stem}-{e['task'].code}.{ext}"[:200]
        uploaded = e["moment"] + dt.timedelta(minutes=rng.randint(1, 120))
        rows.append(
            {
                "federation_id": e["p"].federation_id,
                "task_id": e["task_id"],
                "file": name,
                "original_name": original,
                "size": size,
                "content_type": content_type,
                "uploaded_at": uploaded,
                "uploaded_by_id": e["owner"].user.pk,
            }
        )
        events.append(
            {
                "project": e["p"],
                "actor_id": e["owner"].user.pk,
                "verb": EventVerb.EVIDENCE.value,
                "summary": f"{e['task'].title} — {original}",
                "data": {"task": e["task_id"]},
                "at": uploaded,
            }
        )
    _insert(ctx, TaskEvidence, rows, "justificatifs (métadonnées)")


def _write_checklists(ctx, plans: list[_Plan], checklist: list) -> None:  # noqa: ANN001
    rng = ctx.rng
    rows = []
    for p in plans:
        if p.step > Step.BEFORE:
            share = 1.0
        elif p.software is not None:
            share = rng.uniform(0.3, 0.9)
        else:
            share = 0.0
        for c in checklist:
            checked = c.checklist == CONTRACT_CHECKLIST and rng.random() < share
            rows.append(
                {
                    "federation_id": p.federation_id,
                    "project_id": p.pk,
                    "checklist": c.checklist,
                    "code": c.code,
                    "label": c.label,
                    "help": c.help,
                    "position": c.position,
                    "is_checked": checked,
                    "note": f"Article {rng.randint(2, 14)} du contrat"
                    if checked and rng.random() < 0.4
                    else "",
                    "checked_at": _moment(p.contract_date, rng) if checked else None,
                    "checked_by_id": p.coordinator.user.pk if checked else None,
                }
            )
    _insert(ctx, ProjectChecklistItem, rows, "points du contrat")


def _write_team(ctx, plans: list[_Plan], events: list[dict]) -> None:  # noqa: ANN001
    rng, today = ctx.rng, ctx.today
    rows = []

    def add(p: _Plan, role: str, membership, on: dt.date, profession: str = "", **contact) -> None:  # noqa: ANN001, ANN003
        on = min(on, today)
        rows.append(
            {
                "federation_id": p.federation_id,
                "project_id": p.pk,
                "role": role,
                "membership_id": membership.pk if membership else None,
                "contact_name": contact.get("name", ""),
                "contact_details": contact.get("details", ""),
                "profession": profession,
                "designated_on": on,
                "created_at": _moment(on, rng),
            }
        )

    for p in plans:
        coordinator = p.coordinator
        lead_on = p.created + dt.timedelta(days=rng.randint(0, 20))
        add(p, TeamRole.LEAD.value, coordinator, lead_on)
        events.append(
            {
                "project": p,
                "actor_id": coordinator.user.pk,
                "verb": EventVerb.TEAM.value,
                "summary": f"{TeamRole.LEAD.label} : {_full_name(coordinator)}",
                "data": {"role": TeamRole.LEAD.value},
                "at": _moment(min(lead_on, today), rng),
            }
        )
        if p.centre.professionals_count > PAIR_OF_LEADS_ABOVE:
            gps = p.by_profession.get(Profession.GP.value) or [
                m for m in p.people[1:] if m.profession not in SUPPORT
            ]
            if gps:
                add(p, TeamRole.LEAD.value, gps[0], lead_on)
        if p.step == Step.BEFORE and p.progress < 0.3:
            continue
        start, end = p.period(Step.BEFORE, today)
        referents = [c for c in p.professions if c not in SUPPORT][:6]
        for code in referents:
            add(p, TeamRole.REFERENT.value, p.by_profession[code][0], _day(start, end, 0.2), code)
        if p.step > Step.BEFORE:
            s2_start, s2_end = p.period(Step.DURING, today)
            for code in [c for c in p.professions if c != Profession.COORDINATOR][:3]:
                members = p.by_profession[code]
                person = members[1] if len(members) > 1 else members[0]
                add(p, TeamRole.SUPER_USER.value, person, _day(s2_start, s2_end, 0.1), code)
        if p.step == Step.AFTER or p.rich:
            on = p.deployed or p.step2
            contact = p.people[1] if len(p.people) > 1 and rng.random() < 0.3 else coordinator
            add(p, TeamRole.MSP_CONTACT.value, contact, on)
            first, last = ctx.person_name()
            add(
                p,
                TeamRole.VENDOR_CONTACT.value,
                None,
                on,
                name=f"{first} {last} ({p.software})",
                details=f"Support {p.software} — 0{rng.randint(1, 5)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)}",
            )
    _insert(ctx, TeamMember, rows, "membres d'équipe projet")


def _survey_answers(rng, p: _Plan, version: int) -> dict:  # noqa: ANN001
    counts = ", ".join(f"{len(p.by_profession[c])} × {_label(c)}" for c in p.professions)
    answers = {
        "qui_fait_quoi": f"{len(p.people)} personnes : {counts}.",
        "circulation_information": rng.choice(SURVEY_TEXT["circulation_information"]),
        "nombre_sites": p.centre.sites_count,
        "description_sites": "Un seul site."
        if p.centre.sites_count == 1
        else f"{p.centre.sites_count} sites proches, à quelques minutes les uns des autres.",
        "postes_de_travail": len(p.people) + rng.randint(0, 4),
        "etat_postes": rng.choice(SURVEY_TEXT["etat_postes"]),
        "logiciels_par_professionnel": rng.choice(SURVEY_TEXT["logiciels_par_professionnel"]),
        "qualite_connexion": rng.choice(["bonne", "bonne", "moyenne", "insuffisante", "inconnue"]),
        "hebergement_souhaite": rng.choice(["editeur", "editeur", "sur_site", "indecis"]),
        "aisance_informatique": rng.choice(SURVEY_TEXT["aisance_informatique"]),
    }
    if version > 1:
        answers["qualite_connexion"] = "bonne"
        answers["debit_mesure"] = "Fibre installée sur le site principal."
        answers["hebergement_souhaite"] = "editeur"
        answers["quoi_partager"] = rng.choice(SURVEY_TEXT["quoi_partager"])
        answers["besoins_equipe"] = rng.choice(SURVEY_TEXT["besoins_equipe"])
    return answers


def _write_planning(ctx, plans: list[_Plan], capabilities: dict[str, tuple[int, str]]) -> None:  # noqa: ANN001
    rng, today = ctx.rng, ctx.today
    form = questionnaire()
    codes = {q.code for q in form.questions}
    topics = [code for code, _label in MEETING_TOPICS]
    surveys, meetings, documents, needs, use_cases, shortlist = [], [], [], [], [], []
    for p in plans:
        start, end = p.period(Step.BEFORE, today)
        coordinator_user = p.coordinator.user.pk
        if rng.random() < 0.7 or p.rich:
            attendees = {
                c: max(1, round(len(p.by_profession[c]) * rng.uniform(0.5, 1)))
                for c in p.professions
            }
            chosen = set(rng.sample(topics, k=rng.randint(3, len(topics))))
            meetings.append(
                {
                    "federation_id": p.federation_id,
                    "project_id": p.pk,
                    "date": _day(start, end, 0.05),
                    "attendees": attendees,
                    "topics": [t for t in topics if t in chosen or p.rich],
                    "materials": "Diaporama de la fédération « Le SI partagé en MSP », grille ACI, "
                    "liste des logiciels labellisés.",
                    "notes": "",
                    "created_by_id": coordinator_user,
                }
            )
        if p.survey:
            versions = 2 if p.rich or (p.step > Step.BEFORE and rng.random() < 0.5) else 1
            for number in range(1, versions + 1):
                answers = _survey_answers(rng, p, number)
                surveys.append(
                    {
                        "federation_id": p.federation_id,
                        "project_id": p.pk,
                        "number": number,
                        "questionnaire_version": form.version,
                        "answers": {k: v for k, v in answers.items() if k in codes},
                        "created_at": _moment(_day(start, end, 0.1 * number), rng),
                        "created_by_id": coordinator_user,
                    }
                )
        if p.needs:
            documents.append(_needs_document(rng, p, _day(start, end, 0.45)))
            needs.extend(_needs(rng, p, capabilities))
            for i, (code, title, kind) in enumerate(STANDARD_USE_CASES):
                use_cases.append(
                    {
                        "federation_id": p.federation_id,
                        "project_id": p.pk,
                        "title": str(title),
                        "kind": kind.value,
                        "description": "",
                        "standard_code": code,
                        "position": i,
                    }
                )
            if p.rich:
                use_cases.append(
                    {
                        "federation_id": p.federation_id,
                        "project_id": p.pk,
                        "title": "Sortie d'hospitalisation d'un patient suivi à domicile",
                        "kind": "collective",
                        "description": "Le médecin, l'infirmier et le pharmacien se coordonnent "
                        "sur le retour à domicile. Aucune donnée de patient.",
                        "standard_code": "",
                        "position": 4,
                    }
                )
        for s in p.shortlist:
            shortlist.append(
                {
                    "federation_id": p.federation_id,
                    "project_id": p.pk,
                    "software_id": s.pk,
                    "note": "Labellisé e-santé" if s.label_level else "",
                    "added_at": _moment(_day(start, end, 0.55), rng),
                }
            )
    _insert(ctx, InformationMeeting, meetings, "réunions d'information")
    _insert(ctx, SurveyVersion, surveys, "versions d'état des lieux")
    _insert(ctx, NeedsDocument, documents, "cahiers des charges")
    _insert(ctx, Need, needs, "besoins fonctionnels")
    before = _last_pk(UseCase)
    _insert(ctx, UseCase, use_cases, "cas d'usage")
    case_ids: dict[int, list[int]] = defaultdict(list)
    for (project_id, _position), pk in sorted(
        _ids(UseCase, before, "project_id", "position").items()
    ):
        case_ids[project_id].append(pk)
    _insert(ctx, ShortlistEntry, shortlist, "logiciels présélectionnés")
    _write_demos(ctx, plans, case_ids)
    _write_deployment(ctx, plans)


def _needs_document(rng, p: _Plan, day: dt.date) -> dict:  # noqa: ANN001
    counts = ", ".join(f"{len(p.by_profession[c])} × {_label(c)}" for c in p.professions)
    sites = p.centre.sites_count
    return {
        "federation_id": p.federation_id,
        "project_id": p.pk,
        "professionals": f"{len(p.people)} professionnels : {counts}.",
        "target_users": f"Environ {len(p.people)} utilisateurs, secrétariat compris ; "
        "usage quotidien attendu.",
        "sites": "Un seul site." if sites == 1 else f"{sites} sites (MSP multi-site).",
        "mobility": "Visites à domicile et tournées infirmières."
        if Profession.NURSE.value in p.by_profession
        else "Quelques visites à domicile.",
        "data_migration": rng.choice(
            [
                "Dossiers des logiciels de cabinet des médecins.",
                "Dossiers des médecins et fichiers de tournées des infirmiers.",
                "Aucune : pas de logiciel commun aujourd'hui.",
            ]
        ),
        "access_rights": "Chaque profession voit la synthèse et les traitements ; notes "
        "personnelles réservées à leur auteur.",
        "updated_at": _moment(day, rng),
        "updated_by_id": p.coordinator.user.pk,
    }


def _needs(rng, p: _Plan, capabilities: dict[str, tuple[int, str]]) -> list[dict]:  # noqa: ANN001
    wanted: list[tuple[str, str, str, str]] = []  # profession, title, capability code, priority
    team = TEAM_NEEDS if p.rich else rng.sample(TEAM_NEEDS, k=rng.randint(4, 8))
    team = sorted(team, key=TEAM_NEEDS.index)
    if p.centre.sites_count > 1:
        team = [MULTI_SITE_NEED, *team]
    wanted += [("", title, code, priority) for title, code, priority in team]
    for profession in [c for c in p.professions if c not in SUPPORT][:6]:
        for title, code, priority in PROFESSION_NEEDS.get(profession, [OTHER_PROFESSION_NEED]):
            wanted.append((profession, title, code, priority))
    rows = []
    for position, (profession, title, code, priority) in enumerate(wanted, start=1):
        capability = capabilities.get(code)
        if capability is not None and capability[1] not in ("", profession):
            capability = None
        if not p.rich and rng.random() < 0.2:
            priority = rng.choice(NeedPriority.values)
        rows.append(
            {
                "federation_id": p.federation_id,
                "project_id": p.pk,
                "profession": profession,
                "title": title,
                "description": "",
                "priority": priority,
                "capability_id": capability[0] if capability else None,
                "position": position,
            }
        )
    return rows


def _write_demos(ctx, plans: list[_Plan], case_ids: dict[int, list[int]]) -> None:  # noqa: ANN001
    rng, today = ctx.rng, ctx.today
    before = _last_pk(DemoSession)
    sessions = []
    for p in plans:
        if not p.demos:
            continue
        start, end = p.period(Step.BEFORE, today)
        for i, s in enumerate(p.shortlist):
            day = _day(start, end, 0.6 + 0.03 * i)
            sessions.append(
                {
                    "federation_id": p.federation_id,
                    "project_id": p.pk,
                    "software_id": s.pk,
                    "date": day,
                    "attendees": "Un représentant de chaque profession, la coordinatrice ; "
                    "un commercial et une formatrice de l'éditeur.",
                    "created_at": _moment(day, rng),
                }
            )
    _insert(ctx, DemoSession, sessions, "démonstrations")
    session_ids = _ids(DemoSession, before, "project_id", "software_id")
    scores = []
    for p in plans:
        if not p.demos:
            continue
        professions = [c for c in p.professions if c not in SUPPORT][:3] or [p.professions[0]]
        cases = case_ids.get(p.pk, [])[:4]
        for s in p.shortlist:
            session = session_ids[(p.pk, s.pk)]
            base = 4 if s == p.software else 3
            for profession in professions:
                scorer = p.by_profession[profession][0]
                for case in cases:
                    score = max(1, min(5, base + rng.randint(-1, 1)))
                    comment = ""
                    if score <= 2:
                        comment = "Ne couvre pas ce besoin pour cette profession."
                    scores.append(
                        {
                            "federation_id": p.federation_id,
                            "session_id": session,
                            "use_case_id": case,
                            "profession": profession,
                            "score": score,
                            "comment": comment,
                            "scored_by_id": scorer.user.pk,
                            "updated_at": _moment(
                                min(today, _day(*p.period(Step.BEFORE, today), 0.62)), rng
                            ),
                        }
                    )
    _insert(ctx, DemoScore, scores, "notes de démonstration")


def _wave_groups(rng, p: _Plan) -> list[list[str]]:  # noqa: ANN001
    professions = [c for c in p.professions if c != Profession.COORDINATOR] or p.professions
    n = min(len(professions), 3 if p.rich else rng.randint(1, 3))
    size = -(-len(professions) // max(n, 1))
    return [professions[i : i + size] for i in range(0, len(professions), size)]


def _write_deployment(ctx, plans: list[_Plan]) -> None:  # noqa: ANN001
    rng, today = ctx.rng, ctx.today
    plans_rows, waves, requests = [], [], []
    before = _last_pk(DeploymentWave)
    for p in plans:
        if p.step == Step.BEFORE:
            continue
        s2_start, _s2_end = p.period(Step.DURING, today)
        groups = _wave_groups(rng, p)
        if p.step == Step.AFTER:
            span = max(len(groups) * 2, (p.deployed - s2_start).days - 7)
        else:
            span = max(len(groups) * 2, 60 * len(groups))
        slot = span // len(groups)
        for i, group in enumerate(groups):
            w_start = s2_start + dt.timedelta(days=7 + i * slot)
            w_end = w_start + dt.timedelta(days=max(1, min(rng.randint(14, 28), slot - 1)))
            by_module = not p.rich and rng.random() < 0.1
            label = (
                f"Vague {i + 1} — {MODULES[i % len(MODULES)].lower()}"
                if by_module
                else f"Vague {i + 1} — " + ", ".join(_label(c).lower() for c in group)
            )[:200]
            wave = {
                "federation_id": p.federation_id,
                "project_id": p.pk,
                "label": label,
                "kind": (WaveKind.MODULE if by_module else WaveKind.PROFESSION).value,
                "professions": [] if by_module else group,
                "module": MODULES[i % len(MODULES)] if by_module else "",
                "start": w_start,
                "end": w_end,
            }
            waves.append(wave)
            p.waves.append({**wave, "group": group})
        first = p.waves[0]
        begun = first["start"] <= today
        found = rng.randint(0, 80)
        read_only = rng.random() < 0.7 or p.rich
        plans_rows.append(
            {
                "federation_id": p.federation_id,
                "project_id": p.pk,
                "facilitator_name": "Facilitateur de l'éditeur"
                if rng.random() < 0.5
                else "Facilitatrice de la fédération",
                "facilitator_start": first["start"],
                "facilitator_end": first["start"] + dt.timedelta(days=rng.randint(13, 27)),
                "duplicates_found": found if begun or p.step == Step.AFTER else None,
                "duplicates_resolved": (found if p.step == Step.AFTER else rng.randint(0, found))
                if begun or p.step == Step.AFTER
                else None,
                "migration_checked_on": first["start"] - dt.timedelta(days=rng.randint(3, 15))
                if begun
                else None,
                "old_software_read_only": read_only,
                "read_only_until": (p.deployed or first["start"])
                + dt.timedelta(days=rng.randint(90, 365))
                if read_only
                else None,
                "notes": "Reprise des dossiers vérifiée en recette." if begun else "",
                "updated_at": _moment(min(today, first["start"]), rng),
            }
        )
        if p.step == Step.AFTER or p.rich:
            low = p.deployed or s2_start
            for _ in range(2 if p.rich else (rng.randint(1, 3) if rng.random() < 0.6 else 0)):
                if (today - low).days < 1:
                    break
                asked = low + dt.timedelta(days=rng.randint(0, (today - low).days))
                left = (today - asked).days

                def later(lo: int, hi: int, chance: float, asked=asked, left=left):  # noqa: ANN001, ANN202
                    if rng.random() >= chance or left < lo:
                        return None
                    return asked + dt.timedelta(days=rng.randint(lo, min(hi, left)))

                requests.append(
                    {
                        "federation_id": p.federation_id,
                        "project_id": p.pk,
                        "software_id": p.software.pk,
                        "subject": rng.choice(VENDOR_SUBJECTS),
                        "asked_on": asked,
                        "first_answer_on": later(1, 30, 0.85),
                        "promised_on": asked + dt.timedelta(days=rng.randint(20, 180))
                        if rng.random() < 0.6
                        else None,
                        "delivered_on": later(10, 200, 0.5),
                        "created_by_id": p.coordinator.user.pk,
                    }
                )
    _insert(ctx, DeploymentPlan, plans_rows, "plans de déploiement")
    _insert(ctx, DeploymentWave, waves, "vagues de déploiement")
    _insert(ctx, VendorRequest, requests, "demandes aux éditeurs")
    wave_ids = _ids(DeploymentWave, before, "project_id", "label")
    trainings, adoption = [], []
    for p in plans:
        if p.step == Step.BEFORE:
            continue
        started: set[str] = set()
        for wave in p.waves:
            if wave["start"] > today:
                continue
            wave_id = wave_ids[(p.pk, wave["label"])]
            last = min(wave["end"], today)
            for code in wave["group"]:
                started.add(code)
                trainings.append(
                    _training(rng, p, wave_id, code, TrainingLevel.INDIVIDUAL, wave["start"], last)
                )
                if rng.random() < 0.4:
                    trainings.append(
                        _training(rng, p, wave_id, code, TrainingLevel.MULTI, wave["start"], last)
                    )
        if p.step == Step.AFTER and Profession.COORDINATOR.value in p.by_profession:
            trainings.append(
                _training(
                    rng,
                    p,
                    None,
                    Profession.COORDINATOR.value,
                    TrainingLevel.PILOTING,
                    p.deployed,
                    min(today, p.deployed + dt.timedelta(days=60)),
                )  # fmt: skip
            )
        for code in p.professions:
            if code == Profession.COORDINATOR.value:
                continue
            if p.step == Step.AFTER:
                status = ctx.pick_weighted(
                    [(AdoptionStatus.DAILY, 6), (AdoptionStatus.PARTIAL, 3),
                     (AdoptionStatus.NOT_STARTED, 1)]
                )  # fmt: skip
            elif code in started:
                status = ctx.pick_weighted([(AdoptionStatus.DAILY, 1), (AdoptionStatus.PARTIAL, 2)])
            else:
                continue
            adoption.append(
                {
                    "federation_id": p.federation_id,
                    "project_id": p.pk,
                    "profession": code,
                    "status": status.value,
                    "note": rng.choice(ADOPTION_NOTES.get(status, [""])),
                    "updated_at": _moment(today - dt.timedelta(days=rng.randint(0, 40)), rng),
                }
            )
    _insert(ctx, TrainingSession, trainings, "formations")
    _insert(ctx, AdoptionLevel, adoption, "usages par profession")


def _training(rng, p: _Plan, wave_id, code: str, level, start: dt.date, end: dt.date) -> dict:  # noqa: ANN001
    return {
        "federation_id": p.federation_id,
        "project_id": p.pk,
        "wave_id": wave_id,
        "profession": code,
        "level": level.value,
        "date": _day(start, end, rng.random()),
        "hours": Decimal(rng.choice(["1.5", "2", "3", "3.5", "6"])),
        "attendees_count": len(p.by_profession.get(code, [])) or 1,
        "notes": "",
    }


def _write_facilitators(ctx, plans: list[_Plan]) -> None:  # noqa: ANN001
    """A few professionals of deployed MSPs per federation volunteer as facilitators; some
    teams still choosing ask to meet one."""
    rng, today = ctx.rng, ctx.today
    rows, seen = [], set()
    per_federation: Counter = Counter()
    for p in plans:
        if p.step != Step.AFTER or per_federation[p.federation_id] >= 4:
            continue
        if (p.federation_id, p.software.pk) in seen:
            continue
        seen.add((p.federation_id, p.software.pk))
        per_federation[p.federation_id] += 1
        person = p.people[1] if len(p.people) > 1 else p.people[0]
        rows.append(
            {
                "federation_id": p.federation_id,
                "name": _full_name(person),
                "profession": person.profession,
                "health_centre_id": p.centre.pk,
                "software_id": p.software.pk,
                "email": person.user.email,
                "phone": "",
                "is_available": rng.random() < 0.85,
                "notes": rng.choice(["Réunion de 30 minutes en visio possible.", "", ""]),
            }
        )
    before = _last_pk(Facilitator)
    _insert(ctx, Facilitator, rows, "facilitateurs")
    ids = _ids(Facilitator, before, "federation_id", "software_id")
    available = {
        (r["federation_id"], r["software_id"]): (ids[(r["federation_id"], r["software_id"])], r)
        for r in rows
        if r["is_available"]
    }
    requests = []
    for p in plans:
        if not p.shortlist or (p.step != Step.BEFORE and not p.rich):
            continue
        if not p.rich and rng.random() >= 0.15:
            continue
        for s in p.shortlist:
            found = available.get((p.federation_id, s.pk))
            if found is None or found[1]["health_centre_id"] == p.centre.pk:
                continue
            start, end = p.period(Step.BEFORE, today)
            asked = _moment(_day(start, end, 0.58), rng)
            requests.append(
                {
                    "federation_id": p.federation_id,
                    "project_id": p.pk,
                    "facilitator_id": found[0],
                    "message": "Pouvons-nous venir voir le logiciel en usage ?",
                    "status": rng.choice(ContactRequestStatus.values),
                    "staff_note": "",
                    "requested_by_id": p.coordinator.user.pk,
                    "created_at": asked,
                    "updated_at": asked,
                }
            )
            break
    _insert(ctx, ContactRequest, requests, "demandes de mise en relation")


def _write_events(
    ctx,  # noqa: ANN001
    plans: list[_Plan],
    events: list[dict],
    methodology,  # noqa: ANN001
    contract: int,
) -> None:
    rng = ctx.rng
    rows = []
    for p in plans:
        coordinator = p.coordinator.user.pk
        created = _moment(p.created, rng)
        data = {"methodology": methodology.pk}
        rows.append(_event(p, p.creator_id, EventVerb.CREATED, str(methodology), data, created))
        if p.software is not None:
            data = {"software": p.software.pk}
            at = _moment(p.choice_date, rng)
            rows.append(
                _event(p, coordinator, EventVerb.SOFTWARE_CHOSEN, str(p.software), data, at)
            )
        if p.step > Step.BEFORE:
            counts = {"done": contract, "total": contract}
            summary = f"{contract} point(s) sur {contract} couverts"
            at = _moment(p.contract_date, rng)
            rows.append(_event(p, coordinator, EventVerb.CONTRACT, summary, counts, at))
        for old, new, day in ((1, 2, p.step2), (2, 3, p.deployed)):
            if day is None:
                continue
            data = {"old": old, "new": new, "reason": "", "unmet": []}
            summary = str(Step(new).label)
            rows.append(
                _event(p, coordinator, EventVerb.STEP_CHANGED, summary, data, _moment(day, rng))
            )
    for e in events:
        rows.append(
            _event(e["project"], e["actor_id"], e["verb"], e["summary"], e["data"], e["at"])
        )
    _insert(ctx, ProjectEvent, rows, "événements de projet")


def _event(p: _Plan, actor_id, verb, summary: str, data: dict, at: dt.datetime) -> dict:  # noqa: ANN001
    return {
        "federation_id": p.federation_id,
        "project_id": p.pk,
        "actor_id": actor_id,
        "verb": getattr(verb, "value", verb),
        "summary": str(summary)[:400],
        "data": data,
        "created_at": at,
    }
