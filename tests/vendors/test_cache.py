"""National figures the catalogue and the comparator keep in each process's memory (the
catalogue's products, the published ratings, each product's facts and coverage, capabilities
and requirements; ``vendors.memo``): read without a query once computed, computed again after
any write of their rows, in every process, and never changed by a page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project
from tests.factories import CapabilityFactory, UserFactory
from tests.vendors.factories import capability, fact, labelled
from tests.vendors.world import deploy
from vendors import selectors, services
from vendors.models import (
    LabelRecord,
    PeerRating,
    Requirement,
    RequirementCoverage,
    RequirementDimension,
)

pytestmark = pytest.mark.django_db

SCORES = {
    "ergonomics": 4,
    "billing": 3,
    "hotline": 3,
    "training": 3,
    "data_migration": 3,
    "transparency": 3,
}


def client_for(world, role: str) -> Client:  # noqa: ANN001
    c = Client()
    c.force_login(world.users[role])
    return c


def url(name: str, **kw) -> str:  # noqa: ANN003
    return reverse(f"vendors:{name}", kwargs={"federation_slug": "alpha", **kw})


def queries(fn) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_catalogue_is_read_from_the_cache_and_follows_products_and_labels(world) -> None:  # noqa: ANN001
    sw = labelled("omega", name="Omega")
    assert queries(selectors.catalogue_entries) == 2
    assert queries(selectors.catalogue_entries) == 0
    c = client_for(world, "member_a")
    assert "Omega" in c.get(url("catalogue")).content.decode()
    # A product renamed (admin), a label withdrawn, a vendor renamed: shown at once.
    sw.name = "Omega Santé"
    sw.save()
    assert "Omega Santé" in c.get(url("catalogue")).content.decode()
    LabelRecord.objects.filter(software=sw).get().delete()
    entry = next(e for e in selectors.catalogue(query="omega"))
    assert entry.current_label is None
    sw.vendor.name = "Éditeur Oméga"
    sw.vendor.save()
    assert [e.vendor.name for e in selectors.catalogue(query="oméga")] == ["Éditeur Oméga"]
    # Deactivated: out of the catalogue, still known to the comparator's look-ups.
    sw.is_active = False
    sw.save()
    assert selectors.catalogue(query="omega") == []
    assert [e.slug for e in selectors.software_for_slugs(["omega"])] == ["omega"]


def test_the_catalogue_is_kept_per_language(world) -> None:  # noqa: ANN001
    from django.utils import translation

    labelled("omega", name="Omega")
    with translation.override("fr"):
        fr = next(e for e in selectors.catalogue(query="omega"))
    with translation.override("en"):
        en = next(e for e in selectors.catalogue(query="omega"))
    assert (fr.label_meta, en.label_meta) == ("V2, 1 janvier 2017", "V2, 1 January 2017")
    assert (fr.label_text, fr.label_badge) == ("standard", "ok")


def test_ratings_are_read_from_the_cache_and_forgotten_by_moderation_and_resubmission(
    world, settings
) -> None:  # noqa: ANN001
    settings.VENDORS_MIN_RATINGS = 2
    software = world.software_y
    deploy(world, software=software)
    pk = software.pk
    authors = UserFactory.create_batch(2)
    for author in authors:
        PeerRating.objects.create(
            federation=world.federation_a,
            health_centre=world.centre_a,
            software=software,
            author=author,
            profession="infirmier",
            status="published",
            **SCORES,
        )
    selectors.national_data_changed()  # written above without the services
    first = selectors.rating_aggregates_cached([pk])
    assert first == selectors.rating_aggregates([pk])
    assert queries(lambda: selectors.rating_aggregates_cached([pk])) == 0
    # Publishing a rating through the moderation changes the figures at once.
    pending = services.rating_submit(
        actor=world.users["member_a"],
        membership=world.memberships["member_a"],
        software=software,
        scores={**SCORES, "ergonomics": 1},
    )
    assert selectors.rating_aggregates_cached([pk])[pk][""].count == 2
    services.rating_moderate(
        actor=world.users["staff_a"],
        membership=world.memberships["staff_a"],
        rating=pending,
        publish=True,
    )
    agg = selectors.rating_aggregates_cached([pk])[pk][""]
    assert agg.count == 3 and agg.averages["ergonomics"] == pytest.approx(3)
    assert selectors.rating_aggregates_cached([pk]) == selectors.rating_aggregates([pk])
    # A new submission sends the published rating back to moderation: out of the figures.
    services.rating_submit(
        actor=world.users["member_a"],
        membership=world.memberships["member_a"],
        software=software,
        scores=SCORES,
    )
    assert selectors.rating_aggregates_cached([pk])[pk][""].count == 2
    # The catalogue asks for the overall figure only.
    overall = selectors.rating_aggregates_cached([pk], overall_only=True)[pk]
    assert list(overall) == [""] and overall[""] == selectors.rating_aggregates([pk])[pk][""]


def test_the_comparator_follows_facts_coverage_and_capabilities(world) -> None:  # noqa: ANN001
    a, b = labelled("alpha-soft", name="Alpha Soft"), labelled("beta-soft", name="Beta Soft")
    dmp = capability("dmp")
    fact(a, "yes", capability=dmp)
    c = client_for(world, "member_a")

    def grid() -> dict:
        r = c.get(url("compare"), {"logiciels": ["alpha-soft", "beta-soft"]})
        return {row.label: row.cells for row in r.context["grid"].rows}

    assert grid()["Dmp"] == ["oui", "non renseigné"]
    # A fact recorded by the federation's staff, a capability added by the reference loader.
    services.fact_record(
        actor=world.users["staff_a"], software=b, source="verified", value="yes", capability=dmp
    )
    CapabilityFactory(code="agenda", label="Agenda partagé")
    rows = grid()
    assert rows["Dmp"] == ["oui", "oui"] and rows["Agenda partagé"] == ["non renseigné"] * 2
    # Requirements and an explicit coverage row.
    dimension = RequirementDimension.objects.create(code="zz", label="Dimension Z", position=99)
    requirement = Requirement.objects.create(
        dimension=dimension, code="ZZ-1", label="Exigence Z", level="standard"
    )
    assert grid()["Dimension Z"] == ["1 / 1", "1 / 1"]  # a valid standard label covers it
    RequirementCoverage.objects.create(
        software=b, requirement=requirement, covered=False, source="verified"
    )
    assert grid()["Dimension Z"] == ["1 / 1", "0 / 1"]


def test_adoption_counts_the_projects(world) -> None:  # noqa: ANN001
    a, b = labelled("alpha-soft"), labelled("beta-soft")
    deploy(world, software=a)  # MSP A1, deployed
    deploy(world, centre=world.centre_b, software=a)  # another federation
    chosen = deploy(world, centre=world.centre_a2, software=b)
    chosen.deployed_on = None  # chosen, not deployed yet
    chosen.save(update_fields=["deployed_on"])
    expected = {
        r["chosen_software_id"]: r
        for r in Project.objects.filter(chosen_software__in=[a, b])
        .values("chosen_software_id")
        .annotate(
            n=Count("pk"),
            deployed=Count("pk", filter=Q(deployed_on__isnull=False)),
            fed=Count("pk", filter=Q(federation=world.federation_a)),
            fed_deployed=Count(
                "pk", filter=Q(federation=world.federation_a, deployed_on__isnull=False)
            ),
        )
    }
    counts = selectors.adoption([a.pk, b.pk], federation=world.federation_a)
    assert set(counts) == set(expected) and a.pk in counts
    for pk, r in expected.items():
        assert counts[pk] == selectors.Adoption(
            federation=r["fed"],
            federation_deployed=r["fed_deployed"],
            national=r["n"],
            national_deployed=r["deployed"],
        )
    national = selectors.adoption([a.pk], federation=None)[a.pk]
    assert national.federation == 0 and national.national == expected[a.pk]["n"]
    assert selectors.adoption([]) == {}


def test_the_filter_widgets_write_the_html_of_django_s(world) -> None:  # noqa: ANN001
    from django import forms
    from django.utils.html import escape

    from vendors.forms import PROFESSION_CHOICES, PlainCheckboxGrid, PlainSelect

    class Django(forms.Form):
        p = forms.ChoiceField(choices=PROFESSION_CHOICES, required=False, help_text="Aide")
        boxes = forms.MultipleChoiceField(
            choices=[("a", "A & co"), ("b", "B")], widget=forms.CheckboxSelectMultiple
        )

    class Plain(forms.Form):
        p = forms.ChoiceField(
            choices=PROFESSION_CHOICES, required=False, help_text="Aide", widget=PlainSelect
        )
        boxes = forms.MultipleChoiceField(
            choices=[("a", "A & co"), ("b", "B")], widget=PlainCheckboxGrid
        )

    for data in (None, {"p": "infirmier", "boxes": ["b"]}, {"p": "inconnue"}):
        assert parse_html(str(Plain(data)["p"])) == parse_html(str(Django(data)["p"]))
        boxes = Django(data)["boxes"]
        expected = "".join(
            f'<div>{cb.tag()} <label for="{cb.id_for_label}">{escape(cb.choice_label)}</label>'
            "</div>"
            for cb in boxes
        )
        assert parse_html(str(Plain(data)["boxes"])) == parse_html(
            f'<div class="checkbox-grid">{expected}</div>'
        )
    assert 'aria-invalid="true"' in str(Plain({"p": "inconnue"})["p"])


def test_the_comparator_keeps_the_boxes_ticked_and_escapes_the_cells(world) -> None:  # noqa: ANN001
    alpha = labelled("alpha-soft", name="Alpha <Soft>")
    labelled("beta-soft", name="Beta Soft")
    fact(alpha, "<b>24 h</b>", key="hotline")
    body = (
        client_for(world, "member_a")
        .get(url("compare"), {"logiciels": ["alpha-soft", "beta-soft"]})
        .content.decode()
    )
    box = re.search(r'value="alpha-soft" id="(id_logiciels_\d+)" checked>', body)
    assert box and f'<label for="{box[1]}">Alpha &lt;Soft&gt;</label>' in body
    assert re.search(r'value="beta-soft" id="id_logiciels_\d+" checked>', body)
    assert not re.search(r'value="logiciel-x" id="id_logiciels_\d+" checked>', body)
    assert "&lt;b&gt;24 h&lt;/b&gt;" in body and "<b>24 h</b>" not in body


def test_every_process_computes_its_copies_again_after_a_write_elsewhere(
    world, monkeypatch
) -> None:  # noqa: ANN001
    from django.core.cache import cache

    from vendors import memo

    labelled("omega", name="Omega")
    assert queries(selectors.catalogue_entries) == 2
    assert queries(selectors.catalogue_entries) == 0
    # Another process recorded a change: this one sees the new generation on its next view.
    cache.set(memo.GENERATION_KEY, "written-elsewhere", None)
    assert queries(selectors.catalogue_entries) == 2
    # The shared cache lost the generation (restart, eviction): a new one, copies computed again.
    cache.delete(memo.GENERATION_KEY)
    assert queries(selectors.catalogue_entries) == 2
    assert queries(selectors.catalogue_entries) == 0
    # A copy is computed again after MAX_AGE_SECONDS even without a write seen.
    later = memo._now() + memo.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(memo, "_now", lambda: later)
    assert queries(selectors.catalogue_entries) == 2


def test_the_catalogue_page_decorates_copies_of_the_shared_entries(world) -> None:  # noqa: ANN001
    sw = labelled("omega", name="Omega")
    deploy(world, software=sw)
    page_a = client_for(world, "member_a").get(url("catalogue")).context["page"]
    row = next(e for e in page_a if e.slug == "omega")
    assert row.adoption.federation == 1 and row.detail_url.endswith("/fiche/omega/")
    beta = Client()
    beta.force_login(world.users["member_b"])
    r = beta.get(reverse("vendors:catalogue", kwargs={"federation_slug": "beta"}))
    assert next(e for e in r.context["page"] if e.slug == "omega").adoption.federation == 0
    shared = next(e for e in selectors.catalogue_entries() if e.slug == "omega")
    assert shared.adoption is None and shared.detail_url == ""


def test_the_catalogue_rows_are_escaped_labelled_and_translated(world, settings) -> None:  # noqa: ANN001
    settings.VENDORS_MIN_RATINGS = 3
    labelled("omega", name="<Omega>", perimeter="cds", version="2.1 <beta>")
    c = client_for(world, "member_a")
    body = c.get(url("catalogue"), {"q": "omega"}).content.decode()
    assert '<a href="/alpha/logiciels/fiche/omega/">&lt;Omega&gt;</a>' in body
    assert '<span class="muted">2.1 &lt;beta&gt;</span>' in body
    assert '<td data-label="Périmètre"><span class="badge warn">centres de santé' in body
    assert '<span class="badge ok">standard</span>' in body and "V2, 1 janvier 2017" in body
    assert '<span class="muted">moins de 3 avis</span>' in body
    english = c.get(url("catalogue"), {"q": "omega"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert b'data-label="Scope"' in english and b"health centres only" in english
    empty = c.get(url("catalogue"), {"q": "zzz"}).content.decode()
    assert '<td colspan="7">Aucun logiciel ne correspond à ces critères.</td>' in empty


def test_the_home_page_counts_labelled_products_from_the_cache(world) -> None:  # noqa: ANN001
    from vendors.models import Software

    def truth() -> int:
        return Software.objects.filter(is_active=True, label_level__gt="").count()

    before = selectors.labelled_software_count()
    assert before == truth()
    assert queries(selectors.labelled_software_count) == 0
    sw = labelled("omega", name="Omega")  # a new labelled product: counted at once
    assert selectors.labelled_software_count() == before + 1 == truth()
    home = client_for(world, "member_a").get(reverse("federations:home", args=["alpha"]))
    counts = [
        p.context["software_count"] for p in home.context["panels"] if "software_count" in p.context
    ]
    assert counts == [before + 1]
    sw.is_active = False
    sw.save()
    assert selectors.labelled_software_count() == before == truth()
