"""Permissions of the projects app: one source for object checks, navigation and the access
matrix. The planning sections declare theirs in ``permissions_planning.py``."""

from django.utils.translation import gettext_noop

from federations.permissions import NavItem
from federations.roles import Role

from . import permissions_planning
from .permissions_planning import PLANNING_RULES

S, D, C, M = Role.STAFF, Role.DIM, Role.COORDINATOR, Role.MEMBER

CORE_RULES: dict[str, frozenset[str]] = {
    # See a project (staff: every project; DIM: assigned MSPs; MSP roles: their own).
    "projects.view_project": frozenset({S, D, C, M}),
    # The MSP's own project, from the navigation.
    "projects.view_own": frozenset({C, M}),
    # Start the project of an MSP (the coordinator of that MSP, staff, or its DIM).
    "projects.create_project": frozenset({S, D, C}),
    # Tick tasks, write notes, add evidence: the whole team works on the tasks.
    "projects.edit_tasks": frozenset({S, D, C, M}),
    # Team, contract checklist, chosen software, moving to the next step.
    "projects.manage_project": frozenset({S, D, C}),
    # Pass a readiness gate that is not met, with a recorded reason.
    "projects.force_gate": frozenset({S, D}),
    # Follow-up pages.
    "projects.follow_assigned": frozenset({D}),
    "projects.follow_federation": frozenset({S}),
    # The federation's own items added to its copy of the methodology.
    "projects.manage_methodology": frozenset({S}),
}

RULES: dict[str, frozenset[str]] = {**CORE_RULES, **PLANNING_RULES}

NAV: list = [
    NavItem(gettext_noop("Mon projet"), "projects:mine", "projects.view_own", 20),
    NavItem(
        gettext_noop("Suivi des projets"),
        "projects:follow_assigned",
        "projects.follow_assigned",
        20,
    ),
    NavItem(
        gettext_noop("Projets"), "projects:follow_federation", "projects.follow_federation", 20
    ),
    NavItem(
        gettext_noop("Méthodologie"), "projects:methodology", "projects.manage_methodology", 70
    ),
]
NAV += list(getattr(permissions_planning, "PLANNING_NAV", []))
