from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from federations.models import AuditEvent, Invitation, Membership
from federations.roles import Role


@pytest.mark.django_db
def test_staff_invites_a_member_who_accepts_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["staff_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("federations:invite", args=["alpha"]),
            {
                "email": "Nouvelle.Infirmiere@Example.org",
                "role": Role.MEMBER,
                "health_centre": world.centre_a.pk,
                "profession": "infirmier",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.infirmiere@example.org"]
    invitation = Invitation.objects.get(email="nouvelle.infirmiere@example.org")
    assert f"/invitation/{invitation.token}/" in message.body

    anonymous = client.__class__()
    url = reverse("invitation_accept", args=[invitation.token])
    response = anonymous.post(
        url,
        {
            "first_name": "Inès",
            "last_name": "Caron",
            "password1": "une phrase de passe longue",
            "password2": "une phrase de passe longue",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle.infirmiere@example.org")
    assert membership.federation == world.federation_a
    assert membership.health_centre == world.centre_a
    assert AuditEvent.objects.filter(
        federation=world.federation_a, verb="invitation_accepted"
    ).exists()
    # The link is single use.
    again = client.__class__().get(url)
    assert again.status_code == 410
    assert "déjà été utilisé" in again.content.decode()


@pytest.mark.django_db
def test_expired_invitation_is_refused_and_creates_nothing(client, world):
    invitation = Invitation.objects.create(
        federation=world.federation_a,
        email="late@example.org",
        role=Role.MEMBER,
        health_centre=world.centre_a,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {
            "first_name": "A",
            "last_name": "B",
            "password1": "une phrase de passe longue",
            "password2": "une phrase de passe longue",
        },
    )
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    assert not Membership.objects.filter(user__email="late@example.org").exists()


@pytest.mark.django_db
def test_invitation_form_rejects_malformed_email_and_foreign_msp(client, world):
    client.force_login(world.users["staff_a"])
    response = client.post(
        reverse("federations:invite", args=["alpha"]),
        {"email": "pas-une-adresse", "role": Role.MEMBER, "health_centre": world.centre_b.pk},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors
    assert "health_centre" in form.errors  # another tenant's MSP is not even a valid choice
    assert not Invitation.objects.filter(
        federation=world.federation_a, email="pas-une-adresse"
    ).exists()
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_short_and_common_passwords_are_refused(client, world):
    url = reverse("invitation_accept", args=[world.objects["invitation"].token])
    for password in ("court", "password1234"):
        response = client.post(
            url, {"first_name": "A", "last_name": "B", "password1": password, "password2": password}
        )
        assert response.status_code == 200
        assert "password1" in response.context["form"].errors
    assert not Membership.objects.filter(user__email="newcomer@alpha.test").exists()
