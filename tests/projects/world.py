from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.models import TeamRole
from tests.projects.factories import make_project, small_methodology


def extend(w) -> None:  # noqa: ANN001
    from tests.projects import world_planning

    small_methodology()
    staff = w.memberships["staff_a"]
    project = make_project(centre=w.centre_a, actor_membership=w.memberships["coordinator_a"])
    w.objects["project"] = project
    task = project.tasks.order_by("step", "activity_position", "position").first()
    w.objects["task"] = task
    w.objects["evidence"] = services.evidence_add(
        actor=w.users["coordinator_a"],
        task=task,
        uploaded=SimpleUploadedFile("compte-rendu.txt", b"Reunion de l'equipe projet.\n"),
    )
    w.objects["team_member"] = services.team_add(
        actor=w.users["coordinator_a"],
        project=project,
        role=TeamRole.LEAD,
        membership=w.memberships["coordinator_a"],
    )
    w.objects["federation_item"] = services.federation_item_add(
        actor=staff.user,
        federation=w.federation_a,
        activity_code="preparation",
        title="Présenter le projet au conseil de la fédération",
    )
    world_planning.extend(w)
