"""Forms of the projects app (core). They carry no business rule: choices are scoped to the
project's MSP or to the current federation, and the services decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from federations.professions import Profession

from . import widgets
from .files import ALLOWED_LABEL
from .models import ItemKind, MethodologyActivity, Task, TaskStatus, TeamRole


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(format="%Y-%m-%d", **kwargs)


def person_label(membership) -> str:  # noqa: ANN001
    user = membership.user
    name = user.get_full_name() or user.email
    return f"{name} ({membership.get_profession_display()})" if membership.profession else name


class PersonChoiceField(forms.ModelChoiceField):
    widget = widgets.Select  # the people of an MSP: a long list, written in Python

    def label_from_instance(self, obj) -> str:  # noqa: ANN001
        return person_label(obj)

    def set_people(self, people, rows: list[tuple]) -> None:  # noqa: ANN001
        """``people`` (a queryset of memberships) checks what is posted; the choices come from
        ``rows`` (``selectors.msp_people_rows``), without a model instance per person."""
        self.queryset = people
        professions = dict(Profession.choices)
        choices = [("", self.empty_label)] if self.empty_label is not None else []
        for pk, first, last, email, profession in rows:
            name = f"{first} {last}".strip() or email
            choices.append((pk, f"{name} ({professions[profession]})" if profession else name))
        self.choices = choices


class ProjectCreateForm(forms.Form):
    health_centre = forms.ModelChoiceField(queryset=None, label=_("MSP"))
    title = forms.CharField(
        label=_("Intitulé du projet"),
        max_length=200,
        required=False,
        help_text=_("Facultatif. Par défaut : « Projet de système d'information partagé »."),
    )

    def __init__(self, *args, centres, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["health_centre"].queryset = centres
        if centres.count() == 1:
            self.fields["health_centre"].initial = centres.first()


class TaskForm(forms.ModelForm):
    owner = PersonChoiceField(queryset=None, required=False, label=_("Responsable"))

    class Meta:
        model = Task
        fields = ["status", "not_applicable_reason", "owner", "start_date", "due_date", "notes"]
        widgets = {
            "status": widgets.RadioSelect,
            "start_date": DateInput(),
            "due_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "not_applicable_reason": _("Obligatoire quand la tâche est sans objet."),
        }

    def __init__(self, *args, people, people_rows, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["owner"].set_people(people, people_rows)

    def clean(self) -> dict:
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("L'échéance ne peut pas précéder la date de début."))
        if (
            data.get("status") == TaskStatus.NOT_APPLICABLE
            and not (data.get("not_applicable_reason") or "").strip()
        ):
            self.add_error(
                "not_applicable_reason",
                _("Dites pourquoi cette tâche est sans objet pour votre MSP."),
            )
        return data

    def _post_clean(self) -> None:
        # The services validate and save; skip the model's own validation of constraints here
        # (errors are reported by field above).
        pass


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Justificatif"),
        help_text=_(
            "Types acceptés : %(types)s. Aucune donnée de patient (ni ordonnance, ni compte rendu)."
        )
        % {"types": ALLOWED_LABEL},
    )


class GateForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du passage malgré les critères non remplis"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Réservé à la fédération et au DIM. Aucune donnée de patient."),
    )
    deployed_on = forms.DateField(
        label=_("Date de mise en usage courant"),
        required=False,
        widget=DateInput(),
        help_text=_("Pour l'entrée en étape 3. Par défaut : aujourd'hui."),
    )


class SoftwareForm(forms.Form):
    software = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Logiciel retenu"), empty_label=_("— aucun —")
    )

    def __init__(self, *args, software_qs, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["software"].queryset = software_qs


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=TeamRole.choices)
    membership = PersonChoiceField(
        queryset=None,
        required=False,
        label=_("Personne de la MSP"),
        help_text=_("Sauf pour l'interlocuteur de l'éditeur."),
    )
    profession = forms.ChoiceField(
        label=_("Profession représentée"),
        choices=[("", "—"), *Profession.choices],
        required=False,
        help_text=_("Pour un référent ou un super-utilisateur. Par défaut : sa profession."),
    )
    designated_on = forms.DateField(
        label=_("Désigné(e) collégialement le"),
        required=False,
        widget=DateInput(),
        help_text=_("Obligatoire pour un référent métier."),
    )
    contact_name = forms.CharField(
        label=_("Interlocuteur de l'éditeur"), max_length=200, required=False
    )
    contact_details = forms.CharField(
        label=_("Coordonnées professionnelles"),
        max_length=200,
        required=False,
        help_text=_("Téléphone ou adresse e-mail professionnels."),
    )

    def __init__(self, *args, people, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = people


class FederationItemForm(forms.Form):
    activity_code = forms.ChoiceField(label=_("Activité"))
    title = forms.CharField(label=_("Intitulé"), max_length=300)
    recommendation = forms.CharField(
        label=_("Recommandation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Aucune donnée de patient."),
    )
    kind = forms.ChoiceField(label=_("Nature"), choices=ItemKind.choices)
    mandatory = forms.BooleanField(label=_("Obligatoire pour franchir l'étape"), required=False)

    def __init__(self, *args, methodology, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        activities = (
            MethodologyActivity.objects.filter(methodology=methodology).order_by("step", "position")
            if methodology
            else []
        )
        self.fields["activity_code"].choices = [
            (a.code, f"{a.get_step_display().split(' —')[0]} — {a.title}") for a in activities
        ]


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
