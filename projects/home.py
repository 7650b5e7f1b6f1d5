"""Panels of the projects app on the tenant home page: the MSP's own project first for its
coordinator and members; project counts by step for the DIM and the federation's staff.
Each panel costs a constant number of queries."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from federations.home import Panel
from federations.permissions import has_perm
from federations.roles import Role

from . import selectors
from .models import Step


def panels(request: HttpRequest) -> list[Panel]:
    membership = getattr(request, "membership", None)
    if membership is None or not has_perm(membership, "projects.view_project"):
        return []
    slug = membership.federation.slug
    if membership.role in (Role.COORDINATOR, Role.MEMBER):
        project = selectors.own_project(membership=membership)
        # The MSP's own project comes first on its people's home page.
        return [Panel("projects/_home_panel.html", {"project": project}, order=1)]
    counts = selectors.step_counts(membership=membership)
    url_name = (
        "projects:follow_federation"
        if membership.role == Role.STAFF
        else "projects:follow_assigned"
    )
    return [
        Panel(
            "projects/_home_panel.html",
            {
                "counts": [(Step(k).label, n) for k, n in counts.items()],
                "url": reverse(url_name, kwargs={"federation_slug": slug}),
            },
            order=5,
        )
    ]
