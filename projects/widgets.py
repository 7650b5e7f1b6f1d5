"""Choice widgets writing the same HTML as Django's own templates (``django/forms/widgets/``),
in Python: Django renders each option of a select or a radio list through two or three
template includes (~30 µs an option), i.e. milliseconds for the list of the people of an MSP.
Their output is checked against Django's templates (``tests/projects/test_widgets.py``). A
widget given another ``template_name`` or ``option_template_name`` renders through its
templates as usual."""

from __future__ import annotations

from django import forms
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe


def _text(value: object) -> str:
    """``{{ value }}`` (localized, escaped unless safe)."""
    if not isinstance(value, str):
        value = localize(value)
    if isinstance(value, SafeData):
        return str(value)
    return escape(str(value))


def _format(value: object) -> str:
    """``{{ value|stringformat:'s' }}`` (escaped unless safe)."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_format(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    value = "" if widget["value"] is None else f' value="{_format(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>\n"
    )


class Select(forms.Select):
    """``forms.Select``, its HTML written in Python."""

    def render(self, name, value, attrs=None, renderer=None) -> str:  # noqa: ANN001
        if (self.template_name, self.option_template_name) != (
            forms.Select.template_name,
            forms.Select.option_template_name,
        ):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                out.append(
                    f'\n  <option value="{_format(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 - every value is escaped above


class RadioSelect(forms.RadioSelect):
    """``forms.RadioSelect``, its HTML written in Python."""

    def render(self, name, value, attrs=None, renderer=None) -> str:  # noqa: ANN001
        if (self.template_name, self.option_template_name) != (
            forms.RadioSelect.template_name,
            forms.RadioSelect.option_template_name,
        ):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        own = widget["attrs"]
        out = ["<div"]
        if own.get("id"):
            out.append(f' id="{_text(own["id"])}"')
        if own.get("class"):
            out.append(f' class="{_text(own["class"])}"')
        out.append(">")
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f"\n  <div><label>{_text(group_name)}</label>")
            for option in options:
                out.append("<div>\n    ")
                option_id = option["attrs"].get("id")
                if option["wrap_label"]:
                    out.append(f'<label for="{_text(option_id)}">' if option_id else "<label>")
                out.append(_input(option))
                if option["wrap_label"]:
                    out.append(f" {_text(option['label'])}</label>")
                # The ends of input_option.html and radio_option.html.
                out.append("\n\n</div>")
            if group_name:
                out.append("\n  </div>")
        out.append("\n</div>")
        return mark_safe("".join(out))  # noqa: S308 - every value is escaped above
