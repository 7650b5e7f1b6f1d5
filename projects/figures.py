"""What is kept in the cache, shared by everyone who may see a project (never per person):

- per project, the facts of its figures for the follow-up lists and the API
  (``selectors.project_figures``), and what its page shows of its tasks, team, timeline and
  the names of its MSP, software and methodology (``selectors.project_page``);
- per project, what its needs page shows (``selectors_planning.needs_page``);
- per federation, its number of projects at each step (``selectors.step_counts``, staff);
- per task, its first evidence files (``selectors.task_evidence_first``);
- per MSP, its people, the choices of a task's owner (``selectors.msp_people_rows``).

They are forgotten by the services that change them: ``forget`` by ``services._event`` (every
service that changes a task, the team or the timeline writes an event), the demo and the
national generator; ``forget_needs`` by the services of the needs page (``services_planning``);
``forget_evidence`` by ``services.evidence_add``; ``forget_steps`` by the services that create
a project or change its step, the demo, the generator and the deletion of a project. What a
kept page shows but does not own is
watched by signals (``projects.signals``): when a person, a membership, the name of an MSP, a
software product or a capability, or a methodology changes, ``outside_changed`` changes a token
that every kept value was read with, and they are read again.

Nothing kept depends on the day (the overdue tasks are counted when read). The keys carry the
project's creation time, so that a database made again (same ids, other projects) never reads
what was kept for another, and a version (``PREFIX``) changed with the shape of what is kept;
entries also expire after ``SECONDS`` in case data is changed outside the services and signals
(the shell, bulk updates)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction

SECONDS = 10 * 60
#: Changed whenever the shape of what is kept changes (the pickled classes of selectors).
PREFIX = "projects:6"
#: A token changed whenever something a kept page shows but its project does not own may have
#: changed (a person's name, a membership, the name of an MSP or of a software product, a
#: methodology's title): a kept page or list holds the token it was read with and is read
#: again when it differs.
OUTSIDE = f"{PREFIX}:outside-token"


def key(project_id: int, created_at: datetime) -> str:
    """The facts of the project's figures."""
    return f"{PREFIX}:figures:{project_id}:{created_at.timestamp():.6f}"


def page_key(project_id: int, created_at: datetime) -> str:
    """What the project's page shows of its tasks, team and timeline."""
    return f"{PREFIX}:page:{project_id}:{created_at.timestamp():.6f}"


def steps_key(federation_id: int) -> str:
    """The number of projects of a federation at each step (its staff's follow-up)."""
    return f"{PREFIX}:steps:{federation_id}"


def forget_steps(federation_ids: Iterable[int]) -> None:
    """Projects of these federations were created, deleted or changed step."""
    keys = [steps_key(pk) for pk in set(federation_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def needs_key(project_id: int, created_at: datetime) -> str:
    """What the project's needs page (cahier des charges) shows."""
    return f"{PREFIX}:needs:{project_id}:{created_at.timestamp():.6f}"


def evidence_key(task_id: int, project_created_at: datetime) -> str:
    """The first evidence files of a task (its page)."""
    return f"{PREFIX}:evidence:{task_id}:{project_created_at.timestamp():.6f}"


def forget_needs(project) -> None:  # noqa: ANN001
    """The project's needs document, needs or use cases changed."""
    key = needs_key(project.pk, project.created_at)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_evidence(task) -> None:  # noqa: ANN001
    """A file was added to ``task`` (with its project loaded)."""
    key = evidence_key(task.pk, task.project.created_at)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def people_key(health_centre_id: int) -> str:
    """The people of an MSP (the choices of a task's owner)."""
    return f"{PREFIX}:people:{health_centre_id}"


def forget(projects: Iterable) -> None:
    """Drop what is kept of these projects (objects with ``pk`` and ``created_at``), now and
    again once the transaction commits: a page read in between would otherwise keep what was
    there before the change."""
    keys = []
    for p in projects:
        keys += [
            key(p.pk, p.created_at),
            page_key(p.pk, p.created_at),
            needs_key(p.pk, p.created_at),
        ]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def outside_changed() -> None:
    """Something a kept page shows but does not own may have changed: every kept page and list
    of people is read again (from now, and again once the transaction commits)."""
    cache.set(OUTSIDE, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(OUTSIDE, uuid.uuid4().hex, None))
