"""Long lists of the user groups are cut into pages: the groups and the sessions of a group
(page and API), the feedback between sessions (its own page parameter, next to the sessions'),
the feedback still to merge on a synthesis, the feedback behind a need, the syntheses of the
vendor portal. Their counts do not cost a query per row."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.usergroups.factories import UserGroupFactory
from usergroups.models import (
    FeedbackItem,
    FeedbackKind,
    GroupSession,
    Registration,
    Synthesis,
    SynthesisVersion,
    Theme,
)

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(world.users[role])
    return client


def feedback(world, n: int, **kw) -> None:  # noqa: ANN001, ANN003
    """``n`` feedback items "avis-000"… of the world's group, item i reported i days ago."""
    today = timezone.localdate()
    items = FeedbackItem.objects.bulk_create(
        FeedbackItem(
            federation=world.federation_a,
            group=world.objects["ug_group"],
            kind=FeedbackKind.NEED,
            theme=Theme.BILLING,
            text=f"avis-{i:03}",
            reported_on=today - timedelta(days=i),
            **kw,
        )
        for i in range(n)
    )
    FeedbackItem.centres.through.objects.bulk_create(
        FeedbackItem.centres.through(feedbackitem_id=item.pk, healthcentre_id=world.centre_a.pk)
        for item in items
    )


def shown(html: str) -> list[str]:
    return re.findall(r"avis-(\d{3})", html)


def test_sessions_and_feedback_of_a_group_page_separately(world) -> None:  # noqa: ANN001
    group = world.objects["ug_group"]
    now = timezone.now()
    GroupSession.objects.bulk_create(
        GroupSession(
            federation=world.federation_a,
            group=group,
            starts_at=now - timedelta(days=30 + i),
            title=f"seance-{i:02}",
        )
        for i in range(25)
    )
    feedback(world, 40)
    client = client_for(world, "coordinator_a")
    url = reverse("usergroups:group", args=["alpha", group.pk])
    first = client.get(url).content.decode()
    # Newest first, 30 per page; the world's own item (today) comes right after avis-000.
    assert shown(first) == [f"{i:03}" for i in range(29)]
    assert "Télétransmission depuis la tablette" in first
    assert 'aria-label="Pages des retours"' in first and 'href="?retours=2"' in first
    assert 'aria-label="Pages des séances"' in first
    # Page 2 of the feedback keeps page 2 of the sessions.
    page = client.get(url, {"page": 2, "retours": 2}).content.decode()
    assert shown(page) == [f"{i:03}" for i in range(29, 40)]
    sessions = re.findall(r"seance-(\d{2})", page)
    assert sessions and "seance-00" not in page  # the newest sessions are on page 1
    assert 'href="?page=2"' in page  # feedback back to page 1, sessions' page kept


def test_feedback_to_merge_and_behind_a_need_are_paginated(world) -> None:  # noqa: ANN001
    feedback(world, 70)
    synthesis = world.objects["ug_synthesis"]
    client = client_for(world, "staff_a")
    # The synthesis page says how many wait and leads to their own page.
    page = client.get(reverse("usergroups:synthesis", args=["alpha", synthesis.pk]))
    merge_url = reverse("usergroups:synthesis_merge", args=["alpha", synthesis.pk])
    assert "71 besoins exprimés dans les groupes attendent d'être regroupés." in (
        page.content.decode().replace("&#x27;", "'")
    )
    assert f'href="{merge_url}">Regrouper les retours</a>' in page.content.decode()
    assert 'name="items"' not in page.content.decode()
    url = merge_url
    html = client.get(url).content.decode()
    first = shown(html)
    second = shown(client.get(url, {"retours": 2}).content.decode())
    # 71 to merge (with the world's own): 50 on the first page, checkboxes included.
    assert html.count('name="items"') == 50 and "Page 1 sur 2" in html
    assert sorted(first + second) == [f"{i:03}" for i in range(70)]
    need = world.objects["ug_need"]
    FeedbackItem.objects.filter(text__startswith="avis-").update(need=need)
    url = reverse("usergroups:need", args=["alpha", need.pk])
    first = shown(client.get(url).content.decode())
    second = shown(client.get(url, {"page": 2}).content.decode())
    # Oldest first: avis-069 (69 days ago) … then the world's own item (2 days ago) on page 2.
    assert first == [f"{i:03}" for i in range(69, 19, -1)]
    assert second == [f"{i:03}" for i in range(19, -1, -1)]


