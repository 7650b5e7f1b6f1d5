"""Sessions end after 30 minutes idle (SESSION_COOKIE_AGE, refreshed on every request) and
after 12 hours in all, whatever the activity: this middleware enforces the absolute limit."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SESSION_STARTED_KEY = "capsi_session_started_at"


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.CAPSI_SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
