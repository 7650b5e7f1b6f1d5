"""A real Celery worker (see tests/workers.py) runs the reminder task and renders a synthesis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deliverables.models import Deliverable, DeliverableStatus
from tests.workers import wait_for
from usergroups import services
from usergroups.models import Need
from usergroups.tasks import remind_unanswered_needs

pytestmark = pytest.mark.worker


def test_real_worker_reminds_the_vendor_once_and_renders_the_synthesis(
    celery_workers, world
) -> None:  # noqa: ANN001
    need = world.objects["ug_need"]
    today = timezone.localdate()
    Need.objects.filter(pk=need.pk).update(first_published_on=today - timedelta(days=45))
    celery_workers.start()
    remind_unanswered_needs.delay()
    wait_for(
        lambda: Need.objects.filter(pk=need.pk, last_reminded_on=today).exists(),
        timeout=30,
        message=f"reminder recorded\n{celery_workers.logs()}",
    )
    # publishing through the pipeline: the worker renders the synthesis PDF
    version = services.synthesis_publish(
        actor=world.users["staff_a"], synthesis=world.objects["ug_synthesis"]
    )
    deliverable = Deliverable.objects.get(kind="usergroups.synthesis", object_id=str(version.pk))
    wait_for(
        lambda: Deliverable.objects.filter(
            pk=deliverable.pk, status=DeliverableStatus.READY
        ).exists(),
        timeout=60,
        message=f"synthesis ready\n{celery_workers.logs()}",
    )
