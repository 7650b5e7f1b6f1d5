"""Writes of the maturity app: frameworks (federation additions), campaigns, ratings, consensus,
positioning, action plan. Keyword-only, atomic, taking ``actor=``; pages and API call these."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from federations.models import Federation, HealthCentre, Membership
from federations.roles import MSP_ROLES
from federations.services import audit

from .models import (
    Action,
    ActionStatus,
    Axis,
    Campaign,
    CampaignPhase,
    Characteristic,
    Consensus,
    Dimension,
    DimensionPositioning,
    Framework,
    Participant,
    PositioningLevel,
    Rating,
)
from .selectors import invalidate_dimensions, invalidate_federation_medians


class StaleWrite(Exception):
    """Someone else changed the value since the form was loaded (compare-and-set failed)."""

    def __init__(self, current: Consensus | DimensionPositioning | None) -> None:
        super().__init__("stale")
        self.current = current


# --- frameworks -----------------------------------------------------------------------------


def framework_in_use(framework: Framework) -> bool:
    return framework.campaigns.exists()


def _dimension_in_use(dimension: Dimension) -> bool:
    return Campaign.dimensions.through.objects.filter(dimension_id=dimension.pk).exists()


@transaction.atomic
def dimension_add(
    *, actor, federation: Federation, axis: Axis, name: str, characteristics: Iterable[str] = ()
) -> Dimension:  # noqa: ANN001
    """A federation adds its own dimension to an axis (HAS allows additions, never removals).
    Campaigns already opened keep the dimensions they were opened with."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom à la dimension.")})
    base = slugify(name)[:60] or "dimension"
    code, n = base, 2
    while Dimension.objects.filter(axis=axis, code=code).exists():
        code, n = f"{base}-{n}", n + 1
    last = axis.dimensions.order_by("-position").values_list("position", flat=True).first()
    dimension = Dimension.objects.create(
        axis=axis, code=code, name=name, federation=federation, position=(last or 0) + 1
    )
    texts = [t.strip() for t in characteristics if t and t.strip()]
    for i, text in enumerate(texts):
        Characteristic.objects.create(
            dimension=dimension, code=f"{code}-{i + 1}", text=text, position=i
        )
    invalidate_dimensions([dimension.pk])
    audit(
        federation=federation,
        actor=actor,
        verb="maturity_dimension_added",
        target=f"{axis.framework} / {axis.name} / {name}",
    )
    return dimension


