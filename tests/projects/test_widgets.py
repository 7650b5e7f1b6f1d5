"""The choice widgets of the projects app write, in Python, the HTML of Django's templates."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from projects import widgets

CHOICES = [("", "---------"), (1, "Anne <Dupont>"), (2, "Bob & Cie"), ("3", mark_safe("<b>C</b>"))]
GROUPED = [("Groupe « A »", [("a", "A"), ("b", "B")]), ("c", "C")]
ATTRS = [
    {},
    {"id": "id_x"},
    {"id": "id_x", "required": True, "disabled": False, "aria-describedby": 'h "1"'},
    {"id": "id_x", "aria-invalid": "true", "class": "wide"},
]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []])
@pytest.mark.parametrize("value", [None, "", 2, "b", ["a", 1]])
@pytest.mark.parametrize(
    ("fast", "django"),
    [(widgets.Select, forms.Select), (widgets.RadioSelect, forms.RadioSelect)],
)
def test_the_widgets_write_the_html_of_django_templates(fast, django, value, choices, attrs):  # noqa: ANN001
    own = {"class": "own"} if attrs.get("class") else {}
    expected = django(attrs=own, choices=choices).render("field", value, dict(attrs))
    assert fast(attrs=own, choices=choices).render("field", value, dict(attrs)) == expected


def test_another_template_is_rendered_as_usual() -> None:
    widget = widgets.Select(choices=CHOICES)
    widget.template_name = "django/forms/widgets/select.html"  # the default: written in Python
    assert widget.render("f", 1) == forms.Select(choices=CHOICES).render("f", 1)
    widget.option_template_name = "django/forms/widgets/radio_option.html"
    assert 'type="select"' in widget.render("f", 1)  # rendered through the templates
