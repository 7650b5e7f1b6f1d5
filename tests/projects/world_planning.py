"""Objects of the planning sections for the access matrix (w.objects[...])."""

import datetime as dt


def extend(w) -> None:  # noqa: ANN001
    from projects import services_planning as svc
    from projects.models import (
        ContactRequest,
        DemoSession,
        DeploymentWave,
        Facilitator,
        Need,
        Project,
        ShortlistEntry,
        SurveyVersion,
        VendorRequest,
    )

    project = w.objects.get("project")
    if project is None:
        project, _ = Project.objects.get_or_create(
            health_centre=w.centre_a, defaults={"federation": w.federation_a}
        )
        w.objects["project"] = project
    fed = w.federation_a
    svc.use_cases_ensure_standard(project=project)
    w.objects["planning_need"] = Need.objects.create(
        federation=fed,
        project=project,
        title="Facturer les actes infirmiers",
        profession="infirmier",
    )
    w.objects["planning_survey"] = SurveyVersion.objects.create(
        federation=fed, project=project, number=1, questionnaire_version="2026.1", answers={}
    )
    ShortlistEntry.objects.create(federation=fed, project=project, software=w.software_x)
    w.objects["planning_shortlist_entry"] = ShortlistEntry.objects.create(
        federation=fed, project=project, software=w.software_y
    )
    w.objects["planning_demo_session"] = DemoSession.objects.create(
        federation=fed, project=project, software=w.software_x, date=dt.date(2026, 3, 2)
    )
    w.objects["planning_wave"] = DeploymentWave.objects.create(
        federation=fed,
        project=project,
        label="Vague 1",
        professions=["medecin_generaliste"],
        start=dt.date(2026, 5, 4),
        end=dt.date(2026, 5, 29),
    )
    facilitator = Facilitator.objects.create(
        federation=fed, name="Fanny Facilitatrice", software=w.software_x, health_centre=w.centre_a2
    )
    w.objects["planning_facilitator"] = facilitator
    w.objects["planning_contact_request"] = ContactRequest.objects.create(
        federation=fed, project=project, facilitator=facilitator
    )
    w.objects["planning_vendor_request"] = VendorRequest.objects.create(
        federation=fed,
        project=project,
        software=w.software_x,
        subject="Export des comptes rendus",
        asked_on=dt.date(2026, 1, 5),
    )
