"""Reads of the federations app."""

from __future__ import annotations

from django.db.models import Count, F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import AuditEvent, Federation, HealthCentre, Invitation, Membership
from .professions import Profession
from .roles import Role


def memberships_of(user) -> QuerySet[Membership]:  # noqa: ANN001
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("federation", "health_centre")
        .order_by("federation__name")
    )


def centres_list(*, membership: Membership) -> QuerySet[HealthCentre]:
    # A correlated count, computed for the rows of the page only (a join + GROUP BY would
    # count the members of every MSP of the federation before cutting the page).
    members = (
        Membership.objects.filter(health_centre=OuterRef("pk"))
        .order_by()
        .values("health_centre")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        HealthCentre.objects.visible_to(membership)
        .annotate(members_count=Coalesce(Subquery(members, output_field=IntegerField()), 0))
        .order_by("name")
    )


def people_list(*, federation: Federation) -> QuerySet[Membership]:
    """The federation's members by surname (then e-mail). The order is read from the copies of
    the name kept on the membership and their index: a page costs the same whatever the size of
    the federation (sorting on the user's name meant joining and sorting every member). Give a
    page of it to ``people_rows``."""
    return Membership.objects.for_federation(federation).order_by("sort_last_name", "sort_email")


def people_rows(memberships: QuerySet[Membership]) -> list[dict]:
    """One page of ``people_list`` as plain rows (one query): ``pk``, ``name`` (as the person is
    shown everywhere: full name, else e-mail), ``email``, ``role`` and ``profession`` (their
    labels) and ``centre`` (the MSP's name or ``None``). Plain values rather than model
    instances: the people page shows 50 of them."""
    roles = {value: str(label) for value, label in Role.choices}
    professions = {value: str(label) for value, label in Profession.choices}
    rows = memberships.values(
        "pk",
        "role",
        "profession",
        "health_centre__name",
        "user__first_name",
        "user__last_name",
        "user__email",
    )
    return [
        {
            "pk": r["pk"],
            "name": f"{r['user__first_name']} {r['user__last_name']}".strip() or r["user__email"],
            "email": r["user__email"],
            "role": roles.get(r["role"], r["role"]),
            "profession": professions.get(r["profession"], r["profession"]),
            "centre": r["health_centre__name"],
        }
        for r in rows
    ]


def pending_invitations(*, federation: Federation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_federation(federation)
        .filter(accepted_at__isnull=True)
        .select_related("health_centre")
        .order_by("-created_at", "-id")
    )


def audit_events(*, federation: Federation) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.for_federation(federation)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def _count_of(qs: QuerySet) -> Subquery:
    """``SELECT COUNT(*)`` of ``qs`` as a scalar subquery."""
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


def staff_overview(*, federation: Federation) -> dict[str, int]:
    """The figures on the staff's home page, in one query whatever the size."""
    row = (
        Federation.objects.filter(pk=federation.pk)
        .annotate(
            n_centres=_count_of(HealthCentre.objects.for_federation(federation)),
            n_people=_count_of(
                Membership.objects.for_federation(federation).filter(is_active=True)
            ),
            n_invitations=_count_of(
                Invitation.objects.for_federation(federation).filter(accepted_at__isnull=True)
            ),
        )
        .values_list("n_centres", "n_people", "n_invitations")
        .get()
    )
    return dict(zip(("centres", "people", "pending_invitations"), row, strict=True))


def dim_centres(*, membership: Membership) -> QuerySet[HealthCentre]:
    return membership.assigned_centres.order_by("name")
