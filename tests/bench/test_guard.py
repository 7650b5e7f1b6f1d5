"""The benchmark never touches a database that is not its own: a name that is not capsi_bench…,
or a capsi_bench… database it did not create (no marker, or another dataset's marker), is refused
with one clear line and a non-zero exit, before anything is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import database
from bench.database import Marker, Refused

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["test", "postgres", "capsi", "test_capsi_bench", "capsi-bench"])
def test_a_database_that_is_not_the_benchmarks_is_refused(name):
    with pytest.raises(Refused, match=f"refusing database '{name}'"):
        database.check_name(name)


def test_the_default_database_is_named_after_the_scale():
    assert database.resolve(None, 1).name == "capsi_bench_1"
    assert database.resolve(None, 0.1).name == "capsi_bench_0_1"
    target = database.resolve("postgres://bench@db.example:6543", 0.01)
    assert target.url == "postgres://bench@db.example:6543/capsi_bench_0_01"
    # A URL that names a database uses that database (and is then checked like any other).
    assert database.resolve("postgres://postgres@127.0.0.1:5432/test", 1).name == "test"


@pytest.mark.parametrize(
    "comment",
    [None, "", "Production data, do not touch", "capsi-bench", "capsi-bench seed=x scale=1"],
)
def test_a_bench_named_database_without_the_marker_is_refused(comment):
    with pytest.raises(Refused, match="not created by the benchmark"):
        database.check_existing("capsi_bench_1", comment, scale=1, seed=1)


def test_a_marked_database_of_another_dataset_is_refused():
    other = Marker(seed=1, scale="0.1", generator="abc", state="ready").text()
    with pytest.raises(Refused, match="holds the dataset of scale 0.1 seed 1, not scale 1 seed 1"):
        database.check_existing("capsi_bench_1", other, scale=1, seed=1)


def test_the_benchmarks_own_marker_is_accepted():
    marker = Marker(seed=1, scale="0.1", generator="abc123", state="ready")
    assert database.check_existing("capsi_bench_0_1", marker.text(), scale=0.1, seed=1) == marker


def _run(args: list[str], env_changes: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_harness_refuses_the_test_database_with_one_line():
    done = _run(
        ["-m", "bench", "--scale", "0.01"],
        {"BENCH_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"},
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "bench: refusing database 'test': the benchmark only uses its own databases, named "
        "capsi_bench…"
    ]
    assert done.stdout == ""


def test_the_bench_settings_refuse_another_database():
    done = _run(
        ["manage.py", "check"],
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            "CAPSI_BENCH_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        },
    )
    assert done.returncode == 1
    assert "Le banc ne tourne que sur sa propre base PostgreSQL capsi_bench" in done.stderr
    assert "(reçu : test)" in done.stderr
