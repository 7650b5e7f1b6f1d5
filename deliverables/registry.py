"""Each app registers the kinds of deliverable it produces (in its ``AppConfig.ready()``):

    register(DeliverableKind(
        kind="maturity.campaign_report",
        build=lambda deliverable: RenderSpec(template="maturity/pdf/report.html",
                                             context={...}, filename="rapport.pdf"),
        can_view=lambda user, deliverable: ...,
    ))

``build`` is called by the worker (it loads what it needs from ``deliverable.object_id`` and
``deliverable.params``); ``can_view`` decides who may see the status page and download the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RenderSpec:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    filename: str = "document.pdf"


@dataclass(frozen=True)
class DeliverableKind:
    kind: str
    build: Callable[[Any], RenderSpec]
    can_view: Callable[[Any, Any], bool]


KINDS: dict[str, DeliverableKind] = {}


def register(kind: DeliverableKind) -> None:
    KINDS[kind.kind] = kind


def get_kind(name: str) -> DeliverableKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"Type de livrable inconnu : {name}")
