"""Test helpers of the projects app: a small methodology (fast to build) and projects."""

from __future__ import annotations

from projects import services
from projects.models import (
    ChecklistItem,
    ItemKind,
    Methodology,
    MethodologyActivity,
    MethodologyItem,
)

#: step → [(activity code, [(item code, mandatory, kind), …]), …]
SMALL = {
    1: [
        (
            "preparation",
            [("diagnostic", True, ItemKind.TASK), ("visites", False, ItemKind.TASK)],
        ),
        ("choix", [("cahier", True, ItemKind.TASK), ("jalon-choix", True, ItemKind.MILESTONE)]),
    ],
    2: [("formation", [("super-utilisateurs", True, ItemKind.TASK)])],
    3: [("relation-editeur", [("interlocuteur", False, ItemKind.TASK)])],
}
CONTRACT = ["couts", "formation", "reprise-fin-contrat"]


def small_methodology(version: str = "test-1", *, current: bool = True) -> Methodology:
    methodology, _ = Methodology.objects.get_or_create(
        code="asip",
        version=version,
        defaults={"title": f"Méthode {version}", "is_current": current},
    )
    if methodology.activities.exists():
        return methodology
    for step, activities in SMALL.items():
        for a_pos, (a_code, items) in enumerate(activities, start=1):
            activity = MethodologyActivity.objects.create(
                methodology=methodology,
                step=step,
                code=a_code,
                title=f"Activité {a_code}",
                position=a_pos,
            )
            for i_pos, (code, mandatory, kind) in enumerate(items, start=1):
                MethodologyItem.objects.create(
                    activity=activity,
                    code=code,
                    title=f"Tâche {code}",
                    mandatory=mandatory,
                    kind=kind,
                    position=i_pos,
                )
    for pos, code in enumerate(CONTRACT, start=1):
        ChecklistItem.objects.create(
            methodology=methodology,
            checklist="contrat",
            code=code,
            label=f"Point {code}",
            position=pos,
        )
    return methodology


def make_project(*, centre, actor_membership, methodology=None):  # noqa: ANN001, ANN201
    methodology = methodology or small_methodology()
    return services.project_create(
        actor=actor_membership.user,
        membership=actor_membership,
        health_centre=centre,
        methodology=methodology,
    )
