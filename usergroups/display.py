"""Small helpers for the pages that list rows: what they do once per row, or once per list,
must be cheap.

A page of 50 rows that calls ``reverse()`` twice per row spends 1 ms on it, ``{% url %}`` three
times more; ``row_url`` reverses once per page and writes each row's id into the result.
``FirstPageRows`` spares the ``COUNT`` query of a list that fits on its first page."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from federations.professions import Profession

from .models import AnswerStatus, FeedbackKind, Theme

#: An id no row has, written where the row's id goes and then replaced by it.
_ID_MARK = 987654321987654321


def row_url(name: str, *args: object) -> Callable[[int], str]:
    """``row_url(name, *args)(pk) == reverse(name, args=[*args, pk])`` for a URL whose last
    argument is an integer id, at the cost of one ``reverse`` for all the rows."""
    head, sep, tail = reverse(name, args=[*args, _ID_MARK]).partition(str(_ID_MARK))
    if not sep or str(_ID_MARK) in tail:  # pragma: no cover - a URL without its id
        raise ValueError(f"{name}: the id is not the last part of the URL")
    return lambda pk: f"{head}{int(pk)}{tail}"


class FirstPageRows(Sequence):
    """The rows of a queryset for ``config.pagination.paginate``, counted without a ``COUNT``
    query when the first page holds them all, as most lists of this app do (the groups or the
    syntheses of a federation, the sessions of a group): the first page is read with one row
    more than it shows, and the number of rows read is the count. Another page, or a first page
    that is full, is counted by the database as usual."""

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


def person_name(first_name: str | None, last_name: str | None, email: str | None) -> str:
    """A person as ``str(user)`` writes them (``accounts.models.User``: full name, or else
    e-mail), from the values of a list; "" for nobody."""
    return f"{first_name or ''} {last_name or ''}".strip() or email or ""


_BADGES = {AnswerStatus.DELIVERED: "ok", AnswerStatus.DECLINED: "bad"}


def answer_rows(history: dict[int, list[dict]]) -> dict[int, list[dict]]:
    """``selectors.answers_history`` as ``_answers.html`` shows it, need by need, put together
    once in Python: a page of 20 needs can hold a hundred answers, and each one's status label,
    badge and dates cost 50 us through the template's tags and filters. Dicts, which the
    template reads at once, where it tries an object as a dict first."""
    labels = {value: str(label) for value, label in AnswerStatus.choices}
    return {
        need_id: [_answer_row(a, labels) for a in answers] for need_id, answers in history.items()
    }


def _answer_row(a: dict, labels: dict[str, str]) -> dict:
    planned = ""
    if a["status"] == AnswerStatus.PLANNED:
        planned = _("version %(v)s, prévue le %(d)s") % {
            "v": a["planned_version"],
            "d": date_format(a["planned_for"], "j F Y") if a["planned_for"] else "",
        }
    author = person_name(a["author__first_name"], a["author__last_name"], a["author__email"])
    on = date_format(timezone.localtime(a["created_at"]), "j F Y")
    return {
        "status": a["status"],
        "label": labels.get(a["status"], a["status"]),
        "badge": _BADGES.get(a["status"], "warn"),
        "planned": planned,
        "meta": f"— {on}, {author}" if author else f"— {on}",
        "comment": a["comment"],
    }


_KIND_BADGES = {FeedbackKind.NEED: "warn", FeedbackKind.TIP: "ok"}


def feedback_rows(items: Iterable[dict]) -> list[dict]:
    """Feedback items (``selectors.feedback_values``) as ``_feedback_item.html`` shows them:
    labels, MSPs (by name) and date put together once, where the template spent 100 us an item
    on its tags, filters and ``item.centres.all``."""
    from .selectors import NAMES_SEPARATOR as sep

    kinds = {value: str(label) for value, label in FeedbackKind.choices}
    themes = {value: str(label) for value, label in Theme.choices}
    professions = {value: str(label) for value, label in Profession.choices}
    no_centre, merged = _("Aucune MSP précisée"), _("regroupé dans un besoin")
    return [
        {
            "pk": str(i["pk"]),
            "group": i.get("group_name", ""),
            "kind": i["kind"],
            "kind_label": kinds.get(i["kind"], i["kind"]),
            "badge": _KIND_BADGES.get(i["kind"], "bad"),
            "theme": themes.get(i["theme"], i["theme"]),
            "profession": professions.get(i["profession"], i["profession"]),
            "text": i["text"],
            "centres": ", ".join(sorted(filter(None, (i["centre_names"] or "").split(sep))))
            or no_centre,
            "reported_on": date_format(i["reported_on"], "j F Y"),
            "merged": merged if i["need_id"] is not None else "",
        }
        for i in items
    ]
