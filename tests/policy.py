"""The access-matrix policy: every URL name of the project is declared here, app by app, in
``tests/<app>/policy.py: POLICY``. A view that is not declared makes the matrix test fail.

A ``Rule`` says which roles of ``tests.world.ROLES`` get through; everyone else is denied:
- ``anonymous`` is sent to the login page (pages) or gets 401/403 (API);
- on a tenant URL (``/<federation_slug>/…`` of federation A), people of federation B, vendor
  users and the operator get 404, and roles of A that are not allowed get 403 or 404;
- on a global URL, roles that are not allowed get 403 or 404.
``deny`` pins the exact status for some roles when the default is not precise enough.
For tenant URLs that carry object ids, people of federation B also request the URL under their
own federation's slug with A's ids, and must get 404 (``foreign_ids``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.world import ROLES_A, World

ALL_A = ROLES_A
STAFF = frozenset({"staff_a"})
STAFF_DIM = frozenset({"staff_a", "dim_a"})
FOLLOWERS_AND_MSP_A1 = frozenset({"staff_a", "dim_a", "coordinator_a", "member_a"})
COORD_AND_FOLLOWERS = frozenset({"staff_a", "dim_a", "coordinator_a"})
VENDOR_X = frozenset({"vendor_x"})


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Rule:
    allow: frozenset[str]
    kwargs: Callable[[World], dict[str, Any]] = no_kwargs
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    tenant: bool = True
    api: bool = False
    deny: Mapping[str, int] = field(default_factory=dict)
    foreign_ids: bool | None = None  # default: True when kwargs() is not empty
    json: bool = False  # send data as JSON (API)
