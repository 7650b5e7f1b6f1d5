"""Permissions of the planning sections of a project."""

PLANNING_RULES: dict[str, frozenset[str]] = {}
