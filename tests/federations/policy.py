from tests.policy import ALL_A, STAFF, Rule
from tests.world import ROLES

#: Every signed-in person, whatever their role.
SIGNED_IN = frozenset(ROLES) - {"anonymous"}

POLICY = {
    "home": Rule(
        allow=frozenset(
            {
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
            }
        ),
        tenant=False,
    ),
    "federation_switch": Rule(
        allow=frozenset(
            {
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
            }
        ),
        tenant=False,
    ),
    "invitation_accept": Rule(
        allow=frozenset(
            {
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
            }
        ),
        kwargs=lambda w: {"token": w.objects["invitation"].token},
        tenant=False,
    ),
    "federations:home": Rule(allow=ALL_A),
    "federations:centres": Rule(allow=ALL_A),
    "federations:centre_create": Rule(allow=STAFF),
    "federations:people": Rule(allow=STAFF),
    "federations:invite": Rule(allow=STAFF),
    "federations:member_edit": Rule(
        allow=STAFF, kwargs=lambda w: {"pk": w.memberships["member_a"].pk}
    ),
    "federations:audit": Rule(allow=STAFF),
    "federations:settings": Rule(allow=STAFF),
    # accounts (declared here: the accounts app has no world of its own)
    "accounts:profile": Rule(allow=SIGNED_IN, tenant=False),
    "accounts:api_token": Rule(allow=SIGNED_IN, tenant=False),
    "api-me": Rule(
        allow=frozenset(
            {
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
            }
        ),
        tenant=False,
        api=True,
    ),
    "api-federations": Rule(
        allow=frozenset(
            {
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
            }
        ),
        tenant=False,
        api=True,
    ),
    "api-schema": Rule(
        allow=frozenset(
            {
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
            }
        ),
        tenant=False,
        api=True,
    ),
    "api-centres": Rule(allow=ALL_A, api=True),
    "api-centre": Rule(
        allow=frozenset({"staff_a", "dim_a", "coordinator_a", "member_a"}),
        kwargs=lambda w: {"pk": w.centre_a.pk},
        api=True,
        deny={"member_a2": 404},
    ),
    "vendor_home": Rule(
        allow=frozenset({"vendor_x", "vendor_y"}),
        tenant=False,
        deny={"staff_a": 404, "operator": 404},
    ),
}
