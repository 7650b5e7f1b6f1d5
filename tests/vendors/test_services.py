"""Facts, corrections and peer ratings: the rules a user would check."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.vendors.factories import capability, fact, labelled
from tests.vendors.world import deploy
from vendors import selectors, services
from vendors.models import CorrectionProposal, Fact, PeerRating

pytestmark = pytest.mark.django_db

SCORES = {
    "ergonomics": 4,
    "billing": 2,
    "hotline": 3,
    "training": 5,
    "data_migration": 3,
    "transparency": 1,
}


def test_facts_keep_source_date_and_history(world) -> None:  # noqa: ANN001
    sw = world.software_x
    fact(sw, "4500", key="cost_initial")
    services.fact_record(
        actor=world.users["staff_a"],
        software=sw,
        source="verified",
        key="cost_initial",
        value="5 200",
    )
    current = selectors.current_facts([sw.pk])[sw.pk]["cost_initial"]
    assert current.value == "5200" and current.source == "verified"
    assert selectors.display_value(current) == "5\xa0200 €"
    assert [f.value for f in selectors.fact_history(sw)] == ["5200", "4500"]


def test_fact_values_are_checked(world) -> None:  # noqa: ANN001
    cap = capability("facturation-infirmier", "infirmier")
    with pytest.raises(ValidationError):
        services.fact_record(
            actor=None,
            software=world.software_x,
            source="declared",
            capability=cap,
            value="peut-être",
        )
    with pytest.raises(ValidationError):
        services.fact_record(
            actor=None, software=world.software_x, source="declared", key="cost_monthly", value="-3"
        )
    f = services.fact_record(
        actor=None, software=world.software_x, source="reported", capability=cap, value="en partie"
    )
    assert f.value == "partial"
    assert Fact.objects.count() == 1


def test_vendor_corrects_own_product_and_staff_accepts(world) -> None:  # noqa: ANN001
    sw = world.software_x
    fact(sw, "Jours ouvrés", key="hotline")
    proposal = services.correction_propose(
        actor=world.users["vendor_x"], software=sw, key="hotline", value="Du lundi au samedi"
    )
    assert proposal.previous_value == "Jours ouvrés"
    services.correction_decide(actor=world.users["staff_a"], proposal=proposal, accept=True)
    current = selectors.current_facts([sw.pk])[sw.pk]["hotline"]
    assert current.value == "Du lundi au samedi" and current.source == "declared"
    assert len(selectors.fact_history(sw)) == 2  # the old value is kept
    with pytest.raises(ValidationError):
        services.correction_decide(
            actor=world.users["staff_a"], proposal=proposal, accept=False, comment="x"
        )


def test_rejection_needs_a_reason_and_changes_no_fact(world) -> None:  # noqa: ANN001
    proposal = services.correction_propose(
        actor=world.users["vendor_x"], software=world.software_x, key="hotline", value="24 h / 24"
    )
    with pytest.raises(ValidationError):
        services.correction_decide(actor=world.users["staff_a"], proposal=proposal, accept=False)
    services.correction_decide(
        actor=world.users["staff_a"], proposal=proposal, accept=False, comment="Non vérifiable."
    )
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.decision_comment == "Non vérifiable."
    assert not Fact.objects.exists()


def test_vendor_cannot_correct_another_vendors_product(world) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        services.correction_propose(
            actor=world.users["vendor_y"], software=world.software_x, key="hotline", value="x"
        )
    assert not CorrectionProposal.objects.filter(value="x").exists()


def test_only_members_of_a_deployed_msp_rate(world) -> None:  # noqa: ANN001
    member = world.memberships["member_a"]
    with pytest.raises(PermissionDenied):  # chosen but not deployed yet
        services.rating_submit(
            actor=member.user, membership=member, software=world.software_y, scores=SCORES
        )
    deploy(world)
    PeerRating.objects.all().delete()
    rating = services.rating_submit(
        actor=member.user, membership=member, software=world.software_x, scores=SCORES
    )
    assert rating.profession == "infirmier" and rating.status == "pending"
    other = world.memberships["member_a2"]  # another MSP, nothing deployed
    with pytest.raises(PermissionDenied):
        services.rating_submit(
            actor=other.user, membership=other, software=world.software_x, scores=SCORES
        )


def test_a_rating_out_of_range_is_refused_and_nothing_is_written(world) -> None:  # noqa: ANN001
    deploy(world)
    PeerRating.objects.all().delete()
    member = world.memberships["member_a"]
    with pytest.raises(ValidationError) as exc:
        services.rating_submit(
            actor=member.user,
            membership=member,
            software=world.software_x,
            scores={**SCORES, "billing": 6},
        )
    assert "billing" in exc.value.message_dict
    assert not PeerRating.objects.exists()


def _rate(world, n: int, profession: str = "infirmier", status: str = "published") -> None:  # noqa: ANN001
    from tests.factories import UserFactory

    for i in range(n):
        PeerRating.objects.create(
            federation=world.federation_a,
            health_centre=world.centre_a,
            software=world.software_y,
            author=UserFactory(),
            profession=profession,
            status=status,
            **{**SCORES, "ergonomics": 2 + i % 3},
        )


def test_aggregates_need_the_minimum_number_of_answers(world, settings) -> None:  # noqa: ANN001
    settings.VENDORS_MIN_RATINGS = 3
    _rate(world, 2)
    _rate(world, 5, status="pending")  # not published: never counted
    agg = selectors.rating_aggregates([world.software_y.pk])[world.software_y.pk]
    assert agg[""].count == 2 and not agg[""].shown and agg[""].averages["ergonomics"] is None
    _rate(world, 1)
    _rate(world, 1, profession="medecin_generaliste")
    agg = selectors.rating_aggregates([world.software_y.pk])[world.software_y.pk]
    assert agg[""].count == 4 and agg[""].shown
    assert agg["infirmier"].shown and agg["infirmier"].averages["ergonomics"] == pytest.approx(
        7 / 3
    )
    assert not agg["medecin_generaliste"].shown  # one GP: their rating cannot be read back


def test_moderation_publishes_and_stays_in_the_federation(world) -> None:  # noqa: ANN001
    rating = world.objects["rating"]
    with pytest.raises(PermissionDenied):
        services.rating_moderate(
            actor=world.users["staff_b"],
            membership=world.memberships["staff_b"],
            rating=rating,
            publish=True,
        )
    services.rating_moderate(
        actor=world.users["staff_a"],
        membership=world.memberships["staff_a"],
        rating=rating,
        publish=True,
    )
    rating.refresh_from_db()
    assert rating.status == "published" and rating.moderated_by == world.users["staff_a"]


@pytest.mark.parametrize("slugs", [["logiciel-x"], ["a", "b", "c", "d", "e"]])
def test_comparison_needs_two_to_four_products(world, slugs) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError):
        services.comparison_check(slugs)


def test_label_level_follows_the_valid_label() -> None:
    sw = labelled("produit", level="avance")
    assert sw.label_level == "avance"
    lr = sw.labels.get()
    lr.status = "withdrawn"
    lr.save()
    from vendors.reference import sync_label_level

    sync_label_level(sw)
    sw.refresh_from_db()
    assert sw.label_level == ""
    assert date(2017, 1, 1) == lr.labelled_on


def test_decisions_are_audited_with_readable_labels(world) -> None:  # noqa: ANN001
    from federations.audit import verb_label
    from federations.models import AuditEvent

    services.correction_decide(
        actor=world.users["staff_a"],
        proposal=world.objects["correction"],
        accept=True,
        federation=world.federation_a,
    )
    event = AuditEvent.objects.get(verb="vendors.correction_accepted")
    assert event.federation == world.federation_a and event.actor == world.users["staff_a"]
    assert verb_label(event.verb) == "Correction d'un éditeur acceptée"
