"""Home pages per role. Each app may contribute panels to the tenant home page by defining
``panels(request) -> list[Panel]`` in ``<app>/home.py``; a panel is a template and its context."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.http import HttpRequest

from .permissions import APPS_WITH_RULES


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def collect_panels(request: HttpRequest) -> list[Panel]:
    panels: list[Panel] = []
    for app in APPS_WITH_RULES:
        if app == "federations":
            continue
        try:
            module = import_module(f"{app}.home")
        except ModuleNotFoundError:
            continue
        panels.extend(module.panels(request))
    return sorted(panels, key=lambda p: p.order)
