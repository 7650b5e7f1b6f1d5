"""The Celery app: ``celery -A config worker`` / ``celery -A config beat``.

Settings come from Django's (``CELERY_*``). A worker checks them at start-up
(``deliverables.checks``) and refuses to start on a bad combination."""

import os
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("capsi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def check_settings_at_start(sender=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    from deliverables.checks import celery_config_problems, conf_from_celery

    problems = celery_config_problems(conf_from_celery(app))
    if problems:
        # SystemExit, not an ordinary exception: Celery logs and ignores those raised by signal
        # handlers, and the worker must not start.
        raise SystemExit(
            "Celery settings refused: " + "; ".join(f"{cid}: {msg}" for cid, msg in problems)
        )


@signals.worker_ready.connect
def signal_ready(sender=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    """Tests (tests/workers.py) wait for this file to know the worker consumes its queue."""
    ready_file = os.environ.get("CAPSI_WORKER_READY_FILE")
    if ready_file:
        Path(ready_file).write_text(str(os.getpid()))