@transaction.atomic
def characteristic_add(
    *, actor, federation: Federation, dimension: Dimension, text: str
) -> Characteristic:  # noqa: ANN001
    """Add a characteristic to one of the federation's own dimensions, while no campaign uses it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Écrivez la caractéristique.")})
    if dimension.federation_id != federation.pk:
        raise ValidationError(
            _("Seules les dimensions ajoutées par votre fédération peuvent être complétées ici.")
        )
    if _dimension_in_use(dimension):
        raise ValidationError(
            _(
                "Cette dimension est déjà évaluée dans une campagne : elle ne peut plus changer. "
                "Ajoutez plutôt une nouvelle dimension."
            )
        )
    position = dimension.characteristics.count()
    characteristic = Characteristic.objects.create(
        dimension=dimension, code=f"{dimension.code}-{position + 1}", text=text, position=position
    )
    invalidate_dimensions([dimension.pk])  # its cached structure lacks the new characteristic
    audit(
        federation=federation,
        actor=actor,
        verb="maturity_characteristic_added",
        target=f"{dimension.name} / {text[:80]}",
    )
    return characteristic


# --- campaigns ------------------------------------------------------------------------------


def campaign_dimensions(*, framework: Framework, federation: Federation, axes: Iterable[Axis]):  # noqa: ANN201
    """The dimensions a campaign on these axes rates: the framework's own and the federation's."""
    from django.db.models import Q

    return (
        Dimension.objects.filter(axis__in=list(axes), axis__framework=framework)
        .filter(Q(federation__isnull=True) | Q(federation=federation))
        .filter(characteristics__isnull=False)
        .distinct()
    )


def _invitation_messages(
    campaign: Campaign, memberships: Iterable[Membership], url: str, *, reminder: bool
) -> list[tuple]:
    subject = (
        _("Rappel : auto-évaluation de maturité %(year)s — %(msp)s")
        if reminder
        else _("Auto-évaluation de maturité %(year)s — %(msp)s")
    ) % {"year": campaign.year, "msp": campaign.health_centre.name}
    messages = []
    for m in memberships:
        body = render_to_string(
            "maturity/email/invitation.txt",
            {"campaign": campaign, "membership": m, "url": url, "reminder": reminder},
        )
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [m.user.email]))
    return messages


def _send_after_commit(messages: list[tuple]) -> None:
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))


@transaction.atomic
def campaign_open(
    *,
    actor,  # noqa: ANN001
    federation: Federation,
    health_centre: HealthCentre,
    framework: Framework,
    year: int,
    axes: Iterable[Axis] = (),
    invitees: Iterable[Membership] = (),
    url_builder: Callable[[Campaign], str] | None = None,
) -> Campaign:
    """Open a campaign for one MSP on a framework (all axes, or the chosen ones) and invite the
    members. Nothing is copied from an earlier campaign: every campaign starts blank."""
    if health_centre.federation_id != federation.pk:
        raise ValidationError({"health_centre": _("Cette MSP n'appartient pas à la fédération.")})
    HealthCentre.objects.select_for_update().filter(pk=health_centre.pk).first()
    if (
        Campaign.objects.filter(health_centre=health_centre)
        .exclude(phase=CampaignPhase.CLOSED)
        .exists()
    ):
        raise ValidationError(
            _("Une campagne est déjà en cours pour cette MSP : clôturez-la avant d'en ouvrir une.")
        )
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Année invalide.")})
    chosen = list(axes)
    if any(a.framework_id != framework.pk for a in chosen):
        raise ValidationError({"axes": _("Ces axes n'appartiennent pas au référentiel choisi.")})
    all_axes = list(framework.axes.all())
    dimensions = list(
        campaign_dimensions(framework=framework, federation=federation, axes=chosen or all_axes)
    )
    if not dimensions:
        raise ValidationError(
            {
                "axes": _(
                    "Les axes choisis n'ont encore aucune dimension à évaluer : choisissez "
                    "« Système d'information » ou complétez le référentiel."
                )
            }
        )
    people = list(invitees)
    for m in people:
        if (
            m.federation_id != federation.pk
            or m.health_centre_id != health_centre.pk
            or m.role not in MSP_ROLES
            or not m.is_active
        ):
            raise ValidationError(
                {"invitees": _("Seuls les membres de la MSP peuvent être invités.")}
            )
    if not people:
        raise ValidationError({"invitees": _("Invitez au moins un membre de l'équipe.")})
    campaign = Campaign.objects.create(
        federation=federation,
        health_centre=health_centre,
        framework=framework,
        year=year,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    if chosen and len(chosen) < len(all_axes):
        campaign.axes.set(chosen)
    campaign.dimensions.set(dimensions)
    Participant.objects.bulk_create(
        [Participant(federation=federation, campaign=campaign, membership=m) for m in people]
    )
    people = list(Membership.objects.filter(pk__in=[m.pk for m in people]).select_related("user"))
    if url_builder is not None:
        _send_after_commit(
            _invitation_messages(campaign, people, url_builder(campaign), reminder=False)
        )
    audit(
        federation=federation,
        actor=actor,
        verb="maturity_campaign_opened",
        target=str(campaign),
        invited=len(people),
    )
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("framework").get(pk=campaign.pk)


@transaction.atomic
def campaign_remind(*, actor, campaign: Campaign, url: str) -> int:  # noqa: ANN001
    """E-mail the invited members who have not answered every characteristic yet."""
    from .selectors import campaign_progress

    campaign = _locked(campaign)
    if not campaign.is_individual:
        raise ValidationError(_("La phase individuelle est close : plus de relance possible."))
    late = [p.membership_id for p in campaign_progress(campaign=campaign) if not p.complete]
    memberships = list(Membership.objects.filter(pk__in=late).select_related("user"))
    _send_after_commit(_invitation_messages(campaign, memberships, url, reminder=True))
    Participant.objects.filter(campaign=campaign, membership__in=memberships).update(
        reminded_at=timezone.now()
    )
    audit(
        federation=campaign.federation,
        actor=actor,
        verb="maturity_campaign_reminded",
        target=str(campaign),
        reminded=len(memberships),
    )
    return len(memberships)


@transaction.atomic
def campaign_close_individual(*, actor, campaign: Campaign) -> Campaign:  # noqa: ANN001
    """End the individual phase: answers are frozen and the team sees them all."""
    campaign = _locked(campaign)
    if not campaign.is_individual:
        raise ValidationError(_("La phase individuelle est déjà close."))
    if not Rating.objects.filter(campaign=campaign).exists():
        raise ValidationError(
            _("Personne n'a encore répondu : attendez au moins une réponse avant de clore.")
        )
    campaign.phase = CampaignPhase.CONSENSUS
    campaign.individual_closed_at = timezone.now()
    campaign.save(update_fields=["phase", "individual_closed_at"])
    audit(
        federation=campaign.federation,
        actor=actor,
        verb="maturity_individual_phase_closed",
        target=str(campaign),
    )
    return campaign


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:  # noqa: ANN001
    """Close the campaign once every dimension has the team's positioning."""
    campaign = _locked(campaign)
    if not campaign.is_consensus:
        raise ValidationError(_("Seule une campagne en phase de consensus peut être clôturée."))
    dimension_ids = set(campaign.dimensions.values_list("pk", flat=True))
    positioned = set(campaign.positionings.values_list("dimension_id", flat=True))
    missing = Dimension.objects.filter(pk__in=dimension_ids - positioned).order_by("position")
    if missing:
        raise ValidationError(
            _("Positionnez l'équipe sur chaque dimension avant de clôturer : %(names)s.")
            % {"names": ", ".join(d.name for d in missing)}
        )
    campaign.phase = CampaignPhase.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["phase", "closed_at"])
    # The federation's medians now count this campaign (the MSP's latest closed one).
    invalidate_federation_medians(federation_id=campaign.federation_id)
    audit(
        federation=campaign.federation,
        actor=actor,
        verb="maturity_campaign_closed",
        target=str(campaign),
    )
    return campaign


