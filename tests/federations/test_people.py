"""Staff manage people: role changes and DIM assignments, written to the journal; lists stay
cheap in queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from federations.models import AuditEvent, HealthCentre, Membership
from federations.roles import Role
from tests.factories import HealthCentreFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def staff_client(world) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users["staff_a"])
    return client


def test_staff_promote_a_member_to_coordinator_and_the_journal_says_so(world) -> None:
    dana = world.memberships["member_a"]
    url = reverse("federations:member_edit", args=["alpha", dana.pk])
    client = staff_client(world)
    page = client.get(url).content.decode()
    assert 'for="id_role"' in page and 'id="id_role"' in page  # label tied to the input
    response = client.post(
        url,
        {"role": Role.COORDINATOR, "health_centre": world.centre_a.pk, "profession": "infirmier"},
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert dana.role == Role.COORDINATOR
    event = AuditEvent.objects.get(verb="role_changed", target="dana@alpha.test")
    assert event.federation == world.federation_a
    assert event.actor == world.users["staff_a"]
    journal = client.get(reverse("federations:audit", args=["alpha"])).content.decode()
    assert "Rôle modifié" in journal
    assert "Membre de MSP → Coordinateur / chef de projet MSP" in journal


def test_staff_assign_msps_to_a_dim_who_then_sees_them(world) -> None:
    bob = world.memberships["dim_a"]
    url = reverse("federations:member_edit", args=["alpha", bob.pk])
    response = staff_client(world).post(
        url,
        {
            "role": Role.DIM,
            "health_centre": "",
            "profession": "",
            "assigned_centres": [world.centre_a.pk, world.centre_a2.pk],
        },
    )
    assert response.status_code == 302
    assert set(bob.assigned_centres.all()) == {world.centre_a, world.centre_a2}
    event = AuditEvent.objects.get(verb="dim_assigned", target="bob@alpha.test")
    assert event.data["centres_names"] == ["MSP Alpha 1", "MSP Alpha 2"]
    dim = Client()
    dim.force_login(world.users["dim_a"])
    data = dim.get("/api/v1/federations/alpha/msp/").json()
    assert [c["name"] for c in data["results"]] == ["MSP Alpha 1", "MSP Alpha 2"]


def test_a_foreign_msp_cannot_be_assigned_and_nothing_is_written(world) -> None:
    bob = world.memberships["dim_a"]
    url = reverse("federations:member_edit", args=["alpha", bob.pk])
    response = staff_client(world).post(
        url,
        {"role": Role.DIM, "profession": "", "assigned_centres": [world.centre_b.pk]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_assigned_centres_error"' in page
    assert list(bob.assigned_centres.all()) == [world.centre_a]
    assert not AuditEvent.objects.filter(verb__in=["dim_assigned", "role_changed"]).exists()


def test_an_msp_role_needs_an_msp_and_errors_are_tied_to_the_field(world) -> None:
    bob = world.memberships["dim_a"]
    url = reverse("federations:member_edit", args=["alpha", bob.pk])
    response = staff_client(world).post(url, {"role": Role.MEMBER, "profession": "infirmier"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choisissez la MSP de cette personne." in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_health_centre_helptext id_health_centre_error"' in page
    bob.refresh_from_db()
    assert bob.role == Role.DIM


def test_the_last_staff_member_cannot_demote_themself(world) -> None:
    alice = world.memberships["staff_a"]
    url = reverse("federations:member_edit", args=["alpha", alice.pk])
    response = staff_client(world).post(url, {"role": Role.DIM, "profession": ""})
    assert response.status_code == 200
    assert "au moins une personne dans son équipe" in response.content.decode()
    alice.refresh_from_db()
    assert alice.role == Role.STAFF


def test_expired_and_reused_invitations_have_clear_messages(world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from federations.models import Invitation

    expired = Invitation.objects.create(
        federation=world.federation_a,
        email="late@alpha.test",
        role=Role.MEMBER,
        health_centre=world.centre_a,
        expires_at=timezone.now() - timedelta(days=1),
    )
    response = Client().get(reverse("invitation_accept", args=[expired.token]))
    assert response.status_code == 410
    assert "a expiré. Demandez une nouvelle invitation" in response.content.decode()
    used = world.objects["invitation"]
    used.accepted_at = timezone.now()
    used.save()
    response = Client().get(reverse("invitation_accept", args=[used.token]))
    assert response.status_code == 410
    assert "a déjà été utilisé" in response.content.decode()
    response = Client().get(reverse("invitation_accept", args=["inconnu"]))
    assert response.status_code == 404
    assert "invitation n&#x27;existe pas" in response.content.decode()


def crowd(world) -> None:  # noqa: ANN001
    """Enough MSPs, people and events to reveal an N+1 on the staff's pages."""
    centres = HealthCentreFactory.create_batch(30, federation=world.federation_a)
    for centre in centres:
        MembershipFactory(federation=world.federation_a, role=Role.MEMBER, health_centre=centre)
    for i in range(60):
        AuditEvent.objects.create(
            federation=world.federation_a,
            actor=world.users["staff_a"],
            verb="role_changed",
            target=f"p{i}@alpha.test",
            data={"old": "member", "new": "coordinator"},
        )


