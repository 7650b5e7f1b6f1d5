"""The maturity stage of the national dataset: closed campaigns as the services would leave them,
deterministic, grow mode confined to the new MSPs, and pages that render on the generated data."""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from federations.models import Membership
from federations.national import Sizes, generate
from federations.roles import MSP_ROLES
from maturity import services
from maturity.models import (
    Action,
    ActionStatus,
    Campaign,
    CampaignPhase,
    Characteristic,
    Consensus,
    DimensionPositioning,
    Participant,
    Rating,
)

pytestmark = pytest.mark.django_db

SMALL = Sizes(
    federations=2,
    centres=6,
    members=40,
    projects=6,
    campaigns_per_centre=2,
    software=5,
    user_groups=0,
    sessions=0,
    feedback=0,
)


def quiet(_message: str) -> None:
    pass


@pytest.fixture
def reference_data(db) -> None:  # noqa: ANN001
    call_command("load_reference", stdout=io.StringIO())


def campaign_characteristics(campaign: Campaign) -> set[int]:
    return set(
        Characteristic.objects.filter(dimension__in=campaign.dimensions.all()).values_list(
            "pk", flat=True
        )
    )


def test_two_closed_campaigns_per_msp_with_every_members_ratings(reference_data) -> None:  # noqa: ANN001
    ctx = generate(sizes=SMALL, seed=3, log=quiet)
    year = ctx.today.year
    now = timezone.now()
    assert len(ctx.centres) == 6
    for centre in ctx.centres:
        campaigns = list(Campaign.objects.filter(health_centre=centre).order_by("year"))
        assert [c.year for c in campaigns] == [year - 2, year - 1]
        people = set(
            Membership.objects.filter(health_centre=centre, role__in=MSP_ROLES).values_list(
                "pk", flat=True
            )
        )
        assert people == {m.pk for m in ctx.people[centre.pk]}
        for campaign in campaigns:
            assert campaign.phase == CampaignPhase.CLOSED
            assert campaign.federation_id == centre.federation_id
            assert campaign.created_at < campaign.individual_closed_at < campaign.closed_at < now
            assert campaign.created_at.year == campaign.year
            chars = campaign_characteristics(campaign)
            assert len(chars) == 15  # the three SI dimensions of the HAS matrix
            assert set(campaign.axes.values_list("code", flat=True)) == {"systeme-information"}
            assert set(campaign.invitations.values_list("membership_id", flat=True)) == people
            ratings = set(
                Rating.objects.filter(campaign=campaign).values_list(
                    "membership_id", "characteristic_id"
                )
            )
            assert ratings == {(m, c) for m in people for c in chars}
            assert Rating.objects.filter(campaign=campaign).count() == len(people) * 15
            assert (
                set(
                    Consensus.objects.filter(campaign=campaign).values_list(
                        "characteristic_id", flat=True
                    )
                )
                == chars
            )
            positionings = list(DimensionPositioning.objects.filter(campaign=campaign))
            assert {p.dimension_id for p in positionings} == set(
                campaign.dimensions.values_list("pk", flat=True)
            )
            assert all(
                p.target_level is not None and p.target_level >= p.level for p in positionings
            )
            actions = list(Action.objects.filter(campaign=campaign))
            assert 2 <= len(actions) <= 5
            assert all(a.responsible_id in people for a in actions)
            # What campaign_close would refuse never happens: nothing left to position.
            assert Participant.objects.filter(campaign=campaign).count() == len(people)
    # Values on the framework's scale; the team mostly agrees with its consensus, not always.
    codes = {"non", "en-partie", "oui"}
    assert set(Rating.objects.values_list("value", flat=True).distinct()) == codes
    consensus = {
        (cid, ch): v
        for cid, ch, v in Consensus.objects.values_list("campaign_id", "characteristic_id", "value")
    }
    agree = Counter(
        consensus[(cid, ch)] == v
        for cid, ch, v in Rating.objects.values_list("campaign_id", "characteristic_id", "value")
    )
    assert 0.6 < agree[True] / (agree[True] + agree[False]) < 0.97
    # The later campaign shows progress over the earlier one (over the MSPs).
    score = {"non": 0, "en-partie": 0.5, "oui": 1}
    by_year = defaultdict(list)
    for v, y in Consensus.objects.values_list("value", "campaign__year"):
        by_year[y].append(score[v])
    assert sum(by_year[year - 1]) / len(by_year[year - 1]) > (
        sum(by_year[year - 2]) / len(by_year[year - 2])
    )
    # An action plan with done and overdue actions.
    assert Action.objects.filter(status=ActionStatus.DONE).exists()
    overdue = Action.objects.filter(
        deadline__lt=ctx.today, status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]
    )
    assert overdue.exists()
    assert Action.objects.filter(deadline__gte=ctx.today).exists()
    # The benchmark's campaign is the one with the most ratings.
    most = (
        Campaign.objects.annotate(n=Count("ratings"))
        .order_by("-n", "pk")
        .values_list("n", flat=True)
    )
    largest = Campaign.objects.annotate(n=Count("ratings")).get(pk=ctx.shared["largest_campaign"])
    assert largest.n == most[0]


