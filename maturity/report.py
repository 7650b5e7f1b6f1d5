"""The PDF report of a campaign, rendered by the deliverables pipeline."""

from __future__ import annotations

from deliverables.registry import RenderSpec
from federations.models import Membership
from federations.permissions import has_perm

from . import selectors
from .models import Campaign
from .results import results_context

KIND = "maturity.campaign_report"


def build_report(deliverable) -> RenderSpec:  # noqa: ANN001
    campaign = Campaign.objects.select_related("health_centre", "framework", "federation").get(
        pk=int(deliverable.object_id), federation_id=deliverable.federation_id
    )
    context = results_context(campaign)
    context["actions"] = list(selectors.campaign_actions(campaign=campaign))
    context["title"] = deliverable.title
    return RenderSpec(
        template="maturity/pdf/report.html",
        context=context,
        filename=f"maturite-{campaign.year}-{campaign.pk}.pdf",
    )


def can_view_report(user, deliverable) -> bool:  # noqa: ANN001
    """The people who can see the campaign itself: its MSP, its DIM, the federation staff."""
    if not getattr(user, "is_authenticated", False) or not deliverable.federation_id:
        return False
    membership = (
        Membership.objects.select_related("federation")
        .filter(user_id=user.pk, federation_id=deliverable.federation_id, is_active=True)
        .first()
    )
    if membership is None or not has_perm(membership, "maturity.view"):
        return False
    try:
        pk = int(deliverable.object_id)
    except (TypeError, ValueError):
        return False
    return Campaign.objects.visible_to(membership).filter(pk=pk).exists()
