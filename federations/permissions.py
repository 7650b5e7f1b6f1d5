"""Permission registry: each app declares, in ``<app>/permissions.py``, one ``RULES`` mapping of
permission name → roles, and a ``NAV`` list of navigation entries. The same source serves object
checks (``has_perm``), the navigation, and the access-matrix test.

Permission names are ``"<app>.<action>"``; ``has_perm`` finds the app's RULES from the prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.urls import NoReverseMatch, reverse

from .roles import Role

S, D, C, M = Role.STAFF, Role.DIM, Role.COORDINATOR, Role.MEMBER

RULES: dict[str, frozenset[str]] = {
    "federations.view_home": frozenset({S, D, C, M}),
    "federations.view_centres": frozenset({S, D, C, M}),
    "federations.manage_centres": frozenset({S}),
    "federations.manage_people": frozenset({S}),
    "federations.view_audit": frozenset({S}),
    "federations.manage_settings": frozenset({S}),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str
    order: int = 50


NAV = [
    NavItem("MSP", "federations:centres", "federations.view_centres", 10),
    NavItem("Personnes", "federations:people", "federations.manage_people", 80),
    NavItem("Journal", "federations:audit", "federations.view_audit", 90),
    NavItem("Paramètres", "federations:settings", "federations.manage_settings", 95),
]

APPS_WITH_RULES = ("federations", "projects", "maturity", "vendors", "usergroups")


@cache
def _rules_of(app: str) -> dict[str, frozenset[str]]:
    module = import_module(f"{app}.permissions")
    return getattr(module, "RULES", {})


def roles_for(perm: str) -> frozenset[str]:
    app = perm.split(".", 1)[0]
    rules = _rules_of(app)
    if perm not in rules:
        raise KeyError(f"Permission inconnue : {perm}")
    return rules[perm]


def has_perm(membership, perm: str) -> bool:  # noqa: ANN001
    if membership is None:
        return False
    return membership.role in roles_for(perm)


def navigation_for(membership) -> list[dict[str, str]]:  # noqa: ANN001
    """The navigation entries this membership may use, in order. They depend only on the
    federation, the role and the language: built once per process for each of those."""
    from django.utils.translation import get_language

    key = (membership.federation.slug, membership.role, get_language())
    entries = _navigation.get(key)
    if entries is None:
        entries = _navigation[key] = _build_navigation(membership)
    return entries


_navigation: dict[tuple[str, str, str | None], list[dict[str, str]]] = {}


def _build_navigation(membership) -> list[dict[str, str]]:  # noqa: ANN001
    from django.utils.translation import gettext

    items: list[NavItem] = []
    for app in APPS_WITH_RULES:
        module = import_module(f"{app}.permissions")
        items.extend(getattr(module, "NAV", []))
    entries = []
    for item in sorted(items, key=lambda i: i.order):
        if not has_perm(membership, item.perm):
            continue
        try:
            url = reverse(item.url_name, kwargs={"federation_slug": membership.federation.slug})
        except NoReverseMatch:
            continue
        entries.append({"label": gettext(item.label), "url": url, "name": item.url_name})
    return entries
