"""``config.display``: what the long lists write once per list or per value is what the template
tags and filters they replace would write."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext_lazy

from config.display import Counted, LongDates, person_name, row_url


def test_row_url_is_reverse_for_every_row() -> None:
    need = row_url("usergroups:need", "alpha")
    assert [need(pk) for pk in (1, 42, 987)] == [
        reverse("usergroups:need", args=["alpha", pk]) for pk in (1, 42, 987)
    ]
    move = row_url("usergroups:need_move", "alpha", 7)
    assert move(3) == reverse("usergroups:need_move", args=["alpha", 7, 3])
    # A slug as the varying value, and a keyword argument.
    product = row_url("vendors:detail", "alpha")
    assert product("weda") == reverse("vendors:detail", args=["alpha", "weda"])
    edit = row_url("projects:need_edit", varying="need_pk", federation_slug="alpha", project_pk=5)
    assert edit(9) == reverse(
        "projects:need_edit", kwargs={"federation_slug": "alpha", "project_pk": 5, "need_pk": 9}
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_long_dates_write_what_the_date_filter_writes(language: str, settings) -> None:  # noqa: ANN001
    template = Template('{{ d|date:"j F Y" }}|{{ t|date:"j F Y H:i" }}')
    moment = datetime(2026, 2, 7, 23, 5, tzinfo=UTC)  # 8 February in Paris
    with translation.override(language):
        long_date = LongDates()
        for d in (date(2026, 1, 1), date(2026, 8, 15), date(2027, 12, 31)):
            expected = template.render(Context({"d": d, "t": moment}))
            assert f"{long_date(d)}|{long_date.moment(moment)}" == expected
    assert long_date(None) == "" and long_date.moment(None) == ""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_counted_writes_what_blocktranslate_count_writes(language: str) -> None:
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} jour{% plural %}{{ n }} jours"
        "{% endblocktranslate %}"
    )
    with translation.override(language):
        days = Counted(ngettext_lazy("%(n)s jour", "%(n)s jours", "n"))
        for n in (0, 1, 2, 12, 1):
            assert days(n) == template.render(Context({"n": n}))
    assert days(None) == ""


def test_person_name_is_how_a_user_is_written() -> None:
    assert person_name("Alice", "Martin", "a@x.test") == "Alice Martin"
    assert person_name("", "Martin", "a@x.test") == "Martin"
    assert person_name(None, None, "a@x.test") == "a@x.test"
    assert person_name(None, None, None) == ""