def test_the_groups_and_sessions_api_page_by_fifty(world) -> None:  # noqa: ANN001
    groups = [
        UserGroupFactory(federation=world.federation_a, software=world.software_x)
        for _ in range(55)
    ]
    GroupSession.objects.bulk_create(
        GroupSession(
            federation=world.federation_a, group=groups[0], starts_at=timezone.now() + timedelta(i)
        )
        for i in range(60)
    )
    client = client_for(world, "staff_a")
    data = client.get("/api/v1/federations/alpha/groupes/").json()
    assert data["count"] == 56 and len(data["results"]) == 50
    rest = client.get(data["next"]).json()["results"]
    counts = {g["id"]: g["sessions_count"] for g in data["results"] + rest}
    assert len(counts) == 56 and counts[groups[0].pk] == 60
    data = client.get(f"/api/v1/federations/alpha/groupes/{groups[0].pk}/seances/").json()
    assert data["count"] == 60 and len(data["results"]) == 50
    rest = client.get(data["next"]).json()["results"]
    assert len({s["id"] for s in data["results"] + rest}) == 60


def test_the_vendor_portal_lists_thirty_syntheses_per_page(world) -> None:  # noqa: ANN001
    version = world.objects["ug_version"]
    base = Synthesis.objects.get(pk=version.synthesis_id)
    for i in range(40):
        synthesis = Synthesis.objects.create(
            federation=world.federation_a,
            software=world.software_x,
            period_start=base.period_start,
            period_end=base.period_end,
            created_by=world.users["staff_a"],
        )
        SynthesisVersion.objects.create(
            federation=world.federation_a,
            synthesis=synthesis,
            vendor=world.vendor_x,
            number=1,
            content={"needs": []},
            published_at=version.published_at - timedelta(days=i + 1),
        )
    client = client_for(world, "vendor_x")
    url = reverse("portal:syntheses")
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url)
    second = client.get(url, {"page": 2})
    ids = [v["pk"] for v in first.context["page"]] + [v["pk"] for v in second.context["page"]]
    assert len(first.context["page"]) == 30 and len(set(ids)) == 41
    with CaptureQueriesContext(connection) as second_queries:
        client.get(url, {"page": 2})
    assert len(second_queries.captured_queries) <= len(first_queries.captured_queries)


def test_group_lists_cost_the_same_with_many_sessions_and_feedback(world) -> None:  # noqa: ANN001
    group = world.objects["ug_group"]
    client = client_for(world, "staff_a")
    urls = [
        reverse("usergroups:groups", args=["alpha"]),
        reverse("usergroups:group", args=["alpha", group.pk]),
        reverse("usergroups:syntheses", args=["alpha"]),
    ]
    before = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        before.append(len(ctx.captured_queries))
    sessions = GroupSession.objects.bulk_create(
        GroupSession(federation=world.federation_a, group=group, starts_at=timezone.now())
        for _ in range(15)
    )
    Registration.objects.bulk_create(
        Registration(
            federation=world.federation_a,
            session=s,
            user=world.users["member_a"],
            health_centre=world.centre_a,
        )
        for s in sessions
    )
    feedback(world, 25)
    for _ in range(12):
        UserGroupFactory(federation=world.federation_a, software=world.software_y)
    for url, count in zip(urls, before, strict=True):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) <= count, url


def _many_needs(world, n: int) -> list:  # noqa: ANN001
    """``n`` more needs "besoin-000"… of the world's software, each raised once in the period."""
    from usergroups import services

    group = world.objects["ug_group"]
    today = timezone.localdate()
    needs = []
    for i in range(n):
        item = FeedbackItem.objects.create(
            federation=world.federation_a,
            group=group,
            kind=FeedbackKind.NEED,
            theme=Theme.BILLING,
            text=f"retour pour besoin-{i:03}",
            reported_on=today - timedelta(days=1),
        )
        needs.append(
            services.need_merge(
                actor=world.users["staff_a"],
                federation=world.federation_a,
                software=world.software_x,
                items=[item],
                title=f"besoin-{i:03}",
                theme=Theme.BILLING,
            )
        )
    return needs


