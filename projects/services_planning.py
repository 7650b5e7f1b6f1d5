"""Writes of the planning sections. Keyword-only, atomic, taking ``actor=``; every rule a user
can break raises ``ValidationError`` (by field where there is one) before anything is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federations.professions import Profession
from federations.services import audit
from vendors.models import Capability, Software

from . import figures
from .models import (
    AdoptionLevel,
    ContactRequest,
    ContactRequestStatus,
    DemoScore,
    DemoSession,
    DeploymentPlan,
    DeploymentWave,
    Facilitator,
    InformationMeeting,
    Need,
    NeedPriority,
    NeedsDocument,
    Project,
    ShortlistEntry,
    SurveyVersion,
    TrainingSession,
    UseCase,
    UseCaseKind,
    VendorRequest,
    WaveKind,
)
from .reference_planning import questionnaire

TEXT_ANSWER_MAX = 5000
PROFESSION_CODES = frozenset(Profession.values)

#: The ASIP's standard use cases for auditioning vendors (Annexe 4, « Auditionner les candidats »).
STANDARD_USE_CASES = (
    (
        "diagnostic",
        gettext_lazy("Diagnostic : consultation et tenue du dossier"),
        UseCaseKind.INDIVIDUAL,
    ),
    ("prescription", gettext_lazy("Prescription"), UseCaseKind.INDIVIDUAL),
    ("facturation", gettext_lazy("Facturation (dont tiers payant)"), UseCaseKind.INDIVIDUAL),
    (
        "coordination",
        gettext_lazy("Premier cas de coordination pluriprofessionnelle"),
        UseCaseKind.COLLECTIVE,
    ),
)

#: Topics of the information meeting (thesis, recommended actions).
MEETING_TOPICS = (
    ("purpose", gettext_lazy("À quoi sert un système d'information partagé")),
    ("aci", gettext_lazy("Ce que l'ACI attend (axe Système d'information)")),
    ("label", gettext_lazy("Le label e-santé des logiciels")),
    ("method", gettext_lazy("La méthode en trois étapes")),
    ("investment", gettext_lazy("L'investissement humain et financier")),
    ("step_by_step", gettext_lazy("Avancer pas à pas")),
    ("vendors", gettext_lazy("Les réalités des éditeurs")),
)
MEETING_TOPIC_CODES = frozenset(code for code, _label in MEETING_TOPICS)


def _lock_project(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _check_range(
    start: dt.date | None, end: dt.date | None, *, end_field: str, message: str
) -> None:
    if start and end and end < start:
        raise ValidationError({end_field: message})


# --- État des lieux -------------------------------------------------------------------------


def survey_clean_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """Keep only the questionnaire's questions, each answer checked against its kind."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for q in questionnaire().questions:
        value = answers.get(q.code)
        if value in (None, ""):
            continue
        if q.kind == "number":
            try:
                number = int(value)
            except (TypeError, ValueError):
                errors[q.code] = _("Saisissez un nombre entier.")
                continue
            if number < 0:
                errors[q.code] = _("Le nombre ne peut pas être négatif.")
                continue
            clean[q.code] = number
        elif q.kind == "choice":
            if value not in {code for code, _label in q.options}:
                errors[q.code] = _("Choix inconnu : %(value)s.") % {"value": value}
                continue
            clean[q.code] = value
        else:
            text = str(value).strip()
            if len(text) > TEXT_ANSWER_MAX:
                errors[q.code] = _("Réponse trop longue (%(max)s caractères au plus).") % {
                    "max": TEXT_ANSWER_MAX
                }
                continue
            if text:
                clean[q.code] = text
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def survey_save(*, actor, project: Project, answers: dict[str, Any]) -> SurveyVersion:  # noqa: ANN001
    """Save the état des lieux as a new version; earlier versions stay as they were."""
    clean = survey_clean_answers(answers)
    project = _lock_project(project)
    last = SurveyVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0
    return SurveyVersion.objects.create(
        federation_id=project.federation_id,
        project=project,
        number=last + 1,
        questionnaire_version=questionnaire().version,
        answers=clean,
        created_by=actor,
    )


# --- Needs document -------------------------------------------------------------------------


