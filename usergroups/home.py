"""Panel of the tenant home page: the next sessions of the person's groups."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from federations.home import Panel
from federations.permissions import has_perm

from .models import GroupSession


def panels(request: HttpRequest) -> list[Panel]:
    membership = request.membership  # type: ignore[attr-defined]
    if not has_perm(membership, "usergroups.view"):
        return []
    # Plain values: the page shows each session's date and its group's name.
    upcoming = list(
        GroupSession.objects.visible_to(membership)
        .filter(starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")
        .values("pk", "starts_at", group_name=F("group__name"))[:3]
    )
    return [Panel(template="usergroups/home_panel.html", context={"upcoming": upcoming}, order=60)]
