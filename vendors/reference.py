"""National reference data of the vendors app, loaded from the versioned files of ``data/``:

- ``catalogue.csv``: Annexe 2 of the thesis (ASIP label list, référentiel V2) plus the software
  whose label was lost (Médistory);
- ``capabilities.csv``: the capability vocabulary that needs and facts point at;
- ``dimensions.csv`` and ``requirements.csv``: the référentiel's dimensions and requirements;
- ``coverage.csv``: explicit statements of requirement coverage (optional rows).

Each loader reads and checks the whole file first, then writes in one transaction: a fault
raises ``CommandError`` naming the file and the line, and nothing is changed. Running it twice
changes nothing.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.text import slugify

from federations.professions import ALIASES, Profession

from .models import (
    Capability,
    LabelLevel,
    LabelRecord,
    LabelStatus,
    Perimeter,
    Requirement,
    RequirementCoverage,
    RequirementDimension,
    Software,
    Vendor,
)

DATA_DIR = Path(__file__).parent / "data"
CATALOGUE_FILE = DATA_DIR / "catalogue.csv"
CAPABILITIES_FILE = DATA_DIR / "capabilities.csv"
DIMENSIONS_FILE = DATA_DIR / "dimensions.csv"
REQUIREMENTS_FILE = DATA_DIR / "requirements.csv"
COVERAGE_FILE = DATA_DIR / "coverage.csv"

LEVELS = {"standard": LabelLevel.STANDARD, "avance": LabelLevel.ADVANCED}
STATUSES = {
    "valide": LabelStatus.VALID,
    "en vigueur": LabelStatus.VALID,
    "perdu": LabelStatus.LOST,
    "retire": LabelStatus.WITHDRAWN,
}
FACT_SOURCES = {
    "editeur": "declared",
    "declare": "declared",
    "msp": "reported",
    "rapporte": "reported",
    "federation": "verified",
    "verifie": "verified",
}


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: how source spellings are compared."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def profession_code(text: str) -> str | None:
    key = normalise(text)
    if key in ALIASES:
        return str(ALIASES[key])
    if key.replace(" ", "-") in ALIASES:
        return str(ALIASES[key.replace(" ", "-")])
    if key in {str(p) for p in Profession}:
        return key
    return None


def perimeter_code(text: str) -> str | None:
    key = normalise(text)
    if key.startswith("maisons et centres de sante"):
        return Perimeter.MSP_AND_CDS
    if key.startswith("centres de sante"):
        return Perimeter.CDS_ONLY
    return None


class _Reader:
    """Rows of a CSV file with their line numbers; ``fail`` names file and line."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        try:
            self.handle = path.open(encoding="utf-8", newline="")
        except OSError as exc:
            raise CommandError(f"{path.name} : fichier illisible ({exc}).") from exc
        self.reader = csv.DictReader(self.handle)
        header = self.reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            self.handle.close()
            raise CommandError(
                f"{path.name}, ligne 1 : colonnes manquantes : {', '.join(missing)}."
            )

    def rows(self):  # noqa: ANN201
        with self.handle:
            for row in self.reader:
                if None in row:
                    raise self.fail(
                        self.reader.line_num,
                        "trop de colonnes (une virgule dans un texte doit être entre guillemets).",
                    )
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                yield self.reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}

    def fail(self, line: int, message: str) -> CommandError:
        return CommandError(f"{self.path.name}, ligne {line} : {message}")


@dataclass
class CatalogueRow:
    line: int
    vendor_name: str
    software_name: str
    version: str
    perimeter: str
    professions: list[str]
    level: str
    labelled_on: date | None
    referential: str
    status: str
    status_note: str


