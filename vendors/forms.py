from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from federations.professions import LABEL_PROFESSIONS, Profession

from .models import RATING_CRITERIA, Capability, CharacteristicKey, Software

PROFESSION_CHOICES = [("", _("Toutes les professions"))] + [
    (str(p), p.label) for p in LABEL_PROFESSIONS
]
SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]
NO_PATIENT_DATA = _("Aucune donnée de patient : parlez du logiciel, pas des personnes.")


class PlainSelect(forms.Select):
    """Django's ``<select>`` with the same HTML (attributes, ``aria-describedby``, selected
    option), written in Python instead of through the widget templates, which render one
    template per option (0.7 ms for the 13 professions). For the filter forms shown on every
    view of the catalogue and the comparator; choices in groups use Django's own rendering."""

    def render(self, name, value, attrs=None, renderer=None) -> str:  # noqa: ANN001
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        if not self.allow_multiple_selected:
            selected = set(list(selected)[:1])
        parts = [f'<select name="{escape(name)}"{flatatt(final_attrs)}>']
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            chosen = " selected" if option_value in selected else ""
            parts.append(f'<option value="{escape(option_value)}"{chosen}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every value is escaped


class PlainCheckboxGrid(forms.CheckboxSelectMultiple):
    """The comparator's boxes: ``<div class="checkbox-grid">`` holding, per choice, a ``<div>``
    with the box and its label (``for`` its ``id``), written in Python rather than through
    Django's widget templates (one per box: 0.8 ms for 30 products)."""

    def render(self, name, value, attrs=None, renderer=None) -> str:  # noqa: ANN001
        final_attrs = self.build_attrs(self.attrs, attrs)
        base_id = final_attrs.pop("id", None) or f"id_{name}"
        shared = flatatt(final_attrs)  # aria-invalid…: on every box, as Django does
        selected = set(self.format_value(value))
        parts = ['<div class="checkbox-grid">']
        for index, (option_value, label) in enumerate(self.choices):
            option_value = "" if option_value is None else str(option_value)
            option_id = escape(f"{base_id}_{index}")
            checked = " checked" if option_value in selected else ""
            parts.append(
                f'<div><input type="checkbox" name="{escape(name)}" '
                f'value="{escape(option_value)}"{shared} id="{option_id}"{checked}> '
                f'<label for="{option_id}">{escape(label)}</label></div>'
            )
        parts.append("</div>")
        return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


class CompareForm(forms.Form):
    logiciels = forms.MultipleChoiceField(
        label=_("Logiciels à comparer (2 à 4)"),
        widget=PlainCheckboxGrid,
        required=False,
    )
    profession = forms.ChoiceField(
        label=_("Regarder pour la profession"),
        choices=PROFESSION_CHOICES,
        required=False,
        widget=PlainSelect,
    )

    def __init__(self, *args, softwares: list[Software], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["logiciels"].choices = [(s.slug, s.name) for s in softwares]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom du logiciel ou de l'éditeur"), required=False)
    profession = forms.ChoiceField(
        label=_("Profession couverte par le label"),
        choices=PROFESSION_CHOICES,
        required=False,
        widget=PlainSelect,
    )
    label = forms.ChoiceField(
        label=_("Label"),
        required=False,
        widget=PlainSelect,
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
