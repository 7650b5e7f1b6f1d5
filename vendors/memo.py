"""National figures of the catalogue, kept in each process's memory.

The catalogue, the comparator and the product page show figures every federation shares: the
products with their current label, the published ratings, each product's facts and explicit
coverage, the capabilities and requirements. They change rarely; reading them from the shared
cache still cost each view several round trips and the unpickling of every object (2 ms of the
comparator). So each process keeps the copies it computed, tagged with the *generation* of the
national data: one small key of the shared cache that every writer of these rows replaces
(``new_generation()``: the vendors services, the receivers connected in ``apps.py``, the bulk
writers of the generator and the demo). A view reads the generation once (``National()``); the
copies of an older generation, or older than an hour, are computed again.

The copies are shared by every request the process serves: callers read them and never change
them (the catalogue page copies the entries it decorates with a federation's figures).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "vendors:national-generation"
#: A copy is computed again after this time even without a new generation (a change made in
#: raw SQL, or a writer that bypasses both the services and the model signals).
MAX_AGE_SECONDS = 3600

_state: dict[str, Any] = {"generation": None, "copies": {}}


def _now() -> float:
    return time.time()


def _current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)  # the first process to add it wins
        generation = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    return generation


def new_generation() -> None:
    """The national data changed: every process computes its copies again. Also once the
    current transaction commits: a view that read the data in between (before the commit) may
    have kept the old figures under the new generation."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


class National:
    """The national figures of the current generation, for one view (one cache read)."""

    def __init__(self) -> None:
        generation = _current_generation()
        if generation != _state["generation"]:
            _state["generation"] = generation
            _state["copies"] = {}
        self._copies: dict[str, tuple[float, Any]] = _state["copies"]

    def get(self, name: str, compute: Callable[[], Any]) -> Any:
        return self.get_many([name], lambda missing: {name: compute()})[name]

    def get_many(
        self,
        names: Iterable[str],
        compute: Callable[[list[str]], dict[str, Any]],
        *,
        max_age: float = MAX_AGE_SECONDS,
    ) -> dict[str, Any]:
        """The copies of ``names``; ``compute(missing names)`` returns the missing ones (all of
        them at once: one query for several products). ``max_age``: seconds a copy is used, for
        figures that change without a write of this app (other apps' response cases)."""
        now = _now()
        found, missing = {}, []
        for name in names:
            copy = self._copies.get(name)
            if copy is not None and now - copy[0] < max_age:
                found[name] = copy[1]
            else:
                missing.append(name)
        if missing:
            fresh = compute(missing)
            for name in missing:
                self._copies[name] = (now, fresh[name])
            found.update(fresh)
        return found
