"""A real Celery worker against the Redis of the machine (see tests/workers.py)."""

from __future__ import annotations

import time

import pytest

from deliverables import services
from deliverables.models import Deliverable, DeliverableStatus
from tests.deliverables.kinds import SAMPLE_KIND
from tests.factories import FederationFactory, UserFactory
from tests.workers import publishing_to, wait_for

pytestmark = pytest.mark.worker

KINDS = ["tests.deliverables.kinds"]


@pytest.fixture
def federation(transactional_db):  # noqa: ANN001, ANN201
    return FederationFactory()


def request(federation, title: str = "Rapport", **params) -> Deliverable:  # noqa: ANN001
    assert SAMPLE_KIND.kind == "tests.sample"
    return services.deliverable_request(
        actor=UserFactory(),
        kind="tests.sample",
        title=title,
        federation=federation,
        params=params,
    )


def status_of(deliverable: Deliverable) -> str:
    return Deliverable.objects.values_list("status", flat=True).get(pk=deliverable.pk)


def test_real_worker_turns_a_deliverable_ready(celery_workers, federation) -> None:  # noqa: ANN001
    celery_workers.start(include=KINDS)
    deliverable = request(federation, body="rendu par un vrai worker")
    wait_for(
        lambda: status_of(deliverable) == DeliverableStatus.READY,
        timeout=60,
        message=f"deliverable ready\n{celery_workers.logs()}",
    )
    deliverable.refresh_from_db()
    assert deliverable.attempts == 1
    assert services.deliverable_files(deliverable.pk) == [deliverable.file.name]
    with deliverable.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"


# A worker whose messages come back quickly when it dies: visibility timeout 10 s, scanned
# every second; the time limits and back-off stay below it (the start-up check insists).
FAST_REDELIVERY = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "6",
    "CELERY_TASK_TIME_LIMIT": "8",
    "CELERY_VISIBILITY_TIMEOUT": "10",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    "CAPSI_DELIVERABLE_RETRY_BACKOFF_MAX": "5",
}


def test_worker_killed_mid_render_the_next_worker_completes_it_once(
    celery_workers,  # noqa: ANN001
    federation,  # noqa: ANN001
) -> None:
    first = celery_workers.start(include=KINDS, env=FAST_REDELIVERY)
    deliverable = request(federation, title="Rendu lent", sleep_first=5)
    wait_for(
        lambda: status_of(deliverable) == DeliverableStatus.RENDERING,
        timeout=60,
        message=f"render started\n{celery_workers.logs()}",
    )
    first.kill()  # SIGKILL: the message was not acknowledged
    assert not first.alive()
    time.sleep(5.5)  # the render would have finished by now had the worker lived
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.RENDERING
    assert services.deliverable_files(deliverable.pk) == []

    celery_workers.start(include=KINDS, env=FAST_REDELIVERY)
    wait_for(
        lambda: status_of(deliverable) == DeliverableStatus.READY,
        timeout=60,
        message=f"deliverable ready after redelivery\n{celery_workers.logs()}",
    )
    time.sleep(1)  # nothing renders it a third time
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.READY
    assert deliverable.attempts == 2  # the killed render and the completed one
    assert services.deliverable_files(deliverable.pk) == [deliverable.file.name]
    assert celery_workers.queued_messages() == 0


def test_redis_flushed_mid_way_the_sweeper_gets_every_deliverable_ready_once(
    celery_workers,  # noqa: ANN001
    federation,  # noqa: ANN001
    settings,  # noqa: ANN001
) -> None:
    deliverables = [request(federation, title=f"Lot {n}", sleep=0.4) for n in range(6)]
    assert celery_workers.queued_messages() == 6
    celery_workers.start(include=KINDS)
    wait_for(
        lambda: Deliverable.objects.filter(status=DeliverableStatus.READY).exists(),
        timeout=60,
        message=f"a first deliverable ready\n{celery_workers.logs()}",
    )
    celery_workers.redis().flushdb()  # Redis keeps nothing on disk: a restart looks like this
    # What was in the worker's hands gets finished (prefetch 1: nothing else is held back);
    # the rest of the queue is lost.
    wait_for(
        lambda: not Deliverable.objects.filter(status=DeliverableStatus.RENDERING).exists(),
        timeout=60,
        message="the render in progress to finish",
    )
    time.sleep(1)
    lost = Deliverable.objects.exclude(status=DeliverableStatus.READY).count()
    assert lost >= 3, "the flush should have lost queued messages"
    assert Deliverable.objects.filter(status=DeliverableStatus.QUEUED).count() >= 3

    settings.CAPSI_DELIVERABLE_STALE_SECONDS = 0
    swept = services.deliverables_sweep_stale()
    assert len(swept) == lost
    wait_for(
        lambda: Deliverable.objects.filter(status=DeliverableStatus.READY).count() == 6,
        timeout=60,
        message=f"every deliverable ready\n{celery_workers.logs()}",
    )
    for deliverable in deliverables:
        deliverable.refresh_from_db()
        assert services.deliverable_files(deliverable.pk) == [deliverable.file.name]


