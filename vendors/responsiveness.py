"""Vendor responsiveness is computed from cases that other apps know about (the projects'
vendor requests log, the vendor answers in user groups). Those apps register a *source* here in
their ``AppConfig.ready()``; this module never imports them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ResponseCase:
    software_id: int
    asked_on: date
    first_answer_on: date | None = None
    promised_on: date | None = None
    delivered_on: date | None = None


Source = Callable[[Iterable[int]], Iterable[ResponseCase]]
SOURCES: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    SOURCES[name] = source


def cases_for(software_ids: Iterable[int]) -> list[ResponseCase]:
    ids = list(software_ids)
    cases: list[ResponseCase] = []
    for source in SOURCES.values():
        cases.extend(source(ids))
    return cases
