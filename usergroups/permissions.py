"""Permissions of this app: one source for object checks, navigation and the access matrix."""

from django.utils.translation import gettext_noop

from federations.permissions import NavItem
from federations.roles import Role

S, D, C, M = Role.STAFF, Role.DIM, Role.COORDINATOR, Role.MEMBER

RULES: dict[str, frozenset[str]] = {
    # See the groups one's MSP belongs to, their sessions, agenda and feedback.
    "usergroups.view": frozenset({S, D, C, M}),
    # Propose and vote agenda topics, register, add feedback, propose amendments.
    "usergroups.participate": frozenset({S, D, C, M}),
    # Create groups and choose their members.
    "usergroups.manage_groups": frozenset({S}),
    # Plan sessions, invite vendor representatives, take attendance, write and publish minutes.
    "usergroups.facilitate": frozenset({S, D}),
    # Read the needs and syntheses of the federation.
    "usergroups.view_syntheses": frozenset({S, D}),
    # Merge items into needs, order them, record support on behalf of an MSP, publish.
    "usergroups.synthesise": frozenset({S}),
    # See one need (provenance, support, vendor answers): followers and the MSPs concerned.
    "usergroups.view_need": frozenset({S, D, C, M}),
    # Record the support of one's own MSP for a need.
    "usergroups.support": frozenset({S, C}),
}

NAV = [
    NavItem(gettext_noop("Groupes d'utilisateurs"), "usergroups:groups", "usergroups.view", 40),
    NavItem(
        gettext_noop("Synthèses éditeurs"), "usergroups:syntheses", "usergroups.view_syntheses", 45
    ),
]
