"""The shared test world used by the access-matrix test (and by any test that wants it).

Two federations (A and B), each with two MSPs, one person per role, plus vendor users of two
vendors and a platform operator. Names follow the house habit: alice/bob… in federation A,
people of B carry "_b", so the foreign-tenant case is never forgotten.

Each app extends the world with its own objects in ``tests/<app>/world.py: extend(world)``;
those functions are called in APPS order and store what they create in ``world.objects``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from federations.roles import Role
from tests.factories import (
    FederationFactory,
    HealthCentreFactory,
    MembershipFactory,
    SoftwareFactory,
    UserFactory,
    VendorFactory,
)

APPS = ("federations", "vendors", "projects", "maturity", "usergroups", "deliverables")

#: Every role the access matrix checks.
ROLES = (
    "anonymous",
    "staff_a",
    "dim_a",
    "coordinator_a",
    "member_a",
    "member_a2",
    "staff_b",
    "dim_b",
    "coordinator_b",
    "member_b",
    "vendor_x",
    "vendor_y",
    "operator",
)
#: Roles inside federation A (the federation whose URLs are requested).
ROLES_A = frozenset({"staff_a", "dim_a", "coordinator_a", "member_a", "member_a2"})
ROLES_B = frozenset({"staff_b", "dim_b", "coordinator_b", "member_b"})


@dataclass
class World:
    federation_a: Any = None
    federation_b: Any = None
    centre_a: Any = None  # MSP A1: coordinator_a and member_a work here; dim_a follows it
    centre_a2: Any = None  # MSP A2: member_a2 works here; nobody of A1 sees it
    centre_b: Any = None
    users: dict[str, Any] = field(default_factory=dict)
    memberships: dict[str, Any] = field(default_factory=dict)
    vendor_x: Any = None
    vendor_y: Any = None
    software_x: Any = None  # a product of vendor X
    software_y: Any = None  # a product of vendor Y
    objects: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    w = World()
    w.federation_a = FederationFactory(slug="alpha", name="Fédération Alpha")
    w.federation_b = FederationFactory(slug="beta", name="Fédération Bêta")
    w.centre_a = HealthCentreFactory(federation=w.federation_a, name="MSP Alpha 1")
    w.centre_a2 = HealthCentreFactory(federation=w.federation_a, name="MSP Alpha 2")
    w.centre_b = HealthCentreFactory(federation=w.federation_b, name="MSP Bêta 1")
    specs = {
        "staff_a": (w.federation_a, Role.STAFF, None, ""),
        "dim_a": (w.federation_a, Role.DIM, None, ""),
        "coordinator_a": (w.federation_a, Role.COORDINATOR, w.centre_a, "medecin_generaliste"),
        "member_a": (w.federation_a, Role.MEMBER, w.centre_a, "infirmier"),
        "member_a2": (w.federation_a, Role.MEMBER, w.centre_a2, "infirmier"),
        "staff_b": (w.federation_b, Role.STAFF, None, ""),
        "dim_b": (w.federation_b, Role.DIM, None, ""),
        "coordinator_b": (w.federation_b, Role.COORDINATOR, w.centre_b, "medecin_generaliste"),
        "member_b": (w.federation_b, Role.MEMBER, w.centre_b, "infirmier"),
    }
    names = {
        "staff_a": "alice",
        "dim_a": "bob",
        "coordinator_a": "charlie",
        "member_a": "dana",
        "member_a2": "erin",
    }
    for role_name, (federation, role, centre, profession) in specs.items():
        email = f"{names.get(role_name, role_name)}@{federation.slug}.test"
        user = UserFactory(email=email)
        w.users[role_name] = user
        w.memberships[role_name] = MembershipFactory(
            user=user, federation=federation, role=role, health_centre=centre, profession=profession
        )
    w.memberships["dim_a"].assigned_centres.set([w.centre_a])
    w.memberships["dim_b"].assigned_centres.set([w.centre_b])
    w.vendor_x = VendorFactory(slug="vendor-x", name="Éditeur X")
    w.vendor_y = VendorFactory(slug="vendor-y", name="Éditeur Y")
    w.software_x = SoftwareFactory(vendor=w.vendor_x, slug="logiciel-x", name="Logiciel X")
    w.software_y = SoftwareFactory(vendor=w.vendor_y, slug="logiciel-y", name="Logiciel Y")
    w.users["vendor_x"] = UserFactory(email="xavier@vendor-x.test", vendor=w.vendor_x)
    w.users["vendor_y"] = UserFactory(email="yann@vendor-y.test", vendor=w.vendor_y)
    w.users["operator"] = UserFactory(email="olga@operator.test", is_staff=True, is_superuser=True)
    for app in APPS:
        try:
            module = import_module(f"tests.{app}.world")
        except ModuleNotFoundError:
            continue
        module.extend(w)
    return w
