"""Permissions of the planning sections of a project."""

from django.utils.translation import gettext_noop

from federations.permissions import NavItem
from federations.roles import Role

S, D, C, M = Role.STAFF, Role.DIM, Role.COORDINATOR, Role.MEMBER

PLANNING_RULES: dict[str, frozenset[str]] = {
    # Every person who sees the project reads its planning sections.
    "projects.view_planning": frozenset({S, D, C, M}),
    # The project lead, the DIM and the federation write them.
    "projects.edit_planning": frozenset({S, D, C}),
    # A representative of each profession scores the vendor demos.
    "projects.score_demos": frozenset({S, D, C, M}),
    # The facilitators pool belongs to the federation.
    "projects.view_facilitators_pool": frozenset({S, D}),
    "projects.manage_facilitators": frozenset({S}),
    "projects.follow_contact_requests": frozenset({S, D}),
}

# Navigation entries of the planning sections (merged into projects.permissions.NAV).
PLANNING_NAV = [
    NavItem(
        gettext_noop("Facilitateurs"),
        "projects:facilitators",
        "projects.view_facilitators_pool",
        60,
    ),
]
