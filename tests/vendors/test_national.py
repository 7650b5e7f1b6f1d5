"""The vendors stages of the national dataset: the catalogue topped up with generated products,
vendor users, peer ratings from the MSPs that deployed a product, correction proposals.

The runs below keep only the vendors stages and replace the projects stage with a small one of
this module (``deploy`` / ``deploy_projects_only``), so that which MSP deployed what is known to
the test whatever the projects generator does."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from federations import national
from federations.national import BENCH_PASSWORD, Sizes
from projects.models import Project, Step
from vendors.models import (
    RATING_CRITERIA,
    Capability,
    CharacteristicKey,
    CorrectionProposal,
    Fact,
    LabelRecord,
    PeerRating,
    RequirementCoverage,
    Software,
    Vendor,
)
from vendors.selectors import min_ratings, rating_aggregates

pytestmark = pytest.mark.django_db

SMALL = Sizes(federations=2, centres=6, members=40, projects=6, software=20, user_groups=0,
              sessions=0, feedback=0)  # fmt: skip
#: Of the MSPs of a run, the first four deploy (two per product), the next two chose a product
#: but have not deployed it.
DEPLOYED = 4


def _plan(ctx) -> list[tuple[object, Software, object]]:  # noqa: ANN001
    generated = list(Software.objects.filter(name__endswith="(généré)").order_by("pk"))
    plan = []
    for i, centre in enumerate(ctx.centres[:6]):
        deployed_on = ctx.today - timedelta(days=200) if i < DEPLOYED else None
        plan.append((centre, generated[i % 2 if i < DEPLOYED else 2], deployed_on))
    Project.objects.bulk_create(
        Project(
            federation_id=centre.federation_id,
            health_centre=centre,
            chosen_software=software,
            deployed_on=deployed_on,
            current_step=Step.AFTER if deployed_on else Step.BEFORE,
        )
        for centre, software, deployed_on in plan
    )
    return plan


def deploy(ctx) -> None:  # noqa: ANN001
    """Stands for the projects stage: projects, and ``ctx.shared["deployed"]``."""
    ctx.shared["deployed"] = [(c.pk, s.pk, d) for c, s, d in _plan(ctx) if d]


def deploy_projects_only(ctx) -> None:  # noqa: ANN001
    """Stands for a projects stage that hands nothing over: the vendors stage reads projects."""
    _plan(ctx)


@pytest.fixture
def stages(monkeypatch):  # noqa: ANN001, ANN201
    def use(projects_stage: str) -> None:
        monkeypatch.setattr(
            national,
            "STAGES",
            [
                ("vendors.national", "catalogue"),
                ("tests.vendors.test_national", projects_stage),
                ("vendors.national", "generate"),
            ],
        )

    return use


def run(seed: int = 3, **kw):  # noqa: ANN003, ANN201
    return national.generate(sizes=SMALL, seed=seed, log=lambda _m: None, **kw)


@pytest.fixture
def small(stages):  # noqa: ANN001, ANN201
    call_command("load_reference", stdout=io.StringIO())
    stages("deploy")
    return run()


def test_catalogue_is_topped_up_to_the_size_with_documented_products(small) -> None:  # noqa: ANN001
    active = list(Software.objects.filter(is_active=True))
    assert len(active) == 20
    assert small.shared["software"] == sorted(s.pk for s in active)
    generated = [s for s in active if s.name.endswith("(généré)")]
    assert len(generated) == 20 - 14  # Annexe 2 holds 14 products
    assert all(s.vendor.name.endswith("(généré)") for s in generated)
    caps = set(Capability.objects.values_list("pk", flat=True))
    assert len(caps) > 10
    for software in generated:
        facts = Fact.objects.filter(software=software)
        assert {f.key for f in facts if f.key} == set(CharacteristicKey.values)
        assert {f.capability_id for f in facts if f.capability_id} == caps
        assert all(f.source and f.as_of <= small.today for f in facts)
        label = LabelRecord.objects.get(software=software)
        assert software.label_level == (label.level if label.valid_for_msp else "")
        assert RequirementCoverage.objects.filter(software=software).count() == 12
    # The reference products are left as they are.
    assert not Fact.objects.exclude(software__in=generated).exists()


def test_vendor_users_sign_in_and_see_their_portal(small) -> None:  # noqa: ANN001
    vendors = Vendor.objects.filter(software__isnull=False).distinct()
    assert vendors.count() > 10
    role, where, email = next(a for a in small.accounts if a[0] == "Éditeur")
    vendor = Vendor.objects.get(name=where)
    assert email == f"editeur@{vendor.slug}.bench.test"
    for v in vendors:
        assert v.users.filter(email=f"editeur@{v.slug}.bench.test").exists()
    client = Client()
    assert client.login(email=email, password=BENCH_PASSWORD)
    r = client.get(reverse("vendor_home"))
    assert r.status_code == 200 and vendor.name in r.content.decode()
    r = client.get(reverse("vendor_software"))
    assert r.status_code == 200
    body = r.content.decode()
    for software in vendor.software.all():
        assert software.name in body
    assert "non renseigné" not in body  # generated products are fully documented


def test_ratings_come_only_from_msps_that_deployed_the_product(small) -> None:  # noqa: ANN001
    deployed = {(c, s) for c, s, _d in small.shared["deployed"]}
    assert len(deployed) == DEPLOYED
    ratings = list(PeerRating.objects.select_related("author"))
    assert ratings
    people = {m.user_id: m for members in small.people.values() for m in members}
    for r in ratings:
        assert (r.health_centre_id, r.software_id) in deployed
        member = people[r.author_id]
        assert member.health_centre_id == r.health_centre_id
        assert r.federation_id == member.federation_id
        assert r.profession == member.profession
        assert all(1 <= getattr(r, k) <= 5 for k, _label in RATING_CRITERIA)
        assert r.created_at.date() < small.today
        if r.status == "pending":
            assert r.moderated_at is None and r.moderated_by_id is None
        else:
            assert r.moderated_at > r.created_at and r.moderated_by_id
    # Both deployed products reach the minimum count: their averages show.
    products = {s for _c, s in deployed}
    aggregates = rating_aggregates(list(products))
    assert all(aggregates[s][""].count >= min_ratings() for s in products)
    assert any(aggregates[s][""].shown for s in products)


def test_correction_proposals_pending_and_decided(small) -> None:  # noqa: ANN001
    proposals = list(CorrectionProposal.objects.select_related("software", "proposed_by"))
    statuses = {p.status for p in proposals}
    assert {"pending", "accepted", "rejected"} <= statuses
    for p in proposals:
        assert p.proposed_by.vendor_id == p.software.vendor_id
        assert p.value != p.previous_value
        if p.status == "pending":
            assert p.decided_at is None and p.fact_id is None
        else:
            assert p.decided_at > p.proposed_at and p.decided_by_id
        if p.status == "rejected":
            assert p.decision_comment
        if p.status == "accepted":
            newest = Fact.objects.filter(
                software=p.software, key=p.key, capability=p.capability
            ).latest("created_at", "pk")
            assert newest.pk == p.fact_id and newest.value == p.value


def _digest() -> str:
    h = hashlib.sha256()
    for row in Software.objects.order_by("slug").values_list(
        "slug", "name", "version", "vendor__slug", "label_level", "is_active"
    ):
        h.update(repr(row).encode())
    for row in LabelRecord.objects.order_by("software__slug").values_list(
        "software__slug", "perimeter", "professions", "level", "labelled_on", "status"
    ):
        h.update(repr(row).encode())
    for row in Fact.objects.order_by("software__slug", "pk").values_list(
        "software__slug", "key", "capability__code", "value", "source", "as_of", "note"
    ):
        h.update(repr(row).encode())
    for row in RequirementCoverage.objects.order_by("software__slug", "requirement__code"):
        h.update(repr((row.software.slug, row.requirement.code, row.covered)).encode())
    for row in PeerRating.objects.order_by("created_at", "software__slug").values_list(
        "software__slug", "health_centre__name", "author__first_name", "author__last_name",
        "profession", *(k for k, _l in RATING_CRITERIA), "comment", "status", "created_at",
        "moderated_at",
    ):  # fmt: skip
        h.update(repr(row).encode())
    for row in CorrectionProposal.objects.order_by("proposed_at").values_list(
        "software__slug", "key", "capability__code", "value", "status", "proposed_by__email"
    ):
        h.update(repr(row).encode())
    h.update(repr(sorted(Vendor.objects.values_list("slug", "users__email"))).encode())
    return h.hexdigest()


def test_same_seed_gives_the_same_data(stages) -> None:  # noqa: ANN001
    call_command("load_reference", stdout=io.StringIO())
    stages("deploy")
    digests = []
    for seed in (3, 3, 4):
        with transaction.atomic():
            run(seed)
            digests.append(_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert digests[2] != digests[0]


def test_grow_mode_keeps_the_world_vendors(world, stages) -> None:  # noqa: ANN001
    from vendors import national as vendors_national

    before = {
        s.slug: (s.name, s.vendor_id, s.version, s.label_level, s.is_active)
        for s in Software.objects.all()
    }
    world_rating = PeerRating.objects.get(pk=world.objects["rating"].pk)
    stages("deploy_projects_only")
    ctx = run(federations=[world.federation_a, world.federation_b])
    after = {
        s.slug: (s.name, s.vendor_id, s.version, s.label_level, s.is_active)
        for s in Software.objects.all()
    }
    assert {k: after[k] for k in before} == before
    assert Software.objects.filter(is_active=True).count() == 20
    assert not Fact.objects.filter(software__in=[world.software_x, world.software_y]).exists()
    assert PeerRating.objects.get(pk=world_rating.pk).status == world_rating.status
    assert CorrectionProposal.objects.filter(pk=world.objects["correction"].pk).exists()
    world.users["vendor_x"].refresh_from_db()
    assert world.users["vendor_x"].vendor_id == world.vendor_x.pk
    assert world.vendor_x.users.filter(email="editeur@vendor-x.bench.test").exists()
    # Ratings (read from the projects) only come from the new MSPs that deployed.
    new_ratings = PeerRating.objects.exclude(pk=world_rating.pk)
    deployed = set(
        Project.objects.filter(deployed_on__isnull=False).values_list(
            "health_centre_id", "chosen_software_id"
        )
    )
    assert new_ratings.exists()
    assert set(new_ratings.values_list("health_centre_id", "software_id")) <= deployed
    assert {c.pk for c in ctx.centres} >= set(
        new_ratings.values_list("health_centre_id", flat=True)
    )
    # Running the catalogue stage again adds nothing.
    counts = (Vendor.objects.count(), Software.objects.count(), Fact.objects.count())
    users = Vendor.objects.filter(users__isnull=False).count()
    vendors_national.catalogue(ctx)
    assert (Vendor.objects.count(), Software.objects.count(), Fact.objects.count()) == counts
    assert Vendor.objects.filter(users__isnull=False).count() == users
    # The world's vendor still reaches its portal.
    client = Client()
    client.force_login(world.users["vendor_x"])
    r = client.get(reverse("vendor_software"))
    assert r.status_code == 200 and "Logiciel X" in r.content.decode()


def test_catalogue_product_page_and_comparator_answer_for_federation_staff(small) -> None:  # noqa: ANN001
    federation = small.federations[0]
    client = Client()
    client.force_login(small.staff[federation.pk][0].user)
    four = list(Software.objects.filter(name__endswith="(généré)").order_by("pk")[:4])
    kw = {"federation_slug": federation.slug}
    r = client.get(reverse("vendors:catalogue", kwargs=kw))
    assert r.status_code == 200
    body = r.content.decode()
    assert all(s.name in body for s in four)
    assert "/ 5 (" in body  # a product with enough published ratings shows its average
    for s in four:
        r = client.get(reverse("vendors:detail", kwargs={**kw, "slug": s.slug}))
        assert r.status_code == 200
        body = r.content.decode()
        assert s.name in body and s.vendor.name in body
        assert "non renseigné" not in body
    r = client.get(reverse("vendors:compare", kwargs=kw), {"logiciels": [s.slug for s in four]})
    assert r.status_code == 200
    grid = r.context["grid"]
    assert [s.slug for s in grid.softwares] == [s.slug for s in four]
    assert "non renseigné" not in {c for row in grid.rows for c in row.cells}
    assert all(s.name in r.content.decode() for s in four)
