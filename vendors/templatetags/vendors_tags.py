from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from federations.professions import Profession

register = template.Library()


@register.filter
def get_item(mapping, key):  # noqa: ANN001, ANN201
    return mapping.get(key) if mapping else None


@register.filter
def profession_label(code):  # noqa: ANN001, ANN201
    return dict(Profession.choices).get(code, code)


@register.filter
def get_attr(obj, name):  # noqa: ANN001, ANN201
    return getattr(obj, name, None)


@register.simple_tag
def grid_cells(row) -> str:  # noqa: ANN001
    """The cells of a row of the comparison grid: per product, its value and, when known, where
    it comes from; marked ``diff`` when the products differ. Written here rather than by a
    loop in the template (about 200 cells per comparison)."""
    css = ' class="diff"' if row.differs else ""
    cells = []
    for cell, note in row.items:
        extra = f'<br><small class="muted">{conditional_escape(note)}</small>' if note else ""
        cells.append(f"<td{css}>{conditional_escape(cell)}{extra}</td>")
    return mark_safe("".join(cells))  # noqa: S308 - every value is escaped
