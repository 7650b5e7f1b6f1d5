from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from federations.professions import LABEL_PROFESSIONS, Profession

from .models import RATING_CRITERIA, Capability, CharacteristicKey, Software

PROFESSION_CHOICES = [("", _("Toutes les professions"))] + [
    (str(p), p.label) for p in LABEL_PROFESSIONS
]
SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]
NO_PATIENT_DATA = _("Aucune donnée de patient : parlez du logiciel, pas des personnes.")


class CompareForm(forms.Form):
    logiciels = forms.MultipleChoiceField(
        label=_("Logiciels à comparer (2 à 4)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    profession = forms.ChoiceField(
        label=_("Regarder pour la profession"), choices=PROFESSION_CHOICES, required=False
    )

    def __init__(self, *args, softwares: list[Software], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["logiciels"].choices = [(s.slug, s.name) for s in softwares]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom du logiciel ou de l'éditeur"), required=False)
    profession = forms.ChoiceField(
        label=_("Profession couverte par le label"), choices=PROFESSION_CHOICES, required=False
    )
    label = forms.ChoiceField(
        label=_("Label"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("msp", _("Label en vigueur valable pour les maisons de santé")),
            ("valid", _("Label en vigueur")),
            ("none", _("Sans label en vigueur")),
        ],
    )


class RatingForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea, help_text=NO_PATIENT_DATA
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for key, label in reversed(RATING_CRITERIA):
            self.fields = {
                key: forms.TypedChoiceField(
                    label=label,
                    choices=SCORE_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "scores"}),
                    help_text=_("1 = très insatisfait, 5 = très satisfait."),
                    error_messages={"invalid_choice": _("Donnez une note de 1 à 5.")},
                ),
                **self.fields,
            }


def subject_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    caps = [(f"cap:{c.pk}", c.label) for c in Capability.objects.all()]
    return [
        (str(_("Caractéristiques")), [(k, str(v)) for k, v in CharacteristicKey.choices]),
        (str(_("Capacités")), caps),
    ]


class FactForm(forms.Form):
    subject = forms.ChoiceField(label=_("Caractéristique ou capacité"))
    value = forms.CharField(
        label=_("Valeur"),
        max_length=300,
        help_text=_(
            "Capacité : oui, en partie ou non. Hébergement : sur site, éditeur ou 100 % web. "
            "Coûts : un montant en euros HT."
        ),
    )
    note = forms.CharField(
        label=_("Précision (facultatif)"), max_length=300, required=False, help_text=NO_PATIENT_DATA
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices()

    def subject_parts(self) -> dict:
        subject = self.cleaned_data["subject"]
        if subject.startswith("cap:"):
            return {"key": "", "capability": Capability.objects.get(pk=int(subject[4:]))}
        return {"key": subject, "capability": None}


class CorrectionForm(FactForm):
    comment = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "Aucune donnée de patient. Indiquez par exemple la version qui apporte ce changement."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        del self.fields["note"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accepter")), ("reject", _("Refuser"))], widget=forms.HiddenInput
    )
    decision_comment = forms.CharField(
        label=_("Motif (obligatoire pour un refus)"), max_length=500, required=False
    )


__all__ = ["Profession"]
