"""Fit of the products to a team's needs: must-haves filter, should/could weigh in, questions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.vendors.factories import capability, fact, labelled
from tests.vendors.world import deploy
from vendors import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(world):  # noqa: ANN001, ANN201
    from projects.models import Need

    project = deploy(world)
    Need.objects.filter(project=project).delete()  # the projects world's own needs
    nurse_billing = capability("facturation-infirmier", "infirmier")
    dmp = capability("dmp")
    mobility = capability("mobilite")
    a = labelled("alpha-soft", name="Alpha Soft")
    b = labelled("beta-soft", name="Beta Soft")
    c = labelled("gamma-soft", name="Gamma Soft", perimeter="cds")
    fact(a, "yes", capability=nurse_billing)
    fact(a, "partial", capability=dmp)
    fact(a, "no", capability=mobility)
    fact(b, "partial", capability=nurse_billing)  # must-have only partly met: set aside
    fact(b, "yes", capability=dmp)
    fact(b, "yes", capability=mobility)
    fact(c, "yes", capability=nurse_billing)
    fact(c, "yes", capability=dmp)
    fact(c, "yes", capability=mobility)
    common = {"federation": world.federation_a, "project": project}
    Need.objects.create(
        **common,
        title="Facturer les actes infirmiers",
        priority="must",
        profession="infirmier",
        capability=nurse_billing,
    )
    Need.objects.create(**common, title="Alimenter le DMP", priority="should", capability=dmp)
    Need.objects.create(
        **common, title="Consulter le dossier en visite", priority="could", capability=mobility
    )
    Need.objects.create(**common, title="Planifier les réunions de concertation", priority="could")
    return project


def test_must_haves_filter_and_weights_explain_the_score(world, needs) -> None:  # noqa: ANN001
    results, _needs = selectors.fit_ranking(needs)
    by_slug = {r.software.slug: r for r in results}
    gamma, alpha, beta = by_slug["gamma-soft"], by_slug["alpha-soft"], by_slug["beta-soft"]
    assert not beta.eligible
    assert [c.need.title for c in beta.failed_musts] == ["Facturer les actes infirmiers"]
    # should = 3, could = 1 + 1: gamma meets DMP (3) and mobility (1) = 4 / 5.
    assert (gamma.earned, gamma.possible, gamma.score) == (4, 5, 80)
    # alpha: DMP partly (1.5), mobility no (0), the undocumented need 0 = 1.5 / 5.
    assert (alpha.earned, alpha.score) == (1.5, 30)
    eligible = [r.software.slug for r in results if r.eligible]
    assert eligible.index("gamma-soft") < eligible.index("alpha-soft")
    assert "beta-soft" not in eligible
    assert gamma.warnings  # label for centres de santé only: the ACI criterion is not met
    assert not alpha.warnings


def test_unmet_needs_become_demo_questions(world, needs) -> None:  # noqa: ANN001
    results, _ = selectors.fit_ranking(needs)
    alpha = next(r for r in results if r.software.slug == "alpha-soft")
    text = " ".join(alpha.questions)
    assert "« Alimenter le DMP »" in text and "en partie" in text
    assert "« Consulter le dossier en visite »" in text
    assert "Planifier les réunions de concertation" in text  # no capability: ask to see it
    assert "Facturer les actes infirmiers" not in text  # met


def test_fit_page_for_the_team_and_not_for_another_msp(world, needs) -> None:  # noqa: ANN001
    url = reverse("vendors:fit", args=["alpha", needs.pk])
    c = Client()
    c.force_login(world.users["coordinator_a"])
    r = c.get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert "Questions à poser pendant la démonstration" in body
    assert "Logiciels écartés par un besoin indispensable" in body and "Beta Soft" in body
    c.force_login(world.users["member_a2"])
    assert c.get(url).status_code == 404
    c.force_login(world.users["staff_b"])
    assert c.get(reverse("vendors:fit", args=["beta", needs.pk])).status_code == 404
