"""Writes of the deliverables pipeline."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Deliverable, DeliverableStatus, DownloadLog
from .registry import get_kind
from .rendering import render_pdf

logger = logging.getLogger(__name__)


def _enqueue(deliverable_id) -> None:  # noqa: ANN001
    from .tasks import render_deliverable

    def send() -> None:
        try:
            render_deliverable.delay(str(deliverable_id))
        except Exception:  # broker down: the row stays queued and the sweeper re-enqueues it
            logger.exception("Broker unavailable; deliverable %s stays queued", deliverable_id)

    transaction.on_commit(send)


@transaction.atomic
def deliverable_request(
    *,
    actor,
    kind: str,
    title: str,
    federation=None,  # noqa: ANN001
    object_id: str | int = "",
    params: dict | None = None,
) -> Deliverable:
    """Queue a PDF; the task is sent to the worker only once the transaction commits."""
    get_kind(kind)  # fail early on an unknown kind
    deliverable = Deliverable.objects.create(
        federation=federation,
        kind=kind,
        object_id=str(object_id),
        params=params or {},
        title=title,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    _enqueue(deliverable.pk)
    return deliverable


@transaction.atomic
def deliverable_retry(*, actor, deliverable: Deliverable) -> Deliverable:  # noqa: ANN001
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.status == DeliverableStatus.FAILED:
        deliverable.status = DeliverableStatus.QUEUED
        deliverable.error = ""
        deliverable.save(update_fields=["status", "error", "updated_at"])
        _enqueue(deliverable.pk)
    return deliverable


def deliverable_render(*, deliverable_id: str) -> Deliverable | None:
    """Render one deliverable. Idempotent: a deliverable already ready is left as it is, so
    running the task twice yields one file."""
    with transaction.atomic():
        deliverable = Deliverable.objects.select_for_update().filter(pk=deliverable_id).first()
        if deliverable is None or deliverable.status == DeliverableStatus.READY:
            return deliverable
        deliverable.status = DeliverableStatus.RENDERING
        deliverable.started_at = timezone.now()
        deliverable.attempts += 1
        deliverable.save(update_fields=["status", "started_at", "attempts", "updated_at"])
    try:
        spec = get_kind(deliverable.kind).build(deliverable)
        pdf, pages = render_pdf(spec.template, spec.context)
    except Exception as exc:
        deliverable_fail(deliverable_id=deliverable_id, reason=f"{type(exc).__name__}: {exc}")
        raise
    with transaction.atomic():
        deliverable = Deliverable.objects.select_for_update().get(pk=deliverable_id)
        if deliverable.status == DeliverableStatus.READY:
            return deliverable
        if deliverable.file:
            deliverable.file.delete(save=False)
        deliverable.file.save(spec.filename, ContentFile(pdf), save=False)
        deliverable.status = DeliverableStatus.READY
        deliverable.pages = pages
        deliverable.error = ""
        deliverable.finished_at = timezone.now()
        deliverable.save()
    return deliverable


def deliverable_fail(*, deliverable_id: str, reason: str) -> None:
    Deliverable.objects.filter(pk=deliverable_id).exclude(status=DeliverableStatus.READY).update(
        status=DeliverableStatus.FAILED,
        error=reason[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def download_log(*, deliverable: Deliverable, user) -> None:  # noqa: ANN001
    DownloadLog.objects.create(deliverable=deliverable, user=user)
    if deliverable.federation_id:
        from federations.services import audit

        audit(
            federation=deliverable.federation,
            actor=user,
            verb="deliverable_downloaded",
            target=deliverable.title,
            deliverable=str(deliverable.pk),
        )
