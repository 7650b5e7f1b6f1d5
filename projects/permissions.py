"""Permissions of this app: one source for object checks, navigation and the access matrix."""

from federations.permissions import NavItem  # noqa: F401
from federations.roles import Role  # noqa: F401

RULES: dict[str, frozenset[str]] = {}

NAV: list = []
