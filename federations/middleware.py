"""When a federation makes two-factor authentication mandatory for its staff, a staff member
without TOTP reaches nothing but the pages that set it up (and logout)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .mfa import must_enable_mfa

ALLOWED_PREFIXES = (
    "/comptes/2fa/",
    "/comptes/logout/",
    "/comptes/reauthenticate/",
    "/static/",
    "/i18n/",
)


class MandatoryTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and must_enable_mfa(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _(
                            "La double authentification est obligatoire : activez-la "
                            "avant d'utiliser l'API."
                        )
                    },
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
