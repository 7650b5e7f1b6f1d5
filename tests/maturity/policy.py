"""Access matrix of the maturity pages and API."""

from tests.policy import ALL_A, FOLLOWERS_AND_MSP_A1, STAFF, Rule

MANAGERS = frozenset({"dim_a", "coordinator_a"})
RATERS = frozenset({"coordinator_a", "member_a"})
EXPORTERS = frozenset({"staff_a", "dim_a", "coordinator_a"})


def _campaign(w) -> dict:  # noqa: ANN001
    return {"pk": w.objects["maturity_campaign"].pk}


def _consensus(w) -> dict:  # noqa: ANN001
    return {"pk": w.objects["maturity_campaign_consensus"].pk}


POLICY = {
    "maturity:campaigns": Rule(allow=ALL_A),
    "maturity:campaign_create": Rule(allow=MANAGERS),
    "maturity:campaign": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_campaign),
    "maturity:rate": Rule(allow=RATERS, kwargs=_campaign),
    "maturity:rating_save": Rule(
        allow=RATERS,
        method="post",
        kwargs=lambda w: {
            **_campaign(w),
            "characteristic_id": w.objects["maturity_characteristic"].pk,
        },
        data=lambda w: {"value": "oui"},
    ),
    "maturity:remind": Rule(allow=MANAGERS, method="post", kwargs=_campaign),
    "maturity:close_individual": Rule(allow=MANAGERS, method="post", kwargs=_campaign),
    "maturity:close": Rule(allow=MANAGERS, method="post", kwargs=_consensus),
    "maturity:consensus": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_consensus),
    "maturity:consensus_save": Rule(
        allow=MANAGERS,
        method="post",
        kwargs=lambda w: {
            **_consensus(w),
            "characteristic_id": w.objects["maturity_characteristic"].pk,
        },
        data=lambda w: {
            f"c{w.objects['maturity_characteristic'].pk}-value": "oui",
            f"c{w.objects['maturity_characteristic'].pk}-version": "0",
        },
    ),
    "maturity:positioning_save": Rule(
        allow=MANAGERS,
        method="post",
        kwargs=lambda w: {**_consensus(w), "dimension_id": w.objects["maturity_dimension"].pk},
        data=lambda w: {
            f"d{w.objects['maturity_dimension'].pk}-level": "2",
            f"d{w.objects['maturity_dimension'].pk}-version": "0",
        },
    ),
    "maturity:results": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_consensus),
    "maturity:report": Rule(allow=FOLLOWERS_AND_MSP_A1, method="post", kwargs=_consensus),
    "maturity:export": Rule(allow=EXPORTERS, kwargs=_consensus),
    "maturity:actions": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=_consensus),
    "maturity:action_edit": Rule(
        allow=MANAGERS,
        kwargs=lambda w: {**_consensus(w), "action_id": w.objects["maturity_action"].pk},
    ),
    "maturity:frameworks": Rule(allow=ALL_A),
    # Frameworks are national reference data: the same page under another federation is fine.
    "maturity:framework": Rule(
        allow=ALL_A, kwargs=lambda w: {"pk": w.objects["maturity_framework"].pk}, foreign_ids=False
    ),
    "maturity:characteristic_add": Rule(
        allow=STAFF,
        method="post",
        kwargs=lambda w: {"dimension_id": w.objects["maturity_fed_dimension"].pk},
        data=lambda w: {"text": "L'équipe se réunit chaque mois."},
    ),
    "api-maturity-frameworks": Rule(allow=ALL_A, api=True),
    "api-maturity-framework": Rule(
        allow=ALL_A,
        api=True,
        kwargs=lambda w: {"pk": w.objects["maturity_framework"].pk},
        foreign_ids=False,
    ),
    "api-maturity-campaigns": Rule(allow=ALL_A, api=True),
    "api-maturity-campaign": Rule(allow=FOLLOWERS_AND_MSP_A1, api=True, kwargs=_campaign),
    "api-maturity-ratings": Rule(allow=FOLLOWERS_AND_MSP_A1, api=True, kwargs=_campaign),
    "api-maturity-consensus": Rule(allow=FOLLOWERS_AND_MSP_A1, api=True, kwargs=_consensus),
    "api-maturity-positionings": Rule(allow=FOLLOWERS_AND_MSP_A1, api=True, kwargs=_consensus),
    "api-maturity-actions": Rule(allow=FOLLOWERS_AND_MSP_A1, api=True, kwargs=_consensus),
    "api-maturity-action": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        api=True,
        kwargs=lambda w: {**_consensus(w), "action_id": w.objects["maturity_action"].pk},
    ),
}
