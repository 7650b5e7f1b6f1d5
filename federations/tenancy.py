"""Resolving the current federation from the URL, and fetching tenant objects.

Every tenant page is decorated with ``@tenant_view(perm)``: an unknown federation and a federation
the user does not belong to both answer 404; a known member without the permission gets 403.
Tenant objects are fetched with ``get_for_tenant`` which scopes through ``TenantQuerySet``: a
missing object and another tenant's (or another MSP's) object both answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .mfa import active_memberships
from .models import Federation, Membership
from .permissions import has_perm

M = TypeVar("M", bound=Model)

CURRENT_FEDERATION_SESSION_KEY = "capsi_current_federation"


def membership_for(request: HttpRequest, federation_slug: str) -> Membership:
    """The active membership of the request's user in the federation, or 404 for unknown and
    foreign alike."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    # The user's active memberships are read once per request (``active_memberships``): the one
    # of this federation, and whether the navigation should offer to switch federation.
    memberships = active_memberships(request)
    membership = next((m for m in memberships if m.federation.slug == federation_slug), None)
    if membership is None:
        raise Http404("Fédération inconnue.")
    membership.user = user
    membership.has_other_federations = len(memberships) > 1
    return membership


def needs_mfa(membership: Membership) -> bool:
    """Staff of a federation that makes 2FA mandatory must have enabled TOTP."""
    if not (membership.federation.staff_mfa_required and membership.is_staff_role):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(
        user_id=membership.user_id, type=Authenticator.Type.TOTP
    ).exists()


def tenant_view(perm: str | None = None) -> Callable:
    """Decorate a view whose URL carries ``federation_slug``; sets ``request.federation`` and
    ``request.membership`` and drops ``federation_slug`` from the view's kwargs."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, federation_slug: str, *args: Any, **kwargs: Any):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request, federation_slug)
            if needs_mfa(membership):
                return redirect("mfa_activate_totp")
            if perm is not None and not has_perm(membership, perm):
                raise PermissionDenied
            request.federation = membership.federation  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            if request.session.get(CURRENT_FEDERATION_SESSION_KEY) != federation_slug:
                request.session[CURRENT_FEDERATION_SESSION_KEY] = federation_slug  # a write
            return view(request, *args, **kwargs)

        wrapper.tenant_perm = perm  # type: ignore[attr-defined]
        return wrapper

    return decorator


def scoped[M: Model](request: HttpRequest, model_or_qs: type[M] | QuerySet[M]) -> QuerySet[M]:
    """The rows of a tenant model that the current membership may see."""
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs.objects.all()
    return qs.visible_to(request.membership)  # type: ignore[attr-defined]


def get_for_tenant[M: Model](
    request: HttpRequest, model_or_qs: type[M] | QuerySet[M], **lookup: Any
) -> M:
    """Fetch one tenant object visible to the current membership, or 404."""
    obj = scoped(request, model_or_qs).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def federation_by_slug(slug: str) -> Federation:
    obj = Federation.objects.filter(slug=slug).first()
    if obj is None:
        raise Http404
    return obj
