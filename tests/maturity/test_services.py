"""Campaigns, ratings, consensus and positioning: the rules of the services."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from federations.roles import Role
from maturity import services
from maturity.models import (
    Campaign,
    CampaignPhase,
    Consensus,
    DimensionPositioning,
    Rating,
)
from tests.factories import MembershipFactory
from tests.maturity.world import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_campaign_yet(world) -> None:  # noqa: ANN001
    """These tests open their own campaigns in MSP A1."""
    Campaign.objects.filter(health_centre=world.centre_a).delete()


def open_campaign(world, framework, *, year=2026, axes=None, invitees=None):  # noqa: ANN001, ANN201
    return services.campaign_open(
        actor=world.users["coordinator_a"],
        federation=world.federation_a,
        health_centre=world.centre_a,
        framework=framework,
        year=year,
        axes=axes if axes is not None else [framework.axes.get(code="systeme-information")],
        invitees=invitees
        if invitees is not None
        else [world.memberships["coordinator_a"], world.memberships["member_a"]],
        url_builder=lambda c: f"https://capsi.test/alpha/maturite/{c.pk}/repondre/",
    )


def test_opening_a_campaign_invites_the_members_by_email(
    world,
    framework,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        campaign = open_campaign(world, framework)
    assert campaign.phase == CampaignPhase.INDIVIDUAL
    assert campaign.dimensions.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["charlie@alpha.test", "dana@alpha.test"]
    assert f"/alpha/maturite/{campaign.pk}/repondre/" in mail.outbox[0].body
    assert "non, en partie ou oui" in mail.outbox[0].body


def test_only_one_campaign_at_a_time_and_only_members_of_the_msp(world, framework) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError, match="membres de la MSP"):
        open_campaign(world, framework, invitees=[world.memberships["member_a2"]])
    with pytest.raises(ValidationError, match="Invitez au moins"):
        open_campaign(world, framework, invitees=[])
    open_campaign(world, framework)
    with pytest.raises(ValidationError, match="déjà en cours"):
        open_campaign(world, framework)
    assert Campaign.objects.count() == 1


def test_axes_without_dimensions_cannot_be_rated(world, framework) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError, match="aucune dimension"):
        open_campaign(world, framework, axes=[framework.axes.get(code="travail-equipe")])
    assert not Campaign.objects.exists()


def test_federation_dimensions_join_new_campaigns_only(world, framework) -> None:  # noqa: ANN001
    first = open_campaign(world, framework, axes=[])  # every axis
    assert first.dimensions.count() == 3
    axis = framework.axes.get(code="travail-equipe")
    dim = services.dimension_add(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        axis=axis,
        name="Concertation pluriprofessionnelle",
        characteristics=["L'équipe se réunit chaque mois.", ""],
    )
    assert dim.characteristics.count() == 1
    assert first.dimensions.count() == 3  # the open campaign is not rewritten
    first.phase = CampaignPhase.CLOSED
    first.save()
    second = open_campaign(world, framework, axes=[], year=2027)
    assert second.dimensions.filter(pk=dim.pk).exists()
    # Federation B's campaigns never see A's addition.
    assert not services.campaign_dimensions(
        framework=framework, federation=world.federation_b, axes=[axis]
    ).exists()
    # Once rated, a federation dimension is frozen: no characteristic may be added.
    with pytest.raises(ValidationError, match="déjà évaluée"):
        services.characteristic_add(
            actor=world.users["staff_a"], federation=world.federation_a, dimension=dim, text="x"
        )
    with pytest.raises(ValidationError, match="votre fédération"):
        services.characteristic_add(
            actor=world.users["staff_b"],
            federation=world.federation_b,
            dimension=dim,
            text="x",
        )


def test_rating_rules(world, framework, si_characteristics) -> None:  # noqa: ANN001
    campaign = open_campaign(world, framework)
    dana = world.memberships["member_a"]
    c = si_characteristics[0]
    with pytest.raises(ValidationError, match="hors échelle"):
        services.rating_save(
            actor=dana.user, membership=dana, campaign=campaign, characteristic=c, value="peut-être"
        )
    assert not Rating.objects.exists()
    with pytest.raises(ValidationError, match="pas invité"):
        services.rating_save(
            actor=None,
            membership=world.memberships["member_a2"],
            campaign=campaign,
            characteristic=c,
            value="oui",
        )
    services.rating_save(
        actor=dana.user, membership=dana, campaign=campaign, characteristic=c, value="non"
    )
    services.rating_save(
        actor=dana.user,
        membership=dana,
        campaign=campaign,
        characteristic=c,
        value="en-partie",
        comment="Messagerie installée chez les médecins seulement",
    )
    rating = Rating.objects.get()
    assert (rating.value, rating.comment) == (
        "en-partie",
        "Messagerie installée chez les médecins seulement",
    )
    services.campaign_close_individual(actor=world.users["coordinator_a"], campaign=campaign)
    with pytest.raises(ValidationError, match="phase individuelle est close"):
        services.rating_save(
            actor=dana.user, membership=dana, campaign=campaign, characteristic=c, value="oui"
        )
    assert Rating.objects.get().value == "en-partie"


def test_a_characteristic_outside_the_campaign_is_refused(world, framework) -> None:  # noqa: ANN001
    campaign = open_campaign(world, framework)
    dim = services.dimension_add(
        actor=None,
        federation=world.federation_a,
        axis=framework.axes.get(code="implication-patients"),
        name="Ajout",
        characteristics=["Texte"],
    )
    dana = world.memberships["member_a"]
    with pytest.raises(ValidationError, match="ne fait pas partie"):
        services.rating_save(
            actor=None,
            membership=dana,
            campaign=campaign,
            characteristic=dim.characteristics.get(),
            value="oui",
        )


def test_remind_writes_to_those_who_have_not_finished(
    world,
    framework,
    si_characteristics,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    campaign = open_campaign(world, framework)
    charlie = world.memberships["coordinator_a"]
    for c in si_characteristics:
        services.rating_save(
            actor=None, membership=charlie, campaign=campaign, characteristic=c, value="oui"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        n = services.campaign_remind(actor=charlie.user, campaign=campaign, url="https://x.test/")
    assert n == 1
    assert [m.to for m in mail.outbox] == [["dana@alpha.test"]]
    assert "Rappel" in mail.outbox[0].subject


def test_closing_the_individual_phase_needs_an_answer(world, framework) -> None:  # noqa: ANN001
    campaign = open_campaign(world, framework)
    with pytest.raises(ValidationError, match="Personne n'a encore répondu"):
        services.campaign_close_individual(actor=None, campaign=campaign)


def test_consensus_compare_and_set(world, framework, si_characteristics) -> None:  # noqa: ANN001
    campaign = make_campaign(
        federation=world.federation_a,
        centre=world.centre_a,
        framework=framework,
        year=2026,
        phase=CampaignPhase.CONSENSUS,
    )
    c = si_characteristics[0]
    charlie, bob = world.users["coordinator_a"], world.users["dim_a"]
    first = services.consensus_record(
        actor=charlie, campaign=campaign, characteristic=c, value="oui", expected_version=0
    )
    assert first.version == 1
    # Bob loaded the page before Charlie saved: his write is refused, nothing is overwritten.
    with pytest.raises(services.StaleWrite) as exc:
        services.consensus_record(
            actor=bob, campaign=campaign, characteristic=c, value="non", expected_version=0
        )
    assert exc.value.current.value == "oui"
    second = services.consensus_record(
        actor=bob, campaign=campaign, characteristic=c, value="en-partie", expected_version=1
    )
    assert second.version == 2
    with pytest.raises(services.StaleWrite):
        services.consensus_record(
            actor=charlie, campaign=campaign, characteristic=c, value="non", expected_version=1
        )
    assert Consensus.objects.get().value == "en-partie"
    with pytest.raises(ValidationError, match="hors échelle"):
        services.consensus_record(
            actor=charlie, campaign=campaign, characteristic=c, value="bof", expected_version=2
        )


def test_positioning_compare_and_set_and_closing(world, framework) -> None:  # noqa: ANN001
    campaign = make_campaign(
        federation=world.federation_a,
        centre=world.centre_a,
        framework=framework,
        year=2026,
        phase=CampaignPhase.CONSENSUS,
    )
    dims = list(campaign.dimensions.order_by("position"))
    services.positioning_record(
        actor=None, campaign=campaign, dimension=dims[0], level=1, target_level=2
    )
    with pytest.raises(services.StaleWrite):
        services.positioning_record(actor=None, campaign=campaign, dimension=dims[0], level=3)
    with pytest.raises(ValidationError, match="hors échelle"):
        services.positioning_record(actor=None, campaign=campaign, dimension=dims[1], level=7)
    with pytest.raises(ValidationError, match="Gestion des données, Analyse des pratiques"):
        services.campaign_close(actor=None, campaign=campaign)
    for d in dims[1:]:
        services.positioning_record(actor=None, campaign=campaign, dimension=d, level=2)
    services.campaign_close(actor=None, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.phase == CampaignPhase.CLOSED
    assert DimensionPositioning.objects.get(dimension=dims[0]).target_level == 2
    with pytest.raises(ValidationError, match="phase de consensus"):
        services.positioning_record(
            actor=None, campaign=campaign, dimension=dims[0], level=3, expected_version=1
        )


def test_a_new_campaign_starts_blank(world, framework, si_characteristics) -> None:  # noqa: ANN001
    last_year = open_campaign(world, framework, year=2025)
    charlie = world.memberships["coordinator_a"]
    for c in si_characteristics:
        services.rating_save(
            actor=None, membership=charlie, campaign=last_year, characteristic=c, value="oui"
        )
    services.campaign_close_individual(actor=None, campaign=last_year)
    for c in si_characteristics:
        services.consensus_record(actor=None, campaign=last_year, characteristic=c, value="oui")
    for d in last_year.dimensions.all():
        services.positioning_record(
            actor=None, campaign=last_year, dimension=d, level=3, comment="Très bien"
        )
    services.campaign_close(actor=None, campaign=last_year)
    this_year = open_campaign(world, framework, year=2026)
    assert not Rating.objects.filter(campaign=this_year).exists()
    assert not Consensus.objects.filter(campaign=this_year).exists()
    assert not DimensionPositioning.objects.filter(campaign=this_year).exists()
    assert not this_year.actions.exists()
    assert Rating.objects.filter(campaign=last_year).count() == 15


def test_actions_link_only_to_the_msp(world, framework) -> None:  # noqa: ANN001
    from projects.models import Project, Task

    campaign = open_campaign(world, framework)
    other = MembershipFactory(
        federation=world.federation_a, role=Role.MEMBER, health_centre=world.centre_a2
    )
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=None, campaign=campaign, objective="Former l'équipe", responsible=other
        )
    assert "responsible" in exc.value.message_dict
    project_a2 = Project.objects.create(
        federation=world.federation_a, health_centre=world.centre_a2, title="Projet A2"
    )
    task_a2 = Task.objects.create(
        federation=world.federation_a, project=project_a2, step=1, title="Tâche A2"
    )
    with pytest.raises(ValidationError) as exc:
        services.action_create(
            actor=None, campaign=campaign, objective="Former l'équipe", task=task_a2
        )
    assert "task" in exc.value.message_dict
    # The projects world may already hold MSP A1's project (one project per MSP).
    project, _ = Project.objects.get_or_create(
        health_centre=world.centre_a, defaults={"federation": world.federation_a}
    )
    task = Task.objects.create(federation=world.federation_a, project=project, step=1, title="T")
    action = services.action_create(
        actor=None,
        campaign=campaign,
        objective="Former l'équipe à la messagerie sécurisée",
        responsible=world.memberships["member_a"],
        task=task,
    )
    assert action.task == task
