"""Writes of the deliverables pipeline."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError, VariableDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Deliverable, DeliverableStatus, DownloadLog
from .registry import get_kind
from .rendering import RenderError, render_pdf

logger = logging.getLogger(__name__)


def _enqueue(deliverable_id) -> None:  # noqa: ANN001
    from .tasks import render_deliverable

    def send() -> None:
        try:
            # Celery stamps the time limits into the message; state them from the settings
            # read now (the task object caches its options at its first publication).
            render_deliverable.apply_async(
                args=[str(deliverable_id)],
                soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
                time_limit=settings.CELERY_TASK_TIME_LIMIT,
            )
        except Exception:  # broker down: the row stays queued and the sweeper re-enqueues it
            logger.warning(
                "Broker unavailable; deliverable %s stays queued", deliverable_id, exc_info=True
            )

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
        deliverable.attempts = 0
        deliverable.save(update_fields=["status", "error", "attempts", "updated_at"])
        _enqueue(deliverable.pk)
    return deliverable


#: Errors that will happen again on every try: the deliverable fails at once with the reason.
PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    TemplateSyntaxError,
    TemplateDoesNotExist,
    VariableDoesNotExist,
    RenderError,
    LookupError,
    ObjectDoesNotExist,
)


def failure_reason(exc: BaseException) -> str:
    """A short French reason shown to the user on the deliverable's page."""
    if isinstance(exc, TemplateDoesNotExist):
        return _("Gabarit introuvable : %(name)s") % {"name": exc}
    if isinstance(exc, TemplateSyntaxError | VariableDoesNotExist):
        return _("Erreur dans le gabarit : %(error)s") % {"error": exc}
    if isinstance(exc, ObjectDoesNotExist):
        return _("L'objet de ce document n'existe plus.")
    if isinstance(exc, RenderError | LookupError):
        return str(exc)
    return _("Erreur inattendue : %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}


def _file_dir(deliverable_id) -> str:  # noqa: ANN001
    return f"deliverables/{deliverable_id}"


def deliverable_files(deliverable_id) -> list[str]:  # noqa: ANN001
    """Names of the files stored for a deliverable (one at most when all went well)."""
    directory = _file_dir(deliverable_id)
    try:
        _dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    return sorted(f"{directory}/{name}" for name in files)


def _store(deliverable_id, filename: str, pdf: bytes) -> str:  # noqa: ANN001
    """Write the PDF under ``deliverables/<id>/``, replacing whatever an interrupted earlier
    attempt may have left there, so that a deliverable never has more than one file."""
    for name in deliverable_files(deliverable_id):
        default_storage.delete(name)
    return default_storage.save(f"{_file_dir(deliverable_id)}/{filename}", ContentFile(pdf))


def deliverable_render(*, deliverable_id: str) -> Deliverable | None:
    """Render one deliverable. Safe to run twice or concurrently: only a queued or rendering
    deliverable is rendered, and the file is written under a row lock that checks the
    deliverable is not ready yet, so there is never more than one file.

    A permanent error (template, missing static file, unknown kind, object gone) marks the
    deliverable failed with its reason and returns; any other error is raised for the task to
    retry with back-off."""
    with transaction.atomic():
        deliverable = Deliverable.objects.select_for_update().filter(pk=deliverable_id).first()
        if deliverable is None or deliverable.status not in (
            DeliverableStatus.QUEUED,
            DeliverableStatus.RENDERING,
        ):
            return deliverable
        if deliverable.attempts >= settings.CAPSI_DELIVERABLE_MAX_ATTEMPTS:
            deliverable_fail(
                deliverable_id=deliverable_id,
                reason=_("Abandon après %(n)s tentatives interrompues.")
                % {"n": deliverable.attempts},
            )
            deliverable.refresh_from_db()
            return deliverable
        deliverable.status = DeliverableStatus.RENDERING
        deliverable.started_at = timezone.now()
        deliverable.attempts += 1
        deliverable.save(update_fields=["status", "started_at", "attempts", "updated_at"])
    try:
        spec = get_kind(deliverable.kind).build(deliverable)
        pdf, pages = render_pdf(spec.template, spec.context)
    except PERMANENT_ERRORS as exc:
        logger.warning("Deliverable %s failed: %s", deliverable_id, exc)
        deliverable_fail(deliverable_id=deliverable_id, reason=failure_reason(exc))
        deliverable.refresh_from_db()
        return deliverable
    with transaction.atomic():
        deliverable = Deliverable.objects.select_for_update().get(pk=deliverable_id)
        if deliverable.status not in (DeliverableStatus.QUEUED, DeliverableStatus.RENDERING):
            return deliverable
        deliverable.file.name = _store(deliverable_id, spec.filename, pdf)
        deliverable.status = DeliverableStatus.READY
        deliverable.pages = pages
        deliverable.error = ""
        deliverable.finished_at = timezone.now()
        deliverable.save()
    return deliverable


def deliverable_fail(*, deliverable_id: str, reason: str) -> None:
    Deliverable.objects.filter(pk=deliverable_id).exclude(status=DeliverableStatus.READY).update(
        status=DeliverableStatus.FAILED,
        error=str(reason)[:2000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def deliverable_requeue_after_error(*, deliverable_id: str, reason: str) -> None:
    """A transient failure: the task will try again after a back-off; the row says so."""
    Deliverable.objects.filter(
        pk=deliverable_id,
        status__in=[DeliverableStatus.QUEUED, DeliverableStatus.RENDERING],
    ).update(
        status=DeliverableStatus.QUEUED,
        error=str(reason)[:2000],
        updated_at=timezone.now(),
    )


@transaction.atomic
def deliverables_sweep_stale(*, now=None) -> list[str]:  # noqa: ANN001
    """Send again to the workers every deliverable left queued or rendering for longer than
    ``CAPSI_DELIVERABLE_STALE_SECONDS``. The database is the source of truth: Redis keeps
    nothing on disk, so a restart or a flush of the broker loses the messages, not the work.
    Returns the ids re-enqueued."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.CAPSI_DELIVERABLE_STALE_SECONDS)
    stale = Deliverable.objects.select_for_update(skip_locked=True).filter(
        status__in=[DeliverableStatus.QUEUED, DeliverableStatus.RENDERING], updated_at__lt=limit
    )
    ids = [str(pk) for pk in stale.values_list("pk", flat=True)]
    if ids:
        Deliverable.objects.filter(pk__in=ids).update(updated_at=now)
        logger.warning("Re-enqueuing %d stale deliverable(s)", len(ids))
    for pk in ids:
        _enqueue(pk)
    return ids


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
