"""The catalogue import: Annexe 2 exactly, atomic, idempotent, faults named by file and line."""

from __future__ import annotations

import shutil
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import VendorFactory
from vendors import reference
from vendors.models import (
    Capability,
    LabelRecord,
    Requirement,
    RequirementDimension,
    Software,
    Vendor,
)

pytestmark = pytest.mark.django_db

ANNEXE_2 = {
    # slug: (vendor slug, version, perimeter, level, date, number of professions)
    "acteur-csfr": ("aatlantide", "2.2.14.1", "msp_cds", "avance", date(2017, 1, 17), 11),
    "crossway-galaxie": (
        "cegedim-logiciels-medicaux",
        "21.02 /8.0",
        "cds",
        "standard",
        date(2016, 12, 22),
        11,
    ),
    "monlogiciel-medicalcom": (
        "cegedim-logiciels-medicaux",
        "7.01",
        "msp_cds",
        "standard",
        date(2017, 2, 8),
        10,
    ),
    "axisante-msp": (
        "compugroup-medical-solutions",
        "3.18.0.0",
        "msp_cds",
        "standard",
        date(2017, 1, 24),
        9,
    ),
    "labelisa": ("corilus-infosante", "6", "cds", "standard", date(2017, 5, 11), 11),
    "chorus": ("ict", "3.08", "msp_cds", "avance", date(2016, 11, 23), 13),
    "mon-premier-chorus": ("ict", "V 3.08", "msp_cds", "standard", date(2017, 1, 27), 11),
    "hellodoc": ("imagine-editions", "5.70", "msp_cds", "standard", date(2017, 2, 24), 10),
    "maidis-amies": ("maidis", "3.35", "msp_cds", "standard", date(2017, 2, 28), 11),
    "hypermed": ("medassist-sas", "20.16.023", "msp_cds", "standard", date(2017, 2, 22), 11),
    "medimust": ("medimust", "11.0", "msp_cds", "standard", date(2017, 2, 3), 10),
    "eo": ("silk-informatique", "8", "msp_cds", "avance", date(2017, 1, 13), 11),
    "weda": ("weda", "10.1", "msp_cds", "standard", date(2016, 11, 22), 10),
}


def load() -> str:
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    return out.getvalue()


def test_annexe_2_is_imported_exactly() -> None:
    load()
    v2 = LabelRecord.objects.filter(referential="V2").select_related("software__vendor")
    assert v2.count() == 13
    found = {
        lr.software.slug: (
            lr.software.vendor.slug,
            lr.software_version,
            lr.perimeter,
            lr.level,
            lr.labelled_on,
            len(lr.professions),
        )
        for lr in v2
    }
    assert found == ANNEXE_2
    assert sum(1 for v in ANNEXE_2.values() if v[2] == "msp_cds") == 11  # "dont 11 … et 2 …"
    chorus = LabelRecord.objects.get(software__slug="chorus")
    assert "pharmacien" in chorus.professions and "intervenant_medico_social" in chorus.professions
    hellodoc = LabelRecord.objects.get(software__slug="hellodoc")
    assert "pedicure_podologue" in hellodoc.professions  # "Pédicure-Podologue" and "Podologue"
    assert "chirurgien_dentiste" not in hellodoc.professions


def test_medistory_lost_its_label_and_label_levels_follow_the_records() -> None:
    load()
    medistory = Software.objects.get(slug="medistory")
    record = medistory.labels.get()
    assert record.status == "lost"
    assert "V2" in record.status_note
    assert medistory.label_level == ""
    assert Software.objects.get(slug="chorus").label_level == "avance"
    assert Software.objects.get(slug="hellodoc").label_level == "standard"
    # A label valid for centres de santé only does not count for a maison de santé.
    assert Software.objects.get(slug="crossway-galaxie").label_level == ""