def _check_characteristic(campaign: Campaign, characteristic: Characteristic) -> None:
    if not campaign.dimensions.filter(pk=characteristic.dimension_id).exists():
        raise ValidationError(
            {"characteristic": _("Cette caractéristique ne fait pas partie de la campagne.")}
        )


def _check_value(campaign: Campaign, value: str) -> None:
    codes = campaign.framework.rating_codes()
    if value not in codes:
        labels = ", ".join(campaign.framework.rating_label(c) for c in codes)
        raise ValidationError(
            {"value": _("Réponse hors échelle : choisissez parmi %(labels)s.") % {"labels": labels}}
        )


@transaction.atomic
def rating_save(
    *,
    actor,  # noqa: ANN001
    membership: Membership,
    campaign: Campaign,
    characteristic: Characteristic,
    value: str,
    comment: str = "",
) -> Rating:
    """Save one member's answer as they go. The campaign row is locked so that no answer slips in
    after the individual phase closed; the same member saving twice keeps the last answer."""
    campaign = _locked(campaign)
    if not campaign.is_individual:
        raise ValidationError(
            _("La phase individuelle est close : votre réponse n'a pas été enregistrée.")
        )
    if not Participant.objects.filter(campaign=campaign, membership=membership).exists():
        raise ValidationError(_("Vous n'êtes pas invité(e) à cette campagne."))
    _check_characteristic(campaign, characteristic)
    _check_value(campaign, value)
    comment = (comment or "").strip()[:2000]
    lookup = {"campaign": campaign, "membership": membership, "characteristic": characteristic}
    defaults = {"value": value, "comment": comment, "federation_id": campaign.federation_id}
    updated = Rating.objects.filter(**lookup).update(
        value=value, comment=comment, updated_at=timezone.now()
    )
    if updated:
        return Rating.objects.get(**lookup)
    try:
        with transaction.atomic():
            return Rating.objects.create(**lookup, **defaults)
    except IntegrityError:
        # The same member saved from another tab at the same instant: last answer wins.
        Rating.objects.filter(**lookup).update(
            value=value, comment=comment, updated_at=timezone.now()
        )
        return Rating.objects.get(**lookup)


@transaction.atomic
def consensus_record(
    *,
    actor,  # noqa: ANN001
    campaign: Campaign,
    characteristic: Characteristic,
    value: str,
    comment: str = "",
    expected_version: int = 0,
) -> Consensus:
    """Record the team's value on one characteristic, if nobody changed it since
    ``expected_version`` (0 = not recorded yet). Raises StaleWrite with the current row."""
    campaign = Campaign.objects.select_related("framework").get(pk=campaign.pk)
    if not campaign.is_consensus:
        raise ValidationError(_("Le consensus ne s'enregistre que pendant la phase de consensus."))
    _check_characteristic(campaign, characteristic)
    _check_value(campaign, value)
    comment = (comment or "").strip()[:4000]
    lookup = {"campaign": campaign, "characteristic": characteristic}
    by = actor if getattr(actor, "pk", None) else None
    if expected_version == 0:
        try:
            with transaction.atomic():
                return Consensus.objects.create(
                    **lookup,
                    federation_id=campaign.federation_id,
                    value=value,
                    comment=comment,
                    updated_by=by,
                )
        except IntegrityError:
            raise StaleWrite(Consensus.objects.filter(**lookup).first())
    changed = Consensus.objects.filter(**lookup, version=expected_version).update(
        value=value,
        comment=comment,
        version=F("version") + 1,
        updated_by=by,
        updated_at=timezone.now(),
    )
    current = Consensus.objects.filter(**lookup).first()
    if not changed:
        raise StaleWrite(current)
    return current


