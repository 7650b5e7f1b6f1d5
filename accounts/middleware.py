"""Sessions end after 30 minutes idle and after 12 hours in all, whatever the activity.

Idle: the session's server-side expiry is renewed by activity, but at most once a minute
(``RENEW_EVERY``) rather than on every request, so that reading pages does not write the session
row each time; the session therefore lives between 30 and 31 minutes after the last request
(``SESSION_COOKIE_AGE`` = idle limit + ``RENEW_EVERY``). Absolute: this middleware logs out a
session older than ``CAPSI_SESSION_ABSOLUTE_SECONDS``."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SESSION_STARTED_KEY = "capsi_session_started_at"
SESSION_RENEWED_KEY = "capsi_session_renewed_at"
#: Seconds between two renewals of an active session's expiry.
RENEW_EVERY = 60


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
            renewed = request.session.get(SESSION_RENEWED_KEY, 0)
            if request.user.is_authenticated and now - float(renewed) >= RENEW_EVERY:
                request.session[SESSION_RENEWED_KEY] = now  # saved: new expiry
        return self.get_response(request)
