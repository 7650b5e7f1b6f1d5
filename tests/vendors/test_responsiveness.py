"""Vendor responsiveness from the cases other apps register."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from vendors import responsiveness, selectors
from vendors.responsiveness import ResponseCase

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 1)


@pytest.fixture
def source(world):  # noqa: ANN001, ANN201
    x = world.software_x.pk
    cases = [
        ResponseCase(software_id=x, asked_on=date(2026, 1, 1), first_answer_on=date(2026, 1, 3)),
        ResponseCase(software_id=x, asked_on=date(2026, 1, 1), first_answer_on=date(2026, 1, 11)),
        ResponseCase(
            software_id=x,
            asked_on=date(2026, 2, 1),
            first_answer_on=date(2026, 2, 5),
            promised_on=date(2026, 3, 1),
            delivered_on=date(2026, 2, 20),
        ),  # on time
        ResponseCase(
            software_id=x,
            asked_on=date(2026, 2, 1),
            first_answer_on=None,
            promised_on=date(2026, 3, 1),
            delivered_on=date(2026, 4, 2),
        ),  # late
        ResponseCase(
            software_id=x, asked_on=date(2026, 2, 1), promised_on=date(2026, 6, 1)
        ),  # due, never delivered
        ResponseCase(
            software_id=x, asked_on=date(2026, 9, 1), promised_on=date(2027, 1, 1)
        ),  # not due yet: not counted
        ResponseCase(
            software_id=world.software_y.pk,
            asked_on=date(2026, 1, 1),
            first_answer_on=date(2026, 1, 2),
        ),
    ]
    responsiveness.register_source(
        "tests.vendors", lambda ids: [c for c in cases if c.software_id in set(ids)]
    )
    yield cases
    responsiveness.SOURCES.pop("tests.vendors", None)


def test_median_first_answer_and_promises_kept(world, source) -> None:  # noqa: ANN001
    result = selectors.responsiveness([world.software_x.pk], today=TODAY)
    r = result[world.software_x.pk]
    assert r.answered_cases == 3
    assert r.median_days_to_answer == 4  # 2, 4 and 10 days
    assert r.promised_cases == 3
    assert r.delivered_on_time == 1
    assert r.on_time_share == pytest.approx(100 / 3)
    assert world.software_y.pk not in result  # only the products asked for


def test_no_cases_no_figure(world) -> None:  # noqa: ANN001
    from tests.factories import SoftwareFactory

    quiet = SoftwareFactory()
    assert selectors.responsiveness([quiet.pk]) == {}


def test_shown_in_the_comparator_with_the_number_of_cases(world, source) -> None:  # noqa: ANN001
    c = Client()
    c.force_login(world.users["member_a"])
    r = c.get(
        reverse("vendors:compare", args=["alpha"]), {"logiciels": ["logiciel-x", "logiciel-y"]}
    )
    rows = {row.label: row for row in r.context["grid"].rows}
    assert rows["Délai médian de première réponse"].cells == [
        "4,0 jours (3 cas)",
        "1,0 jours (1 cas)",
    ]
    on_time = rows["Évolutions promises livrées à la date annoncée"].cells
    assert on_time[0] == "33 % (3 cas)" and on_time[1] == "pas de données"


def test_pages_read_the_figure_from_the_cache_for_a_few_minutes(world, source) -> None:  # noqa: ANN001
    import time_machine

    x, y = world.software_x.pk, world.software_y.pk
    with time_machine.travel(TODAY, tick=False) as clock:
        first = selectors.responsiveness_cached([x, y])
        assert first == selectors.responsiveness([x, y], today=TODAY)  # the same figures
        calls = []
        responsiveness.register_source("tests.count", lambda ids: calls.append(ids) or [])
        # A new case within the cache time does not change the figure yet, and no source is read.
        source.append(ResponseCase(software_id=x, asked_on=date(2026, 10, 1),
                                   first_answer_on=date(2026, 10, 31)))  # fmt: skip
        assert selectors.responsiveness_cached([x, y]) == first
        assert calls == []
        # Past the cache time the figure takes the new case in.
        clock.shift(selectors.RESPONSIVENESS_CACHE_SECONDS + 1)
        assert selectors.responsiveness_cached([x])[x].answered_cases == 4
        assert calls == [[x]]
    responsiveness.SOURCES.pop("tests.count", None)