def use_cases_ensure_standard(*, project: Project) -> None:
    """Create the four standard use cases of a project if they are missing (idempotent)."""
    present = set(
        UseCase.objects.filter(project=project)
        .exclude(standard_code="")
        .values_list("standard_code", flat=True)
    )
    missing = [
        UseCase(
            federation_id=project.federation_id,
            project=project,
            title=str(title),
            kind=kind,
            standard_code=code,
            position=i,
        )
        for i, (code, title, kind) in enumerate(STANDARD_USE_CASES)
        if code not in present
    ]
    if missing:
        UseCase.objects.bulk_create(missing, ignore_conflicts=True)
        figures.forget_needs(project)


@transaction.atomic
def needs_document_update(*, actor, project: Project, **fields: str) -> NeedsDocument:  # noqa: ANN001
    allowed = {
        "professionals",
        "target_users",
        "sites",
        "mobility",
        "data_migration",
        "access_rights",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Champs inconnus : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    document, _created = NeedsDocument.objects.select_for_update().get_or_create(
        project=project, defaults={"federation_id": project.federation_id}
    )
    for name, value in fields.items():
        setattr(document, name, (value or "").strip())
    document.updated_by = actor
    document.full_clean()
    document.save()
    figures.forget_needs(project)
    return document


def _check_need(
    *, profession: str, priority: str, capability: Capability | None, title: str
) -> None:
    errors = {}
    if profession and profession not in PROFESSION_CODES:
        errors["profession"] = _("Profession inconnue.")
    if priority not in NeedPriority.values:
        errors["priority"] = _("Priorité inconnue.")
    if not title.strip():
        errors["title"] = _("Décrivez le besoin.")
    if capability is not None and capability.profession and capability.profession != profession:
        errors["capability"] = _(
            "Cette capacité concerne une autre profession : "
            "choisissez-en une de la même profession ou de toute l'équipe."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def need_create(
    *,
    actor,  # noqa: ANN001
    project: Project,
    title: str,
    profession: str = "",
    description: str = "",
    priority: str = NeedPriority.SHOULD,
    capability: Capability | None = None,
) -> Need:
    _check_need(profession=profession, priority=priority, capability=capability, title=title)
    position = (Need.objects.filter(project=project).aggregate(n=Max("position"))["n"] or 0) + 1
    need = Need.objects.create(
        federation_id=project.federation_id,
        project=project,
        title=title.strip(),
        profession=profession,
        description=description.strip(),
        priority=priority,
        capability=capability,
        position=position,
    )
    figures.forget_needs(project)
    return need


@transaction.atomic
def need_update(
    *,
    actor,  # noqa: ANN001
    need: Need,
    title: str,
    profession: str = "",
    description: str = "",
    priority: str = NeedPriority.SHOULD,
    capability: Capability | None = None,
) -> Need:
    _check_need(profession=profession, priority=priority, capability=capability, title=title)
    need.title, need.profession, need.description = title.strip(), profession, description.strip()
    need.priority, need.capability = priority, capability
    need.save()
    figures.forget_needs(need.project)
    return need


@transaction.atomic
def need_delete(*, actor, need: Need) -> None:  # noqa: ANN001
    project = need.project
    need.delete()
    figures.forget_needs(project)


@transaction.atomic
def use_case_create(
    *, actor, project: Project, title: str, kind: str, description: str = ""
) -> UseCase:  # noqa: ANN001
    if kind not in UseCaseKind.values:
        raise ValidationError({"kind": _("Type de cas d'usage inconnu.")})
    if not title.strip():
        raise ValidationError({"title": _("Donnez un intitulé au cas d'usage.")})
    use_cases_ensure_standard(project=project)
    position = (UseCase.objects.filter(project=project).aggregate(n=Max("position"))["n"] or 0) + 1
    use_case = UseCase.objects.create(
        federation_id=project.federation_id,
        project=project,
        title=title.strip(),
        kind=kind,
        description=description.strip(),
        position=position,
    )
    figures.forget_needs(project)
    return use_case


# --- Vendor demos ---------------------------------------------------------------------------


def _software(software: Software | int | None) -> Software:
    if isinstance(software, Software):
        return software
    found = Software.objects.filter(pk=software).first() if software else None
    if found is None:
        raise ValidationError({"software": _("Logiciel inconnu.")})
    return found


@transaction.atomic
def shortlist_add(
    *, actor, project: Project, software: Software | int, note: str = ""
) -> ShortlistEntry:  # noqa: ANN001
    software = _software(software)
    if ShortlistEntry.objects.filter(project=project, software=software).exists():
        raise ValidationError({"software": _("Ce logiciel est déjà dans la présélection.")})
    return ShortlistEntry.objects.create(
        federation_id=project.federation_id, project=project, software=software, note=note.strip()
    )


@transaction.atomic
def shortlist_remove(*, actor, entry: ShortlistEntry) -> None:  # noqa: ANN001
    if DemoSession.objects.filter(
        project_id=entry.project_id, software_id=entry.software_id
    ).exists():
        raise ValidationError(
            _("Une démonstration de ce logiciel est enregistrée : il reste dans la présélection.")
        )
    entry.delete()


@transaction.atomic
def demo_session_create(
    *,
    actor,
    project: Project,
    software: Software | int,
    date: dt.date,
    attendees: str = "",  # noqa: ANN001
) -> DemoSession:
    software = _software(software)
    if not ShortlistEntry.objects.filter(project=project, software=software).exists():
        raise ValidationError({"software": _("Ajoutez d'abord ce logiciel à la présélection.")})
    use_cases_ensure_standard(project=project)
    return DemoSession.objects.create(
        federation_id=project.federation_id,
        project=project,
        software=software,
        date=date,
        attendees=attendees.strip(),
    )


@transaction.atomic
def demo_scores_save(
    *,
    actor,  # noqa: ANN001
    session: DemoSession,
    profession: str,
    scores: dict[int, tuple[int | None, str]],
) -> int:
    """Record one profession's scorecard for a demo: ``scores`` maps a use case id to (score 1–5
    or None for "not scored", comment). All or nothing."""
    if profession not in PROFESSION_CODES:
        raise ValidationError({"profession": _("Profession inconnue.")})
    use_cases = {u.pk: u for u in UseCase.objects.filter(project_id=session.project_id)}
    errors: dict[str, str] = {}
    for use_case_id, (score, _comment) in scores.items():
        if use_case_id not in use_cases:
            errors[f"score_{use_case_id}"] = _("Cas d'usage inconnu.")
        elif score is not None and not (1 <= int(score) <= 5):
            errors[f"score_{use_case_id}"] = _("La note va de 1 à 5.")
    if errors:
        raise ValidationError(errors)
    saved = 0
    for use_case_id, (score, comment) in scores.items():
        if score is None:
            DemoScore.objects.filter(
                session=session, use_case_id=use_case_id, profession=profession
            ).delete()
            continue
        DemoScore.objects.update_or_create(
            session=session,
            use_case_id=use_case_id,
            profession=profession,
            defaults={
                "federation_id": session.federation_id,
                "score": int(score),
                "comment": (comment or "").strip(),
                "scored_by": actor,
            },
        )
        saved += 1
    return saved


# --- Deployment -----------------------------------------------------------------------------


PLAN_FIELDS = (
    "facilitator_name",
    "facilitator_start",
    "facilitator_end",
    "duplicates_found",
    "duplicates_resolved",
    "migration_checked_on",
    "old_software_read_only",
    "read_only_until",
    "notes",
)


@transaction.atomic
def deployment_plan_update(*, actor, project: Project, **fields: Any) -> DeploymentPlan:  # noqa: ANN001
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    _check_range(
        fields.get("facilitator_start"),
        fields.get("facilitator_end"),
        end_field="facilitator_end",
        message=_("La fin de l'accompagnement précède son début."),
    )
    found, resolved = fields.get("duplicates_found"), fields.get("duplicates_resolved")
    if resolved is not None and (found is None or resolved > found):
        raise ValidationError(
            {"duplicates_resolved": _("Il ne peut y avoir plus de doublons résolus que trouvés.")}
        )
    if fields.get("old_software_read_only") and not fields.get("read_only_until"):
        raise ValidationError(
            {
                "read_only_until": _(
                    "Indiquez jusqu'à quand l'ancien logiciel reste en lecture seule."
                )
            }
        )
    plan, _created = DeploymentPlan.objects.select_for_update().get_or_create(
        project=project, defaults={"federation_id": project.federation_id}
    )
    for name, value in fields.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    plan.save()
    return plan


def _check_wave(*, label: str, kind: str, professions: list[str], module: str, start, end) -> None:  # noqa: ANN001
    errors: dict[str, str] = {}
    if not label.strip():
        errors["label"] = _("Donnez un intitulé à la vague.")
    if kind not in WaveKind.values:
        errors["kind"] = _("Découpage inconnu.")
    if kind == WaveKind.PROFESSION and not professions:
        errors["professions"] = _("Choisissez au moins une profession.")
    if any(p not in PROFESSION_CODES for p in professions):
        errors["professions"] = _("Profession inconnue.")
    if kind == WaveKind.MODULE and not module.strip():
        errors["module"] = _("Indiquez le module déployé dans cette vague.")
    if start and end and end < start:
        errors["end"] = _("La fin de la vague précède son début.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def wave_create(
    *,
    actor,  # noqa: ANN001
    project: Project,
    label: str,
    kind: str,
    start: dt.date,
    end: dt.date,
    professions: list[str] | None = None,
    module: str = "",
) -> DeploymentWave:
    professions = list(professions or [])
    _check_wave(
        label=label, kind=kind, professions=professions, module=module, start=start, end=end
    )
    return DeploymentWave.objects.create(
        federation_id=project.federation_id,
        project=project,
        label=label.strip(),
        kind=kind,
        professions=professions if kind == WaveKind.PROFESSION else [],
        module=module.strip() if kind == WaveKind.MODULE else "",
        start=start,
        end=end,
    )


@transaction.atomic
def wave_update(
    *,
    actor,  # noqa: ANN001
    wave: DeploymentWave,
    label: str,
    kind: str,
    start: dt.date,
    end: dt.date,
    professions: list[str] | None = None,
    module: str = "",
) -> DeploymentWave:
    professions = list(professions or [])
    _check_wave(
        label=label, kind=kind, professions=professions, module=module, start=start, end=end
    )
    wave.label, wave.kind, wave.start, wave.end = label.strip(), kind, start, end
    wave.professions = professions if kind == WaveKind.PROFESSION else []
    wave.module = module.strip() if kind == WaveKind.MODULE else ""
    wave.save()
    return wave


@transaction.atomic
def training_create(
    *,
    actor,  # noqa: ANN001
    project: Project,
    profession: str,
    level: str,
    date: dt.date,
    hours: Decimal,
    attendees_count: int = 1,
    wave: DeploymentWave | None = None,
    notes: str = "",
) -> TrainingSession:
    errors = {}
    if profession not in PROFESSION_CODES:
        errors["profession"] = _("Profession inconnue.")
    if wave is not None and wave.project_id != project.pk:
        errors["wave"] = _("Cette vague n'appartient pas au projet.")
    if hours is None or Decimal(hours) <= 0 or Decimal(hours) > 200:
        errors["hours"] = _("Indiquez une durée entre 0,5 et 200 heures.")
    if errors:
        raise ValidationError(errors)
    session = TrainingSession(
        federation_id=project.federation_id,
        project=project,
        profession=profession,
        level=level,
        date=date,
        hours=hours,
        attendees_count=attendees_count,
        wave=wave,
        notes=notes.strip(),
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def adoption_set(
    *, actor, project: Project, profession: str, status: str, note: str = ""
) -> AdoptionLevel:  # noqa: ANN001
    if profession not in PROFESSION_CODES:
        raise ValidationError({"profession": _("Profession inconnue.")})
    row, _created = AdoptionLevel.objects.update_or_create(
        project=project,
        profession=profession,
        defaults={"federation_id": project.federation_id, "status": status, "note": note.strip()},
    )
    row.full_clean()
    return row


# --- Information meeting and facilitators ---------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor,  # noqa: ANN001
    project: Project,
    date: dt.date,
    attendees: dict[str, int],
    topics: list[str],
    materials: str = "",
    notes: str = "",
) -> InformationMeeting:
    errors = {}
    if any(p not in PROFESSION_CODES or int(n) < 0 for p, n in attendees.items()):
        errors["attendees"] = _("Participants : profession inconnue ou nombre négatif.")
    if any(t not in MEETING_TOPIC_CODES for t in topics):
        errors["topics"] = _("Thème inconnu.")
    if not any(int(n) > 0 for n in attendees.values()):
        errors["attendees"] = _("Indiquez au moins un participant.")
    if errors:
        raise ValidationError(errors)
    return InformationMeeting.objects.create(
        federation_id=project.federation_id,
        project=project,
        date=date,
        attendees={p: int(n) for p, n in attendees.items() if int(n) > 0},
        topics=[t for t, _label in MEETING_TOPICS if t in topics],
        materials=materials.strip(),
        notes=notes.strip(),
        created_by=actor,
    )


FACILITATOR_FIELDS = (
    "name",
    "profession",
    "health_centre",
    "software",
    "email",
    "phone",
    "is_available",
    "notes",
)


@transaction.atomic
def facilitator_save(
    *, actor, federation, facilitator: Facilitator | None = None, **fields: Any
) -> Facilitator:  # noqa: ANN001
    unknown = set(fields) - set(FACILITATOR_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    centre = fields.get("health_centre")
    if centre is not None and centre.federation_id != federation.pk:
        raise ValidationError({"health_centre": _("MSP inconnue.")})
    fields["software"] = _software(fields.get("software"))
    facilitator = facilitator or Facilitator(federation=federation)
    for name, value in fields.items():
        setattr(facilitator, name, value.strip() if isinstance(value, str) else value)
    facilitator.full_clean()
    facilitator.save()
    audit(federation=federation, actor=actor, verb="facilitator_saved", target=facilitator.name)
    return facilitator


@transaction.atomic
def contact_request_create(
    *, actor, project: Project, facilitator: Facilitator, message: str = ""
) -> ContactRequest:  # noqa: ANN001
    if facilitator.federation_id != project.federation_id or not facilitator.is_available:
        raise ValidationError(_("Ce facilitateur n'est pas disponible."))
    on_shortlist = ShortlistEntry.objects.filter(
        project=project, software_id=facilitator.software_id
    ).exists()
    if not on_shortlist and project.chosen_software_id != facilitator.software_id:
        raise ValidationError(
            _("Ce facilitateur utilise un logiciel absent de votre présélection.")
        )
    open_statuses = (ContactRequestStatus.REQUESTED, ContactRequestStatus.IN_PROGRESS)
    if ContactRequest.objects.filter(
        project=project, facilitator=facilitator, status__in=open_statuses
    ).exists():
        raise ValidationError(
            _("Une demande de mise en relation est déjà en cours avec ce facilitateur.")
        )
    return ContactRequest.objects.create(
        federation_id=project.federation_id,
        project=project,
        facilitator=facilitator,
        message=message.strip(),
        requested_by=actor,
    )


@transaction.atomic
def contact_request_update(
    *, actor, contact_request: ContactRequest, status: str, staff_note: str = ""
) -> ContactRequest:  # noqa: ANN001
    if status not in ContactRequestStatus.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    contact_request.status = status
    contact_request.staff_note = staff_note.strip()
    contact_request.save(update_fields=["status", "staff_note", "updated_at"])
    return contact_request


# --- Vendor requests ------------------------------------------------------------------------


def _check_vendor_request(asked_on, first_answer_on, promised_on, delivered_on) -> None:  # noqa: ANN001
    errors = {}
    for name, value in (
        ("first_answer_on", first_answer_on),
        ("promised_on", promised_on),
        ("delivered_on", delivered_on),
    ):
        if value and asked_on and value < asked_on:
            errors[name] = _("Cette date précède la date de la demande.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def vendor_request_save(
    *,
    actor,  # noqa: ANN001
    project: Project,
    software: Software | int,
    subject: str,
    asked_on: dt.date,
    first_answer_on: dt.date | None = None,
    promised_on: dt.date | None = None,
    delivered_on: dt.date | None = None,
    vendor_request: VendorRequest | None = None,
) -> VendorRequest:
    software = _software(software)
    if not subject.strip():
        raise ValidationError({"subject": _("Décrivez la demande.")})
    _check_vendor_request(asked_on, first_answer_on, promised_on, delivered_on)
    row = vendor_request or VendorRequest(
        federation_id=project.federation_id, project=project, created_by=actor
    )
    row.software, row.subject, row.asked_on = software, subject.strip(), asked_on
    row.first_answer_on, row.promised_on, row.delivered_on = (
        first_answer_on,
        promised_on,
        delivered_on,
    )
    row.save()
    return row
