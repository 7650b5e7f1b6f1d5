"""Access-matrix policy of the planning sections."""

from tests.policy import COORD_AND_FOLLOWERS, FOLLOWERS_AND_MSP_A1, STAFF, STAFF_DIM, Rule


def _project(w) -> dict:  # noqa: ANN001
    return {"project_pk": w.objects["project"].pk}


def _with(key: str, kwarg: str, attr: str = "pk"):  # noqa: ANN202
    return lambda w: {**_project(w), kwarg: getattr(w.objects[key], attr)}


# Pages of a project that everyone on it may read; member_a2 (other MSP) gets 404.
READ = FOLLOWERS_AND_MSP_A1
# Pages of a project that its lead, the DIM and the federation write; member_a gets 403.
WRITE = COORD_AND_FOLLOWERS
OTHER_MSP = {"member_a2": 404}

PLANNING_POLICY: dict = {
    "projects:planning": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:aci": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:survey": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:survey_edit": Rule(allow=WRITE, kwargs=_project),
    "projects:survey_versions": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:survey_version": Rule(
        allow=READ, kwargs=_with("planning_survey", "number", "number"), deny=OTHER_MSP
    ),
    "projects:needs": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:needs_document_edit": Rule(allow=WRITE, kwargs=_project),
    "projects:need_create": Rule(allow=WRITE, kwargs=_project),
    "projects:need_edit": Rule(allow=WRITE, kwargs=_with("planning_need", "need_pk")),
    "projects:need_delete": Rule(
        allow=WRITE, kwargs=_with("planning_need", "need_pk"), method="post"
    ),
    "projects:use_case_create": Rule(allow=WRITE, kwargs=_project),
    "projects:needs_csv": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:needs_pdf": Rule(allow=READ, kwargs=_project, method="post", deny=OTHER_MSP),
    "projects:demos": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:shortlist_add": Rule(
        allow=WRITE,
        kwargs=_project,
        method="post",
        data=lambda w: {"software": w.software_y.pk},
    ),
    "projects:shortlist_remove": Rule(
        allow=WRITE, kwargs=_with("planning_shortlist_entry", "entry_pk"), method="post"
    ),
    "projects:demo_session_create": Rule(allow=WRITE, kwargs=_project),
    "projects:demo_session": Rule(
        allow=READ, kwargs=_with("planning_demo_session", "session_pk"), deny=OTHER_MSP
    ),
    "projects:deployment": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:deployment_plan_edit": Rule(allow=WRITE, kwargs=_project),
    "projects:wave_create": Rule(allow=WRITE, kwargs=_project),
    "projects:wave_edit": Rule(allow=WRITE, kwargs=_with("planning_wave", "wave_pk")),
    "projects:training": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:training_create": Rule(allow=WRITE, kwargs=_project),
    "projects:adoption_update": Rule(
        allow=WRITE,
        kwargs=_project,
        method="post",
        data=lambda w: {"profession": "infirmier", "status": "partial"},
    ),
    "projects:meetings": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:meeting_create": Rule(allow=WRITE, kwargs=_project),
    "projects:project_facilitators": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:contact_request_create": Rule(
        allow=WRITE, kwargs=_with("planning_facilitator", "facilitator_pk"), method="post"
    ),
    "projects:vendor_requests": Rule(allow=READ, kwargs=_project, deny=OTHER_MSP),
    "projects:vendor_request_create": Rule(allow=WRITE, kwargs=_project),
    "projects:vendor_request_edit": Rule(
        allow=WRITE, kwargs=_with("planning_vendor_request", "request_pk")
    ),
    "projects:facilitators": Rule(allow=STAFF_DIM),
    "projects:facilitator_create": Rule(allow=STAFF),
    "projects:facilitator_edit": Rule(
        allow=STAFF, kwargs=lambda w: {"facilitator_pk": w.objects["planning_facilitator"].pk}
    ),
    "projects:contact_requests": Rule(allow=STAFF_DIM),
    "projects:contact_request_update": Rule(
        allow=STAFF_DIM,
        kwargs=lambda w: {"request_pk": w.objects["planning_contact_request"].pk},
        method="post",
        data=lambda w: {"status": "in_progress"},
    ),
    "api-project-needs": Rule(allow=READ, kwargs=_project, api=True, deny=OTHER_MSP),
    "api-project-aci": Rule(allow=READ, kwargs=_project, api=True, deny=OTHER_MSP),
}
