"""Text and links of values shown on every row of a long list, made once per list in Python: the
same text as the template tags and filters they replace (``{% url %}``, ``date:"j F Y"``,
``{% blocktranslate count %}``), without their cost per call (15 to 50 µs each, milliseconds on a
page of 50 rows). Every page of the apps that lists rows uses these, not its own copies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS

#: Stands for the varying value while a URL is reversed once for a whole list: digits, which
#: both the ``int`` and the ``slug`` converters accept.
_MARK = "987654321987654321"


def row_url(name: str, *args: object, varying: str | None = None, **kwargs: object) -> Callable:
    """``value -> URL`` of the URL ``name`` for each row of a list, at the cost of one
    ``reverse`` for the list: the value is the last positional argument after ``args``, or the
    keyword argument ``varying`` beside ``kwargs``. ``row_url(name, slug)(pk) ==
    reverse(name, args=[slug, pk])``."""
    if varying is None:
        url = reverse(name, args=[*args, _MARK])
    else:
        url = reverse(name, kwargs={**kwargs, varying: _MARK})
    head, sep, tail = url.partition(_MARK)
    if not sep or _MARK in tail:  # pragma: no cover - a URL that does not carry the value once
        raise ValueError(f"{name}: the varying value is not in the URL once")
    return lambda value: f"{head}{value}{tail}"


class LongDates:
    """``{{ d|date:"j F Y" }}`` (and ``"j F Y H:i"`` for moments, in the current time zone) for
    many dates: the month names are translated once, in the language of the request."""

    def __init__(self) -> None:
        self.months = {number: str(name) for number, name in MONTHS.items()}

    def __call__(self, value: date | None) -> str:
        if value is None:
            return ""
        return f"{value.day} {self.months[value.month]} {value.year}"

    def moment(self, value: datetime | None) -> str:
        if value is None:
            return ""
        t = timezone.localtime(value)
        return f"{t.day} {self.months[t.month]} {t.year} {t:%H:%M}"


class Counted:
    """``{% blocktranslate count n=n %}…{% plural %}…{% endblocktranslate %}`` for many numbers:
    ``Counted(ngettext_lazy("%(n)s jour", "%(n)s jours", "n"))(3) == "3 jours"``, the message
    translated once per number (the same messages, so the same translations)."""

    def __init__(self, message) -> None:  # noqa: ANN001 - a lazy ngettext keyed by "n"
        self.message = message
        self.known: dict[int, str] = {}

    def __call__(self, n: int | None) -> str:
        if n is None:
            return ""
        text = self.known.get(n)
        if text is None:
            text = self.known[n] = self.message % {"n": n}
        return text


def person_name(first_name: str | None, last_name: str | None, email: str | None) -> str:
    """A person as ``str(user)`` writes them (full name, or else e-mail), from the values of a
    list; "" for nobody."""
    return f"{first_name or ''} {last_name or ''}".strip() or email or ""
