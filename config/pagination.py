"""The one way pages cut a long list into pages (``templates/components/pagination.html``).

``paginate(request, items)`` returns a Django ``Page`` whose links keep the other query-string
parameters (filters, sort) of the request. A page showing two lists gives each its own
``param``. Numbers out of range show the nearest page, never an error."""

from __future__ import annotations

from collections.abc import Sequence
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
