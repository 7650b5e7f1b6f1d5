"""Permissions of the projects app: one source for object checks, navigation and the access
matrix. The planning sections declare theirs in ``permissions_planning.py``."""

from federations.permissions import NavItem  # noqa: F401
from federations.roles import Role  # noqa: F401

from .permissions_planning import PLANNING_RULES

CORE_RULES: dict[str, frozenset[str]] = {}

RULES: dict[str, frozenset[str]] = {**CORE_RULES, **PLANNING_RULES}

NAV: list = []
