"""iCalendar files: one per session, and a feed per group (times in Europe/Paris)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from .models import GroupSession, UserGroup

PARIS = ZoneInfo("Europe/Paris")


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Cap SI//Groupes d'utilisateurs//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add_component(Timezone.from_tzid("Europe/Paris"))
    return cal


def _event(session: GroupSession, request: HttpRequest) -> Event:
    start = session.starts_at.astimezone(PARIS)
    event = Event()
    event.add("uid", f"seance-{session.pk}@capsi")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.duration_minutes))
    summary = f"{session.group.name}"
    if session.title:
        summary = f"{summary} — {session.title}"
    event.add("summary", summary)
    url = request.build_absolute_uri(
        reverse(
            "usergroups:session",
            kwargs={"federation_slug": request.federation.slug, "pk": session.pk},  # type: ignore[attr-defined]
        )
    )
    description = "Groupe d'utilisateurs (séance en visioconférence).\n" + url
    if session.video_url:
        event.add("location", session.video_url)
        description += "\nVisioconférence : " + session.video_url
    event.add("description", description)
    event.add("url", url)
    return event


def session_calendar(session: GroupSession, request: HttpRequest) -> Calendar:
    cal = _calendar(session.group.name)
    cal.add_component(_event(session, request))
    return cal


def group_calendar(
    group: UserGroup, sessions: Iterable[GroupSession], request: HttpRequest
) -> Calendar:
    cal = _calendar(group.name)
    for session in sessions:
        cal.add_component(_event(session, request))
    return cal


def ics_response(cal: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
