"""The floor of the benchmark: the cheapest page Django can serve from the same database, served
by the same gunicorn through the same middleware. Every page's throughput is compared with it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from federations.models import HealthCentre

FLOOR_ROWS = 50


def floor(request: HttpRequest) -> HttpResponse:
    """50 MSPs ordered by name, in a template that extends nothing; no sign-in."""
    rows = HealthCentre.objects.select_related("federation").order_by("name", "pk")[:FLOOR_ROWS]
    return render(request, "bench/floor.html", {"rows": rows})
