"""Pages of the planning sections of a project. Thin: forms check shape, services the rules."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.display import row_url
from config.pagination import paginate
from federations.permissions import has_perm
from federations.professions import Profession
from federations.tenancy import get_for_tenant, tenant_view

from . import selectors_planning as sel
from . import services_planning as svc
from .forms_planning import (
    AdoptionForm,
    ContactRequestForm,
    ContactRequestUpdateForm,
    DemoSessionForm,
    DeploymentPlanForm,
    FacilitatorForm,
    MeetingForm,
    NeedForm,
    NeedsDocumentForm,
    ScorecardForm,
    ShortlistForm,
    SurveyForm,
    TrainingForm,
    UseCaseForm,
    VendorRequestForm,
    WaveForm,
)
from .models import (
    ContactRequest,
    DemoSession,
    DeploymentWave,
    Facilitator,
    InformationMeeting,
    Need,
    NeedPriority,
    Project,
    ShortlistEntry,
    VendorRequest,
)
from .reference_planning import questionnaire
from .services_planning import MEETING_TOPICS


def _project(
    request: HttpRequest,
    project_pk: int,
    perm: str | None = None,
    related: tuple = ("chosen_software",),
) -> Project:
    """The project, or 404 when it is not visible; then 403 without ``perm``. The object is
    fetched before the finer permission is checked, so another tenant's ids answer 404.
    ``related``: the rows to read with it besides its MSP (many-to-one or one-to-one)."""
    own_centre = request.membership.health_centre if request.membership.health_centre_id else None
    # The people of an MSP see its project only (scoped): its MSP is already in hand.
    related = (*related, *(() if own_centre else ("health_centre",)))
    qs = Project.objects.select_related(*related) if related else Project.objects.all()
    project = get_for_tenant(request, qs, pk=project_pk)
    if own_centre is not None and project.health_centre_id == own_centre.pk:
        project.health_centre = own_centre
    project.federation = request.federation  # the same row (scoped to it): no join
    if perm and not has_perm(request.membership, perm):
        raise PermissionDenied
    return project


def _apply(form, exc: ValidationError) -> None:  # noqa: ANN001
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _ctx(request: HttpRequest, project: Project, section: str, **extra) -> dict:  # noqa: ANN003
    m = request.membership
    return {
        "project": project,
        "section": section,
        "can_edit": has_perm(m, "projects.edit_planning"),
        "can_score": has_perm(m, "projects.score_demos"),
        **extra,
    }


def _url(name: str, request: HttpRequest, project: Project, **kwargs) -> str:  # noqa: ANN003
    return reverse(
        f"projects:{name}",
        kwargs={"federation_slug": request.federation.slug, "project_pk": project.pk, **kwargs},
    )


def _form_page(request, project, section, form, *, title, intro="", back, submit=None):  # noqa: ANN001, ANN202
    return render(
        request,
        "projects/planning/form.html",
        _ctx(
            request,
            project,
            section,
            form=form,
            title=title,
            intro=intro,
            back=back,
            submit=submit or _("Enregistrer"),
        ),
    )


def _save_form(request, project, section, form, save, *, success, title):  # noqa: ANN001, ANN202
    """The create/edit pattern of every section: on a valid POST call ``save(cleaned_data)`` (a
    service), then go back to the section with ``success``; otherwise (GET, invalid form, or a
    ValidationError from the service) show the form page with the errors by field."""
    back = _url(section, request, project)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, success)
            return redirect(back)
    return _form_page(request, project, section, form, title=title, back=back)


# --- Overview and ACI -----------------------------------------------------------------------


@tenant_view("projects.view_planning")
def planning(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    return render(
        request,
        "projects/planning/overview.html",
        _ctx(request, project, "overview", aci=sel.aci_figure(project=project)),
    )


@tenant_view("projects.view_planning")
def aci(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    return render(
        request,
        "projects/planning/aci.html",
        _ctx(request, project, "aci", aci=sel.aci_figure(project=project)),
    )


# --- État des lieux -------------------------------------------------------------------------


@tenant_view("projects.view_planning")
def survey(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    latest = sel.survey_latest(project=project)
    return render(
        request,
        "projects/planning/survey.html",
        _ctx(
            request,
            project,
            "survey",
            version=latest,
            sections=sel.survey_rows(latest),
            questionnaire=questionnaire(),
        ),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    latest = sel.survey_latest(project=project)
    form = SurveyForm(
        request.POST or None,
        questionnaire=questionnaire(),
        answers=latest.answers if latest else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = svc.survey_save(
                actor=request.user, project=project, answers=form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request, _("État des lieux enregistré (version %(n)s).") % {"n": version.number}
            )
            return redirect(_url("survey", request, project))
    return render(
        request,
        "projects/planning/survey_form.html",
        _ctx(request, project, "survey", form=form, questionnaire=questionnaire()),
    )


@tenant_view("projects.view_planning")
def survey_versions(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    page = paginate(request, sel.survey_versions(project=project))
    return render(
        request,
        "projects/planning/survey_versions.html",
        _ctx(request, project, "survey", page=page),
    )


@tenant_view("projects.view_planning")
def survey_version(request: HttpRequest, project_pk: int, number: int) -> HttpResponse:
    project = _project(request, project_pk)
    version = get_for_tenant(request, sel.survey_versions(project=project), number=number)
    return render(
        request,
        "projects/planning/survey.html",
        _ctx(
            request,
            project,
            "survey",
            version=version,
            sections=sel.survey_rows(version),
            questionnaire=questionnaire(),
            archived=True,
        ),
    )


# --- Needs document -------------------------------------------------------------------------


@tenant_view("projects.view_planning")
def needs(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, related=())
    page = sel.needs_page(project=project)
    needs = page.needs
    groups = sel.needs_by_profession(needs)
    # What each need shows, as text: the URLs reversed once for the list, the labels once.
    urls = {"federation_slug": request.federation.slug, "project_pk": project.pk}
    edit_url = row_url("projects:need_edit", varying="need_pk", **urls)
    delete_url = row_url("projects:need_delete", varying="need_pk", **urls)
    priorities = {code: str(label) for code, label in NeedPriority.choices}
    for group in groups:
        group["needs"] = [
            {
                "priority": n.priority,
                "priority_label": priorities.get(n.priority, n.priority),
                "title": n.title,
                "capability": n.capability,
                "description": n.description,
                "edit_url": edit_url(n.pk),
                "delete_url": delete_url(n.pk),
            }
            for n in group["needs"]
        ]
    return render(
        request,
        "projects/planning/needs.html",
        _ctx(
            request,
            project,
            "needs",
            document=page.document,
            groups=groups,
            needs_count=len(needs),
            use_cases=page.use_cases,
            standard_use_cases=svc.STANDARD_USE_CASES,
        ),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def needs_document_edit(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = NeedsDocumentForm(request.POST or None, instance=sel.needs_document(project=project))
    if request.method == "POST" and form.is_valid():
        try:
            svc.needs_document_update(
                actor=request.user,
                project=project,
                **{k: form.cleaned_data[k] for k in form.Meta.fields},
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Cahier des charges enregistré."))
            return redirect(_url("needs", request, project))
    return _form_page(
        request,
        project,
        "needs",
        form,
        title=_("Professionnels, utilisateurs et exigences techniques"),
        back=_url("needs", request, project),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.need_create(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Besoin ajouté."))
            return redirect(_url("needs", request, project))
    return _form_page(
        request,
        project,
        "needs",
        form,
        title=_("Ajouter un besoin fonctionnel"),
        intro=_(
            "Un besoin par ligne : ce que le logiciel doit permettre, "
            "pour quelle profession, avec quelle priorité."
        ),
        back=_url("needs", request, project),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, project_pk: int, need_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    need = get_for_tenant(request, Need.objects.filter(project=project), pk=need_pk)
    initial = {
        "title": need.title,
        "profession": need.profession,
        "priority": need.priority,
        "description": need.description,
        "capability": need.capability_id,
    }
    form = NeedForm(request.POST or None, initial=initial)
    return _save_form(
        request,
        project,
        "needs",
        form,
        lambda data: svc.need_update(actor=request.user, need=need, **data),
        success=_("Besoin modifié."),
        title=_("Modifier le besoin"),
    )


@tenant_view("projects.view_planning")
@require_POST
def need_delete(request: HttpRequest, project_pk: int, need_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    need = get_for_tenant(request, Need.objects.filter(project=project), pk=need_pk)
    svc.need_delete(actor=request.user, need=need)
    messages.success(request, _("Besoin supprimé."))
    return redirect(_url("needs", request, project))


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def use_case_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = UseCaseForm(request.POST or None)
    return _save_form(
        request,
        project,
        "needs",
        form,
        lambda data: svc.use_case_create(actor=request.user, project=project, **data),
        success=_("Cas d'usage ajouté : il sera noté lors des démonstrations."),
        title=_("Ajouter un cas d'usage de l'équipe"),
    )


@tenant_view("projects.view_planning")
def needs_csv(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cahier-des-charges-{project.pk}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Profession"), _("Besoin"), _("Priorité"), _("Précisions"), _("Capacité correspondante")]
    )
    priorities = dict(NeedPriority.choices)
    for need in sel.needs_list(project=project):
        writer.writerow(
            [
                need.get_profession_display() if need.profession else _("Toute l'équipe"),
                need.title,
                priorities.get(need.priority, need.priority),
                need.description,
                need.capability.label if need.capability else "",
            ]
        )
    return response


@tenant_view("projects.view_planning")
@require_POST
def needs_pdf(request: HttpRequest, project_pk: int) -> HttpResponse:
    from deliverables.services import deliverable_request

    project = _project(request, project_pk)
    deliverable = deliverable_request(
        actor=request.user,
        kind="projects.needs_document",
        title=_("Cahier des charges — %(centre)s") % {"centre": project.health_centre.name},
        federation=request.federation,
        object_id=project.pk,
    )
    return redirect("deliverables:detail", pk=deliverable.pk)


# --- Vendor demos ---------------------------------------------------------------------------


@tenant_view("projects.view_planning")
def demos(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    entries = sel.shortlist(project=project)
    cases = sel.use_cases(project=project)
    return render(
        request,
        "projects/planning/demos.html",
        _ctx(
            request,
            project,
            "demos",
            entries=entries,
            sessions=sel.demo_sessions(project=project),
            results=sel.demo_results(project=project, entries=entries, cases=cases),
            shortlist_form=ShortlistForm(),
        ),
    )


@tenant_view("projects.view_planning")
@require_POST
def shortlist_add(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = ShortlistForm(request.POST)
    if form.is_valid():
        try:
            svc.shortlist_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        messages.success(request, _("Logiciel ajouté à la présélection."))
    return redirect(_url("demos", request, project))


@tenant_view("projects.view_planning")
@require_POST
def shortlist_remove(request: HttpRequest, project_pk: int, entry_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    entry = get_for_tenant(request, ShortlistEntry.objects.filter(project=project), pk=entry_pk)
    try:
        svc.shortlist_remove(actor=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Logiciel retiré de la présélection."))
    return redirect(_url("demos", request, project))


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def demo_session_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = DemoSessionForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            session = svc.demo_session_create(
                actor=request.user, project=project, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _("Démonstration enregistrée : chaque profession peut maintenant la noter."),
            )
            return redirect(_url("demo_session", request, project, session_pk=session.pk))
    return _form_page(
        request,
        project,
        "demos",
        form,
        title=_("Enregistrer une démonstration"),
        back=_url("demos", request, project),
    )


@tenant_view("projects.score_demos")
@require_http_methods(["GET", "POST"])
def demo_session(request: HttpRequest, project_pk: int, session_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    session = get_for_tenant(
        request,
        DemoSession.objects.filter(project=project).select_related("software"),
        pk=session_pk,
    )
    cases = sel.use_cases(project=project)
    profession = (
        request.POST.get("profession")
        or request.GET.get("profession")
        or request.membership.profession
        or "medecin_generaliste"
    )
    scores = sel.session_scores(session=session, profession=profession)
    form = ScorecardForm(
        request.POST or None, use_cases=cases, scores=scores, initial={"profession": profession}
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.demo_scores_save(
                actor=request.user,
                session=session,
                profession=form.cleaned_data["profession"],
                scores=form.scores(),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Grille enregistrée pour cette profession."))
            return redirect(_url("demos", request, project))
    return render(
        request,
        "projects/planning/scorecard.html",
        _ctx(request, project, "demos", session=session, form=form),
    )


# --- Deployment -----------------------------------------------------------------------------


@tenant_view("projects.view_planning")
def deployment(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    plan = sel.deployment_plan(project=project)
    return render(
        request,
        "projects/planning/deployment.html",
        _ctx(
            request,
            project,
            "deployment",
            plan=plan,
            checks=sel.deployment_checks(plan),
            waves=sel.deployment_waves(project=project, zone=request.federation.holiday_zone),
            zone=request.federation.get_holiday_zone_display(),
        ),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def deployment_plan_edit(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = DeploymentPlanForm(request.POST or None, instance=sel.deployment_plan(project=project))
    if request.method == "POST" and form.is_valid():
        try:
            svc.deployment_plan_update(
                actor=request.user,
                project=project,
                **{k: form.cleaned_data[k] for k in form.Meta.fields},
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Plan de déploiement enregistré."))
            return redirect(_url("deployment", request, project))
    return _form_page(
        request,
        project,
        "deployment",
        form,
        title=_("Accompagnement sur site et reprise des données"),
        back=_url("deployment", request, project),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def wave_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = WaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.wave_create(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Vague ajoutée."))
            return redirect(_url("deployment", request, project))
    return _form_page(
        request,
        project,
        "deployment",
        form,
        title=_("Ajouter une vague de déploiement"),
        intro=_(
            "Déployez par vagues successives, par profession ou par module, "
            "en évitant la vaccination antigrippale et les vacances scolaires."
        ),
        back=_url("deployment", request, project),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def wave_edit(request: HttpRequest, project_pk: int, wave_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    wave = get_for_tenant(request, DeploymentWave.objects.filter(project=project), pk=wave_pk)
    form = WaveForm(request.POST or None, initial=WaveForm.initial_from(wave))
    return _save_form(
        request,
        project,
        "deployment",
        form,
        lambda data: svc.wave_update(actor=request.user, wave=wave, **data),
        success=_("Vague modifiée."),
        title=_("Modifier la vague"),
    )


# --- Training and adoption ------------------------------------------------------------------


@tenant_view("projects.view_planning")
def training(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    page = paginate(request, sel.trainings(project=project))
    from .models import TrainingLevel

    return render(
        request,
        "projects/planning/training.html",
        _ctx(
            request,
            project,
            "training",
            page=page,
            summary=sel.training_summary(project=project),
            levels=TrainingLevel.choices,
            adoption_form=AdoptionForm(),
        ),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = TrainingForm(request.POST or None, project=project)
    return _save_form(
        request,
        project,
        "training",
        form,
        lambda data: svc.training_create(actor=request.user, project=project, **data),
        success=_("Formation enregistrée."),
        title=_("Enregistrer une formation"),
    )


@tenant_view("projects.view_planning")
@require_POST
def adoption_update(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            svc.adoption_set(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        messages.success(request, _("Usage enregistré."))
    return redirect(_url("training", request, project))


# --- Information meeting --------------------------------------------------------------------


@tenant_view("projects.view_planning")
def meetings(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    qs = InformationMeeting.objects.filter(project=project)
    page = paginate(request, qs)
    labels = dict(Profession.choices)
    for meeting in page:
        meeting.attendee_rows = [
            (labels.get(code, code), n) for code, n in meeting.attendees.items()
        ]
    return render(
        request,
        "projects/planning/meetings.html",
        _ctx(
            request,
            project,
            "meetings",
            page=page,
            topics=dict(MEETING_TOPICS),
            topic_list=MEETING_TOPICS,
        ),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.meeting_create(
                actor=request.user,
                project=project,
                date=form.cleaned_data["date"],
                attendees=form.attendees(),
                topics=form.cleaned_data["topics"],
                materials=form.cleaned_data["materials"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Réunion d'information enregistrée."))
            return redirect(_url("meetings", request, project))
    return render(
        request,
        "projects/planning/meeting_form.html",
        _ctx(request, project, "meetings", form=form),
    )


# --- Facilitators ---------------------------------------------------------------------------


@tenant_view("projects.view_planning")
def project_facilitators(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    return render(
        request,
        "projects/planning/project_facilitators.html",
        _ctx(
            request,
            project,
            "facilitators",
            facilitators=sel.facilitators_for_project(project=project),
            form=ContactRequestForm(),
        ),
    )


@tenant_view("projects.view_planning")
@require_POST
def contact_request_create(
    request: HttpRequest, project_pk: int, facilitator_pk: int
) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    facilitator = get_for_tenant(request, Facilitator, pk=facilitator_pk)
    form = ContactRequestForm(request.POST)
    if form.is_valid():
        try:
            svc.contact_request_create(
                actor=request.user, project=project, facilitator=facilitator, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Demande envoyée : la fédération vous met en relation."))
    else:
        messages.error(request, _("Message trop long."))
    return redirect(_url("project_facilitators", request, project))


def _fed_url(name: str, request: HttpRequest) -> str:
    return reverse(f"projects:{name}", kwargs={"federation_slug": request.federation.slug})


@tenant_view("projects.view_facilitators_pool")
def facilitators(request: HttpRequest) -> HttpResponse:
    page = paginate(request, sel.facilitators_pool(federation=request.federation))
    return render(
        request,
        "projects/planning/facilitators.html",
        {"page": page, "can_manage": has_perm(request.membership, "projects.manage_facilitators")},
    )


def _facilitator_form_page(request, form, title):  # noqa: ANN001, ANN202
    return render(
        request,
        "projects/planning/fed_form.html",
        {"form": form, "title": title, "back": _fed_url("facilitators", request)},
    )


@tenant_view("projects.manage_facilitators")
@require_http_methods(["GET", "POST"])
def facilitator_create(request: HttpRequest) -> HttpResponse:
    form = FacilitatorForm(request.POST or None, federation=request.federation)
    if request.method == "POST" and form.is_valid():
        try:
            svc.facilitator_save(
                actor=request.user, federation=request.federation, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Facilitateur ajouté."))
            return redirect(_fed_url("facilitators", request))
    return _facilitator_form_page(request, form, _("Ajouter un facilitateur"))


@tenant_view(None)
@require_http_methods(["GET", "POST"])
def facilitator_edit(request: HttpRequest, facilitator_pk: int) -> HttpResponse:
    facilitator = get_for_tenant(request, Facilitator, pk=facilitator_pk)
    if not has_perm(request.membership, "projects.manage_facilitators"):
        raise PermissionDenied
    initial = {
        f: getattr(facilitator, f)
        for f in ("name", "profession", "email", "phone", "is_available", "notes")
    }
    initial |= {"health_centre": facilitator.health_centre_id, "software": facilitator.software_id}
    form = FacilitatorForm(request.POST or None, federation=request.federation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.facilitator_save(
                actor=request.user,
                federation=request.federation,
                facilitator=facilitator,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Facilitateur modifié."))
            return redirect(_fed_url("facilitators", request))
    return _facilitator_form_page(request, form, _("Modifier le facilitateur"))


@tenant_view("projects.follow_contact_requests")
def contact_requests(request: HttpRequest) -> HttpResponse:
    page = paginate(request, sel.contact_requests(membership=request.membership))
    return render(
        request,
        "projects/planning/contact_requests.html",
        {
            "page": page,
            "can_update": has_perm(request.membership, "projects.follow_contact_requests"),
            "statuses": ContactRequestUpdateForm.base_fields["status"].choices,
        },
    )


@tenant_view(None)
@require_POST
def contact_request_update(request: HttpRequest, request_pk: int) -> HttpResponse:
    contact_request = get_for_tenant(request, ContactRequest, pk=request_pk)
    if not has_perm(request.membership, "projects.follow_contact_requests"):
        raise PermissionDenied
    form = ContactRequestUpdateForm(request.POST)
    if form.is_valid():
        svc.contact_request_update(
            actor=request.user, contact_request=contact_request, **form.cleaned_data
        )
        messages.success(request, _("Suivi enregistré."))
    else:
        messages.error(request, _("Statut inconnu."))
    return redirect(_fed_url("contact_requests", request))


# --- Vendor requests ------------------------------------------------------------------------


@tenant_view("projects.view_planning")
def vendor_requests(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk)
    page = paginate(request, sel.vendor_requests(project=project))
    return render(
        request,
        "projects/planning/vendor_requests.html",
        _ctx(request, project, "vendor_requests", page=page),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def vendor_request_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    initial = {"software": project.chosen_software_id} if project.chosen_software_id else {}
    form = VendorRequestForm(request.POST or None, initial=initial)
    return _save_form(
        request,
        project,
        "vendor_requests",
        form,
        lambda data: svc.vendor_request_save(actor=request.user, project=project, **data),
        success=_("Demande enregistrée."),
        title=_("Enregistrer une demande à l'éditeur"),
    )


@tenant_view("projects.view_planning")
@require_http_methods(["GET", "POST"])
def vendor_request_edit(request: HttpRequest, project_pk: int, request_pk: int) -> HttpResponse:
    project = _project(request, project_pk, perm="projects.edit_planning")
    row = get_for_tenant(request, VendorRequest.objects.filter(project=project), pk=request_pk)
    initial = {
        f: getattr(row, f)
        for f in ("subject", "asked_on", "first_answer_on", "promised_on", "delivered_on")
    } | {"software": row.software_id}
    form = VendorRequestForm(request.POST or None, initial=initial)
    return _save_form(
        request,
        project,
        "vendor_requests",
        form,
        lambda data: svc.vendor_request_save(
            actor=request.user, project=project, vendor_request=row, **data
        ),
        success=_("Demande mise à jour."),
        title=_("Mettre à jour la demande"),
    )
