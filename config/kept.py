"""Values kept in the shared cache under a *token* that writers renew.

A page that shows figures computed from many rows keeps them in the cache with the current token
of what they depend on (a federation's closed campaigns, a software's needs…). Every writer of
those rows calls ``renew(token_key)``: a value kept under an older token is never served again,
even one written by a page that was computing it while the change was being made (``renew``
draws a new token now and again once the current transaction commits). Reading the token and the
value is one round trip to the cache.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction


def kept[T](token_key: str, value_key: str, compute: Callable[[], T], timeout: int) -> T:
    """The value under ``value_key`` if it was kept under the current token, else ``compute()``
    kept for ``timeout`` seconds (the bound for changes made without ``renew``: raw SQL, the
    shell)."""
    found = cache.get_many([token_key, value_key])
    token, cached = found.get(token_key), found.get(value_key)
    if token is not None and isinstance(cached, tuple) and len(cached) == 2 and cached[0] == token:
        return cached[1]
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(token_key, token, timeout=None):  # another process drew one first
            token = cache.get(token_key) or token
    value = compute()
    cache.set(value_key, (token, value), timeout)
    return value


def renew(token_key: str) -> None:
    """What depends on ``token_key`` changed: forget every value kept under it, now and again
    once the current transaction commits."""

    def draw() -> None:
        cache.set(token_key, uuid.uuid4().hex, timeout=None)

    draw()
    transaction.on_commit(draw)
