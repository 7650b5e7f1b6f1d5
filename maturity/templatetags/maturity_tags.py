from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def dict_get(mapping: dict, key: Any) -> Any:  # noqa: ANN401
    """``{{ mapping|dict_get:key }}``: the value for key, or None."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def percent_of(part: int, whole: int) -> int:
    """Share of ``part`` in ``whole`` as a whole percentage (0 when whole is 0)."""
    return round(100 * part / whole) if whole else 0


def _cells(counts: list[int]) -> str:
    return "".join(f'<td class="num">{int(n)}</td>' for n in counts)


@register.filter
def num_cells(counts: list[int]) -> str:
    """``{{ counts|num_cells }}``: one ``<td class="num">`` per count. Counts are integers:
    nothing to escape."""
    return mark_safe(_cells(counts))  # noqa: S308


@register.filter
def count_rows(rows: list[tuple[str, list[int]]]) -> str:
    """``{{ row.by_profession|count_rows }}``: one ``<tr>`` per (label, counts), the label as the
    row header. The consensus page shows hundreds of these cells: written at once, they cost a
    fraction of a template loop per cell. The label is escaped."""
    return mark_safe(  # noqa: S308
        "".join(f'<tr><th scope="row">{escape(label)}</th>{_cells(c)}</tr>' for label, c in rows)
    )


@register.filter
def scale_headers(scale: list[dict]) -> str:
    """``{{ scale|scale_headers }}``: one ``<th scope="col" class="num">`` per value of the
    rating scale (label escaped), written once for the page's many distribution tables."""
    return mark_safe(  # noqa: S308
        "".join(f'<th scope="col" class="num">{escape(item["label"])}</th>' for item in scale)
    )
