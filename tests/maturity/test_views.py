"""Pages: rating as you go, privacy of individual answers, consensus conflicts, results."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maturity import services
from maturity.models import CampaignPhase, Consensus, Rating
from tests.maturity.world import make_campaign

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def url(name: str, *args) -> str:  # noqa: ANN002
    return reverse(f"maturity:{name}", args=["alpha", *args])


def test_a_member_rates_as_they_go_and_finds_the_answers_again(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    dana = client_for(world, "member_a")
    first, second = si_characteristics[:2]
    response = dana.post(
        url("rating_save", campaign.pk, first.pk),
        {"value": "en-partie", "comment": "Seulement le mardi"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Enregistré" in response.content.decode()
    response = dana.post(url("rating_save", campaign.pk, second.pk), {"value": "oui"})
    assert response.status_code == 302
    # The tab was closed; coming back shows the two answers already given.
    page = dana.get(url("rate", campaign.pk)).content.decode()
    assert f'id="v{first.pk}-en-partie" checked' in page
    assert f'id="v{second.pk}-oui" checked' in page
    assert "Seulement le mardi" in page
    assert "Déjà répondu : 2 sur 15" in page


def test_an_answer_outside_the_scale_is_refused_clearly(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    dana = client_for(world, "member_a")
    response = dana.post(
        url("rating_save", campaign.pk, si_characteristics[0].pk),
        {"value": "toujours"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "Réponse hors échelle" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_rating_after_the_phase_closed_is_refused(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    dana = client_for(world, "member_a")
    response = dana.post(
        url("rating_save", campaign.pk, si_characteristics[0].pk),
        {"value": "oui"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "phase individuelle est close" in response.content.decode()
    assert not Rating.objects.exists()


def test_individual_answers_stay_private_until_the_phase_closes(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    c = si_characteristics[0]
    services.rating_save(
        actor=None,
        membership=world.memberships["coordinator_a"],
        campaign=campaign,
        characteristic=c,
        value="oui",
        comment="Commentaire de Charlie",
    )
    for role in ("member_a", "coordinator_a", "dim_a", "staff_a"):
        page = client_for(world, role).get(url("consensus", campaign.pk)).content.decode()
        assert "restent privées" in page, role
        assert "Commentaire de Charlie" not in page
        assert "Équipe (1 réponse)" not in page
    # Dana's own page shows only her answers.
    page = client_for(world, "member_a").get(url("rate", campaign.pk)).content.decode()
    assert "Commentaire de Charlie" not in page
    assert f'id="v{c.pk}-oui" checked' not in page
    # The CSV export waits too.
    response = client_for(world, "coordinator_a").get(url("export", campaign.pk))
    assert response.status_code == 302
    # Nobody outside the MSP but its DIM and the staff: the other MSP's member gets 404.
    assert client_for(world, "member_a2").get(url("consensus", campaign.pk)).status_code == 404
    assert client_for(world, "member_a2").get(url("campaign", campaign.pk)).status_code == 404
    # After the individual phase: the team sees the distribution by profession.
    services.campaign_close_individual(actor=None, campaign=campaign)
    page = client_for(world, "member_a").get(url("consensus", campaign.pk)).content.decode()
    assert "Équipe (1 réponse)" in page
    assert "Médecin généraliste" in page
    csv = client_for(world, "coordinator_a").get(url("export", campaign.pk)).content.decode()
    assert "Commentaire de Charlie" in csv
    assert c.text in csv


def test_characteristics_are_ordered_by_disagreement(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    charlie, dana = world.memberships["coordinator_a"], world.memberships["member_a"]
    agreed, split = si_characteristics[0], si_characteristics[7]
    for m in (charlie, dana):
        services.rating_save(
            actor=None, membership=m, campaign=campaign, characteristic=agreed, value="oui"
        )
    services.rating_save(
        actor=None, membership=charlie, campaign=campaign, characteristic=split, value="oui"
    )
    services.rating_save(
        actor=None, membership=dana, campaign=campaign, characteristic=split, value="non"
    )
    services.campaign_close_individual(actor=None, campaign=campaign)
    page = client_for(world, "coordinator_a").get(url("consensus", campaign.pk)).content.decode()
    from django.utils.html import escape

    assert page.index(escape(split.text)) < page.index(escape(agreed.text))
    assert "avis très partagés" in page


def test_a_stale_consensus_is_refused_with_the_new_value(world, si_characteristics) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    c = si_characteristics[0]
    charlie, bob = client_for(world, "coordinator_a"), client_for(world, "dim_a")
    data = {f"c{c.pk}-value": "oui", f"c{c.pk}-comment": "", f"c{c.pk}-version": "0"}
    assert charlie.post(url("consensus_save", campaign.pk, c.pk), data).status_code == 302
    data[f"c{c.pk}-value"] = "non"
    response = bob.post(url("consensus_save", campaign.pk, c.pk), data, follow=True)
    page = response.content.decode()
    assert "a modifié ce consensus pendant que vous l&#x27;éditiez" in page
    assert "« oui »" in page
    assert Consensus.objects.get().value == "oui"


def test_results_show_the_radar_and_no_median_below_five_msps(world, framework) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign_consensus"]
    for d in campaign.dimensions.all():
        services.positioning_record(actor=None, campaign=campaign, dimension=d, level=2)
    page = client_for(world, "member_a").get(url("results", campaign.pk)).content.decode()
    assert "<svg" in page and "<polygon" in page
    assert "Partage de données" in page
    assert "Comparaison avec la fédération indisponible" in page
    assert "Médiane fédération" not in page


def test_pages_run_a_bounded_number_of_queries(
    world,
    framework,
    si_characteristics,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    from federations.models import Membership
    from federations.roles import Role
    from tests.factories import MembershipFactory

    members = [
        MembershipFactory(
            federation=world.federation_a,
            role=Role.MEMBER,
            health_centre=world.centre_a,
            profession=["infirmier", "pharmacien", "medecin_generaliste"][i % 3],
        )
        for i in range(30)
    ]
    campaign = make_campaign(
        federation=world.federation_a,
        centre=world.centre_a2,
        framework=framework,
        year=2024,
        members=[],
    )
    campaign.health_centre = world.centre_a
    campaign.save()
    for m in members:
        services_participant(campaign, m)
        for i, c in enumerate(si_characteristics):
            Rating.objects.create(
                federation=world.federation_a,
                campaign=campaign,
                membership=m,
                characteristic=c,
                value=["non", "en-partie", "oui"][(i + m.pk) % 3],
            )
    campaign.phase = CampaignPhase.CONSENSUS
    campaign.save()
    coordinator = client_for(world, "coordinator_a")
    assert Membership.objects.filter(health_centre=world.centre_a).count() >= 32
    for name in ("campaign", "consensus", "results", "actions", "export"):
        with django_assert_max_num_queries(30):
            response = coordinator.get(url(name, campaign.pk))
        assert response.status_code == 200, name
    with django_assert_max_num_queries(25):
        assert coordinator.get(url("campaigns")).status_code == 200
    with django_assert_max_num_queries(25):
        assert coordinator.get(reverse("federations:home", args=["alpha"])).status_code == 200


def services_participant(campaign, membership) -> None:  # noqa: ANN001
    from maturity.models import Participant

    Participant.objects.create(
        federation=campaign.federation, campaign=campaign, membership=membership
    )


def test_the_campaign_list_costs_the_same_for_many_msps(
    world,
    framework,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    from federations.models import HealthCentre

    for i in range(40):
        centre = HealthCentre.objects.create(federation=world.federation_a, name=f"MSP n°{i}")
        make_campaign(
            federation=world.federation_a,
            centre=centre,
            framework=framework,
            year=2025,
            phase=CampaignPhase.CLOSED,
        )
    staff = client_for(world, "staff_a")
    with django_assert_max_num_queries(20):
        response = staff.get(url("campaigns"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= 31  # header + one page of 30
    with django_assert_max_num_queries(20):
        assert staff.get(url("campaigns"), {"page": 2}).status_code == 200
    with django_assert_max_num_queries(20):
        assert staff.get("/api/v1/federations/alpha/maturite/campagnes/").status_code == 200


def test_the_dim_opens_a_campaign_for_an_assigned_msp_only(
    world,
    framework,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    from django.core import mail

    from maturity.models import Campaign

    Campaign.objects.filter(health_centre=world.centre_a).delete()
    bob = client_for(world, "dim_a")
    page = bob.get(url("campaign_create")).content.decode()
    assert "MSP Alpha 1" in page and "MSP Alpha 2" not in page
    si = framework.axes.get(code="systeme-information")
    data = {
        "health_centre": world.centre_a2.pk,
        "framework": framework.pk,
        "axes": [si.pk],
        "year": 2026,
        "invitees": [world.memberships["member_a2"].pk],
    }
    response = bob.post(url("campaign_create"), data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Campaign.objects.exists()
    data.update(health_centre=world.centre_a.pk, invitees=[world.memberships["member_a"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = bob.post(url("campaign_create"), data)
    campaign = Campaign.objects.get()
    assert response["Location"] == url("campaign", campaign.pk)
    assert [m.to for m in mail.outbox] == [["dana@alpha.test"]]
    assert f"/alpha/maturite/{campaign.pk}/repondre/" in mail.outbox[0].body


def test_the_rating_page_runs_a_bounded_number_of_queries(
    world,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    campaign = world.objects["maturity_campaign"]
    dana = client_for(world, "member_a")
    with django_assert_max_num_queries(20):
        assert dana.get(url("rate", campaign.pk)).status_code == 200
