"""Reads of the maturity app used by other apps."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Campaign, DimensionPositioning

SI_AXIS_CODE = "systeme-information"


@dataclass(frozen=True)
class SiPositioning:
    campaign_year: int
    #: (dimension name, level 0–3, level label) for each dimension of the SI axis positioned.
    dimensions: list[tuple[str, int, str]]

    @property
    def mean_level(self) -> float:
        if not self.dimensions:
            return 0.0
        return sum(level for _, level, _ in self.dimensions) / len(self.dimensions)


def si_axis_positioning(*, health_centre) -> SiPositioning | None:  # noqa: ANN001
    """The team's positioning on the axis "Système d'information" in its latest campaign that
    reached consensus, or None when there is none."""
    campaign = (
        Campaign.objects.filter(
            health_centre=health_centre, positionings__dimension__axis__code=SI_AXIS_CODE
        )
        .order_by("-year", "-created_at")
        .first()
    )
    if campaign is None:
        return None
    rows = (
        DimensionPositioning.objects.filter(campaign=campaign, dimension__axis__code=SI_AXIS_CODE)
        .select_related("dimension")
        .order_by("dimension__position")
    )
    return SiPositioning(
        campaign_year=campaign.year,
        dimensions=[(r.dimension.name, r.level, r.get_level_display()) for r in rows],
    )
