"""The demo data: facts, ratings of deployed MSPs' members, the pending Hellodoc correction."""

from __future__ import annotations

from datetime import date

import pytest

from vendors import demo, reference
from vendors.models import CorrectionProposal, Fact, PeerRating

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_rates_only_deployed_software() -> None:
    from federations import demo as federations_demo
    from projects.models import Project

    reference.load_all()
    ctx: dict = {}
    federations_demo.load(ctx)
    from federations.models import HealthCentre
    from vendors.models import Software

    lille = HealthCentre.objects.get(name="Maison Dispersée de Santé de Lille Moulins")
    Project.objects.update_or_create(
        health_centre=lille,
        defaults={
            "federation": lille.federation,
            "chosen_software": Software.objects.get(slug="hellodoc"),
            "deployed_on": date(2025, 6, 1),
        },
    )
    demo.load(ctx)
    counts = (Fact.objects.count(), PeerRating.objects.count(), CorrectionProposal.objects.count())
    demo.load(ctx)
    assert (
        Fact.objects.count(),
        PeerRating.objects.count(),
        CorrectionProposal.objects.count(),
    ) == counts
    assert Fact.objects.filter(software__slug="weda", source="declared").exists()
    ratings = PeerRating.objects.filter(software__slug="hellodoc", status="published")
    assert ratings.count() >= 3
    assert set(ratings.values_list("health_centre", flat=True)) == {lille.pk}
    proposal = CorrectionProposal.objects.get()
    assert proposal.status == "pending"
    assert proposal.proposed_by.email == "editeur@hellodoc.demo"
    assert proposal.software.vendor.slug == "imagine-editions"
