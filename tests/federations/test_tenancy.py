"""Tenancy proofs: unknown federations and other tenants' objects answer 404, never data, never
a 500 — on pages and on the API. Navigation follows the role. French first, English on demand."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/inconnue/",
        "/inconnue/msp/",
        "/inconnue/msp/nouvelle/",
        "/inconnue/personnes/",
        "/inconnue/personnes/1/",
        "/inconnue/journal/",
        "/api/v1/federations/inconnue/msp/",
        "/api/v1/federations/inconnue/msp/1/",
    ],
)
def test_unknown_federation_slug_answers_404(world, url: str) -> None:
    for role in ("staff_a", "member_a", "vendor_x", "operator"):
        assert client_for(world, role).get(url).status_code == 404, (role, url)


def test_another_federation_is_as_unknown_as_a_missing_one(world) -> None:
    staff_b = client_for(world, "staff_b")
    for url in ["/alpha/", "/alpha/personnes/", "/api/v1/federations/alpha/msp/"]:
        assert staff_b.get(url).status_code == 404, url
    # The same error page for both: nothing tells that "alpha" exists.
    page = staff_b.get("/alpha/").content.decode()
    assert "Page introuvable" in page
    assert "Fédération Alpha" not in page


def test_another_tenants_object_id_answers_404(world) -> None:
    staff_a = client_for(world, "staff_a")
    foreign_membership = world.memberships["member_b"].pk
    assert staff_a.get(f"/alpha/personnes/{foreign_membership}/").status_code == 404
    response = staff_a.post(
        f"/alpha/personnes/{foreign_membership}/", {"role": "staff", "profession": ""}
    )
    assert response.status_code == 404
    world.memberships["member_b"].refresh_from_db()
    assert world.memberships["member_b"].role == "member"  # nothing written
    assert staff_a.get(f"/api/v1/federations/alpha/msp/{world.centre_b.pk}/").status_code == 404
    # Inside one federation, an MSP member does not see another MSP, nor a DIM an MSP not
    # assigned to them.
    assert (
        client_for(world, "member_a")
        .get(f"/api/v1/federations/alpha/msp/{world.centre_a2.pk}/")
        .status_code
        == 404
    )
    dim = client_for(world, "dim_a")
    assert dim.get(f"/api/v1/federations/alpha/msp/{world.centre_a2.pk}/").status_code == 404
    assert dim.get(f"/api/v1/federations/alpha/msp/{world.centre_a.pk}/").status_code == 200


def test_garbage_in_urls_never_answers_500(world) -> None:
    staff_a = client_for(world, "staff_a")
    for url in [
        "/alpha/personnes/999999999999999999999/",
        "/alpha/personnes/abc/",
        "/alpha/msp/?page=abc",
        "/alpha/journal/?page=-3",
        "/api/v1/federations/alpha/msp/?page=9999",
        "/api/v1/federations/alpha/msp/99999999999999999999/",
        "/invitation/pas-un-jeton/",
        "/%C3%A9t%C3%A9/",
    ]:
        assert staff_a.get(url).status_code < 500, url


def test_api_lists_only_what_the_role_may_see(world) -> None:
    def names(role: str) -> list[str]:
        data = client_for(world, role).get("/api/v1/federations/alpha/msp/").json()
        return [c["name"] for c in data["results"]]

    assert names("staff_a") == ["MSP Alpha 1", "MSP Alpha 2"]
    assert names("dim_a") == ["MSP Alpha 1"]
    assert names("member_a2") == ["MSP Alpha 2"]
    me = client_for(world, "coordinator_a").get("/api/v1/me/").json()
    assert me["memberships"] == [
        {
            "federation": "alpha",
            "role": "coordinator",
            "health_centre": world.centre_a.pk,
            "profession": "medecin_generaliste",
        }
    ]
    feds = client_for(world, "staff_b").get("/api/v1/federations/").json()
    assert [f["slug"] for f in feds["results"]] == ["beta"]


def test_openapi_schema_documents_the_federation_endpoints(world) -> None:
    response = client_for(world, "member_a").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/me/",
        "/api/v1/federations/",
        "/api/v1/federations/{federation_slug}/msp/",
        "/api/v1/federations/{federation_slug}/msp/{id}/",
    ]:
        assert path in paths, path
    assert "TokenAuth" in str(response.json()["components"]["securitySchemes"]) or (
        "tokenAuth" in response.json()["components"]["securitySchemes"]
    )


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("staff_a", {"MSP", "Personnes", "Journal", "Paramètres"}, set()),
        ("dim_a", {"MSP"}, {"Personnes", "Journal", "Paramètres"}),
        ("coordinator_a", {"MSP"}, {"Personnes", "Journal", "Paramètres"}),
        ("member_a", {"MSP"}, {"Personnes", "Journal", "Paramètres"}),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(world, role, visible, hidden) -> None:
    response = client_for(world, role).get("/alpha/")
    labels = {item["label"] for item in response.context["nav_items"]}
    assert visible <= labels
    assert not (hidden & labels)
    # …and each link shown is one the role may open.
    client = client_for(world, role)
    for item in response.context["nav_items"]:
        assert client.get(item["url"]).status_code == 200, item


def test_french_by_default_and_english_after_switching(world) -> None:
    client = client_for(world, "coordinator_a")
    page = client.get("/alpha/")
    assert '<html lang="fr">' in page.content.decode()
    assert "Vous pilotez le projet" in page.content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/alpha/"})
    assert response.status_code == 302
    page = client.get("/alpha/").content.decode()
    assert '<html lang="en">' in page
    assert "Hello" in page and "Sign out" in page
    assert "Vous pilotez le projet" not in page


def test_a_person_of_two_federations_switches_between_them(world) -> None:
    from federations.models import Membership
    from federations.roles import Role

    user = world.users["dim_a"]
    Membership.objects.create(user=user, federation=world.federation_b, role=Role.DIM)
    client = client_for(world, "dim_a")
    home_a = client.get("/alpha/").content.decode()
    assert "Changer de fédération" in home_a
    switch = client.get(reverse("federation_switch")).content.decode()
    assert "Fédération Alpha" in switch and "Fédération Bêta" in switch
    assert client.get("/beta/").status_code == 200
    # The root sends them back to the federation they used last.
    assert client.get("/")["Location"] == "/beta/"
    # Someone with one federation is not offered to switch.
    assert (
        "Changer de fédération" not in client_for(world, "member_a").get("/alpha/").content.decode()
    )


def test_a_page_and_an_api_call_read_the_memberships_once(world) -> None:
    """The two-factor check of every request and the tenant resolution share one query of the
    person's memberships (a page costs it once, whatever the number of checks)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def membership_queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return sum(
            1
            for q in ctx.captured_queries
            if 'FROM "federations_membership"' in q["sql"] and "user_id" in q["sql"]
        )

    staff_a = client_for(world, "staff_a")
    assert membership_queries(staff_a, "/alpha/journal/") == 1
    assert membership_queries(staff_a, "/api/v1/federations/alpha/msp/") == 1


def test_two_factor_becomes_mandatory_on_the_next_request(world) -> None:
    """The memberships are read again for every request: a federation that makes two-factor
    authentication mandatory stops its staff at their next page."""
    staff_a = client_for(world, "staff_a")
    assert staff_a.get("/alpha/journal/").status_code == 200
    world.federation_a.staff_mfa_required = True
    world.federation_a.save(update_fields=["staff_mfa_required"])
    response = staff_a.get("/alpha/journal/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