def digest() -> str:
    """The generated maturity rows, ids and timestamps left out (people named by their MSP
    and rank, campaigns by MSP and year)."""
    member_key: dict[int, tuple] = {}
    user_key: dict[int, tuple] = {}
    rank: Counter = Counter()
    rows = Membership.objects.filter(health_centre__isnull=False).order_by("pk")
    for pk, user_id, centre in rows.values_list("pk", "user_id", "health_centre__name"):
        member_key[pk] = user_key[user_id] = (centre, rank[centre])
        rank[centre] += 1
    campaign_key = {
        pk: (centre, year)
        for pk, centre, year in Campaign.objects.values_list("pk", "health_centre__name", "year")
    }
    out = []
    for c in Campaign.objects.prefetch_related("axes", "dimensions").select_related("framework"):
        out.append(
            (
                "campaign",
                campaign_key[c.pk],
                c.phase,
                c.framework.code,
                c.framework.version,
                sorted(a.code for a in c.axes.all()),
                sorted(d.code for d in c.dimensions.all()),
                user_key.get(c.opened_by_id),
            )
        )
    for cid, mid, reminded in Participant.objects.values_list(
        "campaign_id", "membership_id", "reminded_at"
    ):
        out.append(("participant", campaign_key[cid], member_key[mid], reminded is None))
    for cid, mid, code, value, comment in Rating.objects.values_list(
        "campaign_id", "membership_id", "characteristic__code", "value", "comment"
    ):
        out.append(("rating", campaign_key[cid], member_key[mid], code, value, comment))
    for cid, code, value, comment, version, by in Consensus.objects.values_list(
        "campaign_id", "characteristic__code", "value", "comment", "version", "updated_by_id"
    ):
        out.append(("consensus", campaign_key[cid], code, value, comment, version, user_key[by]))
    for cid, code, level, target, comment in DimensionPositioning.objects.values_list(
        "campaign_id", "dimension__code", "level", "target_level", "comment"
    ):
        out.append(("positioning", campaign_key[cid], code, level, target, comment))
    for row in Action.objects.values_list(
        "campaign_id",
        "dimension__code",
        "objective",
        "responsible_id",
        "deadline",
        "indicator",
        "means",
        "status",
        "created_by_id",
    ):
        cid, code, objective, responsible, deadline, indicator, means, status, by = row
        out.append(
            (
                "action",
                campaign_key[cid],
                code,
                objective,
                member_key[responsible],
                deadline.isoformat(),
                indicator,
                means,
                status,
                user_key[by],
            )  # fmt: skip
        )
    return hashlib.sha256(repr(sorted(out, key=repr)).encode()).hexdigest()


def run_and_digest(seed: int) -> tuple[str, int]:
    with transaction.atomic():
        generate(sizes=SMALL, seed=seed, log=quiet)
        result = digest(), Rating.objects.count()
        transaction.set_rollback(True)
    return result


def test_same_seed_same_campaigns(reference_data) -> None:  # noqa: ANN001
    first, n = run_and_digest(3)
    assert n > 0 and not Campaign.objects.exists()
    again, _ = run_and_digest(3)
    other, _ = run_and_digest(4)
    assert again == first
    assert other != first