def read_catalogue(path: Path = CATALOGUE_FILE) -> list[CatalogueRow]:
    reader = _Reader(
        path,
        (
            "editeur",
            "logiciel",
            "version",
            "perimetre",
            "professions",
            "niveau",
            "date",
            "referentiel",
            "statut",
        ),
    )
    rows: list[CatalogueRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, r in reader.rows():
        if not r["editeur"] or not r["logiciel"]:
            raise reader.fail(line, "l'éditeur et le logiciel sont obligatoires.")
        perimeter = perimeter_code(r["perimetre"])
        if perimeter is None:
            raise reader.fail(line, f"périmètre inconnu « {r['perimetre']} ».")
        level = LEVELS.get(normalise(r["niveau"]))
        if level is None:
            raise reader.fail(
                line, f"niveau inconnu « {r['niveau']} » (attendu : standard ou avancé)."
            )
        status = STATUSES.get(normalise(r["statut"]) or "valide")
        if status is None:
            raise reader.fail(
                line, f"statut inconnu « {r['statut']} » (attendu : valide, perdu ou retiré)."
            )
        professions: list[str] = []
        for name in filter(None, (p.strip() for p in r["professions"].split(";"))):
            code = profession_code(name)
            if code is None:
                raise reader.fail(line, f"profession inconnue « {name} ».")
            if code not in professions:
                professions.append(code)
        if status == LabelStatus.VALID and not professions:
            raise reader.fail(line, "un label en vigueur doit couvrir au moins une profession.")
        labelled_on = None
        if r["date"]:
            try:
                labelled_on = datetime.strptime(r["date"], "%d/%m/%Y").date()
            except ValueError:
                raise reader.fail(line, f"date invalide « {r['date']} » (attendu : JJ/MM/AAAA).")
        referential = r["referentiel"] or "V2"
        key = (slugify(r["logiciel"]), referential)
        if key in seen:
            raise reader.fail(
                line, f"« {r['logiciel']} » {referential} figure déjà ligne {seen[key]}."
            )
        seen[key] = line
        rows.append(
            CatalogueRow(
                line=line,
                vendor_name=r["editeur"],
                software_name=r["logiciel"],
                version=r["version"],
                perimeter=perimeter,
                professions=professions,
                level=level,
                labelled_on=labelled_on,
                referential=referential,
                status=status,
                status_note=r.get("precision", ""),
            )
        )
    return rows


def sync_label_level(software: Software) -> None:
    """``Software.label_level`` is the level of the newest valid label whose perimeter includes
    maisons de santé (the one that counts for an MSP's ACI); empty otherwise."""
    valid = [lr for lr in software.labels.all() if lr.valid_for_msp]
    valid.sort(key=lambda lr: (lr.referential, lr.labelled_on or date.min), reverse=True)
    level = valid[0].level if valid else ""
    if software.label_level != level:
        software.label_level = level
        software.save(update_fields=["label_level"])


@transaction.atomic
def write_catalogue(rows: list[CatalogueRow]) -> tuple[int, int]:
    vendors: dict[str, Vendor] = {}
    touched: dict[int, Software] = {}
    for row in rows:
        vslug = slugify(row.vendor_name)
        vendor = vendors.get(vslug)
        if vendor is None:
            vendor = Vendor.objects.filter(slug=vslug).first()
            if vendor is None:
                vendor = Vendor.objects.create(slug=vslug, name=row.vendor_name)
            elif vendor.name != row.vendor_name:
                vendor.name = row.vendor_name
                vendor.save(update_fields=["name"])
            vendors[vslug] = vendor
        software, _ = Software.objects.update_or_create(
            slug=slugify(row.software_name),
            defaults={"vendor": vendor, "name": row.software_name, "version": row.version},
        )
        LabelRecord.objects.update_or_create(
            software=software,
            referential=row.referential,
            defaults={
                "software_version": row.version,
                "perimeter": row.perimeter,
                "professions": row.professions,
                "level": row.level,
                "labelled_on": row.labelled_on,
                "status": row.status,
                "status_note": row.status_note,
            },
        )
        touched[software.pk] = software
    for software in touched.values():
        sync_label_level(software)
    return len(vendors), len(touched)


def load_capabilities(path: Path = CAPABILITIES_FILE) -> int:
    reader = _Reader(path, ("code", "rubrique", "profession", "libelle"))
    rows = []
    seen: dict[str, int] = {}
    for line, r in reader.rows():
        code = r["code"]
        if not code or slugify(code) != code:
            raise reader.fail(line, f"code invalide « {code} » (minuscules, chiffres, tirets).")
        if code in seen:
            raise reader.fail(line, f"le code « {code} » figure déjà ligne {seen[code]}.")
        seen[code] = line
        profession = ""
        if r["profession"]:
            profession = profession_code(r["profession"]) or ""
            if not profession:
                raise reader.fail(line, f"profession inconnue « {r['profession']} ».")
        if not r["libelle"]:
            raise reader.fail(line, "le libellé est obligatoire.")
        rows.append((code, r["libelle"], r["rubrique"], profession))
    with transaction.atomic():
        for code, label, group, profession in rows:
            Capability.objects.update_or_create(
                code=code, defaults={"label": label, "group": group, "profession": profession}
            )
    return len(rows)


def load_requirements(
    dimensions_path: Path = DIMENSIONS_FILE, requirements_path: Path = REQUIREMENTS_FILE
) -> int:
    dims = []
    reader = _Reader(dimensions_path, ("code", "position", "libelle"))
    for line, r in reader.rows():
        if not r["code"] or not r["libelle"]:
            raise reader.fail(line, "le code et le libellé sont obligatoires.")
        try:
            position = int(r["position"] or 0)
        except ValueError:
            raise reader.fail(line, f"position invalide « {r['position']} ».")
        dims.append((r["code"], r["libelle"], position))
    known_dims = {d[0] for d in dims} | set(
        RequirementDimension.objects.values_list("code", flat=True)
    )
    reqs = []
    seen: dict[str, int] = {}
    reader = _Reader(requirements_path, ("code", "dimension", "niveau", "exigence"))
    for line, r in reader.rows():
        if not r["code"] or not r["exigence"]:
            raise reader.fail(line, "le code et l'exigence sont obligatoires.")
        if r["code"] in seen:
            raise reader.fail(line, f"le code « {r['code']} » figure déjà ligne {seen[r['code']]}.")
        seen[r["code"]] = line
        if r["dimension"] not in known_dims:
            raise reader.fail(line, f"dimension inconnue « {r['dimension']} ».")
        level = LEVELS.get(normalise(r["niveau"]) or "standard")
        if level is None:
            raise reader.fail(line, f"niveau inconnu « {r['niveau']} ».")
        reqs.append((r["code"], r["dimension"], level, r["exigence"]))
    with transaction.atomic():
        for code, label, position in dims:
            RequirementDimension.objects.update_or_create(
                code=code, defaults={"label": label, "position": position}
            )
        by_code = {d.code: d for d in RequirementDimension.objects.all()}
        for code, dim, level, label in reqs:
            Requirement.objects.update_or_create(
                code=code, defaults={"dimension": by_code[dim], "level": level, "label": label}
            )
    return len(reqs)


def load_coverage(path: Path = COVERAGE_FILE) -> int:
    reader = _Reader(path, ("logiciel", "exigence", "couverte", "source"))
    software = {s.slug: s for s in Software.objects.all()}
    requirements = {r.code: r for r in Requirement.objects.all()}
    rows = []
    for line, r in reader.rows():
        if r["logiciel"] not in software:
            raise reader.fail(line, f"logiciel inconnu « {r['logiciel']} ».")
        if r["exigence"] not in requirements:
            raise reader.fail(line, f"exigence inconnue « {r['exigence']} ».")
        covered = normalise(r["couverte"])
        if covered not in ("oui", "non"):
            raise reader.fail(line, f"valeur « {r['couverte']} » : attendu oui ou non.")
        source = FACT_SOURCES.get(normalise(r["source"]) or "editeur")
        if source is None:
            raise reader.fail(line, f"source inconnue « {r['source']} ».")
        rows.append(
            (software[r["logiciel"]], requirements[r["exigence"]], covered == "oui", source)
        )
    with transaction.atomic():
        for sw, req, covered, source in rows:
            RequirementCoverage.objects.update_or_create(
                software=sw, requirement=req, defaults={"covered": covered, "source": source}
            )
    return len(rows)


@transaction.atomic
def load_all(
    *,
    catalogue: Path = CATALOGUE_FILE,
    capabilities: Path = CAPABILITIES_FILE,
    dimensions: Path = DIMENSIONS_FILE,
    requirements: Path = REQUIREMENTS_FILE,
    coverage: Path = COVERAGE_FILE,
) -> dict[str, int]:
    rows = read_catalogue(catalogue)
    vendors, products = write_catalogue(rows)
    return {
        "vendors": vendors,
        "software": products,
        "capabilities": load_capabilities(capabilities),
        "requirements": load_requirements(dimensions, requirements),
        "coverage": load_coverage(coverage),
    }


def load(stdout) -> None:  # noqa: ANN001
    counts = load_all()
    stdout.write(
        f"Catalogue : {counts['software']} logiciels de {counts['vendors']} éditeurs, "
        f"{counts['capabilities']} capacités, {counts['requirements']} exigences du label."
    )
