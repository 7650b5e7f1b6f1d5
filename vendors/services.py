"""Writes of the vendors app."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from federations.services import audit

from . import selectors
from .models import (
    RATING_CRITERIA,
    Capability,
    CapabilityStatus,
    CharacteristicKey,
    CorrectionProposal,
    CorrectionStatus,
    Fact,
    FactSource,
    Hosting,
    PeerRating,
    RatingStatus,
    Software,
)

#: French spellings accepted for coded values (what people type in forms and files).
VALUE_ALIASES = {
    "oui": CapabilityStatus.YES,
    "en partie": CapabilityStatus.PARTIAL,
    "partiel": CapabilityStatus.PARTIAL,
    "non": CapabilityStatus.NO,
    "sur site": Hosting.ON_SITE,
    "serveur sur site": Hosting.ON_SITE,
    "editeur": Hosting.VENDOR,
    "heberge par l'editeur": Hosting.VENDOR,
    "web": Hosting.WEB,
    "100 % web": Hosting.WEB,
    "100% web": Hosting.WEB,
}


def _check_value(*, key: str, capability: Capability | None, value: str) -> str:
    from .reference import normalise

    value = (value or "").strip()
    if capability is not None or key == CharacteristicKey.HOSTING:
        value = str(VALUE_ALIASES.get(normalise(value), value))
    if bool(key) == bool(capability):
        raise ValidationError({"subject": _("Choisissez une caractéristique ou une capacité.")})
    if not value:
        raise ValidationError({"value": _("Indiquez une valeur.")})
    if capability is not None:
        if value not in CapabilityStatus.values:
            raise ValidationError({"value": _("Valeur attendue : oui, en partie ou non.")})
        return value
    if key not in CharacteristicKey.values:
        raise ValidationError({"subject": _("Caractéristique inconnue.")})
    if key in (CharacteristicKey.COST_INITIAL, CharacteristicKey.COST_MONTHLY):
        try:
            amount = float(value.replace(",", ".").replace(" ", "").replace("€", ""))
        except ValueError:
            raise ValidationError({"value": _("Indiquez un montant en euros, par exemple 1200.")})
        if amount < 0:
            raise ValidationError({"value": _("Un coût ne peut pas être négatif.")})
        return f"{amount:g}"
    if key == CharacteristicKey.HOSTING and value not in Hosting.values:
        raise ValidationError(
            {
                "value": _(
                    "Hébergement attendu : serveur sur site, hébergé par l'éditeur ou 100 % web."
                )
            }
        )
    if len(value) > 300:
        raise ValidationError({"value": _("300 caractères au plus.")})
    return value


@transaction.atomic
def fact_record(
    *,
    actor,  # noqa: ANN001
    software: Software,
    source: str,
    value: str,
    key: str = "",
    capability: Capability | None = None,
    as_of: date | None = None,
    note: str = "",
) -> Fact:
    """Record a characteristic or a capability with its source and date. Older facts stay as
    history."""
    if source not in FactSource.values:
        raise ValidationError({"source": _("Source inconnue.")})
    value = _check_value(key=key, capability=capability, value=value)
    return Fact.objects.create(
        software=software,
        key=key,
        capability=capability,
        value=value,
        source=source,
        as_of=as_of or timezone.localdate(),
        note=note[:300],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def correction_propose(
    *,
    actor,  # noqa: ANN001
    software: Software,
    value: str,
    key: str = "",
    capability: Capability | None = None,
    comment: str = "",
) -> CorrectionProposal:
    """A vendor user proposes a correction of a declared fact of one of their own products."""
    if not getattr(actor, "vendor_id", None) or software.vendor_id != actor.vendor_id:
        raise PermissionDenied(_("Vous ne pouvez corriger que les logiciels de votre société."))
    value = _check_value(key=key, capability=capability, value=value)
    current = selectors.current_facts([software.pk]).get(software.pk, {})
    subject = key or f"cap:{capability.pk}"
    previous = current.get(subject)
    if previous is not None and previous.value == value:
        raise ValidationError({"value": _("C'est déjà la valeur enregistrée.")})
    return CorrectionProposal.objects.create(
        software=software,
        key=key,
        capability=capability,
        value=value,
        previous_value=previous.value if previous else "",
        comment=comment,
        proposed_by=actor,
    )


@transaction.atomic
def correction_decide(
    *,
    actor,  # noqa: ANN001
    proposal: CorrectionProposal,
    accept: bool,
    comment: str = "",
    federation=None,  # noqa: ANN001
) -> CorrectionProposal:
    """Federation staff accept (a declared fact is recorded, dated today) or reject a proposal."""
    proposal = CorrectionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != CorrectionStatus.PENDING:
        raise ValidationError(_("Cette proposition a déjà été traitée."))
    if not accept and not comment.strip():
        raise ValidationError({"decision_comment": _("Expliquez le refus à l'éditeur.")})
    if accept:
        proposal.fact = fact_record(
            actor=actor,
            software=proposal.software,
            source=FactSource.DECLARED,
            value=proposal.value,
            key=proposal.key,
            capability=proposal.capability,
            note=_("Correction proposée par l'éditeur, acceptée."),
        )
    proposal.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_comment = comment.strip()[:500]
    proposal.save()
    audit(
        federation=federation,
        actor=actor,
        verb="vendors.correction_accepted" if accept else "vendors.correction_rejected",
        target=proposal,
        proposal=proposal.pk,
    )
    return proposal


@transaction.atomic
def rating_submit(
    *,
    actor,  # noqa: ANN001
    membership,  # noqa: ANN001
    software: Software,
    scores: dict[str, int],
    comment: str = "",
) -> PeerRating:
    """A professional of an MSP whose project deployed the software rates it (one rating per
    person and software; a new submission replaces the previous one and goes back to
    moderation)."""
    if not selectors.can_rate(membership, software):
        raise PermissionDenied(
            _("Seuls les professionnels d'une MSP qui a déployé ce logiciel peuvent le noter.")
        )
    if not membership.profession:
        raise ValidationError(
            _("Votre profession n'est pas renseignée : demandez à votre fédération de l'indiquer.")
        )
    errors = {}
    clean: dict[str, int] = {}
    for key, label in RATING_CRITERIA:
        raw = scores.get(key)
        try:
            value = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors[key] = _("Donnez une note de 1 à 5.")
            continue
        if not 1 <= value <= 5:
            errors[key] = _("La note de « %(c)s » doit être comprise entre 1 et 5.") % {"c": label}
            continue
        clean[key] = value
    if errors:
        raise ValidationError(errors)
    rating, _created = PeerRating.objects.update_or_create(
        author=actor,
        software=software,
        defaults={
            "federation_id": membership.federation_id,
            "health_centre_id": membership.health_centre_id,
            "profession": membership.profession,
            "comment": comment.strip(),
            "status": RatingStatus.PENDING,
            "moderated_by": None,
            "moderated_at": None,
            **clean,
        },
    )
    _ratings_changed()  # a published rating replaced goes back to moderation
    return rating


def _ratings_changed() -> None:
    """Published ratings changed: the national figures are computed again (now and once the
    transaction commits, see ``vendors.memo``)."""
    selectors.national_data_changed()


@transaction.atomic
def rating_moderate(*, actor, membership, rating: PeerRating, publish: bool) -> PeerRating:  # noqa: ANN001
    """Federation staff publish or reject a rating of their federation."""
    if rating.federation_id != membership.federation_id:
        raise PermissionDenied
    rating.status = RatingStatus.PUBLISHED if publish else RatingStatus.REJECTED
    rating.moderated_by = actor
    rating.moderated_at = timezone.now()
    rating.save(update_fields=["status", "moderated_by", "moderated_at", "updated_at"])
    _ratings_changed()
    audit(
        federation=membership.federation,
        actor=actor,
        verb="vendors.rating_published" if publish else "vendors.rating_rejected",
        target=rating.software,
        rating=rating.pk,
    )
    return rating


def comparison_check(
    slugs: list[str], *, catalogue: list[selectors.CatalogueEntry] | None = None
) -> list[selectors.CatalogueEntry]:
    """The products to compare, in the order given: 2 to 4 distinct known products (looked up
    in ``catalogue`` when the caller has already read it)."""
    slugs = list(dict.fromkeys(s for s in slugs if s))
    if len(slugs) < selectors.MIN_COMPARED:
        raise ValidationError(_("Choisissez au moins 2 logiciels à comparer."))
    if len(slugs) > selectors.MAX_COMPARED:
        raise ValidationError(
            _(
                "Choisissez au plus 4 logiciels : "
                "la comparaison reste lisible, même sur un téléphone."
            )
        )
    softwares = selectors.software_for_slugs(slugs, catalogue=catalogue)
    if len(softwares) != len(slugs):
        raise ValidationError(_("Un des logiciels demandés n'existe pas dans le catalogue."))
    return softwares
