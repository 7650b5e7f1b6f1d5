from django.core.files.uploadedfile import SimpleUploadedFile

from tests.policy import ALL_A, COORD_AND_FOLLOWERS, FOLLOWERS_AND_MSP_A1, STAFF, Rule
from tests.projects.policy_planning import PLANNING_POLICY

DIM = frozenset({"dim_a"})
MSP_PEOPLE = frozenset({"coordinator_a", "member_a", "member_a2"})


def project(w) -> dict:  # noqa: ANN001
    return {"pk": w.objects["project"].pk}


def task(w) -> dict:  # noqa: ANN001
    return {"pk": w.objects["task"].pk}


def evidence_file(w) -> dict:  # noqa: ANN001
    return {"file": SimpleUploadedFile("note.txt", b"Ordre du jour de la reunion.\n")}


CORE_POLICY: dict = {
    "projects:mine": Rule(allow=MSP_PEOPLE),
    "projects:create": Rule(allow=ALL_A),
    "projects:follow_assigned": Rule(allow=DIM),
    "projects:follow_federation": Rule(allow=STAFF),
    "projects:export_csv": Rule(allow=STAFF),
    "projects:export_xlsx": Rule(allow=STAFF),
    "projects:methodology": Rule(allow=STAFF),
    "projects:methodology_item_disable": Rule(
        allow=STAFF, method="post", kwargs=lambda w: {"pk": w.objects["federation_item"].pk}
    ),
    "projects:detail": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=project, deny={"member_a2": 404}),
    "projects:gate": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=project, deny={"member_a2": 404}),
    "projects:contract": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=project, deny={"member_a2": 404}),
    "projects:team": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=project, deny={"member_a2": 404}),
    "projects:choose_software": Rule(
        allow=COORD_AND_FOLLOWERS,
        kwargs=project,
        method="post",
        data=lambda w: {"software": w.software_x.pk},
        deny={"member_a": 403},
    ),
    "projects:team_remove": Rule(
        allow=COORD_AND_FOLLOWERS,
        kwargs=lambda w: {"pk": w.objects["team_member"].pk},
        method="post",
        deny={"member_a": 403},
    ),
    "projects:task": Rule(allow=FOLLOWERS_AND_MSP_A1, kwargs=task, deny={"member_a2": 404}),
    "projects:task_status": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        kwargs=task,
        method="post",
        data=lambda w: {"status": "done"},
        deny={"member_a2": 404},
    ),
    "projects:evidence_upload": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        kwargs=task,
        method="post",
        data=evidence_file,
        deny={"member_a2": 404},
    ),
    "projects:evidence_download": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        kwargs=lambda w: {"pk": w.objects["evidence"].pk},
        deny={"member_a2": 404},
    ),
    "api-projects": Rule(allow=ALL_A, api=True),
    "api-project": Rule(
        allow=FOLLOWERS_AND_MSP_A1, kwargs=project, api=True, deny={"member_a2": 404}
    ),
    "api-project-tasks": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        kwargs=lambda w: {"project_pk": w.objects["project"].pk},
        api=True,
        deny={"member_a2": 404},
    ),
    "api-task": Rule(
        allow=FOLLOWERS_AND_MSP_A1,
        kwargs=task,
        api=True,
        method="patch",
        json=True,
        data=lambda w: {"status": "in_progress"},
        deny={"member_a2": 404},
    ),
}

POLICY = {**CORE_POLICY, **PLANNING_POLICY}