def test_the_needs_of_a_long_synthesis_come_by_pages_of_fifty(world) -> None:  # noqa: ANN001
    _many_needs(world, 60)  # 61 with the world's own need
    synthesis = world.objects["ug_synthesis"]
    client = client_for(world, "staff_a")
    url = reverse("usergroups:synthesis", args=["alpha", synthesis.pk])
    first = client.get(url).content.decode()
    second = client.get(url + "?besoins=2").content.decode()
    on_first = set(re.findall(r'id="besoin-(\d+)"', first))
    on_second = set(re.findall(r'id="besoin-(\d+)"', second))
    assert len(on_first) == 50 and len(on_second) == 11
    assert not on_first & on_second
    assert '<ol class="needs" start="51">' in second
    assert "Pages des besoins" in first
    # Moving up the first need of page 2 is possible (it goes above the last of page 1);
    # only the very first and very last needs have a disabled button.
    assert second.count("disabled") == 1 and first.count("disabled") == 1


def test_the_vendor_reads_and_answers_a_long_synthesis_page_by_page(world) -> None:  # noqa: ANN001
    from usergroups import services

    _many_needs(world, 40)
    version = services.synthesis_publish(
        actor=world.users["staff_a"], synthesis=world.objects["ug_synthesis"]
    )
    needs = version.content["needs"]
    assert len(needs) == 41
    client = client_for(world, "vendor_x")
    url = reverse("portal:version", args=[version.pk])
    first = client.get(url).content.decode()
    third = client.get(url + "?page=3").content.decode()
    # 20 needs a page, each with its answers and its answer form.
    assert re.findall(r'<section class="card" id="besoin-(\d+)"', first) == [
        str(n["id"]) for n in needs[:20]
    ]
    assert re.findall(r'<section class="card" id="besoin-(\d+)"', third) == [
        str(n["id"]) for n in needs[40:]
    ]
    assert "Page 1 sur 3" in first
    # Answering a need of page 2 brings the vendor back to that need, on page 2.
    target = needs[35]["id"]
    answer_url = reverse("portal:answer", args=[version.pk, target])
    prefix = f"n{target}"
    response = client.post(answer_url, {f"{prefix}-status": "planned"})
    assert response.status_code == 200  # refused: a planned answer needs its version and date
    page = response.content.decode()
    assert f'id="besoin-{target}"' in page and "Lignes 21" in page
    response = client.post(answer_url, {f"{prefix}-status": "studying"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?page=2#besoin-{target}"


def test_a_list_that_fits_on_its_first_page_costs_no_count(world, rf) -> None:  # noqa: ANN001
    """``FirstPageRows`` reads the first page with one more row: when it holds every row, their
    number is the count and the ``COUNT`` query is spared; otherwise it counts as usual."""
    from config.display import row_url
    from config.pagination import FirstPageRows, paginate
    from usergroups.models import UserGroup

    for _ in range(4):
        UserGroupFactory(federation=world.federation_a, software=world.software_x)
    groups = UserGroup.objects.filter(federation=world.federation_a).order_by("pk")
    every = list(groups)
    request = rf.get("/")
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(request, FirstPageRows(request, groups.all(), per_page=5), per_page=5)
        assert list(page) == every and page.paginator.count == 5
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(request, FirstPageRows(request, groups.all(), per_page=3), per_page=3)
        assert list(page) == every[:3] and page.paginator.count == 5
    assert len(ctx.captured_queries) == 2  # the first page and the count
    second = rf.get("/", {"page": "2"})
    page = paginate(second, FirstPageRows(second, groups.all(), per_page=3), per_page=3)
    assert list(page) == every[3:] and page.paginator.num_pages == 2
    # The URL of each row, reversed once for the page.
    url = row_url("usergroups:group", "alpha")
    assert url(42) == reverse("usergroups:group", args=["alpha", 42])


def test_the_federation_reads_a_long_version_by_pages_of_fifty(world) -> None:  # noqa: ANN001
    from usergroups import services

    _many_needs(world, 55)
    version = services.synthesis_publish(
        actor=world.users["staff_a"], synthesis=world.objects["ug_synthesis"]
    )
    needs = version.content["needs"]
    services.answer_create(
        actor=world.users["vendor_x"], need=world.objects["ug_need"], status="studying"
    )
    client = client_for(world, "staff_a")
    url = reverse("usergroups:version", args=["alpha", version.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"besoins": 2}).content.decode()
    assert re.findall(r'<div class="card" id="besoin-(\d+)"', first) == [
        str(n["id"]) for n in needs[:50]
    ]
    assert re.findall(r'<div class="card" id="besoin-(\d+)"', second) == [
        str(n["id"]) for n in needs[50:]
    ]
    assert 'aria-label="Pages des besoins"' in first and "À l&#x27;étude" in first
    need_url = reverse("usergroups:need", args=["alpha", needs[0]["id"]])
    assert f'<a href="{need_url}">' in first
