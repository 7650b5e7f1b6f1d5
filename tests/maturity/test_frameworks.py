"""The framework editor (federation staff) and the demo data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maturity import selectors
from maturity.models import Campaign, CampaignPhase, Dimension, Rating

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def test_staff_add_a_dimension_for_their_federation(world) -> None:  # noqa: ANN001
    framework = world.objects["maturity_framework"]
    axis = framework.axes.get(code="implication-patients")
    url = reverse("maturity:framework", args=["alpha", framework.pk])
    response = client_for(world, "staff_a").post(
        url,
        {
            "axis": axis.pk,
            "name": "Expression des patients",
            "characteristics": "L'équipe recueille l'avis des patients.\n\n"
            "Un usager siège au comité.",
        },
    )
    assert response.status_code == 302
    dim = Dimension.objects.get(name="Expression des patients")
    assert dim.federation == world.federation_a
    assert list(dim.characteristics.values_list("text", flat=True)) == [
        "L'équipe recueille l'avis des patients.",
        "Un usager siège au comité.",
    ]
    assert "Expression des patients" in client_for(world, "member_a").get(url).content.decode()
    beta_url = reverse("maturity:framework", args=["beta", framework.pk])
    assert (
        "Expression des patients" not in client_for(world, "staff_b").get(beta_url).content.decode()
    )
    # A blank name is refused by field; the coordinator may not post at all.
    response = client_for(world, "staff_a").post(url, {"axis": axis.pk, "name": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert client_for(world, "coordinator_a").post(url, {"axis": axis.pk}).status_code == 404
    # Another federation's staff cannot touch A's dimension.
    add = reverse("maturity:characteristic_add", args=["beta", dim.pk])
    assert client_for(world, "staff_b").post(add, {"text": "x"}).status_code == 404


def test_framework_pages_run_a_bounded_number_of_queries(
    world,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    framework = world.objects["maturity_framework"]
    client = client_for(world, "staff_a")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("maturity:frameworks", args=["alpha"])).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("maturity:framework", args=["alpha", framework.pk])).status_code
            == 200
        )


def test_demo_data_is_idempotent_and_shows_the_median() -> None:
    call_command("load_reference", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    counts = (Campaign.objects.count(), Rating.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Campaign.objects.count(), Rating.objects.count()) == counts
    lille = Campaign.objects.filter(
        health_centre__name="Maison Dispersée de Santé de Lille Moulins"
    ).order_by("year")
    assert [c.phase for c in lille] == [CampaignPhase.CLOSED, CampaignPhase.INDIVIDUAL]
    current = lille.last()
    assert Rating.objects.filter(campaign=current).values("membership").distinct().count() == 4
    comparison = selectors.federation_comparison(campaign=lille.first())
    assert comparison.available and comparison.peers >= 5
    assert lille.first().actions.filter(deadline__isnull=False).exists()
