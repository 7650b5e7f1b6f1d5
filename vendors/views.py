from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def vendor_user_required(view):  # noqa: ANN001, ANN201
    """Vendor-portal pages: signed-in vendor users only; everyone else gets 404."""
    from functools import wraps

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if not request.user.is_vendor_user:
            raise Http404
        request.vendor = request.user.vendor  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


@vendor_user_required
def vendor_home(request: HttpRequest) -> HttpResponse:
    return render(request, "vendors/portal_home.html", {"vendor": request.vendor})
