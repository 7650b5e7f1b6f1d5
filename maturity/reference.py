"""Maturity frameworks as versioned data: ``maturity/data/<code>-<version>.yaml``.

A file describes one framework version: its rating scales (individual answer, team positioning)
and its axes → dimensions → characteristics. ``load_file`` reads it, checks it completely before
writing anything (a fault is reported as ``file:line: reason``), then writes it in one
transaction. Loading the same file twice changes nothing. A version that campaigns already use is
never rewritten: a file that differs from it is refused (publish a new version instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandError
from django.db import transaction

from .models import Axis, Characteristic, Dimension, Framework
from .selectors import invalidate_dimensions

DATA_DIR = Path(__file__).parent / "data"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
POSITIONING_LEVELS = [0, 1, 2, 3]
LINE = "__line__"


class FrameworkFileError(CommandError):
    """A fault in a framework file, naming the file and the line."""


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records each mapping's line and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"clé « {key} » en double", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class CharacteristicSpec:
    code: str
    text: str


@dataclass
class DimensionSpec:
    code: str
    name: str
    characteristics: list[CharacteristicSpec] = field(default_factory=list)


@dataclass
class AxisSpec:
    code: str
    name: str
    dimensions: list[DimensionSpec] = field(default_factory=list)


@dataclass
class FrameworkSpec:
    code: str
    version: str
    name: str
    description: str
    rating_scale: list[dict]
    positioning_scale: list[dict]
    axes: list[AxisSpec]
    source: str = ""

    def signature(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "rating_scale": self.rating_scale,
            "positioning_scale": self.positioning_scale,
            "axes": [
                {
                    "code": a.code,
                    "name": a.name,
                    "dimensions": [
                        {
                            "code": d.code,
                            "name": d.name,
                            "characteristics": [
                                {"code": c.code, "text": c.text} for c in d.characteristics
                            ],
                        }
                        for d in a.dimensions
                    ],
                }
                for a in self.axes
            ],
        }


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name

    def fail(self, line: int | None, message: str) -> FrameworkFileError:
        where = f"{self.name}:{line}" if line else self.name
        return FrameworkFileError(f"{where} : {message}")

    def text(self, node: dict, key: str, *, slug: bool = False, required: bool = True) -> str:
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if not required:
                return ""
            raise self.fail(node.get(LINE), f"le champ « {key} » est obligatoire")
        if not isinstance(value, str | int | float):
            raise self.fail(node.get(LINE), f"le champ « {key} » doit être un texte")
        value = str(value).strip()
        if slug and not SLUG_RE.match(value):
            raise self.fail(
                node.get(LINE),
                f"le code « {value} » doit être en minuscules, chiffres et tirets",
            )
        return value

    def items(self, node: dict, key: str, *, required: bool = True) -> list[dict]:
        value = node.get(key)
        if value is None:
            if required:
                raise self.fail(node.get(LINE), f"la liste « {key} » est obligatoire")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(node.get(LINE), f"« {key} » doit être une liste d'éléments")
        return value


def parse_file(path: Path | str) -> FrameworkSpec:
    """Read and check a framework file completely; raise FrameworkFileError on the first fault."""
    path = Path(path)
    reader = _Reader(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise reader.fail(None, f"lecture impossible ({exc.strerror})")
    except UnicodeDecodeError:
        raise reader.fail(None, "le fichier doit être encodé en UTF-8")
    try:
        data = yaml.load(raw, Loader=_LineLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise reader.fail(mark.line + 1 if mark else None, f"YAML invalide ({problem})")
    if not isinstance(data, dict):
        raise reader.fail(1, "le fichier doit décrire un référentiel (code, version, axes…)")
    code = reader.text(data, "code", slug=True)
    version = reader.text(data, "version")
    name = reader.text(data, "name")
    description = reader.text(data, "description", required=False)

    scales = data.get("scales")
    if not isinstance(scales, dict):
        raise reader.fail(
            data.get(LINE), "les échelles (« scales » : rating et positioning) sont obligatoires"
        )
    rating_items = scales.get("rating")
    if not rating_items:
        raise reader.fail(scales[LINE], "l'échelle de réponse « rating » est manquante")
    rating_items = reader.items(scales, "rating")
    rating_scale: list[dict] = []
    for item in rating_items:
        item_code = reader.text(item, "code", slug=True)
        label = reader.text(item, "label")
        score = item.get("score")
        if not isinstance(score, int | float) or not 0 <= score <= 1:
            raise reader.fail(item[LINE], f"le score de « {item_code} » doit être entre 0 et 1")
        if any(r["code"] == item_code for r in rating_scale):
            raise reader.fail(item[LINE], f"code de réponse « {item_code} » en double")
        rating_scale.append({"code": item_code, "label": label, "score": score})
    if len(rating_scale) < 2:
        raise reader.fail(scales[LINE], "l'échelle de réponse doit avoir au moins deux valeurs")
    positioning_items = scales.get("positioning")
    if not positioning_items:
        raise reader.fail(scales[LINE], "l'échelle de positionnement « positioning » est manquante")
    positioning_items = reader.items(scales, "positioning")
    positioning_scale = []
    for item in positioning_items:
        level = item.get("level")
        label = reader.text(item, "label")
        if not isinstance(level, int) or level not in POSITIONING_LEVELS:
            raise reader.fail(item[LINE], "le niveau de positionnement doit être 0, 1, 2 ou 3")
        if any(p["level"] == level for p in positioning_scale):
            raise reader.fail(item[LINE], f"niveau de positionnement {level} en double")
        positioning_scale.append({"level": level, "label": label})
    if sorted(p["level"] for p in positioning_scale) != POSITIONING_LEVELS:
        raise reader.fail(
            scales[LINE], "l'échelle de positionnement doit avoir les quatre niveaux 0 à 3"
        )

    axes: list[AxisSpec] = []
    dimension_codes: set[str] = set()
    characteristic_codes: set[str] = set()
    for axis_node in reader.items(data, "axes"):
        axis = AxisSpec(
            code=reader.text(axis_node, "code", slug=True), name=reader.text(axis_node, "name")
        )
        if any(a.code == axis.code for a in axes):
            raise reader.fail(axis_node[LINE], f"code d'axe « {axis.code} » en double")
        for dim_node in reader.items(axis_node, "dimensions", required=False):
            dimension = DimensionSpec(
                code=reader.text(dim_node, "code", slug=True), name=reader.text(dim_node, "name")
            )
            if dimension.code in dimension_codes:
                raise reader.fail(
                    dim_node[LINE], f"code de dimension « {dimension.code} » en double"
                )
            dimension_codes.add(dimension.code)
            for char_node in reader.items(dim_node, "characteristics"):
                characteristic = CharacteristicSpec(
                    code=reader.text(char_node, "code", slug=True),
                    text=reader.text(char_node, "text"),
                )
                if characteristic.code in characteristic_codes:
                    raise reader.fail(
                        char_node[LINE],
                        f"code de caractéristique « {characteristic.code} » en double",
                    )
                characteristic_codes.add(characteristic.code)
                dimension.characteristics.append(characteristic)
            if not dimension.characteristics:
                raise reader.fail(
                    dim_node[LINE], f"la dimension « {dimension.code} » n'a aucune caractéristique"
                )
            axis.dimensions.append(dimension)
        axes.append(axis)
    if not axes:
        raise reader.fail(data.get(LINE), "le référentiel n'a aucun axe")
    return FrameworkSpec(
        code=code,
        version=version,
        name=name,
        description=description,
        rating_scale=rating_scale,
        positioning_scale=positioning_scale,
        axes=axes,
        source=path.name,
    )


def framework_signature(framework: Framework) -> dict:
    """The national content of a framework in the database, shaped like ``FrameworkSpec``."""
    axes = list(framework.axes.order_by("position", "pk"))
    dimensions = list(
        Dimension.objects.filter(axis__framework=framework, federation__isnull=True).order_by(
            "position", "pk"
        )
    )
    characteristics = list(
        Characteristic.objects.filter(dimension__in=dimensions).order_by("position", "pk")
    )
    return {
        "name": framework.name,
        "description": framework.description,
        "rating_scale": framework.rating_scale,
        "positioning_scale": framework.positioning_scale,
        "axes": [
            {
                "code": a.code,
                "name": a.name,
                "dimensions": [
                    {
                        "code": d.code,
                        "name": d.name,
                        "characteristics": [
                            {"code": c.code, "text": c.text}
                            for c in characteristics
                            if c.dimension_id == d.pk
                        ],
                    }
                    for d in dimensions
                    if d.axis_id == a.pk
                ],
            }
            for a in axes
        ],
    }


@dataclass
class LoadResult:
    framework: Framework
    outcome: str  # "created", "updated" or "unchanged"


@transaction.atomic
def apply_spec(spec: FrameworkSpec) -> LoadResult:
    framework = (
        Framework.objects.select_for_update().filter(code=spec.code, version=spec.version).first()
    )
    if framework is not None:
        if framework_signature(framework) == spec.signature():
            return LoadResult(framework, "unchanged")
        in_use = framework.campaigns.count()
        if in_use:
            raise FrameworkFileError(
                f"{spec.source} : la version {spec.version} de « {spec.code} » est utilisée par "
                f"{in_use} campagne(s) et ne peut pas être réécrite ; publiez une nouvelle version "
                "(nouveau fichier, nouvelle valeur de « version »)."
            )
        outcome = "updated"
    else:
        framework = Framework(code=spec.code, version=spec.version)
        outcome = "created"
    if framework.pk:  # rewritten (no campaign uses it): its dimensions' cached structure goes
        invalidate_dimensions(
            Dimension.objects.filter(axis__framework=framework).values_list("pk", flat=True)
        )
    framework.name = spec.name
    framework.description = spec.description
    framework.rating_scale = spec.rating_scale
    framework.positioning_scale = spec.positioning_scale
    framework.source = spec.source
    framework.save()

    keep_axes = []
    for a_pos, a in enumerate(spec.axes):
        axis, _ = Axis.objects.update_or_create(
            framework=framework, code=a.code, defaults={"name": a.name, "position": a_pos}
        )
        keep_axes.append(axis.pk)
        keep_dims = []
        for d_pos, d in enumerate(a.dimensions):
            dimension, _ = Dimension.objects.update_or_create(
                axis=axis,
                code=d.code,
                federation=None,
                defaults={"name": d.name, "position": d_pos},
            )
            keep_dims.append(dimension.pk)
            keep_chars = []
            for c_pos, c in enumerate(d.characteristics):
                characteristic, _ = Characteristic.objects.update_or_create(
                    dimension=dimension, code=c.code, defaults={"text": c.text, "position": c_pos}
                )
                keep_chars.append(characteristic.pk)
            dimension.characteristics.exclude(pk__in=keep_chars).delete()
        Dimension.objects.filter(axis=axis, federation__isnull=True).exclude(
            pk__in=keep_dims
        ).delete()
    dropped = framework.axes.exclude(pk__in=keep_axes)
    if Dimension.objects.filter(axis__in=dropped, federation__isnull=False).exists():
        raise FrameworkFileError(
            f"{spec.source} : un axe retiré du fichier porte des dimensions ajoutées par une "
            "fédération ; il ne peut pas être supprimé."
        )
    dropped.delete()
    return LoadResult(framework, outcome)


def load_file(path: Path | str, stdout=None) -> LoadResult:  # noqa: ANN001
    spec = parse_file(path)
    result = apply_spec(spec)
    if stdout is not None:
        labels = {"created": "créé", "updated": "mis à jour", "unchanged": "inchangé"}
        stdout.write(
            f"  Référentiel de maturité {spec.code} {spec.version} : {labels[result.outcome]}"
        )
    return result


def framework_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def load(stdout=None) -> None:  # noqa: ANN001
    """Load every framework file shipped with the app (called by ``manage.py load_reference``)."""
    with transaction.atomic():
        for path in framework_files():
            load_file(path, stdout)
