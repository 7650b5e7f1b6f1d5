"""Concurrent writes, with real threads and real transactions (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from federations.roles import Role
from maturity import services
from maturity.models import CampaignPhase, Consensus, Rating
from tests.factories import FederationFactory, HealthCentreFactory, MembershipFactory
from tests.maturity.world import load_has_framework, make_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls) -> list:  # noqa: ANN002
    """Start the calls at the same instant in separate threads (each its own connection)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i: int, call) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 — the test inspects what happened
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def setup():  # noqa: ANN201
    federation = FederationFactory(slug="gamma")
    centre = HealthCentreFactory(federation=federation)
    members = [
        MembershipFactory(federation=federation, role=Role.MEMBER, health_centre=centre)
        for _ in range(4)
    ]
    framework = load_has_framework()
    campaign = make_campaign(
        federation=federation, centre=centre, framework=framework, year=2026, members=members
    )
    characteristics = list(
        framework.axes.get(code="systeme-information").dimensions.first().characteristics.all()
    )
    return campaign, members, characteristics


def test_members_saving_at_the_same_moment_lose_nothing(setup) -> None:  # noqa: ANN001
    campaign, members, characteristics = setup
    c = characteristics[0]
    results = run_together(
        *[
            (
                lambda m=m: services.rating_save(
                    actor=None, membership=m, campaign=campaign, characteristic=c, value="oui"
                )
            )
            for m in members
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Rating.objects.filter(campaign=campaign, characteristic=c).count() == 4


def test_the_same_member_in_two_tabs_keeps_one_answer(setup) -> None:  # noqa: ANN001
    campaign, members, characteristics = setup
    m, c = members[0], characteristics[0]
    results = run_together(
        lambda: services.rating_save(
            actor=None, membership=m, campaign=campaign, characteristic=c, value="non"
        ),
        lambda: services.rating_save(
            actor=None, membership=m, campaign=campaign, characteristic=c, value="oui"
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    ratings = list(Rating.objects.filter(campaign=campaign, membership=m, characteristic=c))
    assert len(ratings) == 1
    assert ratings[0].value in ("non", "oui")
    # Then the later answer wins.
    services.rating_save(
        actor=None, membership=m, campaign=campaign, characteristic=c, value="en-partie"
    )
    assert Rating.objects.get(campaign=campaign, membership=m, characteristic=c).value == (
        "en-partie"
    )


def test_two_different_consensus_at_once_one_wins_the_other_is_told(setup) -> None:  # noqa: ANN001
    campaign, members, characteristics = setup
    campaign.phase = CampaignPhase.CONSENSUS
    campaign.save()
    c = characteristics[1]
    for expected_version in (0, 1):
        results = run_together(
            lambda v=expected_version: services.consensus_record(
                actor=None,
                campaign=campaign,
                characteristic=c,
                value="oui",
                expected_version=v,
            ),
            lambda v=expected_version: services.consensus_record(
                actor=None,
                campaign=campaign,
                characteristic=c,
                value="non",
                expected_version=v,
            ),
        )
        winners = [r for r in results if isinstance(r, Consensus)]
        stale = [r for r in results if isinstance(r, services.StaleWrite)]
        assert len(winners) == 1 and len(stale) == 1, results
        current = Consensus.objects.get(campaign=campaign, characteristic=c)
        assert current.value == winners[0].value
        assert stale[0].current.value == current.value
        assert current.version == expected_version + 1