@pytest.mark.parametrize(
    ("url_name", "budget"),
    [
        # The home page gathers panels from every app: its budget is theirs too, so the test
        # holds it to "does not grow with the data" under a generous ceiling.
        ("federations:home", 40),
        ("federations:centres", 10),
        ("federations:people", 12),
        ("federations:invite", 10),
        ("federations:audit", 10),
    ],
)
def test_staff_pages_cost_a_constant_number_of_queries(
    world, django_assert_max_num_queries, url_name: str, budget: int
) -> None:
    client = staff_client(world)
    url = reverse(url_name, args=["alpha"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    crowd(world)
    assert HealthCentre.objects.filter(federation=world.federation_a).count() == 32
    assert Membership.objects.filter(federation=world.federation_a).count() >= 35
    with django_assert_max_num_queries(min(budget, len(small.captured_queries))):
        assert client.get(url).status_code == 200


def test_staff_make_two_factor_mandatory_for_their_team(world) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(world.users["staff_a"], generate_totp_secret())
    second = MembershipFactory(federation=world.federation_a, role=Role.STAFF, profession="")
    client = staff_client(world)
    url = reverse("federations:settings", args=["alpha"])
    assert client.post(url, {"staff_mfa_required": "on"}).status_code == 302
    world.federation_a.refresh_from_db()
    assert world.federation_a.staff_mfa_required
    event = AuditEvent.objects.get(verb="staff_mfa_required")
    assert event.actor == world.users["staff_a"]
    assert (
        "Double authentification rendue obligatoire"
        in client.get(reverse("federations:audit", args=["alpha"])).content.decode()
    )
    # The other staff member, without TOTP, is now sent to set it up…
    colleague = Client()
    colleague.force_login(second.user)
    assert colleague.get("/alpha/")["Location"] == "/comptes/2fa/totp/activate/"
    assert not Authenticator.objects.filter(user=second.user).exists()
    # …while the one who has it keeps working; members are not concerned.
    assert client.get("/alpha/").status_code == 200
    member = Client()
    member.force_login(world.users["member_a"])
    assert member.get("/alpha/").status_code == 200
    # Unchecking makes it optional again.
    client.post(url, {})
    world.federation_a.refresh_from_db()
    assert not world.federation_a.staff_mfa_required
    assert colleague.get("/alpha/").status_code == 200


def _set_names(world, names: dict[str, tuple[str, str]]) -> None:  # noqa: ANN001
    for role, (first, last) in names.items():
        user = world.users[role]
        user.first_name, user.last_name = first, last
        user.save()


def test_people_are_listed_by_surname_then_email_and_follow_a_change_of_name(world) -> None:
    _set_names(
        world,
        {
            "staff_a": ("Alice", "Martin"),
            "dim_a": ("Bob", "Bernard"),
            "coordinator_a": ("Charlie", "Martin"),  # same surname: the e-mail decides
            "member_a": ("Dana", "Zola"),
            "member_a2": ("Erin", "Durand"),
        },
    )
    client = staff_client(world)
    url = reverse("federations:people", args=["alpha"])
    page = client.get(url).content.decode()
    members = page.split('id="members-title"')[1]  # after the pending invitations
    shown = re.findall(r">(\w+)@alpha\.test<", members)
    assert shown == ["bob", "erin", "alice", "charlie", "dana"]
    assert "Bob Bernard" in page and "Coordinateur / chef de projet MSP" in page
    assert "MSP Alpha 2" in page and "Infirmier" in page
    edit = reverse("federations:member_edit", args=["alpha", world.memberships["dim_a"].pk])
    assert f'href="{edit}">Modifier les droits<span class="visually-hidden"> — Bob Bernard' in page
    assert '<td data-label="MSP">—</td>' in page  # staff and DIM have no MSP
    _set_names(world, {"dim_a": ("Bob", "<b>Bernard</b>")})
    page = client.get(url).content.decode()
    assert "Bob &lt;b&gt;Bernard&lt;/b&gt;" in page and "<b>Bernard" not in page
    _set_names(world, {"dim_a": ("Bob", "Bernard")})
    # Dana marries: she now sorts under her new name.
    _set_names(world, {"member_a": ("Dana", "Abadie")})
    assert Membership.objects.get(pk=world.memberships["member_a"].pk).sort_last_name == "Abadie"
    members = client.get(url).content.decode().split('id="members-title"')[1]
    shown = re.findall(r">(\w+)@alpha\.test<", members)
    assert shown == ["dana", "bob", "erin", "alice", "charlie"]


def test_the_copy_of_the_name_is_kept_however_memberships_are_created(world) -> None:
    from accounts.models import User

    users = [
        User.objects.create(email=f"bulk{i}@gamma.test", last_name=name)
        for i, name in enumerate(["Roux", "Petit"])
    ]
    federation = world.federation_b
    # With the user loaded on the membership (as the national generator does)…
    loaded = Membership(user=users[0], federation=federation, role=Role.STAFF)
    # …or with its id only.
    by_id = Membership(user_id=users[1].pk, federation=federation, role=Role.STAFF)
    Membership.objects.bulk_create([loaded, by_id])
    assert dict(
        Membership.objects.filter(user__in=users).values_list("sort_email", "sort_last_name")
    ) == {"bulk0@gamma.test": "Roux", "bulk1@gamma.test": "Petit"}
    one = MembershipFactory(federation=federation, role=Role.DIM, profession="")
    one.refresh_from_db()
    assert (one.sort_last_name, one.sort_email) == (one.user.last_name, one.user.email)
    # A save that touches neither the surname nor the e-mail (a sign-in) costs no query more.
    with CaptureQueriesContext(connection) as saved:
        users[0].save(update_fields=["last_login"])
    assert len(saved.captured_queries) == 1
    users[0].email = "roux@gamma.test"
    users[0].save()
    assert Membership.objects.get(user=users[0]).sort_email == "roux@gamma.test"


def test_the_invitation_form_has_its_own_page_reached_from_the_people_page(world) -> None:
    client = staff_client(world)
    people_url = reverse("federations:people", args=["alpha"])
    invite_url = reverse("federations:invite", args=["alpha"])
    page = client.get(people_url).content.decode()
    assert f'href="{invite_url}"' in page
    assert "Inviter une personne" in page
    assert 'id="id_email"' not in page  # no form on the list itself
    assert client.post(people_url, {"email": "x@alpha.test"}).status_code == 405
    form = client.get(invite_url).content.decode()
    assert 'for="id_email"' in form and 'id="id_email"' in form
    assert 'for="id_health_centre"' in form
    assert "MSP Alpha 2" in form and "MSP Bêta 1" not in form  # own federation's MSPs only
    assert f'href="{people_url}"' in form  # the way back
    # The federation's home page leads straight to the form.
    home = client.get(reverse("federations:home", args=["alpha"])).content.decode()
    assert f'href="{invite_url}"' in home


def test_the_journal_writes_dates_as_the_date_filter_does(world) -> None:
    from datetime import UTC, datetime

    from django.utils import formats, timezone, translation

    when = datetime(2026, 2, 7, 23, 5, tzinfo=UTC)  # another day in Paris
    event = AuditEvent.objects.create(
        federation=world.federation_a, actor=world.users["staff_a"], verb="centre_created"
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    client = staff_client(world)
    for language in ("fr", "en"):
        with translation.override(language):
            expected = formats.date_format(timezone.localtime(when), "j F Y H:i")
        page = client.get(
            reverse("federations:audit", args=["alpha"]), HTTP_ACCEPT_LANGUAGE=language
        )
        assert expected in page.content.decode()
    assert expected == "8 February 2026 00:05"
