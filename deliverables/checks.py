"""Start-up checks of the Celery settings the pipeline relies on.

Run as a Django system check (``manage.py check``, ``migrate``, ``runserver``, CI's
``check --deploy``) and by the Celery worker at start-up (``config.celery``: a worker with a bad
combination refuses to start). The rules:

- the broker's visibility timeout is longer than the task's hard time limit (otherwise Redis
  hands a task still running to a second worker);
- the soft time limit is below the hard one (otherwise the task never gets the chance to fail
  cleanly with its reason);
- one message prefetched per process, acknowledged late, rejected back to the queue when the
  worker is lost (a worker killed mid-render loses nothing and holds nothing back);
- the longest retry back-off is shorter than the visibility timeout (a delayed retry held by a
  worker would otherwise be delivered twice), and the sweeper's threshold is longer than the
  hard time limit (otherwise it re-enqueues renders that are still running).

Note: Celery stamps the time limits into each message when it is published, so the web
processes and the workers must run with the same ``CELERY_*`` settings (docker-compose.yml gives
them one shared environment).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


def celery_config_problems(conf: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(check id, message) for each bad combination; ``conf`` uses Celery's lower-case names
    plus ``capsi_stale_seconds`` and ``capsi_backoff_max``."""
    problems: list[tuple[str, str]] = []
    hard = conf.get("task_time_limit")
    soft = conf.get("task_soft_time_limit")
    visibility = (conf.get("broker_transport_options") or {}).get("visibility_timeout", 3600)
    if not hard:
        problems.append(("deliverables.E001", "task_time_limit (hard limit) must be set."))
    if not soft:
        problems.append(("deliverables.E002", "task_soft_time_limit must be set."))
    if hard and soft and soft >= hard:
        problems.append(
            (
                "deliverables.E003",
                f"The soft time limit ({soft} s) must be below the hard time limit ({hard} s).",
            )
        )
    if hard and visibility <= hard:
        problems.append(
            (
                "deliverables.E004",
                f"The broker visibility timeout ({visibility} s) must be longer than the task "
                f"hard time limit ({hard} s), or a running task is delivered to a second worker.",
            )
        )
    if conf.get("worker_prefetch_multiplier") != 1:
        problems.append(
            (
                "deliverables.E005",
                "worker_prefetch_multiplier must be 1 "
                f"(is {conf.get('worker_prefetch_multiplier')!r}).",
            )
        )
    if not conf.get("task_acks_late"):
        problems.append(("deliverables.E006", "task_acks_late must be on (late acknowledgement)."))
    if not conf.get("task_reject_on_worker_lost"):
        problems.append(("deliverables.E007", "task_reject_on_worker_lost must be on."))
    backoff_max = conf.get("capsi_backoff_max")
    if backoff_max is not None and backoff_max >= visibility:
        problems.append(
            (
                "deliverables.E008",
                f"The longest retry back-off ({backoff_max} s) must be shorter than the "
                f"visibility timeout ({visibility} s).",
            )
        )
    stale = conf.get("capsi_stale_seconds")
    if stale is not None and hard and stale <= hard:
        problems.append(
            (
                "deliverables.E009",
                f"CAPSI_DELIVERABLE_STALE_SECONDS ({stale} s) must be longer than the task hard "
                f"time limit ({hard} s), or the sweeper re-enqueues renders still running.",
            )
        )
    return problems


def conf_from_settings() -> dict[str, Any]:
    return {
        "task_time_limit": getattr(settings, "CELERY_TASK_TIME_LIMIT", None),
        "task_soft_time_limit": getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", None),
        "broker_transport_options": getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "worker_prefetch_multiplier": getattr(settings, "CELERY_WORKER_PREFETCH_MULTIPLIER", 4),
        "task_acks_late": getattr(settings, "CELERY_TASK_ACKS_LATE", False),
        "task_reject_on_worker_lost": getattr(settings, "CELERY_TASK_REJECT_ON_WORKER_LOST", False),
        "capsi_stale_seconds": getattr(settings, "CAPSI_DELIVERABLE_STALE_SECONDS", None),
        "capsi_backoff_max": getattr(settings, "CAPSI_DELIVERABLE_RETRY_BACKOFF_MAX", None),
    }


def conf_from_celery(app) -> dict[str, Any]:  # noqa: ANN001
    """The configuration a worker actually runs with."""
    conf = app.conf
    return {
        "task_time_limit": conf.task_time_limit,
        "task_soft_time_limit": conf.task_soft_time_limit,
        "broker_transport_options": conf.broker_transport_options,
        "worker_prefetch_multiplier": conf.worker_prefetch_multiplier,
        "task_acks_late": conf.task_acks_late,
        "task_reject_on_worker_lost": conf.task_reject_on_worker_lost,
        "capsi_stale_seconds": getattr(settings, "CAPSI_DELIVERABLE_STALE_SECONDS", None),
        "capsi_backoff_max": getattr(settings, "CAPSI_DELIVERABLE_RETRY_BACKOFF_MAX", None),
    }


@register(Tags.compatibility, deploy=False)
def check_celery_settings(app_configs=None, **kwargs) -> list[Error]:  # noqa: ANN001, ANN003
    return [
        Error(message, id=check_id, hint="See deliverables/checks.py and config/settings/base.py.")
        for check_id, message in celery_config_problems(conf_from_settings())
    ]
