"""Deliverables and cross-app sources of the planning sections, registered by
ProjectsConfig.ready(): the needs document PDF (written for a vendor to read) and the vendor
requests log as a source of vendor responsiveness."""

from __future__ import annotations

from deliverables.registry import DeliverableKind, RenderSpec, register
from vendors.responsiveness import register_source

NEEDS_DOCUMENT = "projects.needs_document"


def _project_visible(user, deliverable):  # noqa: ANN001, ANN202
    from federations.models import Membership
    from federations.permissions import has_perm

    from .models import Project

    if not getattr(user, "is_authenticated", False) or not deliverable.federation_id:
        return None
    membership = (
        Membership.objects.filter(
            user=user, federation_id=deliverable.federation_id, is_active=True
        )
        .select_related("federation")
        .first()
    )
    if membership is None or not has_perm(membership, "projects.view_planning"):
        return None
    return Project.objects.visible_to(membership).filter(pk=deliverable.object_id).first()


def can_view_needs_document(user, deliverable) -> bool:  # noqa: ANN001
    return _project_visible(user, deliverable) is not None


def build_needs_document(deliverable) -> RenderSpec:  # noqa: ANN001
    from django.utils import timezone

    from . import selectors_planning as sel
    from .models import Project

    project = Project.objects.select_related("health_centre", "federation", "chosen_software").get(
        pk=deliverable.object_id, federation_id=deliverable.federation_id
    )
    needs = sel.needs_list(project=project)
    latest = sel.survey_latest(project=project)
    return RenderSpec(
        template="projects/planning/pdf/needs_document.html",
        context={
            "project": project,
            "document": sel.needs_document(project=project),
            "groups": sel.needs_by_profession(needs),
            "needs_count": len(needs),
            "use_cases": sel.use_cases(project=project),
            "survey_sections": sel.survey_rows(latest) if latest else [],
            "generated_on": timezone.localdate(),
        },
        filename=f"cahier-des-charges-{project.pk}.pdf",
    )


def register_all() -> None:
    from .selectors_planning import vendor_response_cases

    register(
        DeliverableKind(
            kind=NEEDS_DOCUMENT, build=build_needs_document, can_view=can_view_needs_document
        )
    )
    register_source("projects", vendor_response_cases)
