"""Staff manage people: role changes and DIM assignments, written to the journal; lists stay
cheap in queries."""

from __future__ import annotations

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
