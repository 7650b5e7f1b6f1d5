"""The federation's home page for its staff: its figures count the federation's own rows only,
in one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from federations import selectors
from federations.models import HealthCentre, Invitation, Membership
from federations.roles import Role
from tests.factories import HealthCentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _invite(federation, email: str, *, accepted: bool = False) -> Invitation:  # noqa: ANN001
    return Invitation.objects.create(
        federation=federation,
        email=email,
        role=Role.STAFF,
        expires_at=timezone.now() + timedelta(days=7),
        accepted_at=timezone.now() if accepted else None,
    )


def test_staff_overview_counts_the_federation_s_own_rows_in_one_query(world) -> None:  # noqa: ANN001
    alpha, beta = world.federation_a, world.federation_b
    HealthCentreFactory(federation=alpha, name="MSP Alpha 3")
    HealthCentreFactory(federation=beta, name="MSP Bêta 9")
    gone = MembershipFactory(federation=alpha, role=Role.STAFF, profession="")
    gone.is_active = False
    gone.save()
    _invite(alpha, "attend@alpha.test")
    _invite(alpha, "venu@alpha.test", accepted=True)
    _invite(beta, "ailleurs@beta.test")
    with CaptureQueriesContext(connection) as ctx:
        figures = selectors.staff_overview(federation=alpha)
    assert len(ctx.captured_queries) == 1
    assert figures == {
        "centres": HealthCentre.objects.filter(federation=alpha).count(),
        "people": Membership.objects.filter(federation=alpha, is_active=True).count(),
        "pending_invitations": Invitation.objects.filter(
            federation=alpha, accepted_at__isnull=True
        ).count(),
    }
    assert figures["centres"] >= 3 and figures["pending_invitations"] >= 1