def test_redis_down_at_enqueue_row_stays_queued_then_sweeper_sends_it(
    celery_workers,  # noqa: ANN001
    federation,  # noqa: ANN001
    settings,  # noqa: ANN001
) -> None:
    with publishing_to("redis://127.0.0.1:1/0", celery_workers.queue):  # nothing listens there
        deliverable = request(federation, title="Pendant la panne")
    assert status_of(deliverable) == DeliverableStatus.QUEUED
    assert celery_workers.queued_messages() == 0

    # The broker is back: the sweeper finds the row and a worker renders it.
    settings.CAPSI_DELIVERABLE_STALE_SECONDS = 0
    assert services.deliverables_sweep_stale() == [str(deliverable.pk)]
    assert celery_workers.queued_messages() == 1
    celery_workers.start(include=KINDS)
    wait_for(
        lambda: status_of(deliverable) == DeliverableStatus.READY,
        timeout=60,
        message=f"deliverable ready\n{celery_workers.logs()}",
    )
    assert services.deliverable_files(deliverable.pk) == [
        Deliverable.objects.get(pk=deliverable.pk).file.name
    ]


def test_a_render_longer_than_the_soft_time_limit_fails_with_its_reason(
    celery_workers,  # noqa: ANN001
    federation,  # noqa: ANN001
    settings,  # noqa: ANN001
) -> None:
    limits = {"CELERY_TASK_SOFT_TIME_LIMIT": "2", "CELERY_TASK_TIME_LIMIT": "5"}
    celery_workers.start(include=KINDS, env={**FAST_REDELIVERY, **limits})
    # The limits travel in the message: web and workers share the same settings.
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 2
    settings.CELERY_TASK_TIME_LIMIT = 5
    deliverable = request(federation, title="Trop long", sleep=4)
    wait_for(
        lambda: status_of(deliverable) == DeliverableStatus.FAILED,
        timeout=60,
        message=f"deliverable failed\n{celery_workers.logs()}",
    )
    deliverable.refresh_from_db()
    assert deliverable.error == "La génération a dépassé le temps imparti (2 s)."
    assert deliverable.attempts == 1
    assert services.deliverable_files(deliverable.pk) == []


def test_a_transient_error_is_retried_after_a_back_off(celery_workers, federation) -> None:  # noqa: ANN001
    celery_workers.start(
        include=KINDS, env={**FAST_REDELIVERY, "CAPSI_DELIVERABLE_RETRY_BACKOFF": "2"}
    )
    deliverable = request(federation, title="Disque capricieux", fail_until=2)
    # First attempt fails: the row says it will try again, with the reason.
    wait_for(
        lambda: Deliverable.objects.filter(pk=deliverable.pk, attempts=1, status="queued").exists(),
        timeout=60,
        message=f"first attempt failed\n{celery_workers.logs()}",
    )
    failed_at = time.monotonic()
    assert "OSError" in Deliverable.objects.get(pk=deliverable.pk).error
    wait_for(
        lambda: status_of(deliverable) == DeliverableStatus.READY,
        timeout=60,
        message=f"deliverable ready after retry\n{celery_workers.logs()}",
    )
    assert time.monotonic() - failed_at >= 1.5  # the back-off (2 s) was waited
    deliverable.refresh_from_db()
    assert deliverable.attempts == 2 and deliverable.error == ""
    assert services.deliverable_files(deliverable.pk) == [deliverable.file.name]
