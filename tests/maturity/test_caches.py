"""The two figures the maturity pages keep in the cache, and what forgets them.

- The federation's medians (per framework version): closing a campaign, deleting a closed one
  or loading the demo draws a new token, so no figure computed before is served again — even
  one written by a page that was computing it while the campaign closed. Still only from five
  MSPs.
- A dimension's structure (axis, characteristics), national reference data shared by every
  campaign rating it: adding a characteristic, rewriting a framework file or editing in the
  admin forgets it."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import AdminSite
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from federations.models import HealthCentre
from maturity import reference, selectors, services
from maturity.admin import AxisAdmin
from maturity.models import Axis, Campaign, CampaignPhase, Characteristic, Dimension
from tests.maturity.test_results import closed_campaign
from tests.maturity.world import make_campaign

pytestmark = pytest.mark.django_db


def peers(world, n: int) -> list[HealthCentre]:  # noqa: ANN001
    return [
        HealthCentre.objects.create(federation=world.federation_a, name=f"MSP Pair {i}")
        for i in range(n)
    ]


def queries(func) -> tuple[object, int]:  # noqa: ANN001
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return result, len(ctx.captured_queries)


# --- federation medians ---------------------------------------------------------------------


def test_the_medians_are_read_once_then_served_from_the_cache(world, framework) -> None:  # noqa: ANN001
    mine = closed_campaign(world, framework, world.centre_a2, 2025, "oui")
    for centre in peers(world, 4):
        closed_campaign(world, framework, centre, 2025, "non")
    first, n_first = queries(lambda: selectors.federation_comparison(campaign=mine))
    again, n_again = queries(lambda: selectors.federation_comparison(campaign=mine))
    assert first.available and first.peers == 5
    assert again == first
    assert n_first >= 4 and n_again == 0


def test_closing_a_campaign_refreshes_the_medians_at_once_and_after_commit(
    world,
    framework,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    mine = closed_campaign(world, framework, world.centre_a2, 2025, "oui")
    centres = peers(world, 4)
    for centre in centres[:3]:
        closed_campaign(world, framework, centre, 2025, "non")
    # Four MSPs: no figure, and this answer is what the cache now holds.
    assert selectors.federation_comparison(campaign=mine).available is False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        closed_campaign(world, framework, centres[3], 2025, "oui")
    assert callbacks  # the token is drawn again once the transaction commits
    comparison = selectors.federation_comparison(campaign=mine)
    assert comparison.available and comparison.peers == 5
    # Scores 100, 0, 0, 0, 100 → median 0.
    assert set(comparison.medians.values()) == {0.0}


def test_a_figure_computed_while_a_campaign_closed_is_never_served(world, framework) -> None:  # noqa: ANN001
    """A page reads the token, computes from the data before the commit, and writes its figure
    after the campaign closed: the figure carries the old token and is ignored."""
    mine = closed_campaign(world, framework, world.centre_a2, 2025, "oui")
    for centre in peers(world, 4):
        closed_campaign(world, framework, centre, 2025, "non")
    token_key, value_key = selectors._medians_keys(world.federation_a.pk, framework.pk)
    stale = selectors.FederationComparison(peers=4, available=False)
    old_token = cache.get(token_key)
    selectors.invalidate_federation_medians(federation_id=world.federation_a.pk)
    cache.set(value_key, (old_token, stale))  # the late write of the slow page
    comparison = selectors.federation_comparison(campaign=mine)
    assert comparison.available and comparison.peers == 5


def test_deleting_a_closed_campaign_forgets_the_medians(world, framework) -> None:  # noqa: ANN001
    mine = closed_campaign(world, framework, world.centre_a2, 2025, "oui")
    others = [closed_campaign(world, framework, c, 2025, "non") for c in peers(world, 4)]
    assert selectors.federation_comparison(campaign=mine).peers == 5
    others[0].delete()
    comparison = selectors.federation_comparison(campaign=mine)
    assert (comparison.peers, comparison.available, comparison.medians) == (4, False, {})


def test_the_medians_of_each_federation_and_framework_are_kept_apart(world, framework) -> None:  # noqa: ANN001
    mine = closed_campaign(world, framework, world.centre_a2, 2025, "oui")
    for centre in peers(world, 4):
        closed_campaign(world, framework, centre, 2025, "non")
    assert selectors.federation_comparison(campaign=mine).available
    theirs = make_campaign(
        federation=world.federation_b,
        centre=world.centre_b,
        framework=framework,
        year=2025,
        phase=CampaignPhase.CLOSED,
    )
    assert selectors.federation_comparison(campaign=theirs).peers == 1


# --- dimension structure ----------------------------------------------------------------------


def test_the_structure_of_a_campaign_comes_from_the_cache_the_second_time(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    first, n_first = queries(lambda: selectors.campaign_structure(campaign=campaign))
    again, n_again = queries(lambda: selectors.campaign_structure(campaign=campaign))
    assert n_first == 3 and n_again == 1  # the campaign's dimension ids only
    flat = [(c.pk, c.text, c.dimension_id) for c in selectors.characteristics_of(again)]
    assert flat == [(c.pk, c.text, c.dimension_id) for c in selectors.characteristics_of(first)]
    assert [b.axis.name for b in again] == [b.axis.name for b in first]


def test_a_characteristic_added_to_a_federation_dimension_shows_in_the_next_campaign(
    world,
    framework,  # noqa: ANN001
) -> None:
    axis = framework.axes.get(code="systeme-information")
    dimension = services.dimension_add(
        actor=None,
        federation=world.federation_a,
        axis=axis,
        name="Téléexpertise",
        characteristics=["Les demandes passent par la messagerie sécurisée."],
    )
    # Something read its structure before (a campaign since deleted, for instance).
    assert len(selectors.dimension_blocks([dimension.pk])[0].characteristics) == 1
    services.characteristic_add(
        actor=None,
        federation=world.federation_a,
        dimension=dimension,
        text="Les comptes rendus reviennent dans le dossier.",
    )
    texts = [c.text for c in selectors.dimension_blocks([dimension.pk])[0].characteristics]
    assert texts == [
        "Les demandes passent par la messagerie sécurisée.",
        "Les comptes rendus reviennent dans le dossier.",
    ]


def test_rewriting_an_unused_framework_file_forgets_its_structure(tmp_path) -> None:  # noqa: ANN001
    source = reference.DATA_DIR / "has-matrice-2014.yaml"
    text = source.read_text(encoding="utf-8").replace('version: "2014"', 'version: "essai"', 1)
    path = tmp_path / "copie.yaml"
    path.write_text(text, encoding="utf-8")
    framework = reference.load_file(path).framework
    dimension = Dimension.objects.filter(axis__framework=framework).first()
    before = selectors.dimension_blocks([dimension.pk])[0]
    name = before.dimension.name
    path.write_text(text.replace(f"name: {name}", f"name: {name} (révisée)", 1), encoding="utf-8")
    assert reference.load_file(path).outcome == "updated"
    assert selectors.dimension_blocks([dimension.pk])[0].dimension.name == f"{name} (révisée)"


def test_an_axis_renamed_in_the_admin_is_renamed_on_the_pages(world) -> None:  # noqa: ANN001
    campaign = world.objects["maturity_campaign"]
    structure = selectors.campaign_structure(campaign=campaign)
    axis = Axis.objects.get(pk=structure[0].axis.pk)
    axis.name = "Système d'information partagé"
    request = RequestFactory().post("/")
    AxisAdmin(Axis, AdminSite()).save_model(request, axis, form=None, change=True)
    assert selectors.campaign_structure(campaign=campaign)[0].axis.name == axis.name


def test_a_characteristic_deleted_in_the_admin_leaves_the_structure(world, framework) -> None:  # noqa: ANN001
    from maturity.admin import CharacteristicAdmin

    dimension = services.dimension_add(
        actor=None,
        federation=world.federation_a,
        axis=framework.axes.get(code="systeme-information"),
        name="Agenda partagé",
        characteristics=["Un agenda commun.", "Des créneaux pour les soins non programmés."],
    )
    assert len(selectors.dimension_blocks([dimension.pk])[0].characteristics) == 2
    admin = CharacteristicAdmin(Characteristic, AdminSite())
    admin.delete_model(RequestFactory().post("/"), dimension.characteristics.last())
    assert len(selectors.dimension_blocks([dimension.pk])[0].characteristics) == 1


def test_a_campaign_s_structure_follows_the_order_of_the_framework(world, framework) -> None:  # noqa: ANN001
    campaign = make_campaign(
        federation=world.federation_a,
        centre=world.centre_a2,
        framework=framework,
        year=2024,
    )
    expected = list(
        campaign.dimensions.order_by("axis__position", "position", "pk").values_list(
            "pk", flat=True
        )
    )
    for _ in range(2):  # from the database, then from the cache
        blocks = selectors.campaign_structure(campaign=campaign)
        assert [d.dimension.pk for a in blocks for d in a.dimensions] == expected
        for a in blocks:
            for d in a.dimensions:
                assert [c.pk for c in d.characteristics] == list(
                    Characteristic.objects.filter(dimension=d.dimension)
                    .order_by("position", "pk")
                    .values_list("pk", flat=True)
                )
    assert Campaign.objects.filter(pk=campaign.pk).exists()
