"""Pages of the catalogue and the comparator, as federation members and vendor users see them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from deliverables.models import Deliverable
from tests.factories import HealthCentreFactory, SoftwareFactory, UserFactory
from tests.vendors.factories import capability, fact, labelled
from tests.vendors.world import deploy
from vendors.models import CorrectionProposal, Fact, PeerRating

pytestmark = pytest.mark.django_db


def client_for(world, role: str) -> Client:  # noqa: ANN001
    c = Client()
    c.force_login(world.users[role])
    return c


def url(name: str, **kw) -> str:  # noqa: ANN003
    return reverse(f"vendors:{name}", kwargs={"federation_slug": "alpha", **kw})


@pytest.fixture
def three(world):  # noqa: ANN001, ANN201
    a = labelled("alpha-soft", name="Alpha Soft", level="avance")
    b = labelled("beta-soft", name="Beta Soft")
    c = labelled("gamma-soft", name="Gamma Soft", perimeter="cds")
    cap = capability("facturation-infirmier", "infirmier")
    fact(a, "yes", capability=cap)
    fact(b, "no", capability=cap)
    fact(a, "4500", key="cost_initial")
    fact(b, "4500", key="cost_initial")
    fact(c, "4500", key="cost_initial")
    return a, b, c


def test_catalogue_lists_label_perimeter_and_adoption(world, three) -> None:  # noqa: ANN001
    deploy(world, software=three[0])
    r = client_for(world, "member_a").get(url("catalogue"))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Alpha Soft" in body and "centres de santé uniquement" in body
    rows = {s.slug: s for s in r.context["page"]}
    assert rows["alpha-soft"].adoption.federation == 1
    r = client_for(world, "member_a").get(url("catalogue"), {"label": "msp"})
    assert "gamma-soft" not in {s.slug for s in r.context["page"]}


def test_comparison_highlights_differences_and_filters_by_profession(world, three) -> None:  # noqa: ANN001
    r = client_for(world, "member_a").get(
        url("compare"),
        {"logiciels": ["alpha-soft", "beta-soft", "gamma-soft"], "profession": "infirmier"},
    )
    assert r.status_code == 200
    grid = r.context["grid"]
    rows = {row.label: row for row in grid.rows}
    assert rows["Facturation infirmier"].cells == ["oui", "non", "non renseigné"]
    assert rows["Facturation infirmier"].differs
    assert not rows["Coût initial (€ HT)"].differs
    assert rows["Niveau"].differs
    assert 'class="diff"' in r.content.decode()
    # A GP-only capability is hidden when looking as a nurse.
    capability("facturation-medecin-generaliste", "medecin_generaliste")
    r = client_for(world, "member_a").get(
        url("compare"), {"logiciels": ["alpha-soft", "beta-soft"], "profession": "infirmier"}
    )
    assert "Facturation medecin generaliste" not in {row.label for row in r.context["grid"].rows}


@pytest.mark.parametrize("n", [1, 5])
def test_comparing_one_or_five_products_answers_a_clear_message(world, n) -> None:  # noqa: ANN001
    slugs = [labelled(f"p{i}").slug for i in range(n)]
    r = client_for(world, "member_a").get(url("compare"), {"logiciels": slugs})
    assert r.status_code == 400
    assert r.context["grid"] is None
    text = "au moins 2" if n == 1 else "au plus 4"
    assert text in r.content.decode()
    r = client_for(world, "member_a").get(url("compare_csv"), {"logiciels": slugs})
    assert r.status_code == 400 and text in r.content.decode()
    r = client_for(world, "member_a").post(url("compare_pdf"), {"logiciels": slugs})
    assert (
        r.status_code == 302 and not Deliverable.objects.filter(kind="vendors.comparison").exists()
    )


def test_comparison_csv(world, three) -> None:  # noqa: ANN001
    r = client_for(world, "member_a").get(
        url("compare_csv"), {"logiciels": ["alpha-soft", "beta-soft"]}
    )
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Rubrique", "Critère", "Alpha Soft", "Beta Soft", "Différence"]
    level = next(row for row in rows if row[1] == "Niveau")
    assert level[2:] == ["avancé", "standard", "oui"]


def test_comparison_pdf_through_the_deliverables_pipeline(
    world, three, django_capture_on_commit_callbacks
) -> None:  # noqa: ANN001
    from pypdf import PdfReader

    c = client_for(world, "coordinator_a")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            url("compare_pdf"),
            {"logiciels": ["alpha-soft", "beta-soft", "gamma-soft"], "profession": "infirmier"},
        )
    deliverable = Deliverable.objects.get(kind="vendors.comparison")
    assert r.status_code == 302 and r["Location"] == reverse(
        "deliverables:detail", args=[deliverable.pk]
    )
    assert deliverable.status == "ready", deliverable.error
    assert deliverable.federation == world.federation_a
    text = "".join(p.extract_text() for p in PdfReader(deliverable.file.open("rb")).pages)
    assert "Comparatif de logiciels labellisés" in text
    assert "Alpha Soft" in text and "Gamma Soft" in text and "Infirmier" in text
    # Members of the federation may see it, the other federation may not.
    assert (
        client_for(world, "member_a2")
        .get(reverse("deliverables:detail", args=[deliverable.pk]))
        .status_code
        == 200
    )
    assert (
        client_for(world, "staff_b")
        .get(reverse("deliverables:detail", args=[deliverable.pk]))
        .status_code
        == 404
    )


def test_rating_form_refuses_out_of_range_scores(world) -> None:  # noqa: ANN001
    deploy(world)
    PeerRating.objects.all().delete()
    c = client_for(world, "member_a")
    data = dict.fromkeys(
        ("ergonomics", "billing", "hotline", "training", "data_migration", "transparency"), 3
    )
    r = c.post(url("rate", slug="logiciel-x"), {**data, "billing": 9})
    assert r.status_code == 200
    assert "Donnez une note de 1 à 5." in r.content.decode()
    assert not PeerRating.objects.exists()
    r = c.post(url("rate", slug="logiciel-x"), {**data, "comment": "Bonne ergonomie."})
    assert r.status_code == 302
    assert PeerRating.objects.get().status == "pending"


def test_vendor_user_proposes_a_correction_of_own_product_only(world) -> None:  # noqa: ANN001
    c = client_for(world, "vendor_x")
    r = c.get(reverse("vendor_software"))
    assert "Logiciel X" in r.content.decode() and "Logiciel Y" not in r.content.decode()
    before = CorrectionProposal.objects.count()
    r = c.post(
        reverse("vendor_correction", args=["logiciel-y"]),
        {"subject": "hotline", "value": "24 h / 24"},
    )
    assert r.status_code == 404
    assert CorrectionProposal.objects.count() == before
    r = c.post(
        reverse("vendor_correction", args=["logiciel-x"]),
        {"subject": "cost_monthly", "value": "abc"},
    )
    assert r.status_code == 200 and "montant" in r.content.decode()
    r = c.post(
        reverse("vendor_correction", args=["logiciel-x"]),
        {"subject": "cost_monthly", "value": "70"},
    )
    assert r.status_code == 302
    proposal = CorrectionProposal.objects.latest("pk")
    assert proposal.value == "70" and proposal.status == "pending"


def test_staff_accept_a_correction_from_the_page(world) -> None:  # noqa: ANN001
    proposal = world.objects["correction"]
    c = client_for(world, "staff_b")  # corrections are national: any federation's staff decide
    assert "Logiciel X" in c.get(reverse("vendors:corrections", args=["beta"])).content.decode()
    r = c.post(
        reverse("vendors:correction_decide", args=["beta", proposal.pk]), {"decision": "accept"}
    )
    assert r.status_code == 302
    assert Fact.objects.get(software=world.software_x, key="hotline").value == "Du lundi au samedi"


def _big_catalogue(world) -> None:  # noqa: ANN001
    from projects.models import Project

    softwares = [labelled(f"produit-{i:02d}", name=f"Produit {i:02d}") for i in range(30)]
    cap = capability("dmp")
    for i, sw in enumerate(softwares):
        fact(sw, "yes" if i % 2 else "no", capability=cap)
        fact(sw, str(1000 + i), key="cost_initial")
    centres = HealthCentreFactory.create_batch(300, federation=world.federation_a)
    # The projects app may open a project for each new MSP: reuse it, create the others.
    existing = {p.health_centre_id: p for p in Project.objects.filter(health_centre__in=centres)}
    projects = []
    for i, c in enumerate(centres):
        p = existing.get(c.pk) or Project(federation=world.federation_a, health_centre=c)
        p.chosen_software = softwares[i % 30]
        p.deployed_on = date(2025, 1, 1) if i % 2 else None
        projects.append(p)
    Project.objects.bulk_create([p for p in projects if p.pk is None])
    Project.objects.bulk_update(
        [p for p in projects if p.pk is not None], ["chosen_software", "deployed_on"]
    )
    assert Project.objects.filter(chosen_software__in=softwares).count() == 300
    authors = UserFactory.create_batch(50)
    PeerRating.objects.bulk_create(
        PeerRating(
            federation=world.federation_a,
            health_centre=centres[i % 300],
            software=softwares[i % 30],
            author=authors[i % 50] if i < 50 else None,
            profession=["infirmier", "medecin_generaliste"][i % 2],
            status="published",
            ergonomics=1 + i % 5,
            billing=3,
            hotline=3,
            training=3,
            data_migration=3,
            transparency=3,
        )
        for i in range(500)
    )


def test_catalogue_and_comparator_query_budgets(world, django_assert_max_num_queries) -> None:  # noqa: ANN001
    _big_catalogue(world)
    c = client_for(world, "member_a")
    with django_assert_max_num_queries(12):
        r = c.get(url("catalogue"))
    assert r.status_code == 200 and len(r.context["page"]) == 25
    slugs = ["produit-00", "produit-01", "produit-02", "produit-03"]
    # + up to 2 queries per registered responsiveness source (projects, usergroups)
    with django_assert_max_num_queries(20):
        r = c.get(url("compare"), {"logiciels": slugs, "profession": "infirmier"})
    assert r.status_code == 200
    with django_assert_max_num_queries(24):
        r = c.get(url("detail", slug="produit-01"))
    assert r.status_code == 200
    with django_assert_max_num_queries(20):
        r = c.get(url("compare_csv"), {"logiciels": slugs})
    assert r.status_code == 200


def test_detail_hides_averages_below_the_minimum(world, settings) -> None:  # noqa: ANN001
    settings.VENDORS_MIN_RATINGS = 3
    sw = SoftwareFactory(slug="seul", name="Seul")
    PeerRating.objects.create(
        federation=world.federation_a,
        health_centre=world.centre_a,
        software=sw,
        author=world.users["member_a"],
        profession="infirmier",
        status="published",
        ergonomics=1,
        billing=1,
        hotline=1,
        training=1,
        data_migration=1,
        transparency=1,
    )
    r = client_for(world, "staff_a").get(url("detail", slug="seul"))
    assert r.context["overall"].count == 1 and not r.context["overall"].shown
    assert "1,0 / 5" not in r.content.decode()


def test_moderation_corrections_portal_and_fit_query_budgets(
    world, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    from projects.models import Need

    softwares = [
        SoftwareFactory(vendor=world.vendor_x, slug=f"x-{i}", name=f"X {i}") for i in range(20)
    ]
    cap = capability("dmp")
    for sw in softwares:
        fact(sw, "yes", capability=cap)
        CorrectionProposal.objects.create(
            software=sw, key="hotline", value="24 h / 24", proposed_by=world.users["vendor_x"]
        )
    authors = UserFactory.create_batch(30)
    PeerRating.objects.bulk_create(
        PeerRating(
            federation=world.federation_a,
            health_centre=world.centre_a,
            software=softwares[i % 20],
            author=a,
            profession="infirmier",
            ergonomics=3,
            billing=3,
            hotline=3,
            training=3,
            data_migration=3,
            transparency=3,
        )
        for i, a in enumerate(authors)
    )
    project = deploy(world)
    for i in range(30):
        Need.objects.create(
            federation=world.federation_a,
            project=project,
            title=f"Besoin {i}",
            priority=["must", "should", "could"][i % 3],
            capability=cap if i % 2 else None,
        )
    staff = client_for(world, "staff_a")
    with django_assert_max_num_queries(12):
        assert staff.get(url("moderation")).status_code == 200
    with django_assert_max_num_queries(12):
        assert staff.get(url("corrections")).status_code == 200
    vendor = client_for(world, "vendor_x")
    with django_assert_max_num_queries(12):
        assert vendor.get(reverse("vendor_software")).status_code == 200
    with django_assert_max_num_queries(14):
        r = staff.get(url("fit", project_pk=project.pk))
    assert r.status_code == 200 and len(r.context["results"]) >= 22
