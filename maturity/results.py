"""The results of a campaign, shared by the results page and the PDF report."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import selectors
from .models import Campaign
from .radar import radar_chart

#: ``previous`` not given: look it up.
_LOOK_UP = object()


def results_context(campaign: Campaign, *, previous: Campaign | None | object = _LOOK_UP) -> dict:
    """Everything the results page and the PDF report show (shared, so both say the same).
    ``previous``: the MSP's previous campaign when the caller read it already."""
    if previous is _LOOK_UP:
        previous = selectors.previous_campaign(campaign=campaign)
    structures = selectors.campaign_structures([campaign, previous])  # both in one go
    scores = selectors.campaign_scores(campaign=campaign, structure=structures[campaign.pk])
    prev_scores = (
        selectors.campaign_scores(campaign=previous, structure=structures[previous.pk])
        if previous
        else None
    )
    prev_by_code = prev_scores.by_code() if prev_scores else {}
    comparison = selectors.federation_comparison(campaign=campaign)
    rows = []
    for d in scores.dimensions:
        key = f"{d.dimension.axis.code}/{d.dimension.code}"
        prev = prev_by_code.get(key)
        median = comparison.medians.get(d.dimension.pk) if comparison.available else None
        rows.append(
            {
                "d": d,
                "previous": prev,
                "delta": (
                    round(d.score - prev.score, 1)
                    if prev and prev.score is not None and d.score is not None
                    else None
                ),
                "median": median,
            }
        )
    series = [("current", str(campaign.year), [r["d"].score for r in rows])]
    if prev_scores:
        series.append(
            (
                "previous",
                str(previous.year),
                [r["previous"].score if r["previous"] else None for r in rows],
            )
        )
    if comparison.available:
        series.append(("median", _("Médiane de la fédération"), [r["median"] for r in rows]))
    chart = radar_chart(labels=[r["d"].dimension.name for r in rows], series=series)
    return {
        "campaign": campaign,
        "scores": scores,
        "rows": rows,
        "previous": previous,
        "prev_scores": prev_scores,
        "comparison": comparison,
        "min_peers": selectors.MIN_PEERS_FOR_MEDIAN,
        "chart": chart,
    }