def test_grow_mode_only_touches_the_new_msps(world) -> None:  # noqa: ANN001
    # Federation A completed the framework with a dimension of its own: campaign_open rates it
    # in A's campaigns, never in B's.
    own = world.objects["maturity_fed_dimension"]
    for text in ("Une réunion de concertation a lieu chaque mois.", "Un compte rendu est tenu."):
        services.characteristic_add(
            actor=world.users["staff_a"], federation=world.federation_a, dimension=own, text=text
        )
    before = {
        c.pk: (c.phase, c.year, c.invitations.count(), c.ratings.count(), c.actions.count())
        for c in Campaign.objects.all()
    }
    assert before
    ctx = generate(
        sizes=Sizes(
            federations=2,
            centres=4,
            members=16,
            projects=0,
            campaigns_per_centre=2,
            software=2,
            user_groups=0,
            sessions=0,
            feedback=0,
        ),
        seed=5,
        federations=[world.federation_a, world.federation_b],
        log=quiet,
    )
    new_centres = {c.pk for c in ctx.centres}
    assert len(new_centres) == 4
    after = Campaign.objects.exclude(pk__in=before)
    assert after.count() == 8
    assert set(after.values_list("health_centre_id", flat=True)) == new_centres
    for c in Campaign.objects.filter(pk__in=before):
        assert (
            c.phase,
            c.year,
            c.invitations.count(),
            c.ratings.count(),
            c.actions.count(),
        ) == before[c.pk]
    old_ids = list(before)
    assert not Rating.objects.filter(campaign_id__in=old_ids).exists()
    for campaign in after.select_related("health_centre"):
        centre = campaign.health_centre
        assert campaign.federation_id == centre.federation_id
        dims = set(campaign.dimensions.values_list("pk", flat=True))
        if centre.federation_id == world.federation_a.pk:
            assert own.pk in dims
            assert len(campaign_characteristics(campaign)) == 17
        else:
            assert own.pk not in dims
            assert len(campaign_characteristics(campaign)) == 15
        # The dimension without characteristics (nothing to rate) is never part of a campaign.
        assert dims <= set(Characteristic.objects.values_list("dimension_id", flat=True).distinct())
        people = set(
            Membership.objects.filter(health_centre=centre, role__in=MSP_ROLES).values_list(
                "pk", flat=True
            )
        )
        assert set(campaign.invitations.values_list("membership_id", flat=True)) == people
        assert set(campaign.ratings.values_list("membership_id", flat=True)) == people
        assert set(campaign.actions.values_list("responsible_id", flat=True)) <= people
    assert ctx.shared["largest_campaign"] in set(after.values_list("pk", flat=True))


def count(pattern: str, html: str) -> int:
    return len(re.findall(pattern, html))


def test_the_pages_render_the_generated_campaigns(reference_data) -> None:  # noqa: ANN001
    # One federation of six MSPs: enough peers (five) for the federation median.
    sizes = Sizes(
        federations=1,
        centres=6,
        members=60,
        projects=6,
        campaigns_per_centre=2,
        software=5,
        user_groups=0,
        sessions=0,
        feedback=0,
    )
    ctx = generate(sizes=sizes, seed=3, log=quiet)
    federation = ctx.federations[0]
    slug = federation.slug
    staff = Client()
    staff.force_login(ctx.staff[federation.pk][0].user)
    year = ctx.today.year

    listing = staff.get(reverse("maturity:campaigns", args=[slug]))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert count(r'class="badge ok">Clôturée<', html) == 12

    campaign = (
        Campaign.objects.filter(federation=federation, year=year - 1)
        .select_related("health_centre")
        .order_by("pk")
        .first()
    )
    n_people = campaign.invitations.count()
    n_actions = campaign.actions.count()
    detail = staff.get(reverse("maturity:campaign", args=[slug, campaign.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert f"{n_people} membre(s) sur {n_people} ont répondu à tout." in html
    assert count(r">15 / 15 <span class=\"badge ok\">complet<", html) == n_people
    assert count(rf"Plan d\S+actions \({n_actions} actions\)", html) == 1
    assert f"Rappel de la campagne {year - 2}" in html

    consensus = staff.get(reverse("maturity:consensus", args=[slug, campaign.pk]))
    assert consensus.status_code == 200
    html = consensus.content.decode()
    assert count(rf"Équipe \({n_people} réponses\)", html) == 15
    assert count(r"<strong>Consensus :</strong>", html) == 15
    assert count(r"<strong>Positionnement :</strong>", html) == 3
    assert "Enregistrer le consensus" not in html  # closed: read only

    results = staff.get(reverse("maturity:results", args=[slug, campaign.pk]))
    assert results.status_code == 200
    html = results.content.decode()
    assert f"Comparaison avec la campagne {year - 2}" in html
    assert f"Score {year - 2}" in html
    assert "Médiane calculée sur 6 MSP" in html
    assert count(r'data-label="Évolution">[+-]?\d+ pts<', html) == 3
    assert "<svg" in html

    actions = staff.get(reverse("maturity:actions", args=[slug, campaign.pk]))
    assert actions.status_code == 200

    largest = staff.get(reverse("maturity:consensus", args=[slug, ctx.shared["largest_campaign"]]))
    assert largest.status_code == 200

    # The DIM's home page lists the overdue actions of the MSPs they follow.
    dim = Client()
    dim.force_login(ctx.dims[federation.pk][0].user)
    home = dim.get(reverse("federations:home", args=[slug]))
    assert home.status_code == 200
    overdue = Action.objects.filter(
        federation=federation,
        deadline__lt=ctx.today,
        status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS],
    )
    assert overdue.exists()
    assert escape(overdue.order_by("deadline", "pk").first().objective) in home.content.decode()
