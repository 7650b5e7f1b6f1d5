"""The HAS framework as versioned data: shipped content, and the loader's checks."""

from __future__ import annotations

import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from maturity import reference
from maturity.models import Axis, Characteristic, Dimension, Framework
from tests.maturity.world import load_has_framework, make_campaign

SEED = Path("/work/shared/seeds/003_e131b00eba35b7ee.txt")

GOOD = """\
code: test-ref
version: "1"
name: Référentiel de test
scales:
  rating:
    - {code: non, label: non, score: 0}
    - {code: oui, label: oui, score: 1}
  positioning:
    - {level: 0, label: aucune}
    - {level: 1, label: quelques}
    - {level: 2, label: la plupart}
    - {level: 3, label: toutes}
axes:
  - code: axe-a
    name: Axe A
    dimensions:
      - code: dim-a
        name: Dimension A
        characteristics:
          - {code: car-1, text: Première}
          - {code: car-2, text: Deuxième}
"""


def write(tmp_path: Path, text: str, name: str = "ref.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_shipped_framework_has_the_four_axes_and_the_si_axis_word_for_word() -> None:
    framework = load_has_framework()
    assert [a.name for a in framework.axes.all()] == [
        "Travail en équipe pluriprofessionnelle",
        "Système d'information",
        "Projet de santé et accès aux soins",
        "Implication des patients",
    ]
    si = Axis.objects.get(framework=framework, code="systeme-information")
    assert [d.name for d in si.dimensions.all()] == [
        "Partage de données",
        "Gestion des données",
        "Analyse des pratiques",
    ]
    texts = list(Characteristic.objects.filter(dimension__axis=si).values_list("text", flat=True))
    assert len(texts) == 15
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else None
    if seed is not None:
        for text in texts:
            assert text in seed, text
    assert (
        "Avec l'accord du patient, tous les professionnels impliqués dans sa prise en charge ont "
        "accès aux informations de son dossier." in texts
    )
    # The other axes exist without invented dimensions.
    assert not Dimension.objects.filter(axis__framework=framework).exclude(axis=si).exists()
    assert [i["label"] for i in framework.rating_scale] == ["non", "en partie", "oui"]
    assert [i["label"] for i in framework.positioning_scale] == [
        "aucune caractéristique",
        "quelques caractéristiques",
        "la plupart des caractéristiques",
        "toutes les caractéristiques",
    ]


@pytest.mark.django_db
def test_load_reference_is_idempotent() -> None:
    out = StringIO()
    call_command("load_framework", stdout=out)
    assert "créé" in out.getvalue()
    counts = (Framework.objects.count(), Dimension.objects.count(), Characteristic.objects.count())
    ids = sorted(Characteristic.objects.values_list("pk", flat=True))
    out = StringIO()
    call_command("load_framework", stdout=out)
    assert "inchangé" in out.getvalue()
    assert counts == (
        Framework.objects.count(),
        Dimension.objects.count(),
        Characteristic.objects.count(),
    )
    assert ids == sorted(Characteristic.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_good_file_loads_and_can_be_updated_while_unused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert reference.load_file(path).outcome == "created"
    path.write_text(GOOD.replace("Première", "Première corrigée"), encoding="utf-8")
    assert reference.load_file(path).outcome == "updated"
    assert Characteristic.objects.filter(text="Première corrigée").count() == 1
    assert Characteristic.objects.count() == 2


@pytest.mark.django_db
def test_a_version_in_use_is_never_rewritten(tmp_path: Path, world) -> None:  # noqa: ANN001
    path = write(tmp_path, GOOD)
    framework = reference.load_file(path).framework
    make_campaign(
        federation=world.federation_a, centre=world.centre_a, framework=framework, year=2026
    )
    path.write_text(GOOD.replace("Première", "Autre texte"), encoding="utf-8")
    with pytest.raises(CommandError, match="utilisée par 1 campagne.*nouvelle version"):
        reference.load_file(path)
    assert Characteristic.objects.filter(
        dimension__axis__framework=framework, text="Première"
    ).exists()
    # Identical content is still fine (idempotent), and a new version loads beside it.
    path.write_text(GOOD, encoding="utf-8")
    assert reference.load_file(path).outcome == "unchanged"
    new = write(
        tmp_path,
        GOOD.replace('version: "1"', 'version: "2"').replace("Première", "Autre"),
        "v2.yaml",
    )
    assert reference.load_file(new).outcome == "created"
    assert Framework.objects.filter(code="test-ref").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (lambda t: t.replace("code: car-2", "code: car-1"), 21, "car-1.*en double"),
        (lambda t: t.replace("code: dim-a", "code: dim-a\n        name: X"), None, "en double"),
        (
            lambda t: t.replace(
                "  rating:\n    - {code: non, label: non, score: 0}\n"
                "    - {code: oui, label: oui, score: 1}\n",
                "",
            ),
            5,
            "rating.*manquante",
        ),
        (lambda t: t.split("scales:")[0] + "axes:" + t.split("axes:")[1], 1, "échelles"),
        (
            lambda t: t.replace("{level: 3, label: toutes}", "{level: 2, label: toutes}"),
            12,
            "en double",
        ),
        (lambda t: t.replace("score: 1}", "score: 5}"), 7, "entre 0 et 1"),
        (lambda t: t.replace("code: axe-a", "code: Axe A!"), 14, "minuscules"),
        (
            lambda t: t.replace(
                "    name: Axe A\n", "    name: Axe A\n  - code: axe-a\n    name: Bis\n"
            ),
            16,
            "axe-a.*en double",
        ),
        (lambda t: t + "  - code: [", None, "YAML invalide"),
    ],
)
def test_a_faulty_file_names_file_and_line_and_writes_nothing(
    tmp_path: Path,
    change,
    line,
    reason,  # noqa: ANN001
) -> None:
    path = write(tmp_path, change(GOOD), "faute.yaml")
    with pytest.raises(CommandError) as exc:
        reference.load_file(path)
    message = str(exc.value)
    assert message.startswith("faute.yaml:"), message
    if line is not None:
        assert message.startswith(f"faute.yaml:{line} "), message
    import re

    assert re.search(reason, message), message
    assert not Framework.objects.exists()
    assert not Characteristic.objects.exists()


@pytest.mark.django_db
def test_the_command_is_atomic_across_files(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "a.yaml")
    bad = write(
        tmp_path, GOOD.replace("test-ref", "autre").replace("score: 1}", "score: 2}"), "b.yaml"
    )
    with pytest.raises(CommandError, match="b.yaml:7"):
        call_command("load_framework", str(good), str(bad), stdout=StringIO())
    assert not Framework.objects.exists()
