"""Permissions of this app: one source for object checks, navigation and the access matrix.

Who sees *what* inside a campaign (individual answers only once the individual phase is over,
only for the MSP, its DIM and the federation staff) is decided in ``maturity.selectors``; these
rules decide who may reach each page at all."""

from federations.permissions import NavItem
from federations.roles import Role

S, D, C, M = Role.STAFF, Role.DIM, Role.COORDINATOR, Role.MEMBER

RULES: dict[str, frozenset[str]] = {
    # Campaign list, overview, results, action plan (read).
    "maturity.view": frozenset({S, D, C, M}),
    # Rate the characteristics (only people invited to the campaign, checked by the service).
    "maturity.rate": frozenset({C, M}),
    # Open a campaign, remind, close a phase, record consensus and positioning, edit actions.
    "maturity.manage": frozenset({D, C}),
    # Individual answers once the individual phase is over: distribution, CSV export.
    "maturity.view_answers": frozenset({S, D, C, M}),
    "maturity.export": frozenset({S, D, C}),
    # Complete or extend a framework with the federation's own dimensions.
    "maturity.edit_framework": frozenset({S}),
    "maturity.view_framework": frozenset({S, D, C, M}),
}

NAV = [NavItem("Maturité", "maturity:campaigns", "maturity.view", 30)]
