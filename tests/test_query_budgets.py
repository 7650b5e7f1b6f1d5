"""Query budgets: every page and API list of the access-matrix policy, requested by every role
allowed to see it, costs a fixed number of SQL queries whatever the amount of data.

The test opens every page on the small test world, then grows both federations of that world with
the national dataset generator (more MSPs, people, projects, campaigns, groups, sessions,
feedback, syntheses — the same code as ``manage.py generate_national``) and opens every page again:
- no page may pass its budget (``BUDGETS``, or ``DEFAULT_BUDGET``);
- no page may cost more than ``GROWTH_SLACK`` queries more than on the small world — a list that
  runs one query per row (an N+1) grows with the data and fails here.
The pages of one object (a project, a campaign, a synthesis, a group…) are then opened once more
by the federation's staff on a *generated* object of the same kind, which holds many more rows
than the world's (every member's ratings, hundreds of needs…), with the same two checks.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from federations.national import Sizes, generate
from tests.test_access_matrix import POLICY
from tests.world import World

#: The most queries any page or API list may run.
DEFAULT_BUDGET = 30
#: Pages that do more, each with its reason.
BUDGETS: dict[str, int] = {}
#: A page may show a section more once the data grows (a panel that was empty): a few queries,
#: never one per row.
GROWTH_SLACK = 3
#: A generated object is in another state than the world's (a closed campaign compared with the
#: year before, a synthesis published to its vendor…): a few sections more, never one per row
#: (the generated objects hold ten times the rows: an N+1 adds ten queries or more).
TWIN_SLACK = 8

#: The growth: several times the world's two MSPs per federation, with everything they hold.
GROWTH = Sizes(
    federations=2,
    centres=16,
    members=160,
    projects=16,
    campaigns_per_centre=2,
    software=12,
    user_groups=6,
    sessions=24,
    feedback=240,
)


def _pages(world: World) -> list[tuple[str, str, str]]:
    """(url name, url with its query string, role) of every GET page and API list, for every
    allowed role."""
    found = []
    for name, rule in sorted(POLICY.items()):
        if rule.method != "get":
            continue
        kwargs = dict(rule.kwargs(world))
        if rule.tenant:
            kwargs["federation_slug"] = world.federation_a.slug
        url = reverse(name, kwargs=kwargs)
        if rule.data:
            url += "?" + urlencode(rule.data(world), doseq=True)
        for role in sorted(rule.allow - {"anonymous"} - set(rule.deny)):
            found.append((name, url, role))
    return found


def _last_ids(world: World) -> dict[type, int]:
    """The highest id of each kind of the world's objects, before the generator runs."""
    return {
        type(obj): type(obj)._default_manager.order_by("-pk").values_list("pk", flat=True)[0]
        for obj in world.objects.values()
        if isinstance(obj, models.Model)
    }


def _generated_twin(world: World, last_ids: dict[type, int]) -> World:
    """The world with each of federation A's objects replaced by the most recent *generated*
    object of the same kind in federation A (same kind, many more rows under it)."""
    objects = dict(world.objects)
    for key, obj in world.objects.items():
        if not isinstance(obj, models.Model) or getattr(obj, "federation_id", None) is None:
            continue
        if obj.federation_id != world.federation_a.pk:
            continue
        model = type(obj)
        twin = (
            model._default_manager.filter(federation_id=obj.federation_id, pk__gt=last_ids[model])
            .order_by("-pk")
            .first()
        )
        if twin is not None:
            objects[key] = twin
    return replace(world, objects=objects)


def _measure(
    world: World, pages: list[tuple[str, str, str]], *, twins: bool = False
) -> dict[tuple[str, str], int]:
    """Queries of the second request of each page (the first warms sessions and caches). With
    ``twins``, a page whose ids no longer belong together (a generated wave under the world's
    project) answers 404 and is left out; otherwise every page must answer."""
    clients: dict[str, Client] = {}
    counts = {}
    for name, url, role in pages:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(world.users[role])
        client = clients[role]
        client.get(url)  # warm: sessions, caches of reference data, first-view set-ups
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if twins and response.status_code == 404:
            continue
        assert response.status_code < 400, f"{name} ({role}) {url} : {response.status_code}"
        counts[(name, role)] = len(queries)
    return counts


@pytest.mark.django_db
def test_every_page_and_api_list_keeps_its_query_budget_as_the_data_grows(world: World) -> None:
    pages = _pages(world)
    before = _measure(world, pages)

    last_ids = _last_ids(world)
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ctx = generate(
        sizes=GROWTH, seed=7, federations=[world.federation_a, world.federation_b], log=str
    )
    assert len(ctx.centres) == GROWTH.centres  # the world did grow

    after = _measure(world, pages)
    assert len(after) >= len([1 for r in POLICY.values() if r.method == "get"])
    failures = _over_budget(after, before, GROWTH_SLACK, "quand les données grandissent")

    # The same pages, as the federation's staff, on generated objects holding many more rows.
    twin = _generated_twin(world, last_ids)
    staff_pages = [
        twin_page
        for page, twin_page in zip(pages, _pages(twin), strict=True)
        if page[2] == "staff_a" and twin_page[1] != page[1]
    ]
    on_twins = _measure(twin, staff_pages, twins=True)
    assert len(on_twins) >= 20, sorted(on_twins)  # projects, campaigns, groups, syntheses…
    failures += _over_budget(on_twins, before, TWIN_SLACK, "sur un objet généré")
    assert not failures, "\n".join(failures)


def _over_budget(counts: dict, before: dict, slack: int, when: str) -> list[str]:
    failures = []
    for (name, role), n in sorted(counts.items()):
        budget = BUDGETS.get(name, DEFAULT_BUDGET)
        if n > budget:
            failures.append(f"{name} ({role}) : {n} requêtes {when}, budget {budget}")
        if n > before[(name, role)] + slack:
            failures.append(f"{name} ({role}) : {before[(name, role)]} → {n} requêtes {when}")
    return failures
