from __future__ import annotations

from allauth.mfa.models import Authenticator

from .models import Membership
from .roles import Role


def user_must_enable_mfa(user) -> bool:  # noqa: ANN001
    """True when the user is staff of a federation that makes TOTP mandatory and has none."""
    if not getattr(user, "is_authenticated", False):
        return False
    required = Membership.objects.filter(
        user=user, role=Role.STAFF, is_active=True, federation__staff_mfa_required=True
    ).exists()
    if not required:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
