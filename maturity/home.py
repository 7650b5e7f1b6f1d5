"""Panels of the maturity app on the tenant home page (a constant number of queries each)."""

from __future__ import annotations

from django.http import HttpRequest

from federations.home import Panel
from federations.roles import Role

from . import selectors

SHOWN = 5


def panels(request: HttpRequest) -> list[Panel]:
    membership = request.membership
    out: list[Panel] = []
    if membership.role in (Role.COORDINATOR, Role.MEMBER):
        campaign = selectors.open_campaign_for_member(membership=membership)
        if campaign is not None:
            out.append(Panel("maturity/_panel_rate.html", {"campaign": campaign}, order=20))
    if membership.role in (Role.COORDINATOR, Role.DIM):
        actions, more = selectors.overdue_actions_panel(membership=membership, shown=SHOWN)
        out.append(
            Panel(
                "maturity/_panel_overdue.html",
                {
                    "actions": actions,
                    "more": more,
                    "show_centre": membership.role == Role.DIM,
                },
                order=25,
            )
        )
    return out
