"""A real Celery worker against the Redis of the machine (see tests/workers.py)."""

from __future__ import annotations

import pytest

from deliverables import services
from deliverables.models import Deliverable, DeliverableStatus
from tests.deliverables.kinds import SAMPLE_KIND
from tests.factories import FederationFactory, UserFactory
from tests.workers import wait_for

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
