"""Writes of the federations app: invitations, memberships, audit events."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, Federation, HealthCentre, Invitation, Membership
from .roles import Role

User = get_user_model()


def audit(
    *,
    federation: Federation | None,
    actor,
    verb: str,
    target: object = "",  # noqa: ANN001
    **data: object,
) -> AuditEvent:
    return AuditEvent.objects.create(
        federation=federation,
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        target=str(target)[:300],
        data=data,
    )


def audit_user_event(*, user, verb: str, **data: object) -> None:  # noqa: ANN001
    """An event about a person's own account (sign-in, API token…), written in each federation
    the person belongs to so that its staff see it; without membership, a platform-level row."""
    federation_ids = list(
        user.memberships.filter(is_active=True).values_list("federation_id", flat=True)
    )
    events = [
        AuditEvent(federation_id=fid, actor=user, verb=verb, target=user.email, data=data)
        for fid in federation_ids
    ] or [AuditEvent(actor=user, verb=verb, target=user.email, data=data)]
    AuditEvent.objects.bulk_create(events)


def audit_sign_in(*, user) -> None:  # noqa: ANN001
    audit_user_event(user=user, verb="sign_in")


def _check_role_and_centre(federation: Federation, role: str, centre: HealthCentre | None) -> None:
    if role in (Role.COORDINATOR, Role.MEMBER):
        if centre is None:
            raise ValidationError({"health_centre": _("Choisissez la MSP de cette personne.")})
        if centre.federation_id != federation.pk:
            raise ValidationError(
                {"health_centre": _("Cette MSP n'appartient pas à la fédération.")}
            )
    elif centre is not None:
        raise ValidationError({"health_centre": _("Ce rôle n'est pas rattaché à une MSP.")})


@transaction.atomic
def invitation_create(
    *,
    actor,
    federation: Federation,
    email: str,
    role: str,  # noqa: ANN001
    health_centre: HealthCentre | None = None,
    profession: str = "",
    accept_url_builder=None,
) -> Invitation:  # noqa: ANN001
    email = email.strip().lower()
    _check_role_and_centre(federation, role, health_centre)
    if Membership.objects.filter(federation=federation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Cette personne fait déjà partie de la fédération.")})
    invitation = Invitation.objects.create(
        federation=federation,
        email=email,
        role=role,
        health_centre=health_centre,
        profession=profession,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS),
    )
    audit(federation=federation, actor=actor, verb="invitation_sent", target=email, role=role)
    url = (
        accept_url_builder(invitation) if accept_url_builder else f"/invitation/{invitation.token}/"
    )
    body = render_to_string(
        "federations/email/invitation.txt",
        {"invitation": invitation, "url": url, "federation": federation},
    )
    transaction.on_commit(
        lambda: send_mail(
            _("Invitation à rejoindre %(federation)s sur Cap SI") % {"federation": federation.name},
            body,
            None,
            [email],
        )
    )
    return invitation


def invitation_check(invitation: Invitation | None) -> str | None:
    """Why an invitation cannot be used, or None when it can."""
    if invitation is None:
        return _("Ce lien d'invitation n'existe pas.")
    if invitation.is_used:
        return _("Ce lien d'invitation a déjà été utilisé.")
    if invitation.is_expired:
        return _(
            "Ce lien d'invitation a expiré. Demandez une nouvelle invitation à votre fédération."
        )
    return None


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user=None,
    first_name: str = "",
    last_name: str = "",  # noqa: ANN001
    password: str | None = None,
) -> Membership:
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    problem = invitation_check(invitation)
    if problem:
        raise ValidationError(problem)
    assert invitation is not None
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                first_name=first_name,
                last_name=last_name,
            )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("Cette invitation est destinée à une autre adresse e-mail."))
    membership = Membership.objects.create(
        user=user,
        federation=invitation.federation,
        role=invitation.role,
        health_centre=invitation.health_centre,
        profession=invitation.profession,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(
        federation=invitation.federation,
        actor=user,
        verb="invitation_accepted",
        target=user.email,
        role=invitation.role,
    )
    return membership


def _check_not_last_staff(membership: Membership, new_role: str) -> None:
    if membership.role != Role.STAFF or new_role == Role.STAFF:
        return
    others = (
        Membership.objects.for_federation(membership.federation_id)
        .filter(role=Role.STAFF, is_active=True)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(
            {"role": _("La fédération doit garder au moins une personne dans son équipe.")}
        )


@transaction.atomic
def membership_change_role(
    *,
    actor,  # noqa: ANN001
    membership: Membership,
    role: str,
    health_centre: HealthCentre | None = None,
    profession: str | None = None,
) -> Membership:
    """Change a person's role (and MSP, profession) in the federation; audited."""
    _check_role_and_centre(membership.federation, role, health_centre)
    _check_not_last_staff(membership, role)
    old_role, old_centre = membership.role, membership.health_centre
    old_profession = membership.profession
    membership.role = role
    membership.health_centre = health_centre
    if profession is not None:
        membership.profession = profession
    membership.save(update_fields=["role", "health_centre", "profession"])
    if role != Role.DIM:
        membership.assigned_centres.clear()
    if old_role != role or old_centre != health_centre or old_profession != membership.profession:
        audit(
            federation=membership.federation,
            actor=actor,
            verb="role_changed",
            target=membership.user.email,
            old=old_role,
            new=role,
            centre=health_centre.name if health_centre else "",
            profession=membership.profession,
        )
    return membership


