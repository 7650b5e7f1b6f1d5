"""Human labels of audit verbs for the journal page. Apps add theirs with ``register`` (in their
``AppConfig.ready()``); an unknown verb is shown as it is."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .roles import Role

_LABELS: dict[str, str | Promise] = {
    "sign_in": gettext_lazy("Connexion"),
    "invitation_sent": gettext_lazy("Invitation envoyée"),
    "invitation_accepted": gettext_lazy("Invitation acceptée"),
    "role_changed": gettext_lazy("Rôle modifié"),
    "dim_assigned": gettext_lazy("MSP confiées au DIM"),
    "centre_created": gettext_lazy("MSP ajoutée"),
    "api_token_created": gettext_lazy("Jeton d'API créé"),
    "api_token_revoked": gettext_lazy("Jeton d'API supprimé"),
    "deliverable_downloaded": gettext_lazy("Document téléchargé"),
    "staff_mfa_required": gettext_lazy("Double authentification rendue obligatoire pour l'équipe"),
    "staff_mfa_optional": gettext_lazy("Double authentification rendue facultative pour l'équipe"),
}


def register(labels: dict[str, str | Promise]) -> None:
    _LABELS.update(labels)


def verb_label(verb: str) -> str:
    return str(_LABELS.get(verb, verb))


def _role(value: object) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return str(value)


def describe(verb: str, data: dict) -> str:
    """A short French sentence for the details of an event (roles, MSPs…)."""
    if not isinstance(data, dict):
        return ""
    if "old" in data and "new" in data and verb == "role_changed":
        return _("%(old)s → %(new)s") % {"old": _role(data["old"]), "new": _role(data["new"])}
    if "role" in data:
        return _role(data["role"])
    if "centres_names" in data:
        return ", ".join(str(n) for n in data["centres_names"]) or _("aucune MSP")
    return ""
