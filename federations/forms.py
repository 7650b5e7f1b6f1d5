from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Federation, HealthCentre
from .professions import Profession
from .roles import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    health_centre = forms.ModelChoiceField(
        label=_("MSP"),
        queryset=HealthCentre.objects.none(),
        required=False,
        help_text=_("Obligatoire pour un coordinateur ou un membre de MSP."),
    )
    profession = forms.ChoiceField(
        label=_("Profession"), required=False, choices=[("", "—"), *Profession.choices]
    )

    def __init__(self, *args, federation: Federation, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        # Choices scoped to the current federation: never another tenant's MSP.
        self.fields["health_centre"].queryset = HealthCentre.objects.for_federation(federation)


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Nom de la MSP"), max_length=200)
    city = forms.CharField(label=_("Commune"), max_length=120, required=False)
    professionals_count = forms.IntegerField(
        label=_("Nombre de professionnels"), min_value=0, initial=0
    )
    sites_count = forms.IntegerField(label=_("Nombre de sites"), min_value=1, initial=1)


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput,
        help_text=_("Au moins 12 caractères ; une phrase de passe longue est la bienvenue."),
    )
    password2 = forms.CharField(label=_("Confirmation du mot de passe"), widget=forms.PasswordInput)

    def __init__(self, *args, email: str, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif p1:
            user = get_user_model()(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class MembershipForm(forms.Form):
    """Staff change a person's role, MSP and profession; a DIM's followed MSPs."""

    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    health_centre = forms.ModelChoiceField(
        label=_("MSP"),
        queryset=HealthCentre.objects.none(),
        required=False,
        help_text=_("Obligatoire pour un coordinateur ou un membre de MSP ; vide sinon."),
    )
    profession = forms.ChoiceField(
        label=_("Profession"), required=False, choices=[("", "—"), *Profession.choices]
    )
    assigned_centres = forms.ModelMultipleChoiceField(
        label=_("MSP suivies (DIM uniquement)"),
        queryset=HealthCentre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les MSP dont ce DIM voit les projets. Ignoré pour les autres rôles."),
    )

    def __init__(self, *args, federation: Federation, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        centres = HealthCentre.objects.for_federation(federation).order_by("name")
        self.fields["health_centre"].queryset = centres
        self.fields["assigned_centres"].queryset = centres


class FederationSecurityForm(forms.Form):
    staff_mfa_required = forms.BooleanField(
        label=_("Double authentification obligatoire pour l'équipe de la fédération"),
        required=False,
        help_text=_(
            "Chaque membre de l'équipe devra activer une application d'authentification (TOTP) "
            "avant d'accéder à Cap SI, pages comme API."
        ),
    )
