"""Forms of the usergroups pages: choices are scoped to the current federation."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from federations.models import HealthCentre, Membership
from federations.professions import Profession
from federations.roles import Role
from vendors.models import Software

from .models import (
    PATIENT_DATA_HELP,
    AnswerStatus,
    FeedbackKind,
    Importance,
    Level,
    Theme,
)

PARIS = ZoneInfo("Europe/Paris")


class GroupForm(forms.Form):
    software = forms.ModelChoiceField(
        label=_("Logiciel"), queryset=Software.objects.filter(is_active=True)
    )
    name = forms.CharField(label=_("Nom du groupe"), max_length=200)
    level = forms.ChoiceField(label=_("Niveau"), choices=Level.choices, initial=Level.MIXED)
    facilitator = forms.ModelChoiceField(
        label=_("Animateur"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("Une personne de l'équipe de la fédération ou un DIM."),
    )
    centres = forms.ModelMultipleChoiceField(
        label=_("MSP membres"),
        queryset=HealthCentre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, federation, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = (
            Membership.objects.for_federation(federation)
            .filter(role__in=[Role.STAFF, Role.DIM], is_active=True)
            .select_related("user")
        )
        self.fields["facilitator"].label_from_instance = lambda m: (
            f"{m.user} ({m.get_role_display()})"
        )
        self.fields["centres"].queryset = HealthCentre.objects.for_federation(federation)


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure (heure de Paris)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), initial=60, min_value=15, max_value=480
    )
    video_url = forms.URLField(label=_("Lien de la visioconférence"), required=False)
    title = forms.CharField(
        label=_("Intitulé"), required=False, max_length=200, help_text=PATIENT_DATA_HELP
    )

    def clean_starts_at(self):  # noqa: ANN201
        value = self.cleaned_data["starts_at"]
        if timezone.is_naive(value):
            value = value.replace(tzinfo=PARIS)
        return value


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Sujet proposé"), max_length=200, help_text=PATIENT_DATA_HELP)


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=FeedbackKind.choices)
    theme = forms.ChoiceField(label=_("Thème"), choices=Theme.choices)
    profession = forms.ChoiceField(
        label=_("Profession concernée"),
        choices=[("", _("Toute l'équipe"))] + list(Profession.choices),
        required=False,
    )
    text = forms.CharField(
        label=_("Retour"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PATIENT_DATA_HELP,
    )
    centres = forms.ModelMultipleChoiceField(
        label=_("MSP concernées"),
        queryset=HealthCentre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, group, membership, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        if membership.is_msp_role:
            del self.fields["centres"]
            self.fields["profession"].initial = membership.profession
        else:
            self.fields["centres"].queryset = group.centres.all()


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=PATIENT_DATA_HELP,
    )


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label=_("Modification proposée"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PATIENT_DATA_HELP,
    )


class InviteVendorForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Représentant de l'éditeur"), queryset=None)

    def __init__(self, *args, session, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["user"].queryset = get_user_model().objects.filter(
            vendor_id=session.group.software.vendor_id, is_active=True
        )


class QuickSelect(forms.Select):
    """A ``<select>`` written in one go in Python: Django renders each option through a
    template (``select_option.html``, with its attributes' template), 15 us an option, and
    "add to an existing need" lists every need of the software, hundreds. The same markup for
    flat choices (no groups); ``tests/usergroups/test_synthesis.py`` compares both."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:  # noqa: ANN001
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = self.format_value(value)  # as Select: None is the empty choice
        options = []
        for v, label in self.choices:
            selected = str(v) in chosen
            if selected and not self.allow_multiple_selected:
                chosen = ()  # the first match only, as Select
            options.append((str(v), mark_safe(" selected") if selected else "", label))
        options = format_html_join("\n", '<option value="{}"{}>{}</option>', options)
        return format_html("<select{}>\n{}\n</select>", flatatt(final), options)


class MergeForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("Retours à regrouper"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    into = forms.ModelChoiceField(
        label=_("Ajouter à un besoin existant"),
        queryset=None,
        widget=QuickSelect,
        required=False,
        help_text=_("Laissez vide pour créer un nouveau besoin."),
    )
    title = forms.CharField(
        label=_("Intitulé du nouveau besoin"),
        max_length=300,
        required=False,
        help_text=PATIENT_DATA_HELP,
    )
    theme = forms.ChoiceField(
        label=_("Thème"), choices=[("", "—")] + Theme.choices, required=False, widget=QuickSelect
    )

    def __init__(self, *args, items_qs, needs_qs, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items_qs
        self.fields["items"].label_from_instance = lambda i: i.text
        self.fields["into"].queryset = needs_qs
        # The options as plain (id, title) pairs, read when the field is shown: hundreds of
        # needs for a software, where the field's own choices would build a model instance for
        # each. The field still checks what is posted against ``needs_qs``.
        empty = self.fields["into"].empty_label
        self.fields["into"].widget.choices = lambda: [
            ("", empty),
            *needs_qs.values_list("pk", "title"),
        ]

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if not data.get("into") and not (data.get("title") or "").strip():
            self.add_error("title", _("Donnez un intitulé, ou choisissez un besoin existant."))
        return data


class SupportForm(forms.Form):
    health_centre = forms.ModelChoiceField(label=_("MSP"), queryset=HealthCentre.objects.none())
    importance = forms.ChoiceField(label=_("Importance"), choices=Importance.choices)

    def __init__(self, *args, membership, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        qs = HealthCentre.objects.for_federation(membership.federation_id)
        if membership.role != Role.STAFF:
            qs = qs.filter(pk=membership.health_centre_id)
        self.fields["health_centre"].queryset = qs


class SynthesisForm(forms.Form):
    software = forms.ModelChoiceField(label=_("Logiciel"), queryset=Software.objects.none())
    period_start = forms.DateField(
        label=_("Début de la période"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Fin de la période"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, federation, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["software"].queryset = Software.objects.filter(
            user_groups__federation=federation
        ).distinct()


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=AnswerStatus.choices)
    planned_version = forms.CharField(label=_("Version prévue"), max_length=60, required=False)
    planned_for = forms.DateField(
        label=_("Date prévue"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BlankAnswerFields:
    """The CSRF token and the fields of a need's blank answer form, for the vendor's version
    page, which shows one per need (20 a page). Through Django's widget templates they cost about
    1.3 ms each, most of the page; ``portal/_blank_answer_fields.html`` writes them by hand
    (labels, required mark, options taken from ``AnswerForm``), is rendered once per page with
    a placeholder prefix and stamped with each need's prefix. A refused form, with its errors,
    is still rendered by ``components/form.html``; for a blank form both give the same markup
    (``tests/usergroups/test_portal.py`` compares them)."""

    PLACEHOLDER = "n0000"

    def __init__(self, request: HttpRequest) -> None:
        fields = AnswerForm.base_fields
        self.html = render_to_string(
            "usergroups/portal/_blank_answer_fields.html",
            {
                "csrf_token": get_token(request),  # what {% csrf_token %} shows on a page
                "p": self.PLACEHOLDER,
                "labels": {name: field.label for name, field in fields.items()},
                "status_options": format_html_join(
                    "\n", '<option value="{}">{}</option>', fields["status"].choices
                ),
                "planned_version_maxlength": fields["planned_version"].max_length,
                "comment_maxlength": fields["comment"].max_length,
            },
        )

    def for_need(self, need_id: int) -> SafeString:
        """The fields with the prefix ``AnswerForm(prefix=f"n{need_id}")`` would have."""
        return mark_safe(self.html.replace(self.PLACEHOLDER, f"n{int(need_id)}"))  # noqa: S308