def test_running_twice_changes_nothing_and_keeps_the_demo_vendor() -> None:
    VendorFactory(slug="imagine-editions", name="IMAGINE EDITIONS (démo)")
    load()
    counts = (Vendor.objects.count(), Software.objects.count(), LabelRecord.objects.count())
    snapshot = list(LabelRecord.objects.order_by("pk").values())
    load()
    assert (Vendor.objects.count(), Software.objects.count(), LabelRecord.objects.count()) == counts
    assert list(LabelRecord.objects.order_by("pk").values()) == snapshot
    assert Vendor.objects.get(slug="imagine-editions").name == "IMAGINE EDITIONS"


def test_capabilities_and_requirements_are_data() -> None:
    load()
    billing = Capability.objects.filter(group="Facturation par profession")
    assert {"infirmier", "masseur_kinesitherapeute"} <= set(
        billing.values_list("profession", flat=True)
    )
    assert (
        Capability.objects.filter(
            code__in=["dmp", "mssante", "carte-vitale", "multi-site", "mobilite", "reprise-donnees"]
        ).count()
        == 6
    )
    assert list(RequirementDimension.objects.values_list("label", flat=True)) == [
        "Production de soins cliniques",
        "Support",
        "Pilotage de l'activité et de la structure",
        "Infrastructure",
    ]
    assert Requirement.objects.filter(
        label="Gestion des tournées", dimension__code="support"
    ).exists()
    assert Requirement.objects.count() >= 12


def _copy_with(tmp_path, line_no: int, old: str, new: str):  # noqa: ANN001, ANN202
    path = tmp_path / "catalogue.csv"
    shutil.copy(reference.CATALOGUE_FILE, path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_unknown_profession_names_file_and_line_and_changes_nothing(tmp_path) -> None:  # noqa: ANN001
    bad = _copy_with(tmp_path, 9, "Orthoptiste", "Ostéopathe")
    with pytest.raises(
        CommandError, match=r"catalogue\.csv, ligne 9 : profession inconnue « Ostéopathe »"
    ):
        call_command("load_catalogue", catalogue=bad, stdout=StringIO())
    assert Software.objects.count() == 0
    assert Capability.objects.count() == 0


def test_unknown_level_names_file_and_line_and_changes_nothing(tmp_path) -> None:  # noqa: ANN001
    load()
    before = list(LabelRecord.objects.order_by("pk").values())
    bad = _copy_with(tmp_path, 3, ",standard,", ",expert,")
    with pytest.raises(CommandError, match=r"catalogue\.csv, ligne 3 : niveau inconnu « expert »"):
        call_command("load_catalogue", catalogue=bad, stdout=StringIO())
    assert list(LabelRecord.objects.order_by("pk").values()) == before


def test_a_later_fault_rolls_back_earlier_files(tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "requirements.csv"
    bad.write_text(
        "code,dimension,niveau,exigence\nX-1,inconnue,standard,Une exigence\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"requirements\.csv, ligne 2 : dimension inconnue"):
        call_command("load_catalogue", requirements=bad, stdout=StringIO())
    assert Software.objects.count() == 0


def test_more_requirements_by_import(tmp_path) -> None:  # noqa: ANN001
    extra = tmp_path / "requirements.csv"
    extra.write_text(
        reference.REQUIREMENTS_FILE.read_text(encoding="utf-8")
        + "INF-04,infrastructure,avancé,Chiffrer les sauvegardes\n",
        encoding="utf-8",
    )
    call_command("load_catalogue", requirements=extra, stdout=StringIO())
    req = Requirement.objects.get(code="INF-04")
    assert req.level == "avance" and req.dimension.code == "infrastructure"


def test_an_unquoted_comma_is_reported_with_its_line(tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "capabilities.csv"
    bad.write_text(
        "code,rubrique,profession,libelle\ndmp,Échanges,,DMP (création, consultation)\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"capabilities\.csv, ligne 2 : trop de colonnes"):
        call_command("load_catalogue", capabilities=bad, stdout=StringIO())
    assert Software.objects.count() == 0
