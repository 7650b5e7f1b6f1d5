"""A radar chart computed on the server and drawn as inline SVG by a template
(``maturity/_radar.svg.html``): the same picture on the page and in the PDF, no JavaScript."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

STYLES = {
    # series key → (stroke, fill, fill opacity, dash)
    "current": ("#0b5e7e", "#0b5e7e", "0.25", ""),
    "previous": ("#8a5300", "none", "0", "6 4"),
    "median": ("#1d6b36", "none", "0", "2 3"),
}


@dataclass
class Series:
    key: str
    name: str
    points: str
    dots: list[tuple[float, float, str]]
    stroke: str
    fill: str
    fill_opacity: str
    dash: str
    legend_y: int = 0


@dataclass
class Radar:
    width: int
    height: int
    cx: float
    cy: float
    rings: list[tuple[str, int, float, float]] = field(default_factory=list)
    spokes: list[tuple[float, float]] = field(default_factory=list)
    #: (x, y, text-anchor, lines of the label)
    labels: list[tuple[float, float, str, list[str]]] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    empty: bool = False


def _wrap(text: str, width: int = 18) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _point(cx: float, cy: float, radius: float, i: int, n: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / n
    return round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1)


def radar_chart(
    *,
    labels: list[str],
    series: list[tuple[str, str, list[float | None]]],
    width: int = 600,
    height: int = 400,
    radius: float = 130,
) -> Radar:
    """``series`` is a list of (key, name, values 0–100 or None, one per label)."""
    n = len(labels)
    cx, cy = width / 2, height / 2 - 10
    chart = Radar(width=width, height=height, cx=cx, cy=cy, empty=n == 0)
    if n == 0:
        return chart
    for pct in (25, 50, 75, 100):
        pts = [_point(cx, cy, radius * pct / 100, i, n) for i in range(n)]
        lx, ly = _point(cx, cy, radius * pct / 100, 0, n)
        chart.rings.append((" ".join(f"{x},{y}" for x, y in pts), pct, lx + 4, ly + 4))
    for i, label in enumerate(labels):
        chart.spokes.append(_point(cx, cy, radius, i, n))
        x, y = _point(cx, cy, radius + 14, i, n)
        anchor = "middle" if abs(x - cx) < 10 else ("start" if x > cx else "end")
        lines = _wrap(label)
        if y > cy + 5:
            y += 10
        elif y < cy - 5:
            y -= 15 * (len(lines) - 1)
        chart.labels.append((x, y, anchor, lines))
    for index, (key, name, values) in enumerate(series):
        stroke, fill, opacity, dash = STYLES.get(key, STYLES["current"])
        pts = [
            _point(cx, cy, radius * max(0.0, min(100.0, v or 0)) / 100, i, n)
            for i, v in enumerate(values)
        ]
        dots = [
            (x, y, "" if v is None else f"{v:.0f} %") for (x, y), v in zip(pts, values, strict=True)
        ]
        chart.series.append(
            Series(
                key=key,
                name=name,
                points=" ".join(f"{x},{y}" for x, y in pts),
                dots=dots,
                stroke=stroke,
                fill=fill,
                fill_opacity=opacity,
                dash=dash,
                legend_y=height - 12 - 20 * (len(series) - 1 - index),
            )
        )
    return chart
