"""Reference data of the planning sections, from versioned files in ``projects/data/``:

- ``etat_des_lieux.yaml``: the état des lieux questionnaire (read when a page needs it);
- ``aci_si.yaml``: the ACI rule of the SI axis (points and the value of a point);
- ``calendrier.yaml``: the flu-vaccination season and the recommended facilitator period;
- ``vacances_scolaires.yaml``: school holidays per zone, loaded into ``SchoolHoliday``.

Every reader validates its file and raises ``CommandError`` naming the file and the line of the
fault; ``load(stdout)`` (called by ``manage.py load_reference``) checks every file and replaces the
school holidays in one transaction, so a bad file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError
from django.db import transaction

DATA_DIR = Path(__file__).parent / "data"
SURVEY_FILE = DATA_DIR / "etat_des_lieux.yaml"
ACI_FILE = DATA_DIR / "aci_si.yaml"
CALENDAR_FILE = DATA_DIR / "calendrier.yaml"
HOLIDAYS_FILE = DATA_DIR / "vacances_scolaires.yaml"

QUESTION_KINDS = ("text", "number", "choice")
ZONES = ("A", "B", "C")


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records, in each mapping, the line it starts on (``__line__``)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _fail(path: Path, line: int | None, message: str) -> CommandError:
    where = f"{path.name}, ligne {line}" if line else path.name
    return CommandError(f"{where} : {message}")


def read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(path, None, f"fichier illisible ({exc.strerror}).") from exc
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 (safe loader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(path, mark.line + 1 if mark else None, "YAML invalide.") from exc
    if not isinstance(data, dict):
        raise _fail(path, 1, "le fichier doit contenir un dictionnaire.")
    return data


def _require(
    path: Path, item: Any, key: str, kind: type | tuple[type, ...], line: int | None = None
):  # noqa: ANN202
    line = item.get("__line__", line) if isinstance(item, dict) else line
    if not isinstance(item, dict) or key not in item or item[key] in (None, ""):
        raise _fail(path, line, f"champ « {key} » manquant.")
    value = item[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _fail(path, line, f"champ « {key} » invalide : {value!r}.")
    return value


# --- État des lieux questionnaire ----------------------------------------------------------


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    kind: str
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


def parse_questionnaire(path: Path) -> Questionnaire:
    data = read_yaml(path)
    version = str(_require(path, data, "version", (str, int, float)))
    title = _require(path, data, "title", str)
    sections_data = _require(path, data, "sections", list)
    seen: set[str] = set()
    sections = []
    for s in sections_data:
        questions = []
        for q in _require(path, s, "questions", list):
            code = _require(path, q, "code", str)
            if code in seen:
                raise _fail(path, q.get("__line__"), f"question « {code} » en double.")
            seen.add(code)
            kind = _require(path, q, "kind", str)
            if kind not in QUESTION_KINDS:
                raise _fail(
                    path, q["__line__"], f"type « {kind} » inconnu ({', '.join(QUESTION_KINDS)})."
                )
            options: tuple[tuple[str, str], ...] = ()
            if kind == "choice":
                options = tuple(
                    (_require(path, o, "code", str), _require(path, o, "label", str))
                    for o in _require(path, q, "options", list)
                )
            questions.append(Question(code, _require(path, q, "label", str), kind, options))
        sections.append(
            Section(
                _require(path, s, "code", str), _require(path, s, "title", str), tuple(questions)
            )
        )
    return Questionnaire(version, title, tuple(sections))


@cache
def questionnaire() -> Questionnaire:
    return parse_questionnaire(SURVEY_FILE)


# --- ACI rule ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AciRule:
    version: str
    point_value_eur: int
    base_points: int
    points_per_professional: int
    professionals_threshold: int
    points_per_professional_beyond: int
    advanced_extra_points: int


def parse_aci_rule(path: Path) -> AciRule:
    data = read_yaml(path)
    standard = _require(path, data, "standard", dict)
    advanced = _require(path, data, "advanced", dict)
    return AciRule(
        version=str(_require(path, data, "version", (str, int, float))),
        point_value_eur=_require(path, data, "point_value_eur", int),
        base_points=_require(path, standard, "base_points", int),
        points_per_professional=_require(path, standard, "points_per_professional", int),
        professionals_threshold=_require(path, standard, "professionals_threshold", int),
        points_per_professional_beyond=_require(
            path, standard, "points_per_professional_beyond", int
        ),
        advanced_extra_points=_require(path, advanced, "extra_points", int),
    )


@cache
def aci_rule() -> AciRule:
    return parse_aci_rule(ACI_FILE)


# --- Calendar rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarRules:
    flu_label: str
    flu_start: tuple[int, int]  # (month, day)
    flu_end: tuple[int, int]
    facilitator_min_days: int
    facilitator_max_days: int


def _month_day(path: Path, item: dict, key: str) -> tuple[int, int]:
    value = str(_require(path, item, key, str))
    try:
        month, day = (int(x) for x in value.split("-"))
        dt.date(2000, month, day)  # leap year: accepts 02-29
    except ValueError as exc:
        raise _fail(
            path, item["__line__"], f"« {key} » doit être au format MM-JJ : {value!r}."
        ) from exc
    return month, day


def parse_calendar(path: Path) -> CalendarRules:
    data = read_yaml(path)
    flu = _require(path, data, "flu_season", dict)
    fac = _require(path, data, "facilitator", dict)
    rules = CalendarRules(
        flu_label=_require(path, flu, "label", str),
        flu_start=_month_day(path, flu, "start"),
        flu_end=_month_day(path, flu, "end"),
        facilitator_min_days=_require(path, fac, "min_days", int),
        facilitator_max_days=_require(path, fac, "max_days", int),
    )
    if rules.facilitator_min_days > rules.facilitator_max_days:
        raise _fail(path, fac["__line__"], "min_days doit être inférieur ou égal à max_days.")
    return rules


@cache
def calendar_rules() -> CalendarRules:
    return parse_calendar(CALENDAR_FILE)


# --- School holidays -----------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayRow:
    zone: str
    label: str
    start: dt.date
    end: dt.date
    provisional: bool


def parse_holidays(path: Path) -> list[HolidayRow]:
    data = read_yaml(path)
    rows: list[HolidayRow] = []
    for item in _require(path, data, "holidays", list):
        line = item.get("__line__") if isinstance(item, dict) else None
        label = _require(path, item, "label", str)
        start = _require(path, item, "start", dt.date, line)
        end = _require(path, item, "end", dt.date, line)
        zones = _require(path, item, "zones", list, line)
        if end < start:
            raise _fail(path, line, f"« {label} » : la fin ({end}) précède le début ({start}).")
        for zone in zones:
            if zone not in ZONES:
                raise _fail(path, line, f"zone « {zone} » inconnue (A, B ou C).")
            rows.append(HolidayRow(zone, label, start, end, bool(item.get("provisional", False))))
    return rows


def load_holidays(path: Path = HOLIDAYS_FILE) -> int:
    from .models import SchoolHoliday

    rows = parse_holidays(path)
    with transaction.atomic():
        SchoolHoliday.objects.all().delete()
        SchoolHoliday.objects.bulk_create(
            SchoolHoliday(
                zone=r.zone, label=r.label, start=r.start, end=r.end, provisional=r.provisional
            )
            for r in rows
        )
    return len(rows)


def load(stdout) -> None:  # noqa: ANN001
    """Check every planning data file, then load the school holidays (atomic, idempotent)."""
    parse_questionnaire(SURVEY_FILE)
    parse_aci_rule(ACI_FILE)
    parse_calendar(CALENDAR_FILE)
    count = load_holidays()
    for reader in (questionnaire, aci_rule, calendar_rules):
        reader.cache_clear()
    stdout.write(
        "Projets (planification) : questionnaire, règle ACI, calendrier ; "
        f"{count} périodes de vacances scolaires."
    )