@transaction.atomic
def positioning_record(
    *,
    actor,  # noqa: ANN001
    campaign: Campaign,
    dimension: Dimension,
    level: int,
    target_level: int | None = None,
    comment: str = "",
    expected_version: int = 0,
) -> DimensionPositioning:
    """Record the team's positioning on one dimension (same compare-and-set as consensus)."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    if not campaign.is_consensus:
        raise ValidationError(
            _("Le positionnement ne s'enregistre que pendant la phase de consensus.")
        )
    if not campaign.dimensions.filter(pk=dimension.pk).exists():
        raise ValidationError(
            {"dimension": _("Cette dimension ne fait pas partie de la campagne.")}
        )
    levels = set(PositioningLevel.values)
    if level not in levels or (target_level is not None and target_level not in levels):
        raise ValidationError({"level": _("Positionnement hors échelle (0 à 3).")})
    comment = (comment or "").strip()[:4000]
    lookup = {"campaign": campaign, "dimension": dimension}
    by = actor if getattr(actor, "pk", None) else None
    if expected_version == 0:
        try:
            with transaction.atomic():
                return DimensionPositioning.objects.create(
                    **lookup,
                    federation_id=campaign.federation_id,
                    level=level,
                    target_level=target_level,
                    comment=comment,
                    updated_by=by,
                )
        except IntegrityError:
            raise StaleWrite(DimensionPositioning.objects.filter(**lookup).first())
    changed = DimensionPositioning.objects.filter(**lookup, version=expected_version).update(
        level=level,
        target_level=target_level,
        comment=comment,
        version=F("version") + 1,
        updated_by=by,
        updated_at=timezone.now(),
    )
    current = DimensionPositioning.objects.filter(**lookup).first()
    if not changed:
        raise StaleWrite(current)
    return current


# --- action plan ----------------------------------------------------------------------------


def _check_action_links(campaign: Campaign, *, dimension, responsible, task) -> None:  # noqa: ANN001
    errors = {}
    if dimension is not None and not campaign.dimensions.filter(pk=dimension.pk).exists():
        errors["dimension"] = _("Cette dimension ne fait pas partie de la campagne.")
    if responsible is not None and (
        responsible.health_centre_id != campaign.health_centre_id
        or responsible.federation_id != campaign.federation_id
    ):
        errors["responsible"] = _("La personne responsable doit être membre de la MSP.")
    if task is not None and (
        task.federation_id != campaign.federation_id
        or task.project.health_centre_id != campaign.health_centre_id
    ):
        errors["task"] = _("La tâche doit appartenir au projet de la MSP.")
    if errors:
        raise ValidationError(errors)


ACTION_FIELDS = (
    "objective",
    "dimension",
    "responsible",
    "deadline",
    "indicator",
    "means",
    "status",
    "task",
)


@transaction.atomic
def action_create(*, actor, campaign: Campaign, **data) -> Action:  # noqa: ANN001, ANN003
    data = {k: v for k, v in data.items() if k in ACTION_FIELDS}
    if not (data.get("objective") or "").strip():
        raise ValidationError({"objective": _("Écrivez l'objectif de l'action.")})
    if data.get("status") and data["status"] not in ActionStatus.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    _check_action_links(
        campaign,
        dimension=data.get("dimension"),
        responsible=data.get("responsible"),
        task=data.get("task"),
    )
    action = Action.objects.create(
        federation_id=campaign.federation_id,
        campaign=campaign,
        created_by=actor if getattr(actor, "pk", None) else None,
        **data,
    )
    return action


@transaction.atomic
def action_update(*, actor, action: Action, **data) -> Action:  # noqa: ANN001, ANN003
    data = {k: v for k, v in data.items() if k in ACTION_FIELDS}
    if "objective" in data and not (data["objective"] or "").strip():
        raise ValidationError({"objective": _("Écrivez l'objectif de l'action.")})
    if data.get("status") and data["status"] not in ActionStatus.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    _check_action_links(
        action.campaign,
        dimension=data.get("dimension", action.dimension),
        responsible=data.get("responsible", action.responsible),
        task=data.get("task", action.task),
    )
    for key, value in data.items():
        setattr(action, key, value)
    action.save()
    return action


def action_is_overdue(action: Action, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(
        action.deadline
        and action.deadline < today
        and action.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
    )