@transaction.atomic
def dim_assign(*, actor, membership: Membership, centres: list[HealthCentre]) -> None:  # noqa: ANN001
    """Set the MSPs a DIM follows; audited."""
    if membership.role != Role.DIM:
        raise ValidationError(_("Seul un DIM suit des MSP."))
    if any(c.federation_id != membership.federation_id for c in centres):
        raise ValidationError(_("Ces MSP n'appartiennent pas à la fédération."))
    before = set(membership.assigned_centres.values_list("pk", flat=True))
    after = {c.pk for c in centres}
    if before == after:
        return
    membership.assigned_centres.set(centres)
    audit(
        federation=membership.federation,
        actor=actor,
        verb="dim_assigned",
        target=membership.user.email,
        centres=sorted(after),
        centres_names=sorted(c.name for c in centres),
    )


@transaction.atomic
def membership_update(
    *,
    actor,  # noqa: ANN001
    membership: Membership,
    role: str,
    health_centre: HealthCentre | None,
    profession: str,
    assigned_centres: list[HealthCentre] | None = None,
) -> Membership:
    """The staff's "edit a person" form: role, MSP and profession, then, for a DIM, the MSPs
    they follow. All or nothing."""
    membership_change_role(
        actor=actor,
        membership=membership,
        role=role,
        health_centre=health_centre,
        profession=profession,
    )
    if role == Role.DIM:
        dim_assign(actor=actor, membership=membership, centres=list(assigned_centres or []))
    return membership


@transaction.atomic
def centre_create(
    *,
    actor,
    federation: Federation,
    name: str,
    city: str = "",  # noqa: ANN001
    professionals_count: int = 0,
    sites_count: int = 1,
) -> HealthCentre:
    if HealthCentre.objects.filter(federation=federation, name__iexact=name).exists():
        raise ValidationError({"name": _("Une MSP porte déjà ce nom dans la fédération.")})
    centre = HealthCentre.objects.create(
        federation=federation,
        name=name,
        city=city,
        professionals_count=professionals_count,
        sites_count=sites_count,
    )
    audit(federation=federation, actor=actor, verb="centre_created", target=name)
    return centre


@transaction.atomic
def federation_set_staff_mfa(*, actor, federation: Federation, required: bool) -> Federation:  # noqa: ANN001
    """Make two-factor authentication mandatory (or optional) for the federation's staff."""
    if federation.staff_mfa_required == required:
        return federation
    federation.staff_mfa_required = required
    federation.save(update_fields=["staff_mfa_required"])
    audit(
        federation=federation,
        actor=actor,
        verb="staff_mfa_required" if required else "staff_mfa_optional",
        target=federation.name,
    )
    return federation
