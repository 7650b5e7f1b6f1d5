from tests.policy import ALL_A, STAFF, Rule
from tests.vendors.world import deploy
from tests.world import ROLES

SIGNED_IN = frozenset(r for r in ROLES if r != "anonymous")
COMPARED = {"logiciels": ["logiciel-x", "logiciel-y"]}


def _slug_deployed(w) -> dict:  # noqa: ANN001
    deploy(w)
    return {"slug": w.software_x.slug}


def _project(w) -> dict:  # noqa: ANN001
    return {"project_pk": deploy(w).pk}


POLICY = {
    "vendors:catalogue": Rule(allow=ALL_A),
    "vendors:compare": Rule(allow=ALL_A, data=lambda w: COMPARED),
    "vendors:compare_csv": Rule(allow=ALL_A, data=lambda w: COMPARED),
    "vendors:compare_pdf": Rule(allow=ALL_A, method="post", data=lambda w: COMPARED),
    "vendors:fit": Rule(
        allow=frozenset({"staff_a", "dim_a", "coordinator_a", "member_a"}),
        kwargs=_project,
        deny={"member_a2": 404},
    ),
    "vendors:moderation": Rule(allow=STAFF),
    "vendors:rating_moderate": Rule(
        allow=STAFF,
        method="post",
        kwargs=lambda w: {"pk": w.objects["rating"].pk},
        data=lambda w: {"decision": "publish"},
    ),
    "vendors:corrections": Rule(allow=STAFF),
    # Corrections are national (not tenant rows): staff of any federation decide.
    "vendors:correction_decide": Rule(
        allow=STAFF,
        method="post",
        kwargs=lambda w: {"pk": w.objects["correction"].pk},
        data=lambda w: {"decision": "accept"},
        foreign_ids=False,
    ),
    # The catalogue is national: a product's page exists under every federation.
    "vendors:detail": Rule(
        allow=ALL_A, kwargs=lambda w: {"slug": w.software_x.slug}, foreign_ids=False
    ),
    "vendors:rate": Rule(
        allow=frozenset({"coordinator_a", "member_a"}), kwargs=_slug_deployed, foreign_ids=False
    ),
    "vendors:fact_record": Rule(
        allow=frozenset({"staff_a", "coordinator_a"}),
        kwargs=lambda w: {"slug": w.software_x.slug},
        foreign_ids=False,
    ),
    "vendor_software": Rule(allow=frozenset({"vendor_x", "vendor_y"}), tenant=False),
    "vendor_correction": Rule(
        allow=frozenset({"vendor_x"}),
        kwargs=lambda w: {"slug": w.software_x.slug},
        tenant=False,
        deny={"vendor_y": 404, "staff_a": 404, "operator": 404},
    ),
    "api-vendors-catalogue": Rule(allow=SIGNED_IN, tenant=False, api=True),
    "api-vendors-software": Rule(
        allow=SIGNED_IN, tenant=False, api=True, kwargs=lambda w: {"slug": w.software_x.slug}
    ),
    "api-vendors-compare": Rule(allow=SIGNED_IN, tenant=False, api=True, data=lambda w: COMPARED),
}
