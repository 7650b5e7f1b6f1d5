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
        timeout=30,
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
    deliverable = request(federation, title="Rendu lent", sleep=3)
    wait_for(
        lambda: status_of(deliverable) == DeliverableStatus.RENDERING,
        timeout=20,
        message=f"render started\n{celery_workers.logs()}",
    )
    first.kill()  # SIGKILL: the message was not acknowledged
    assert not first.alive()
    time.sleep(3.5)  # the render would have finished by now had the worker lived
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.RENDERING
    assert services.deliverable_files(deliverable.pk) == []

    celery_workers.start(include=KINDS, env=FAST_REDELIVERY)
    wait_for(
        lambda: status_of(deliverable) == DeliverableStatus.READY,
        timeout=40,
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
        timeout=30,
        message=f"a first deliverable ready\n{celery_workers.logs()}",
    )
    celery_workers.redis().flushdb()  # Redis keeps nothing on disk: a restart looks like this
    time.sleep(1.5)  # whatever was in the worker's hands is finished; the rest is lost
    lost = Deliverable.objects.exclude(status=DeliverableStatus.READY).count()
    assert lost >= 3, "the flush should have lost queued messages"
    assert Deliverable.objects.filter(status=DeliverableStatus.QUEUED).count() >= 3

    settings.CAPSI_DELIVERABLE_STALE_SECONDS = 0
    swept = services.deliverables_sweep_stale()
    assert len(swept) == lost
    wait_for(
        lambda: Deliverable.objects.filter(status=DeliverableStatus.READY).count() == 6,
        timeout=30,
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
        timeout=30,
        message=f"deliverable ready\n{celery_workers.logs()}",
    )
    assert services.deliverable_files(deliverable.pk) == [
        Deliverable.objects.get(pk=deliverable.pk).file.name
    ]
