"""Celery tasks of the pipeline. Thin: they take ids and call services.

``deliverables.render`` is acknowledged late and rejected back to the queue when its worker is
lost (a worker killed mid-render loses nothing), bounded by the global soft/hard time limits,
retried with exponential back-off on transient errors (database or disk hiccup) but not on a
permanent one (template error, missing static file: the service marks the deliverable failed).
``deliverables.sweep_stale`` (Celery beat) re-enqueues what the broker may have lost."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

from . import services

logger = logging.getLogger(__name__)


def backoff(retries: int) -> int:
    """Seconds to wait before retry number ``retries + 1``: base × 2^retries, capped."""
    return min(
        settings.CAPSI_DELIVERABLE_RETRY_BACKOFF * (2**retries),
        settings.CAPSI_DELIVERABLE_RETRY_BACKOFF_MAX,
    )


@shared_task(
    bind=True,
    name="deliverables.render",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,  # bounded below by CAPSI_DELIVERABLE_MAX_RETRIES (read at run time)
)
def render_deliverable(self, deliverable_id: str) -> None:  # noqa: ANN001
    try:
        services.deliverable_render(deliverable_id=deliverable_id)
    except SoftTimeLimitExceeded:
        # The limits travel in the message (set by the publisher: web and workers share the
        # Celery settings); fall back to ours when the message carries none.
        _hard, soft = self.request.timelimit or (None, None)
        services.deliverable_fail(
            deliverable_id=deliverable_id,
            reason=_("La génération a dépassé le temps imparti (%(s)s s).")
            % {"s": soft or settings.CELERY_TASK_SOFT_TIME_LIMIT},
        )
    except Exception as exc:
        reason = services.failure_reason(exc)
        if self.request.retries >= settings.CAPSI_DELIVERABLE_MAX_RETRIES:
            logger.exception("Deliverable %s failed after retries", deliverable_id)
            services.deliverable_fail(deliverable_id=deliverable_id, reason=reason)
            return
        countdown = backoff(self.request.retries)
        logger.warning("Deliverable %s: %s; retry in %ss", deliverable_id, reason, countdown)
        services.deliverable_requeue_after_error(deliverable_id=deliverable_id, reason=reason)
        raise self.retry(exc=exc, countdown=countdown)


@shared_task(name="deliverables.sweep_stale", acks_late=True)
def sweep_stale() -> int:
    return len(services.deliverables_sweep_stale())
