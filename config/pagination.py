"""The one way pages cut a long list into pages (``templates/components/pagination.html``).

``paginate(request, items)`` returns a Django ``Page`` whose links keep the other query-string
parameters (filters, sort) of the request. A page showing two lists gives each its own
``param``. Numbers out of range show the nearest page, never an error. ``FirstPageRows`` spares
the ``COUNT`` query of a list that fits on its first page."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


class LinkedPage(Page):
    """A page that knows the query strings of its neighbours (``?…&page=n``)."""

    param = "page"
    base_query: Any = None

    def _query(self, number: int) -> str:
        query = self.base_query.copy()
        if number == 1:
            query.pop(self.param, None)
        else:
            query[self.param] = str(number)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def first_query(self) -> str:
        return self._query(1)

    @property
    def previous_query(self) -> str:
        return self._query(self.previous_page_number())

    @property
    def next_query(self) -> str:
        return self._query(self.next_page_number())

    @property
    def last_query(self) -> str:
        return self._query(self.paginator.num_pages)


class LinkedPaginator(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> LinkedPage:
        return LinkedPage(*args, **kwargs)


def paginate(
    request: HttpRequest,
    items: QuerySet | Sequence,
    *,
    per_page: int = PAGE_SIZE,
    param: str = "page",
    number: int | None = None,
) -> LinkedPage:
    """The page of ``items`` asked for by ``request.GET[param]`` (the first one by default, the
    last one when the number is too high), or page ``number`` when the view knows better (the
    page holding a row whose form was refused)."""
    asked = number if number is not None else request.GET.get(param)
    page = LinkedPaginator(items, per_page).get_page(asked)
    page.param = param
    page.base_query = request.GET.copy()
    return page


class FirstPageRows(Sequence):
    """The rows of a queryset for ``config.pagination.paginate``, counted without a ``COUNT``
    query when the first page holds them all, as most short lists do (the groups or the
    syntheses of a federation, the sessions of a group): the first page is read with one row
    more than it shows, and the number of rows read is the count. Another page, or a first page
    that is full, is counted by the database as usual. ``paginate(request, FirstPageRows(request,
    queryset, per_page=n), per_page=n)``."""

    def __init__(
        self, request: HttpRequest, queryset: QuerySet, *, per_page: int, param: str = "page"
    ) -> None:
        self.queryset = queryset
        self.per_page = per_page
        self.first: list | None = None
        if request.GET.get(param, "1") == "1":
            self.first = list(queryset[: per_page + 1])

    @cached_property
    def _count(self) -> int:
        if self.first is not None and len(self.first) <= self.per_page:
            return len(self.first)
        return self.queryset.count()

    def count(self) -> int:  # type: ignore[override]  (what Paginator asks for)
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # noqa: ANN001, ANN204
        if self.first is not None and isinstance(index, slice):
            start, stop, _ = index.indices(self._count)
            if stop <= min(len(self.first), self.per_page):
                return self.first[index]
        return self.queryset[index]
