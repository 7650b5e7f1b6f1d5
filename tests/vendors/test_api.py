"""The catalogue API: readable by every signed-in user, in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.vendors.factories import capability, fact

pytestmark = pytest.mark.django_db


def test_catalogue_readable_by_vendor_users_and_members(world) -> None:  # noqa: ANN001
    for role in ("vendor_y", "member_b", "operator"):
        c = Client()
        c.force_login(world.users[role])
        r = c.get("/api/v1/logiciels/")
        assert r.status_code == 200
        slugs = (
            {s["slug"] for s in r.json()["results"]}
            if "results" in r.json()
            else {s["slug"] for s in r.json()}
        )
        assert {"logiciel-x", "logiciel-y"} <= slugs
    assert Client().get("/api/v1/logiciels/").status_code in (401, 403)


def test_characteristics_with_source_and_date(world) -> None:  # noqa: ANN001
    cap = capability("dmp")
    fact(world.software_x, "yes", capability=cap)
    fact(world.software_x, "90", key="cost_monthly", source="verified")
    c = Client()
    c.force_login(world.users["vendor_y"])
    data = c.get("/api/v1/logiciels/logiciel-x/").json()
    monthly = next(f for f in data["characteristics"] if f["subject"] == "cost_monthly")
    assert (
        monthly["value"] == "90"
        and monthly["source"] == "verified"
        and monthly["as_of"] == "2026-09-01"
    )
    dmp = next(f for f in data["capabilities"] if f["subject"] == "dmp")
    assert dmp["value"] == "yes"
    assert c.get("/api/v1/logiciels/inconnu/").status_code == 404


def test_comparison_api_and_its_errors(world) -> None:  # noqa: ANN001
    c = Client()
    c.force_login(world.users["member_a"])
    r = c.get("/api/v1/logiciels/comparaison/", {"logiciels": ["logiciel-x", "logiciel-y"]})
    assert r.status_code == 200
    body = r.json()
    assert body["software"] == ["logiciel-x", "logiciel-y"]
    assert any(row["label"] == "Éditeur" and row["differs"] for row in body["rows"])
    labels = {row["label"] for row in body["rows"]}
    assert "MSP l'ayant choisi (national)" in labels
    assert "MSP de la fédération l'ayant choisi" not in labels  # national: no federation
    r = c.get("/api/v1/logiciels/comparaison/", {"logiciels": ["logiciel-x"]})
    assert r.status_code == 400 and "au moins 2" in r.json()["logiciels"][0]
    r = c.get(
        "/api/v1/logiciels/comparaison/",
        {"logiciels": "logiciel-x,logiciel-y", "profession": "astronaute"},
    )
    assert r.status_code == 400 and "profession" in r.json()


def test_in_the_openapi_schema(world) -> None:  # noqa: ANN001
    c = Client()
    c.force_login(world.users["member_a"])
    schema = c.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/logiciels/",
        "/api/v1/logiciels/{slug}/",
        "/api/v1/logiciels/comparaison/",
    ):
        assert path in schema
