from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from federations.selectors import memberships_of

from . import services


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Who I am, where I belong, and the links to my password, two-factor and API settings."""
    return render(
        request,
        "accounts/profile.html",
        {"memberships": memberships_of(request.user), "vendor": request.user.vendor},
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request: HttpRequest) -> HttpResponse:
    """A personal token for the API (``Authorization: Token <key>``). The key is shown once,
    right after it is created."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.api_token_revoke(user=request.user):
                messages.success(request, _("Le jeton a été supprimé : il ne fonctionne plus."))
            return redirect("accounts:api_token")
        new_key = services.api_token_create(user=request.user).key
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/api_token.html", {"token": token, "new_key": new_key})
