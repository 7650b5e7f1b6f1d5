"""Forms of the planning sections: input shape only; rules are in services_planning. Choice
fields take querysets scoped to the current project or federation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from federations.models import HealthCentre
from federations.professions import Profession
from vendors.models import Capability, Software

from .models import (
    AdoptionStatus,
    ContactRequestStatus,
    DeploymentPlan,
    DeploymentWave,
    NeedPriority,
    NeedsDocument,
    TrainingLevel,
    UseCaseKind,
    WaveKind,
)
from .reference_planning import Questionnaire
from .services_planning import MEETING_TOPICS

NO_PATIENT_DATA = _("Aucune donnée de patient : décrivez l'organisation, pas des patients.")
PROFESSION_CHOICES = [("", _("Toute l'équipe")), *Profession.choices]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:  # noqa: ANN001
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label, required: bool = True, help_text: str = "") -> forms.DateField:  # noqa: ANN001
    return forms.DateField(label=label, required=required, widget=DateInput, help_text=help_text)


class SurveyForm(forms.Form):
    """Built from the questionnaire file: one field per question."""

    def __init__(
        self, *args, questionnaire: Questionnaire, answers: dict | None = None, **kwargs
    ) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.sections = []
        for section in questionnaire.sections:
            names = []
            for q in section.questions:
                if q.kind == "number":
                    field = forms.IntegerField(label=q.label, required=False, min_value=0)
                elif q.kind == "choice":
                    field = forms.ChoiceField(
                        label=q.label, required=False, choices=[("", "—"), *q.options]
                    )
                else:
                    field = forms.CharField(
                        label=q.label,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 3}),
                        max_length=5000,
                        help_text=NO_PATIENT_DATA,
                    )
                field.initial = answers.get(q.code)
                self.fields[q.code] = field
                names.append(q.code)
            self.sections.append((section, names))

    def grouped(self) -> list[tuple]:
        return [(section, [self[name] for name in names]) for section, names in self.sections]


class NeedsDocumentForm(forms.ModelForm):
    class Meta:
        model = NeedsDocument
        fields = [
            "professionals",
            "target_users",
            "sites",
            "mobility",
            "data_migration",
            "access_rights",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class CapabilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Capability) -> str:
        profession = dict(Profession.choices).get(obj.profession)
        prefix = f"{obj.group} — " if obj.group else ""
        return f"{prefix}{obj.label}" + (f" ({profession})" if profession else "")


class NeedForm(forms.Form):
    title = forms.CharField(label=_("Besoin"), max_length=300, help_text=NO_PATIENT_DATA)
    profession = forms.ChoiceField(
        label=_("Profession"), choices=PROFESSION_CHOICES, required=False
    )
    priority = forms.ChoiceField(
        label=_("Priorité"), choices=NeedPriority.choices, initial=NeedPriority.SHOULD
    )
    description = forms.CharField(
        label=_("Précisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PATIENT_DATA,
    )
    capability = CapabilityChoiceField(
        label=_("Capacité correspondante du catalogue"),
        queryset=Capability.objects.none(),
        required=False,
        help_text=_(
            "Facultatif : la capacité des logiciels qui répond à ce besoin "
            "(même profession ou toute l'équipe)."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["capability"].queryset = Capability.objects.order_by("group", "label")


class UseCaseForm(forms.Form):
    title = forms.CharField(label=_("Cas d'usage"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=UseCaseKind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PATIENT_DATA,
    )


class ShortlistForm(forms.Form):
    software = forms.ModelChoiceField(
        label=_("Logiciel"),
        queryset=Software.objects.none(),
        error_messages={"invalid_choice": _("Logiciel inconnu.")},
    )
    note = forms.CharField(
        label=_("Remarque"), max_length=300, required=False, help_text=NO_PATIENT_DATA
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["software"].queryset = Software.objects.filter(is_active=True).select_related(
            "vendor"
        )


class DemoSessionForm(forms.Form):
    software = forms.ModelChoiceField(
        label=_("Logiciel"),
        queryset=Software.objects.none(),
        error_messages={"invalid_choice": _("Logiciel inconnu ou absent de la présélection.")},
    )
    date = _date(_("Date de la démonstration"))
    attendees = forms.CharField(
        label=_("Participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Professions représentées et personnes de l'éditeur. ") + NO_PATIENT_DATA,
    )

    def __init__(self, *args, project, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["software"].queryset = Software.objects.filter(
            pk__in=project_shortlist_ids(project)
        )


def project_shortlist_ids(project):  # noqa: ANN001, ANN201
    from .models import ShortlistEntry

    return ShortlistEntry.objects.filter(project=project).values("software_id")


class ScorecardForm(forms.Form):
    profession = forms.ChoiceField(label=_("Profession représentée"), choices=Profession.choices)

    def __init__(self, *args, use_cases, scores: dict | None = None, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        scores = scores or {}
        self.rows = []
        for uc in use_cases:
            existing = scores.get(uc.pk)
            score = forms.IntegerField(
                label=_("Note (1 à 5)"),
                required=False,
                min_value=1,
                max_value=5,
                initial=existing.score if existing else None,
                error_messages={
                    "min_value": _("La note va de 1 à 5."),
                    "max_value": _("La note va de 1 à 5."),
                },
            )
            comment = forms.CharField(
                label=_("Commentaire"),
                required=False,
                max_length=1000,
                initial=existing.comment if existing else "",
                help_text=NO_PATIENT_DATA,
            )
            self.fields[f"score_{uc.pk}"] = score
            self.fields[f"comment_{uc.pk}"] = comment
            self.rows.append((uc, f"score_{uc.pk}", f"comment_{uc.pk}"))

    def bound_rows(self) -> list[tuple]:
        return [(uc, self[s], self[c]) for uc, s, c in self.rows]

    def scores(self) -> dict[int, tuple]:
        return {
            uc.pk: (self.cleaned_data.get(s), self.cleaned_data.get(c, ""))
            for uc, s, c in self.rows
        }


class DeploymentPlanForm(forms.ModelForm):
    class Meta:
        model = DeploymentPlan
        fields = [
            "facilitator_name",
            "facilitator_start",
            "facilitator_end",
            "duplicates_found",
            "duplicates_resolved",
            "migration_checked_on",
            "old_software_read_only",
            "read_only_until",
            "notes",
        ]
        widgets = {
            "facilitator_start": DateInput,
            "facilitator_end": DateInput,
            "migration_checked_on": DateInput,
            "read_only_until": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "facilitator_end": _("Recommandé : 2 à 4 semaines d'accompagnement sur site.")
        }


class WaveForm(forms.Form):
    label = forms.CharField(label=_("Intitulé"), max_length=200)
    kind = forms.ChoiceField(label=_("Découpage"), choices=WaveKind.choices)
    professions = forms.MultipleChoiceField(
        label=_("Professions"),
        choices=Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour une vague par profession."),
    )
    module = forms.CharField(
        label=_("Module"),
        max_length=200,
        required=False,
        help_text=_("Pour une vague par module fonctionnel (ex. agenda, dossier partagé)."),
    )
    start = _date(_("Début"))
    end = _date(_("Fin"))

    @classmethod
    def initial_from(cls, wave: DeploymentWave) -> dict:
        return {
            "label": wave.label,
            "kind": wave.kind,
            "professions": wave.professions,
            "module": wave.module,
            "start": wave.start,
            "end": wave.end,
        }


class TrainingForm(forms.Form):
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    level = forms.ChoiceField(
        label=_("Niveau"),
        choices=TrainingLevel.choices,
        help_text=_(
            "Pratique individuelle d'abord, puis exercice pluriprofessionnel, "
            "enfin pilotage et NMR."
        ),
    )
    wave = forms.ModelChoiceField(
        label=_("Vague"), queryset=DeploymentWave.objects.none(), required=False
    )
    date = _date(_("Date"))
    hours = forms.DecimalField(label=_("Heures"), min_value=0.5, max_value=200, decimal_places=1)
    attendees_count = forms.IntegerField(label=_("Participants"), min_value=1, initial=1)
    notes = forms.CharField(
        label=_("Remarques"), max_length=300, required=False, help_text=NO_PATIENT_DATA
    )

    def __init__(self, *args, project, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = DeploymentWave.objects.filter(project=project)


class AdoptionForm(forms.Form):
    profession = forms.ChoiceField(label=_("Profession"), choices=Profession.choices)
    status = forms.ChoiceField(label=_("Usage du logiciel"), choices=AdoptionStatus.choices)
    note = forms.CharField(
        label=_("Remarque"), max_length=300, required=False, help_text=NO_PATIENT_DATA
    )


class MeetingForm(forms.Form):
    date = _date(_("Date de la réunion"))
    topics = forms.MultipleChoiceField(
        label=_("Thèmes abordés"),
        choices=MEETING_TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    materials = forms.CharField(
        label=_("Supports"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NO_PATIENT_DATA,
    )
    notes = forms.CharField(
        label=_("Remarques"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PATIENT_DATA,
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for code, label in Profession.choices:
            self.fields[f"att_{code}"] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=200
            )

    def attendee_fields(self) -> list:
        return [self[f"att_{code}"] for code in Profession.values]

    def main_fields(self) -> list:
        return [self[n] for n in ("date", "topics", "materials", "notes")]

    def attendees(self) -> dict[str, int]:
        return {code: self.cleaned_data.get(f"att_{code}") or 0 for code in Profession.values}


class FacilitatorForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    profession = forms.ChoiceField(
        label=_("Profession"), choices=[("", "—"), *Profession.choices], required=False
    )
    health_centre = forms.ModelChoiceField(
        label=_("MSP d'exercice"), queryset=HealthCentre.objects.none(), required=False
    )
    software = forms.ModelChoiceField(
        label=_("Logiciel maîtrisé"),
        queryset=Software.objects.none(),
        error_messages={"invalid_choice": _("Logiciel inconnu.")},
    )
    email = forms.EmailField(label=_("Adresse e-mail"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    is_available = forms.BooleanField(
        label=_("Disponible pour partager son expérience"), required=False, initial=True
    )
    notes = forms.CharField(
        label=_("Remarques"), max_length=300, required=False, help_text=NO_PATIENT_DATA
    )

    def __init__(self, *args, federation, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["health_centre"].queryset = HealthCentre.objects.for_federation(federation)
        self.fields["software"].queryset = Software.objects.filter(is_active=True)


class ContactRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), max_length=500, required=False, help_text=NO_PATIENT_DATA
    )


class ContactRequestUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=ContactRequestStatus.choices)
    staff_note = forms.CharField(label=_("Suivi"), max_length=300, required=False)


class VendorRequestForm(forms.Form):
    software = forms.ModelChoiceField(
        label=_("Logiciel"),
        queryset=Software.objects.none(),
        error_messages={"invalid_choice": _("Logiciel inconnu.")},
    )
    subject = forms.CharField(label=_("Demande"), max_length=300, help_text=NO_PATIENT_DATA)
    asked_on = _date(_("Demandé le"))
    first_answer_on = _date(_("Première réponse le"), required=False)
    promised_on = _date(_("Date promise par l'éditeur"), required=False)
    delivered_on = _date(_("Livré le"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["software"].queryset = Software.objects.all()
