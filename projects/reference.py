"""Reference data of the projects app: the methodology versions (``data/methodology/*.yaml``);
planning data in reference_planning.py.

The loader is atomic (all files or nothing), idempotent (loading twice changes nothing) and
names the file and line of any fault. A methodology version is kept once loaded: projects keep
the copy they were created with, so a new version never rewrites a project under way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError
from django.db import transaction

from .models import ChecklistItem, ItemKind, Methodology, MethodologyActivity, MethodologyItem

METHODOLOGY_DIR = Path(__file__).parent / "data" / "methodology"
LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201, FBT002
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


class _Fault(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _need(node: Any, key: str, kind: type | tuple = str, *, parent_line: int = 0) -> Any:  # noqa: ANN401
    if not isinstance(node, dict):
        raise _Fault(parent_line, f"un bloc « clé : valeur » est attendu (pour « {key} »)")
    line = node.get(LINE, parent_line)
    if key not in node or node[key] in (None, ""):
        raise _Fault(line, f"champ « {key} » manquant")
    value = node[key]
    if not isinstance(value, kind):
        raise _Fault(line, f"champ « {key} » : valeur invalide ({value!r})")
    return value


def _opt(node: dict, key: str, default: Any = "") -> Any:  # noqa: ANN401
    value = node.get(key, default)
    return default if value is None else value


def read_methodology(path: Path) -> dict:
    """Parse and validate one methodology file; raise CommandError naming file and line."""
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise CommandError(f"{path}:{line}: YAML illisible ({getattr(exc, 'problem', exc)})")
    except OSError as exc:
        raise CommandError(f"{path}: fichier illisible ({exc})")
    try:
        return _validate(data)
    except _Fault as fault:
        raise CommandError(f"{path}:{fault.line}: {fault.message}")


def _validate(data: Any) -> dict:  # noqa: ANN401
    if not isinstance(data, dict):
        raise _Fault(1, "le fichier doit décrire une méthodologie (code, version, steps)")
    result = {
        "code": _need(data, "code"),
        "version": str(_need(data, "version", (str, int, float))),
        "title": _need(data, "title"),
        "source": str(_opt(data, "source")),
        "current": bool(_opt(data, "current", True)),
        "activities": [],
        "checklists": [],
    }
    steps = _need(data, "steps", list)
    seen_steps: set[int] = set()
    seen_activities: set[str] = set()
    for step in steps:
        number = _need(step, "step", int, parent_line=data[LINE])
        if number not in (1, 2, 3):
            raise _Fault(step[LINE], f"étape {number} inconnue (1, 2 ou 3)")
        if number in seen_steps:
            raise _Fault(step[LINE], f"étape {number} décrite deux fois")
        seen_steps.add(number)
        for a_pos, activity in enumerate(_need(step, "activities", list), start=1):
            code = _need(activity, "code", parent_line=step[LINE])
            if code in seen_activities:
                raise _Fault(activity[LINE], f"activité « {code} » décrite deux fois")
            seen_activities.add(code)
            items = []
            seen_items: set[str] = set()
            for i_pos, item in enumerate(_need(activity, "items", list), start=1):
                item_code = _need(item, "code", parent_line=activity[LINE])
                if item_code in seen_items:
                    raise _Fault(item[LINE], f"point « {item_code} » décrit deux fois")
                seen_items.add(item_code)
                kind = _opt(item, "kind", ItemKind.TASK)
                if kind not in ItemKind.values:
                    raise _Fault(
                        item[LINE], f"champ « kind » : « {kind} » inconnu (task ou milestone)"
                    )
                mandatory = _opt(item, "mandatory", False)
                if not isinstance(mandatory, bool):
                    raise _Fault(item[LINE], "champ « mandatory » : true ou false attendu")
                items.append(
                    {
                        "code": item_code,
                        "title": _need(item, "title"),
                        "recommendation": str(_opt(item, "recommendation")).strip(),
                        "resources": str(_opt(item, "resources")).strip(),
                        "kind": kind,
                        "mandatory": mandatory,
                        "source": str(_opt(item, "source")),
                        "position": i_pos,
                    }
                )
            result["activities"].append(
                {
                    "step": number,
                    "code": code,
                    "title": _need(activity, "title"),
                    "resources": str(_opt(activity, "resources")).strip(),
                    "position": a_pos,
                    "items": items,
                }
            )
    if seen_steps != {1, 2, 3}:
        raise _Fault(data[LINE], "les trois étapes (1, 2, 3) doivent être décrites")
    for checklist in _opt(data, "checklists", []) or []:
        cl_code = _need(checklist, "code", parent_line=data[LINE])
        entries = []
        for pos, entry in enumerate(_need(checklist, "items", list), start=1):
            entries.append(
                {
                    "code": _need(entry, "code", parent_line=checklist[LINE]),
                    "label": _need(entry, "label"),
                    "help": str(_opt(entry, "help")).strip(),
                    "position": pos,
                }
            )
        result["checklists"].append({"code": cl_code, "items": entries})
    return result


def _save(spec: dict) -> tuple[Methodology, bool]:
    methodology, created = Methodology.objects.get_or_create(
        code=spec["code"],
        version=spec["version"],
        defaults={"title": spec["title"], "source": spec["source"]},
    )
    changed = created
    if (methodology.title, methodology.source) != (spec["title"], spec["source"]):
        methodology.title, methodology.source = spec["title"], spec["source"]
        methodology.save(update_fields=["title", "source", "loaded_at"])
        changed = True
    activity_codes = []
    for a in spec["activities"]:
        activity_codes.append(a["code"])
        fields = {k: a[k] for k in ("step", "title", "resources", "position")}
        activity, made = MethodologyActivity.objects.get_or_create(
            methodology=methodology, code=a["code"], defaults=fields
        )
        if not made and any(getattr(activity, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(activity, k, v)
            activity.save()
            changed = True
        changed |= made
        item_codes = []
        for i in a["items"]:
            item_codes.append(i["code"])
            fields = {k: v for k, v in i.items() if k != "code"}
            item, made = MethodologyItem.objects.get_or_create(
                activity=activity, code=i["code"], defaults=fields
            )
            if not made and any(getattr(item, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(item, k, v)
                item.save()
                changed = True
            changed |= made
        deleted, _ = activity.items.exclude(code__in=item_codes).delete()
        changed |= bool(deleted)
    deleted, _ = methodology.activities.exclude(code__in=activity_codes).delete()
    changed |= bool(deleted)
    keys = []
    for checklist in spec["checklists"]:
        for e in checklist["items"]:
            keys.append((checklist["code"], e["code"]))
            fields = {"label": e["label"], "help": e["help"], "position": e["position"]}
            row, made = ChecklistItem.objects.get_or_create(
                methodology=methodology,
                checklist=checklist["code"],
                code=e["code"],
                defaults=fields,
            )
            if not made and any(getattr(row, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(row, k, v)
                row.save()
                changed = True
            changed |= made
    for row in methodology.checklist_items.all():
        if (row.checklist, row.code) not in keys:
            row.delete()
            changed = True
    return methodology, changed


def load_methodologies(paths: list[Path] | None = None, stdout=None) -> list[Methodology]:  # noqa: ANN001
    """Load methodology files (all of ``data/methodology`` by default) in one transaction."""
    paths = sorted(paths if paths is not None else METHODOLOGY_DIR.glob("*.yaml"))
    if not paths:
        raise CommandError(f"{METHODOLOGY_DIR}: aucun fichier de méthodologie")
    specs = [(path, read_methodology(path)) for path in paths]  # validate everything first
    loaded: list[Methodology] = []
    with transaction.atomic():
        for path, spec in specs:
            methodology, changed = _save(spec)
            loaded.append(methodology)
            if stdout is not None:
                state = "chargée" if changed else "inchangée"
                stdout.write(
                    f"Méthodologie {spec['code']} {spec['version']} : {state} ({path.name})"
                )
        # The version in force for each code: the highest one, unless its file says
        # ``current: false`` (a draft loaded ahead of time).
        drafts = {(s["code"], s["version"]) for _, s in specs if not s["current"]}
        for code in {m.code for m in loaded}:
            versions = [
                m for m in Methodology.objects.filter(code=code) if (code, m.version) not in drafts
            ]
            if not versions:
                continue
            current = max(versions, key=lambda m: _version_key(m.version))
            Methodology.objects.filter(code=code).exclude(pk=current.pk).update(is_current=False)
            Methodology.objects.filter(pk=current.pk, is_current=False).update(is_current=True)
    return loaded


def _version_key(version: str) -> tuple:
    """Numbers compare as numbers and rank above words (so "2026" > "2016" > "draft")."""
    return tuple(
        (1, int(p), "") if p.isdigit() else (0, 0, p) for p in version.replace("-", ".").split(".")
    )


def load(stdout) -> None:  # noqa: ANN001
    from . import reference_planning

    load_methodologies(stdout=stdout)
    reference_planning.load(stdout)
