from datetime import timedelta

from django.utils import timezone

from federations.models import Invitation
from federations.roles import Role


def extend(w) -> None:  # noqa: ANN001
    w.objects["invitation"] = Invitation.objects.create(
        federation=w.federation_a,
        email="newcomer@alpha.test",
        role=Role.MEMBER,
        health_centre=w.centre_a,
        profession="infirmier",
        invited_by=w.users["staff_a"],
        expires_at=timezone.now() + timedelta(days=7),
    )
