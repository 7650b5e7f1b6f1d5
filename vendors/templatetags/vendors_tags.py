from functools import lru_cache

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from federations.professions import Profession

register = template.Library()


@register.filter
def get_item(mapping, key):  # noqa: ANN001, ANN201
    return mapping.get(key) if mapping else None


@lru_cache(maxsize=8)
def _labels(language: str | None) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Professions' labels and the rating criteria (key, escaped label), translated once per
    language rather than on every row."""
    from vendors.models import RATING_CRITERIA

    professions = {value: str(label) for value, label in Profession.choices}
    criteria = tuple((key, conditional_escape(label)) for key, label in RATING_CRITERIA)
    return professions, criteria


@register.filter
def profession_label(code):  # noqa: ANN001, ANN201
    return _labels(get_language())[0].get(code, code)


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


@register.simple_tag
def rating_scores(rating) -> str:  # noqa: ANN001
    """ "Ergonomie : <strong>4</strong> · Facturation : <strong>3</strong> · …" for a peer
    rating: written here rather than by a loop in the template (the moderation queue shows 25
    ratings of six criteria)."""
    return mark_safe(  # noqa: S308 - every value is escaped
        " · ".join(
            f"{label} : <strong>{conditional_escape(rating[key])}</strong>"
            for key, label in _labels(get_language())[1]
        )
    )
