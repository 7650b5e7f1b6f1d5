"""Panel of the vendors app on the tenant home page (constant number of queries)."""

from __future__ import annotations

from django.http import HttpRequest

from federations.home import Panel
from federations.permissions import has_perm

from . import selectors


def panels(request: HttpRequest) -> list[Panel]:
    membership = getattr(request, "membership", None)
    if not has_perm(membership, "vendors.view_catalogue"):
        return []
    context = {
        "software_count": selectors.labelled_software_count(),
        "to_moderate": (
            selectors.ratings_to_moderate(membership).count()
            if has_perm(membership, "vendors.moderate_ratings")
            else None
        ),
        "to_review": (
            selectors.corrections_pending().count()
            if has_perm(membership, "vendors.review_corrections")
            else None
        ),
    }
    return [Panel(template="vendors/home_panel.html", context=context, order=40)]
