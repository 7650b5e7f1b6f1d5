"""Celery's settings hold together, and a bad combination is reported at start-up."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from deliverables.checks import celery_config_problems, check_celery_settings, conf_from_celery
from tests.workers import WorkerPool

GOOD = {
    "task_time_limit": 180,
    "task_soft_time_limit": 120,
    "broker_transport_options": {"visibility_timeout": 600},
    "worker_prefetch_multiplier": 1,
    "task_acks_late": True,
    "task_reject_on_worker_lost": True,
    "capsi_stale_seconds": 900,
    "capsi_backoff_max": 300,
}


def ids(conf: dict) -> set[str]:
    return {check_id for check_id, _message in celery_config_problems(conf)}


def test_project_settings_pass_the_checks() -> None:
    assert check_celery_settings() == []
    from config.celery import app

    assert celery_config_problems(conf_from_celery(app)) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"broker_transport_options": {"visibility_timeout": 500}, "task_time_limit": 500},
            "deliverables.E004",
        ),
        ({"broker_transport_options": {}}, None),  # Redis default: one hour, longer than 180 s
        ({"task_soft_time_limit": 180}, "deliverables.E003"),
        ({"task_soft_time_limit": 300}, "deliverables.E003"),
        ({"task_time_limit": None}, "deliverables.E001"),
        ({"task_soft_time_limit": None}, "deliverables.E002"),
        ({"worker_prefetch_multiplier": 4}, "deliverables.E005"),
        ({"task_acks_late": False}, "deliverables.E006"),
        ({"task_reject_on_worker_lost": False}, "deliverables.E007"),
        ({"capsi_backoff_max": 600}, "deliverables.E008"),
        ({"capsi_stale_seconds": 120}, "deliverables.E009"),
    ],
)
def test_each_bad_combination_is_reported(change: dict, expected: str | None) -> None:
    assert ids({**GOOD, **change}) == ({expected} if expected else set())


@pytest.mark.django_db
def test_manage_py_check_fails_on_a_visibility_timeout_shorter_than_the_hard_limit(
    settings,  # noqa: ANN001
) -> None:
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60}
    with pytest.raises(SystemCheckError, match="deliverables.E004"):
        call_command("check")


@pytest.mark.django_db
def test_manage_py_check_fails_when_prefetch_is_not_one(settings) -> None:  # noqa: ANN001
    settings.CELERY_WORKER_PREFETCH_MULTIPLIER = 4
    settings.CELERY_TASK_ACKS_LATE = False
    with pytest.raises(SystemCheckError) as error:
        call_command("check")
    assert "deliverables.E005" in str(error.value)
    assert "deliverables.E006" in str(error.value)


@pytest.mark.worker
def test_a_worker_with_bad_settings_refuses_to_start(transactional_db, tmp_path) -> None:  # noqa: ANN001
    pool = WorkerPool(tmp_dir=tmp_path)
    try:
        worker = pool.start(
            env={"CELERY_VISIBILITY_TIMEOUT": "60", "CELERY_TASK_TIME_LIMIT": "180"},
            wait_ready=False,
        )
        worker.process.wait(timeout=45)
        assert worker.process.returncode != 0
        assert "deliverables.E004" in worker.log()
        assert "visibility timeout (60 s)" in worker.log()
    finally:
        pool.stop_all()
