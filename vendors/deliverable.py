"""The comparison as a PDF deliverable ("vendors.comparison")."""

from __future__ import annotations

from django.utils import timezone

from deliverables.registry import DeliverableKind, RenderSpec
from federations.professions import Profession

from . import selectors

KIND = "vendors.comparison"


def build(deliverable) -> RenderSpec:  # noqa: ANN001
    params = deliverable.params or {}
    softwares = selectors.software_for_slugs(params.get("slugs", []))
    profession = params.get("profession", "")
    grid = selectors.comparison(softwares, federation=deliverable.federation, profession=profession)
    return RenderSpec(
        template="vendors/pdf/comparison.html",
        context={
            "title": deliverable.title,
            "grid": grid,
            "federation": deliverable.federation,
            "profession_label": dict(Profession.choices).get(profession, ""),
            "generated_on": timezone.localdate(),
            "min_ratings": selectors.min_ratings(),
        },
        filename="comparatif-logiciels.pdf",
    )


def can_view(user, deliverable) -> bool:  # noqa: ANN001
    """The comparison holds national data plus the adoption counts of one federation: whoever
    requested it, and the active members of that federation, may see it. A national
    comparison (no federation) is only for the person who requested it and platform operators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if deliverable.requested_by_id and deliverable.requested_by_id == user.pk:
        return True
    if deliverable.federation_id is None:
        return bool(user.is_staff)
    return user.memberships.filter(federation_id=deliverable.federation_id, is_active=True).exists()


COMPARISON = DeliverableKind(kind=KIND, build=build, can_view=can_view)
