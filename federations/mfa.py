from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from .models import Membership
from .roles import Role

#: Attribute of the request that keeps (user id, the user's active memberships) for the rest of
#: the request.
_CACHE_ATTR = "_capsi_active_memberships"


def active_memberships(request: HttpRequest) -> list[Membership]:
    """Every active membership of the request's user with its federation and MSP, read once per
    request: the two-factor check of every request and the tenant resolution of a page or an API
    call share this one query (people have few memberships). A DRF request reads what the Django
    request kept when both have the same user (session authentication)."""
    user = request.user
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    memberships = list(
        Membership.objects.select_related("federation", "health_centre").filter(
            user=user, is_active=True
        )
    )
    setattr(request, _CACHE_ATTR, (user.pk, memberships))
    return memberships


def must_enable_mfa(request: HttpRequest) -> bool:
    """True when the request's user is staff of a federation that makes TOTP mandatory and has
    none."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return False
    required = any(
        m.role == Role.STAFF and m.federation.staff_mfa_required
        for m in active_memberships(request)
    )
    if not required:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
