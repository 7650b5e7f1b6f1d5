"""Permissions of this app: one source for object checks, navigation and the access matrix."""

from federations.permissions import NavItem
from federations.roles import Role

S, D, C, M = Role.STAFF, Role.DIM, Role.COORDINATOR, Role.MEMBER
EVERYONE = frozenset({S, D, C, M})

RULES: dict[str, frozenset[str]] = {
    # The catalogue and the comparator are national: every member of a federation reads them.
    "vendors.view_catalogue": EVERYONE,
    "vendors.compare": EVERYONE,
    # Fit of the products to one project's needs (the project itself is scoped to the MSP).
    "vendors.view_fit": EVERYONE,
    # Professionals of an MSP rate the software their project deployed (checked by the service).
    "vendors.rate": frozenset({C, M}),
    "vendors.moderate_ratings": frozenset({S}),
    # Facts: MSP coordinators report what they see, federation staff verify.
    "vendors.record_fact": frozenset({S, C}),
    "vendors.review_corrections": frozenset({S}),
}

NAV = [
    NavItem("Logiciels", "vendors:catalogue", "vendors.view_catalogue", 40),
    NavItem("Comparateur", "vendors:compare", "vendors.compare", 41),
]
