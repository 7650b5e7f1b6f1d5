"""The floor of the benchmark: 50 MSPs ordered by name, in one query, through the whole stack.
Its URL exists only in the benchmark's URLconf (bench.urls, used with config.settings.bench)."""

from __future__ import annotations

import re

import pytest
from django.test import modify_settings, override_settings

from tests.factories import FederationFactory, HealthCentreFactory


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
@modify_settings(INSTALLED_APPS={"append": "bench"})
def test_the_floor_renders_the_first_50_msps_by_name(client, django_assert_max_num_queries):
    federation = FederationFactory()
    for i in range(60):
        HealthCentreFactory(federation=federation, name=f"MSP {60 - i:03d}")
    with django_assert_max_num_queries(1):
        response = client.get("/_banc/plancher/")
    assert response.status_code == 200
    names = re.findall(r"<tr><td>(MSP \d+)</td>", response.content.decode())
    assert names == [f"MSP {n:03d}" for n in range(1, 51)]
    assert federation.name in response.content.decode()


@pytest.mark.django_db
def test_the_floor_is_not_part_of_the_site(client):
    assert client.get("/_banc/plancher/").status_code == 404
