"""The national dataset generator: sizes checked with a clear message, never in production,
never twice in the same database, deterministic, and it says what it created."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from accounts.models import User
from federations.models import Federation, HealthCentre, Membership
from federations.national import BENCH_PASSWORD, SizeError, Sizes

SMALL = [
    "--federations=3",
    "--centres=9",
    "--members=90",
    "--projects=9",
    "--software=16",
    "--user-groups=3",
    "--sessions=6",
    "--feedback=30",
]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_national", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--centres=-5"], "MSP : au moins 1 (reçu -5)"),
        (["--members=100000000"], "membres : 100000000 est hors de proportion"),
        (["--federations=0"], "fédérations : au moins 1"),
        (["--scale=0"], "L'échelle doit être comprise entre 0 (exclu) et 10"),
        (["--scale=-1"], "L'échelle doit être comprise entre 0 (exclu) et 10"),
        (["--scale=1000"], "L'échelle doit être comprise entre 0 (exclu) et 10"),
        (["--centres=10", "--projects=11"], "projets ≤ MSP"),
        (["--federations=5", "--centres=3"], "au moins une MSP par fédération"),
    ],
)
@pytest.mark.django_db
def test_bad_sizes_are_refused_with_a_clear_message_and_nothing_is_written(
    args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        _run(*args)
    assert not Federation.objects.exists()
    assert not User.objects.exists()


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(SizeError) as caught:
        Sizes(centres=-1, feedback=10**9).validate()
    assert "MSP : au moins 1" in str(caught.value)
    assert "retours : 1000000000 est hors de proportion" in str(caught.value)


@pytest.mark.django_db
def test_production_settings_are_refused(settings) -> None:  # noqa: ANN001
    settings.CAPSI_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="jamais en production"):
        _run(*SMALL)
    assert not Federation.objects.exists()


@pytest.mark.django_db
def test_a_small_dataset_is_generated_reported_and_usable(client) -> None:  # noqa: ANN001
    output = _run("--seed=5", *SMALL)

    assert Federation.objects.filter(slug__startswith="nat").count() == 3
    assert HealthCentre.objects.count() == 9
    msp_people = Membership.objects.filter(role__in=["coordinator", "member"])
    assert msp_people.count() == 90
    assert msp_people.filter(role="coordinator").count() == 9  # one per MSP
    # Written in bulk, the memberships still carry their person's name for the people page.
    assert not Membership.objects.exclude(
        sort_last_name=F("user__last_name"), sort_email=F("user__email")
    ).exists()
    # Every DIM follows MSPs of their own federation only.
    for dim in Membership.objects.filter(role="dim").prefetch_related("assigned_centres"):
        assert dim.assigned_centres.exists()
        assert {c.federation_id for c in dim.assigned_centres.all()} == {dim.federation_id}
    # The report names what was created, with its count, and the accounts to sign in with.
    assert re.search(r"MSP\s+9\n", output)
    assert "Comptes du banc" in output and BENCH_PASSWORD in output
    assert "staff@nat01.bench.test" in output
    # Those accounts really sign in, and see their federation.
    assert client.login(email="staff@nat01.bench.test", password=BENCH_PASSWORD)
    assert client.get("/nat01/").status_code == 200

    with pytest.raises(CommandError, match="contient déjà un jeu de données national"):
        _run("--seed=5", *SMALL)


def _fingerprint() -> list[tuple]:
    return sorted(
        Membership.objects.values_list(
            "federation__slug", "user__email", "user__last_name", "role", "profession",
            "health_centre__name", "health_centre__city",
        )
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    _run("--seed=11", *SMALL)
    first = _fingerprint()
    Federation.objects.all().delete()
    User.objects.all().delete()
    _run("--seed=11", *SMALL)
    assert _fingerprint() == first
    Federation.objects.all().delete()
    User.objects.all().delete()
    _run("--seed=12", *SMALL)
    assert _fingerprint() != first
