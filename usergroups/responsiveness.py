"""Vendor answers feed the vendor-responsiveness figure of the comparator: one case per need
published to a vendor, with when it was transmitted, first answered, promised and delivered."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from vendors.responsiveness import ResponseCase

from .models import AnswerStatus, Need, VendorAnswer


def response_cases(software_ids: Iterable[int]) -> list[ResponseCase]:
    ids = list(software_ids)
    needs = list(
        Need.objects.filter(software_id__in=ids, first_published_on__isnull=False).values(
            "pk", "software_id", "first_published_on"
        )
    )
    answers: dict[int, list] = {}
    for a in (
        VendorAnswer.objects.filter(need_id__in=[n["pk"] for n in needs])
        .values("need_id", "status", "planned_for", "created_at")
        .order_by("created_at")
    ):
        answers.setdefault(a["need_id"], []).append(a)
    cases = []
    for n in needs:
        history = answers.get(n["pk"], [])
        first = timezone.localdate(history[0]["created_at"]) if history else None
        promised = next((a["planned_for"] for a in reversed(history) if a["planned_for"]), None)
        delivered = next(
            (
                timezone.localdate(a["created_at"])
                for a in history
                if a["status"] == AnswerStatus.DELIVERED
            ),
            None,
        )
        cases.append(
            ResponseCase(
                software_id=n["software_id"],
                asked_on=n["first_published_on"],
                first_answer_on=first,
                promised_on=promised,
                delivered_on=delivered,
            )
        )
    return cases
