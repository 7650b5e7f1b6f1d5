"""A project's task figures kept in the cache (``selectors.project_figures``): shared by every
list that shows them (the follow-up of the federation and of the DIM, the API, the exports) and
forgotten by the services that change them (``forget``, called by every service that writes a
task or an event of the project).

What is kept does not depend on the day: the counts, the due dates of the open tasks (the
overdue ones are counted when read), the next milestone and due task, the latest event. The key
carries the project's creation time, so that a database made again (same ids, other projects)
never reads the figures of another; entries also expire after ``SECONDS`` in case tasks are
changed outside the services (the shell, a data migration)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction

SECONDS = 60 * 60
PREFIX = "projects:figures:1"


def key(project_id: int, created_at: datetime) -> str:
    return f"{PREFIX}:{project_id}:{created_at.timestamp():.6f}"


def forget(projects: Iterable) -> None:
    """Drop the kept figures of these projects (objects with ``pk`` and ``created_at``), now and
    again once the transaction commits: a page read in between would otherwise keep the
    figures of before the change."""
    keys = list({key(p.pk, p.created_at) for p in projects})
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
