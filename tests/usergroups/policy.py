"""Access policy of the usergroups pages, portal and API (see tests/policy.py)."""

from tests.policy import FOLLOWERS_AND_MSP_A1, STAFF, STAFF_DIM, VENDOR_X, Rule

BOTH_VENDORS = frozenset({"vendor_x", "vendor_y"})
STAFF_AND_COORD = frozenset({"staff_a", "coordinator_a"})


def _group(w):  # noqa: ANN001, ANN202
    return {"pk": w.objects["ug_group"].pk}


def _future(w):  # noqa: ANN001, ANN202
    return {"pk": w.objects["ug_future"].pk}


def _past(w):  # noqa: ANN001, ANN202
    return {"pk": w.objects["ug_past"].pk}


def _synthesis(w):  # noqa: ANN001, ANN202
    return {"pk": w.objects["ug_synthesis"].pk}


FEEDBACK = {"kind": "need", "theme": "billing", "text": "Un besoin de test"}

POLICY = {
    "usergroups:groups": Rule(
        allow=frozenset({"staff_a", "dim_a", "coordinator_a", "member_a", "member_a2"})
    ),
    "usergroups:group_create": Rule(allow=STAFF),
    "usergroups:group": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_group),
    "usergroups:group_edit": Rule(allow=STAFF, kwargs=_group),
    "usergroups:group_ics": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_group),
    # The form page (its POST: tests/usergroups/test_sessions.py).
    "usergroups:group_feedback": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_group),
    "usergroups:session_create": Rule(allow=STAFF_DIM, kwargs=_group),
    "usergroups:session": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_past),
    "usergroups:session_ics": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_future),
    "usergroups:topic_create": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        kwargs=_future,
        method="post",
        data=lambda w: {"title": "Un sujet"},
    ),
    "usergroups:topic_vote": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        kwargs=lambda w: {"pk": w.objects["ug_future"].pk, "topic_pk": w.objects["ug_topic"].pk},
        method="post",
    ),
    "usergroups:register": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_future, method="post"),
    "usergroups:attendance": Rule(allow=STAFF_DIM, kwargs=_past, method="post"),
    "usergroups:invite_vendor": Rule(
        allow=STAFF_DIM,
        kwargs=_future,
        method="post",
        data=lambda w: {"user": w.users["vendor_x"].pk},
    ),
    "usergroups:feedback_create": Rule(
        allow=FOLLOWERS_AND_MSP_A1, kwargs=_past, method="post", data=lambda w: FEEDBACK
    ),
    "usergroups:minutes": Rule(
        allow=STAFF_DIM, kwargs=_past, method="post", data=lambda w: {"minutes": "Compte rendu"}
    ),
    "usergroups:amendment_create": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        kwargs=_past,
        method="post",
        data=lambda w: {"text": "Une correction"},
    ),
    "usergroups:amendment_decide": Rule(
        allow=STAFF_DIM,
        kwargs=lambda w: {
            "pk": w.objects["ug_past"].pk,
            "amendment_pk": w.objects["ug_amendment"].pk,
        },
        method="post",
        data=lambda w: {"accept": "1"},
    ),
    "usergroups:syntheses": Rule(allow=STAFF_DIM),
    "usergroups:synthesis_create": Rule(allow=STAFF),
    "usergroups:synthesis": Rule(allow=STAFF_DIM, kwargs=_synthesis),
    "usergroups:synthesis_merge": Rule(allow=STAFF, kwargs=_synthesis),
    "usergroups:needs_merge": Rule(
        allow=STAFF,
        kwargs=_synthesis,
        method="post",
        data=lambda w: {"items": [w.objects["ug_loose_item"].pk], "title": "Télétransmission"},
    ),
    "usergroups:need_move": Rule(
        allow=STAFF,
        kwargs=lambda w: {"pk": w.objects["ug_synthesis"].pk, "need_pk": w.objects["ug_need"].pk},
        method="post",
        data=lambda w: {"dir": "up"},
    ),
    "usergroups:synthesis_publish": Rule(allow=STAFF, kwargs=_synthesis, method="post"),
    "usergroups:version": Rule(
        allow=STAFF_DIM, kwargs=lambda w: {"pk": w.objects["ug_version"].pk}
    ),
    "usergroups:need": Rule(
        allow=FOLLOWERS_AND_MSP_A1, kwargs=lambda w: {"pk": w.objects["ug_need"].pk}
    ),
    "usergroups:need_support": Rule(
        allow=STAFF_AND_COORD,
        kwargs=lambda w: {"pk": w.objects["ug_need"].pk},
        method="post",
        data=lambda w: {"health_centre": w.centre_a.pk, "importance": "critical"},
    ),
    # Vendor portal (outside federations): vendor Y never sees vendor X's synthesis.
    "portal:syntheses": Rule(allow=BOTH_VENDORS, tenant=False),
    "portal:version": Rule(
        allow=VENDOR_X,
        tenant=False,
        kwargs=lambda w: {"pk": w.objects["ug_version"].pk},
        deny={"vendor_y": 404, "staff_a": 404},
    ),
    "portal:feedback": Rule(
        allow=VENDOR_X,
        tenant=False,
        kwargs=lambda w: {"pk": w.objects["ug_version"].pk},
        deny={"vendor_y": 404, "staff_a": 404},
    ),
    "portal:answer": Rule(
        allow=VENDOR_X,
        tenant=False,
        method="post",
        kwargs=lambda w: {"pk": w.objects["ug_version"].pk, "need_pk": w.objects["ug_need"].pk},
        data=lambda w: {f"n{w.objects['ug_need'].pk}-status": "received"},
        deny={"vendor_y": 404},
    ),
    # API
    "api-usergroups": Rule(
        allow=frozenset({"staff_a", "dim_a", "coordinator_a", "member_a", "member_a2"}), api=True
    ),
    "api-usergroup-sessions": Rule(allow=FOLLOWERS_AND_MSP_A1, api=True, kwargs=_group),
    "api-usergroup-feedback": Rule(allow=FOLLOWERS_AND_MSP_A1, api=True, kwargs=_past),
    "api-usergroup-syntheses": Rule(allow=STAFF_DIM, api=True),
    "api-vendor-syntheses": Rule(allow=BOTH_VENDORS, api=True, tenant=False),
    "api-vendor-synthesis": Rule(
        allow=VENDOR_X,
        api=True,
        tenant=False,
        kwargs=lambda w: {"pk": w.objects["ug_version"].pk},
        deny={"vendor_y": 404},
    ),
    "api-vendor-answers": Rule(
        allow=VENDOR_X,
        api=True,
        tenant=False,
        kwargs=lambda w: {"pk": w.objects["ug_need"].pk},
        deny={"vendor_y": 404},
    ),
}
