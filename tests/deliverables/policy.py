from tests.policy import STAFF, Rule

POLICY = {
    "deliverables:detail": Rule(
        allow=STAFF,
        tenant=False,
        kwargs=lambda w: {"pk": w.objects["deliverable_ready"].pk},
        deny={"staff_b": 404, "vendor_x": 404, "member_a": 404},
    ),
    "deliverables:download": Rule(
        allow=STAFF, tenant=False, kwargs=lambda w: {"pk": w.objects["deliverable_ready"].pk}
    ),
    "deliverables:retry": Rule(
        allow=STAFF,
        tenant=False,
        method="post",
        kwargs=lambda w: {"pk": w.objects["deliverable_failed"].pk},
    ),
}
