from __future__ import annotations

from typing import Any

from django import template

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
