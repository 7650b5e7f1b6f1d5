from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from projects import services
from projects.models import (
    ChecklistItem,
    Methodology,
    MethodologyActivity,
    MethodologyItem,
    Task,
)
from projects.reference import METHODOLOGY_DIR
from tests.projects.factories import make_project

REAL = METHODOLOGY_DIR / "asip-2016.yaml"


@pytest.mark.django_db
def test_the_asip_methodology_is_loaded_in_full_and_twice_changes_nothing():
    call_command("load_methodology")
    m = Methodology.objects.get(code="asip", version="2016")
    assert m.is_current
    activities = list(m.activities.values_list("step", "title"))
    assert [a for s, a in activities if s == 1] == [
        "Préparation du projet d'informatisation",
        "Choix de la solution",
        "Contractualisation avec l'éditeur",
        "Lancement de la mise en œuvre",
    ]
    assert [a for s, a in activities if s == 2] == [
        "Installation sur site et configuration de la solution",
        "Gestion de la reprise des données",
        "Formation initiale des utilisateurs",
    ]
    assert len([a for s, a in activities if s == 3]) == 3
    titles = set(MethodologyItem.objects.values_list("title", flat=True))
    assert (
        "Faire intervenir un facilitateur externe sur site pendant 2 à 4 semaines au minimum"
        in titles
    )
    assert "Recueillir l'avis des professionnels de l'équipe et choisir" in titles  # FEMASNORD
    labels = list(ChecklistItem.objects.filter(methodology=m).values_list("code", flat=True))
    assert labels == [
        "couts",
        "deploiement",
        "formation",
        "assistance",
        "maintenance",
        "depannage",
        "cession",
        "reprise-fin-contrat",
    ]
    counts = (MethodologyActivity.objects.count(), MethodologyItem.objects.count())
    call_command("load_methodology")
    assert (MethodologyActivity.objects.count(), MethodologyItem.objects.count()) == counts
    assert Methodology.objects.count() == 1


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_missing_field_names_file_and_line_and_nothing_is_written(tmp_path):
    good = _write(tmp_path, "asip-2016.yaml", REAL.read_text(encoding="utf-8"))
    bad_text = REAL.read_text(encoding="utf-8").replace('version: "2016"', 'version: "2099"')
    bad_text = bad_text.replace(
        "          - code: reduire-charge\n"
        '            title: "Réduire la charge des professionnels pendant l\'implémentation"\n',
        "          - code: reduire-charge\n",
    )
    bad = _write(tmp_path, "asip-2099.yaml", bad_text)
    line = bad_text.splitlines().index("          - code: reduire-charge") + 1
    with pytest.raises(CommandError) as exc:
        call_command("load_methodology", str(good), str(bad))
    assert f"asip-2099.yaml:{line}" in str(exc.value)
    assert "« title » manquant" in str(exc.value)
    assert not Methodology.objects.exists()  # the good file was not half-loaded either


@pytest.mark.django_db
def test_unreadable_yaml_and_unknown_step_are_refused_with_their_line(tmp_path):
    broken = _write(tmp_path, "asip-1.yaml", "code: asip\nversion: 1\ntitle: [oops\n")
    with pytest.raises(CommandError, match=r"asip-1.yaml:\d+: YAML illisible"):
        call_command("load_methodology", str(broken))
    wrong = _write(
        tmp_path,
        "asip-2.yaml",
        "code: asip\nversion: 2\ntitle: T\nsteps:\n  - step: 4\n    activities: []\n",
    )
    with pytest.raises(CommandError, match=r"asip-2.yaml:5: étape 4 inconnue"):
        call_command("load_methodology", str(wrong))
    assert not Methodology.objects.exists()


@pytest.mark.django_db
def test_a_new_version_never_rewrites_a_project_under_way(world, tmp_path):
    call_command("load_methodology")
    coordinator = world.memberships["member_a2"]
    coordinator.role = "coordinator"
    coordinator.save()
    old = services.current_methodology()
    project = make_project(centre=world.centre_a2, actor_membership=coordinator, methodology=old)
    before = list(project.tasks.values_list("title", flat=True))
    newer = REAL.read_text(encoding="utf-8").replace('version: "2016"', 'version: "2026"')
    newer = newer.replace(
        "Désigner le chef de projet (un binôme au-delà de 15 professionnels)",
        "Désigner le chef de projet (version 2026)",
    )
    call_command("load_methodology", str(_write(tmp_path, "asip-2026.yaml", newer)))
    assert services.current_methodology().version == "2026"
    assert Methodology.objects.filter(version="2016").exists()  # versions are kept
    project.refresh_from_db()
    assert project.methodology == old
    assert list(project.tasks.values_list("title", flat=True)) == before
    assert not Task.objects.filter(title__contains="version 2026").exists()
