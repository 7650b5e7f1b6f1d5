from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from federations.models import HealthCentre, Membership
from federations.roles import MSP_ROLES, Role

from .models import Action, ActionStatus, Axis, Framework, PositioningLevel

NO_PATIENT_DATA = _("N'indiquez aucune donnée de patient.")


class CampaignOpenForm(forms.Form):
    health_centre = forms.ModelChoiceField(label=_("MSP"), queryset=HealthCentre.objects.none())
    framework = forms.ModelChoiceField(
        label=_("Référentiel"), queryset=Framework.objects.order_by("code", "-version")
    )
    axes = forms.ModelMultipleChoiceField(
        label=_("Axes évalués"),
        queryset=Axis.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les équipes commencent souvent par deux thèmes prioritaires. Aucun axe coché : "
            "tous les axes du référentiel."
        ),
    )
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    invitees = forms.ModelMultipleChoiceField(
        label=_("Membres invités à répondre"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chacun reçoit un e-mail avec le lien vers son questionnaire."),
    )

    def __init__(self, *args, membership: Membership, centres, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["health_centre"].queryset = centres
        self.fields["year"].initial = timezone.localdate().year
        frameworks = self.fields["framework"].queryset
        if frameworks.count() == 1:
            self.fields["framework"].initial = frameworks.first()
        self.fields["axes"].queryset = Axis.objects.filter(framework__in=frameworks).select_related(
            "framework"
        )
        self.fields["axes"].label_from_instance = lambda a: f"{a.name} ({a.framework.version})"
        people = Membership.objects.filter(
            federation=membership.federation,
            health_centre__in=centres,
            role__in=MSP_ROLES,
            is_active=True,
        ).select_related("user", "health_centre")
        self.fields["invitees"].queryset = people
        self.fields["invitees"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.email} — {m.get_profession_display() or '—'}"
            + (f" ({m.health_centre.name})" if membership.role != Role.COORDINATOR else "")
        )
        if membership.role == Role.COORDINATOR:
            self.fields["health_centre"].initial = membership.health_centre_id
            self.fields["invitees"].initial = [m.pk for m in people]

    def clean(self) -> dict:
        data = super().clean()
        centre, invitees = data.get("health_centre"), data.get("invitees")
        if centre and invitees and any(m.health_centre_id != centre.pk for m in invitees):
            self.add_error("invitees", _("Invitez uniquement des membres de la MSP choisie."))
        return data


class ConsensusForm(forms.Form):
    value = forms.ChoiceField(label=_("Valeur retenue par l'équipe"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commentaire de l'équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NO_PATIENT_DATA,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, framework: Framework, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [(i["code"], i["label"]) for i in framework.rating_scale]


class PositioningForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Positionnement de l'équipe"),
        coerce=int,
        choices=PositioningLevel.choices,
        widget=forms.RadioSelect,
    )
    target_level = forms.TypedChoiceField(
        label=_("Objectif pour la prochaine campagne"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *PositioningLevel.choices],
    )
    comment = forms.CharField(
        label=_("Commentaires de l'équipe"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Sur la situation actuelle, les objectifs à atteindre et les moyens. "
            "N'indiquez aucune donnée de patient."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "objective",
            "dimension",
            "responsible",
            "deadline",
            "indicator",
            "means",
            "status",
            "task",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "means": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "objective": NO_PATIENT_DATA,
            "means": _(
                "Temps, budget, formation, appui du DIM… N'indiquez aucune donnée de patient."
            ),
            "task": _("Facultatif : rattacher l'action à une tâche du projet de la MSP."),
        }

    def __init__(self, *args, campaign, tasks, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = campaign.dimensions.order_by("position")
        self.fields["responsible"].queryset = Membership.objects.filter(
            federation_id=campaign.federation_id,
            health_centre_id=campaign.health_centre_id,
            is_active=True,
        ).select_related("user")
        self.fields["responsible"].label_from_instance = lambda m: (
            m.user.get_full_name() or m.user.email
        )
        self.fields["task"].queryset = tasks
        self.fields["status"].choices = ActionStatus.choices


class DimensionAddForm(forms.Form):
    axis = forms.ModelChoiceField(label=_("Axe"), queryset=Axis.objects.none())
    name = forms.CharField(label=_("Nom de la dimension"), max_length=200)
    characteristics = forms.CharField(
        label=_("Caractéristiques (une par ligne)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Reprenez le texte de la HAS mot pour mot, ou celui de votre fédération."),
    )

    def __init__(self, *args, framework: Framework, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = framework.axes.order_by("position")


class CharacteristicAddForm(forms.Form):
    text = forms.CharField(
        label=_("Nouvelle caractéristique"), widget=forms.Textarea(attrs={"rows": 2})
    )
