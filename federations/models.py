from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .professions import Profession
from .roles import Role

if TYPE_CHECKING:
    pass

RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "comptes",
        "static",
        "i18n",
        "invitation",
        "editeur",
        "livrables",
        "media",
        "federations",
        "sante",
        "catalogue",
    }
)


def validate_federation_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("« %(slug)s » est réservé par la plateforme."), params={"slug": value}
        )


class HolidayZone(models.TextChoices):
    A = "A", _("Zone A")
    B = "B", _("Zone B")
    C = "C", _("Zone C")


class Federation(models.Model):
    """A regional federation of MSPs: the tenant."""

    slug = models.SlugField(_("identifiant"), unique=True, validators=[validate_federation_slug])
    name = models.CharField(_("nom"), max_length=200)
    region = models.CharField(_("région"), max_length=120, blank=True)
    holiday_zone = models.CharField(
        _("zone de vacances scolaires"),
        max_length=1,
        choices=HolidayZone.choices,
        default=HolidayZone.B,
    )
    staff_mfa_required = models.BooleanField(
        _("double authentification obligatoire pour l'équipe"), default=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fédération")
        verbose_name_plural = _("fédérations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantQuerySet(models.QuerySet):
    """The one place where tenant rows are scoped.

    A model opts in with ``objects = TenantQuerySet.as_manager()`` and declares
    ``tenant_centre_field`` (the lookup path to its MSP, or ``None`` when the row belongs to the
    federation as a whole). Every tenant-owned row carries its ``federation``.
    """

    def for_federation(self, federation: Federation | int) -> TenantQuerySet:
        return self.filter(federation=federation)

    def visible_to(self, membership: Membership) -> TenantQuerySet:
        qs = self.for_federation(membership.federation_id)
        path = getattr(self.model, "tenant_centre_field", None)
        if path is None or membership.role == Role.STAFF:
            return qs
        if membership.role == Role.DIM:
            return qs.filter(**{f"{path}__in": membership.assigned_centres.values("pk")})
        return qs.filter(**{path: membership.health_centre_id})


class HealthCentre(models.Model):
    """A maison de santé pluriprofessionnelle (MSP)."""

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="centres", verbose_name=_("fédération")
    )
    name = models.CharField(_("nom"), max_length=200)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    professionals_count = models.PositiveIntegerField(
        _("nombre de professionnels"),
        default=0,
        help_text=_("Professionnels de santé exerçant dans la MSP (sert au calcul ACI)."),
    )
    sites_count = models.PositiveIntegerField(_("nombre de sites"), default=1)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    tenant_centre_field = "pk"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("MSP")
        verbose_name_plural = _("MSP")
        ordering = ["name"]
        constraints = [
            # Its index also serves the MSP list (federation, ordered by name).
            models.UniqueConstraint(fields=["federation", "name"], name="unique_centre_name")
        ]

    def __str__(self) -> str:
        return self.name


def fill_sort_keys(memberships: list[Membership]) -> None:
    """Copy each person's surname and e-mail onto their memberships (``sort_last_name``,
    ``sort_email``): from the user already loaded on the membership, or in one query for the
    others."""
    missing = {m.user_id for m in memberships if not Membership.user.is_cached(m)}
    names = {}
    if missing:
        from django.contrib.auth import get_user_model

        names = {
            pk: (last_name, email)
            for pk, last_name, email in get_user_model()
            .objects.filter(pk__in=missing)
            .values_list("pk", "last_name", "email")
        }
    for m in memberships:
        if Membership.user.is_cached(m):
            m.sort_last_name, m.sort_email = m.user.last_name, m.user.email
        elif m.user_id in names:
            m.sort_last_name, m.sort_email = names[m.user_id]


class MembershipQuerySet(TenantQuerySet):
    def bulk_create(self, objs, *args, **kwargs) -> list[Membership]:  # noqa: ANN001, ANN002, ANN003
        objs = list(objs)
        fill_sort_keys(objs)
        return super().bulk_create(objs, *args, **kwargs)


class Membership(models.Model):
    """A person's place in one federation, with one role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("personne"),
    )
    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("fédération"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    health_centre = models.ForeignKey(
        HealthCentre,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("MSP"),
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices, blank=True
    )
    assigned_centres = models.ManyToManyField(
        HealthCentre,
        blank=True,
        related_name="dim_memberships",
        verbose_name=_("MSP suivies (DIM)"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    # Copies of the person's surname and e-mail, kept in step with the user (``save``,
    # ``bulk_create`` and the user's ``post_save`` below), so that the federation's people list
    # is read in name order from one index (``membership_people_order_idx``) instead of
    # joining and sorting every member of the federation.
    sort_last_name = models.CharField(max_length=150, blank=True, editable=False)
    sort_email = models.CharField(max_length=254, blank=True, editable=False)

    tenant_centre_field = "health_centre"
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            models.UniqueConstraint(fields=["user", "federation"], name="unique_membership"),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=["coordinator", "member"], health_centre__isnull=False)
                    | models.Q(role__in=["staff", "dim"], health_centre__isnull=True)
                ),
                name="membership_centre_matches_role",
            ),
        ]
        indexes = [
            models.Index(fields=["federation", "role"]),
            models.Index(
                fields=["federation", "sort_last_name", "sort_email"],
                name="membership_people_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.federation})"

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if kwargs.get("update_fields") is None:
            fill_sort_keys([self])
        super().save(*args, **kwargs)

    @property
    def is_staff_role(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_msp_role(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.MEMBER)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An e-mailed, expiring, single-use link that creates a membership."""

    federation = models.ForeignKey(
        Federation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("fédération"),
    )
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    health_centre = models.ForeignKey(
        HealthCentre, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("MSP")
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices, blank=True
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [
            # The pending invitations of the people page, newest first.
            models.Index(
                fields=["federation", "-created_at", "-id"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None


class AuditEvent(models.Model):
    """Who did what, when, in which federation: written on purpose by services."""

    federation = models.ForeignKey(
        Federation, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("objet"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal")
        ordering = ["-created_at"]
        # The journal of a federation, newest first (id breaks ties between pages).
        indexes = [
            models.Index(fields=["federation", "-created_at", "-id"], name="audit_journal_idx")
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target}"

    @property
    def verb_label(self) -> str:
        from .audit import verb_label

        return verb_label(self.verb)

    @property
    def details(self) -> str:
        from .audit import describe

        return describe(self.verb, self.data)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _user_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:  # noqa: ANN001
    """A person's surname or e-mail changed: their memberships sort under the new one."""
    if created or (update_fields is not None and not {"last_name", "email"} & set(update_fields)):
        return
    Membership.objects.filter(user=instance).exclude(
        sort_last_name=instance.last_name, sort_email=instance.email
    ).update(sort_last_name=instance.last_name, sort_email=instance.email)
