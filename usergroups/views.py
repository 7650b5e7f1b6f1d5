"""Tenant pages of the user groups: thin views over services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.display import Counted, LongDates, person_name, row_url
from config.pagination import PAGE_SIZE, FirstPageRows, paginate
from deliverables.models import Deliverable
from federations.permissions import has_perm
from federations.professions import Profession
from federations.tenancy import get_for_tenant, scoped, tenant_view

from . import calendar, selectors, services
from .display import answer_rows, feedback_rows
from .forms import (
    AmendmentForm,
    FeedbackForm,
    GroupForm,
    InviteVendorForm,
    MergeForm,
    MinutesForm,
    SessionForm,
    SupportForm,
    SynthesisForm,
    TopicForm,
)
from .models import (
    AgendaTopic,
    FeedbackItem,
    FeedbackKind,
    GroupSession,
    Level,
    MinutesAmendment,
    MinutesStatus,
    Need,
    Synthesis,
    SynthesisVersion,
    Theme,
    UserGroup,
)


def _apply_validation_error(form, exc: ValidationError) -> None:  # noqa: ANN001
    if form is not None and hasattr(exc, "error_dict"):
        for field_name, errors in exc.error_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    elif form is not None:
        form.add_error(None, exc)


def _flash_error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _require(request: HttpRequest, perm: str) -> None:
    """Checked after the object is fetched, so that another tenant's id answers 404 first."""
    if not has_perm(request.membership, perm):  # type: ignore[attr-defined]
        raise PermissionDenied


def _slug(request: HttpRequest) -> str:
    return request.federation.slug  # type: ignore[attr-defined]


def _require_facilitator(request: HttpRequest, group: UserGroup) -> None:
    if not services.can_facilitate(request.membership, group):  # type: ignore[attr-defined]
        raise PermissionDenied


# --- Groups -----------------------------------------------------------------------------------


@tenant_view("usergroups.view")
def groups(request: HttpRequest) -> HttpResponse:
    groups = selectors.groups_list(membership=request.membership)
    page = paginate(request, FirstPageRows(request, groups, per_page=PAGE_SIZE))
    group_url = row_url("usergroups:group", _slug(request))
    levels = {value: str(label) for value, label in Level.choices}
    for g in page:
        g["url"] = group_url(g["pk"])
        g["level_label"] = levels.get(g["level"], g["level"])
        g["facilitator"] = person_name(
            g["facilitator_first_name"], g["facilitator_last_name"], g["facilitator_email"]
        )
    return render(
        request,
        "usergroups/groups.html",
        {
            "page": page,
            "can_manage": has_perm(request.membership, "usergroups.manage_groups"),
        },
    )


@tenant_view("usergroups.manage_groups")
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, federation=request.federation)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                actor=request.user, federation=request.federation, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Le groupe a été créé."))
            return redirect("usergroups:group", federation_slug=_slug(request), pk=group.pk)
    return render(request, "usergroups/group_form.html", {"form": form})


@tenant_view("usergroups.view")
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_for_tenant(request, UserGroup, pk=pk)
    _require(request, "usergroups.manage_groups")
    initial = {
        "software": group.software_id,
        "name": group.name,
        "level": group.level,
        "facilitator": group.facilitator_id,
        "centres": list(group.centres.values_list("pk", flat=True)),
    }
    form = GroupForm(request.POST or None, initial=initial, federation=request.federation)
    form.fields["software"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "software"}
        try:
            services.group_update(actor=request.user, group=group, **data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Le groupe a été modifié."))
            return redirect("usergroups:group", federation_slug=_slug(request), pk=group.pk)
    return render(request, "usergroups/group_form.html", {"form": form, "group": group})


def _group_page(request: HttpRequest, group: UserGroup) -> HttpResponse:
    sessions = selectors.group_sessions(group=group)
    sessions = paginate(request, FirstPageRows(request, sessions, per_page=20), per_page=20)
    session_url = row_url("usergroups:session", _slug(request))
    for s in sessions:
        s["url"] = session_url(s["pk"])
    between = selectors.group_feedback(group=group, between_sessions=True)
    between = paginate(
        request,
        FirstPageRows(request, between, per_page=30, param="retours"),
        per_page=30,
        param="retours",
    )
    between.object_list = feedback_rows(between.object_list)
    return render(
        request,
        "usergroups/group_detail.html",
        {
            "group": group,
            "sessions": sessions,
            "centres": group.centres.order_by("name").values_list("name", flat=True),
            "between_feedback": between,
            "can_participate": has_perm(request.membership, "usergroups.participate"),
            "can_facilitate": services.can_facilitate(request.membership, group),
            "can_manage": has_perm(request.membership, "usergroups.manage_groups"),
            "now": timezone.now(),
        },
    )


@tenant_view("usergroups.view")
def group(request: HttpRequest, pk: int) -> HttpResponse:
    groups = UserGroup.objects.select_related("software__vendor", "facilitator__user").only(
        "federation_id",
        "name",
        "level",
        "software__name",
        "software__vendor__name",
        "facilitator__user__first_name",
        "facilitator__user__last_name",
        "facilitator__user__email",
    )
    return _group_page(request, get_for_tenant(request, groups, pk=pk))


@tenant_view("usergroups.view")
def group_ics(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_for_tenant(request, UserGroup.objects.select_related("software"), pk=pk)
    sessions = GroupSession.objects.filter(group=obj).select_related("group").order_by("starts_at")
    return calendar.ics_response(
        calendar.group_calendar(obj, sessions, request), f"groupe-{obj.pk}.ics"
    )


@tenant_view("usergroups.participate")
@require_http_methods(["GET", "POST"])
def group_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Feedback between sessions, on a page of its own (linked from the group's page, which
    no longer renders the form for every visit)."""
    obj = get_for_tenant(request, UserGroup.objects.select_related("software"), pk=pk)
    form = FeedbackForm(request.POST or None, group=obj, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_add(
                actor=request.user, membership=request.membership, group=obj, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Merci : votre retour a été enregistré."))
            return redirect("usergroups:group", federation_slug=_slug(request), pk=obj.pk)
    return render(request, "usergroups/group_feedback.html", {"group": obj, "form": form})


# --- Sessions ---------------------------------------------------------------------------------


@tenant_view("usergroups.view")
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_for_tenant(request, UserGroup, pk=pk)
    _require(request, "usergroups.facilitate")
    _require_facilitator(request, obj)
    last = GroupSession.objects.filter(group=obj).order_by("-starts_at").first()
    initial = {}
    if last is not None:
        initial = {
            "starts_at": timezone.localtime(services.suggested_next_date(last.starts_at)),
            "video_url": last.video_url,
            "duration_minutes": last.duration_minutes,
        }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, group=obj, **form.cleaned_data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("La séance a été planifiée."))
            return redirect("usergroups:session", federation_slug=_slug(request), pk=session.pk)
    return render(
        request, "usergroups/session_form.html", {"form": form, "group": obj, "last": last}
    )


def _get_session(request: HttpRequest, pk: int) -> GroupSession:
    return get_for_tenant(
        request,
        GroupSession.objects.select_related("group__software__vendor", "group__facilitator__user"),
        pk=pk,
    )


def _session_page(request: HttpRequest, session: GroupSession, **forms) -> HttpResponse:  # noqa: ANN003
    membership = request.membership  # type: ignore[attr-defined]
    group = session.group
    can_facilitate = services.can_facilitate(membership, group)
    can_participate = has_perm(membership, "usergroups.participate")
    registrations = list(selectors.session_registrations(session=session))
    mine = next((r for r in registrations if r.user_id == request.user.pk), None)
    started = timezone.now() >= session.starts_at
    draft = session.minutes_status == MinutesStatus.DRAFT
    context = {
        "session": session,
        "group": group,
        "topics": selectors.session_agenda(session=session, user=request.user),
        "registrations": registrations,
        "my_registration": mine,
        "feedback": feedback_rows(selectors.session_feedback(session=session)),
        "amendments": MinutesAmendment.objects.filter(session=session).select_related("author"),
        "started": started,
        "draft": draft,
        "next_date": services.suggested_next_date(session.starts_at),
        "can_facilitate": can_facilitate,
        "can_participate": can_participate,
        "can_amend": draft
        and (can_facilitate or (mine is not None and mine.attended is not False)),
        "topic_form": forms.get("topic_form") or TopicForm(),
        "feedback_form": forms.get("feedback_form")
        or (FeedbackForm(group=group, membership=membership) if can_participate else None),
        "minutes_form": forms.get("minutes_form")
        or MinutesForm(initial={"minutes": session.minutes}),
        "amendment_form": forms.get("amendment_form") or AmendmentForm(),
        "invite_form": forms.get("invite_form") or InviteVendorForm(session=session),
    }
    return render(request, "usergroups/session_detail.html", context)


@tenant_view("usergroups.view")
def session(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _get_session(request, pk))


@tenant_view("usergroups.view")
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    return calendar.ics_response(calendar.session_calendar(obj, request), f"seance-{obj.pk}.ics")


def _back_to_session(request: HttpRequest, obj: GroupSession) -> HttpResponse:
    return redirect("usergroups:session", federation_slug=_slug(request), pk=obj.pk)


@tenant_view("usergroups.participate")
@require_POST
def topic_create(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            services.topic_propose(actor=request.user, session=obj, **form.cleaned_data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Votre sujet a été ajouté à l'ordre du jour."))
            return _back_to_session(request, obj)
    return _session_page(request, obj, topic_form=form)


@tenant_view("usergroups.participate")
@require_POST
def topic_vote(request: HttpRequest, pk: int, topic_pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    topic = AgendaTopic.objects.filter(session=obj, pk=topic_pk).first()
    if topic is None:
        from django.http import Http404

        raise Http404
    try:
        voted = services.topic_vote(actor=request.user, topic=topic)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("Vote enregistré.") if voted else _("Vote retiré."))
    return _back_to_session(request, obj)


@tenant_view("usergroups.participate")
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    try:
        if request.POST.get("action") == "cancel":
            services.registration_cancel(membership=request.membership, session=obj)
            messages.success(request, _("Votre inscription est annulée."))
        else:
            services.registration_register(membership=request.membership, session=obj)
            messages.success(request, _("Vous êtes inscrit à la séance."))
    except ValidationError as exc:
        _flash_error(request, exc)
    return _back_to_session(request, obj)


@tenant_view("usergroups.view")
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    _require(request, "usergroups.facilitate")
    _require_facilitator(request, obj.group)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    try:
        services.attendance_record(actor=request.user, session=obj, present_ids=present)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("Les présences sont enregistrées."))
    return _back_to_session(request, obj)


@tenant_view("usergroups.view")
@require_POST
def invite_vendor(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    _require(request, "usergroups.facilitate")
    _require_facilitator(request, obj.group)
    form = InviteVendorForm(request.POST, session=obj)
    if form.is_valid():
        try:
            services.session_invite_vendor(
                actor=request.user, session=obj, user=form.cleaned_data["user"]
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Le représentant de l'éditeur est invité à cette séance."))
            return _back_to_session(request, obj)
    return _session_page(request, obj, invite_form=form)


@tenant_view("usergroups.participate")
@require_POST
def feedback_create(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    form = FeedbackForm(request.POST, group=obj.group, membership=request.membership)
    if form.is_valid():
        try:
            services.feedback_add(
                actor=request.user,
                membership=request.membership,
                group=obj.group,
                session=obj,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Le retour a été ajouté au compte rendu."))
            return _back_to_session(request, obj)
    return _session_page(request, obj, feedback_form=form)


@tenant_view("usergroups.view")
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    _require(request, "usergroups.facilitate")
    _require_facilitator(request, obj.group)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_save(actor=request.user, session=obj, **form.cleaned_data)
            if request.POST.get("action") == "publish":
                services.minutes_publish(actor=request.user, session=obj)
                messages.success(request, _("Le compte rendu est publié."))
            else:
                messages.success(request, _("Le brouillon du compte rendu est enregistré."))
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            return _back_to_session(request, obj)
    return _session_page(request, obj, minutes_form=form)


@tenant_view("usergroups.participate")
@require_POST
def amendment_create(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.amendment_propose(
                actor=request.user, membership=request.membership, session=obj, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Votre proposition a été transmise à l'animateur."))
            return _back_to_session(request, obj)
    return _session_page(request, obj, amendment_form=form)


@tenant_view("usergroups.view")
@require_POST
def amendment_decide(request: HttpRequest, pk: int, amendment_pk: int) -> HttpResponse:
    obj = _get_session(request, pk)
    _require(request, "usergroups.facilitate")
    _require_facilitator(request, obj.group)
    amendment = MinutesAmendment.objects.filter(session=obj, pk=amendment_pk).first()
    if amendment is None:
        from django.http import Http404

        raise Http404
    try:
        services.amendment_decide(
            actor=request.user, amendment=amendment, accept=request.POST.get("accept") == "1"
        )
    except ValidationError as exc:
        _flash_error(request, exc)
    return _back_to_session(request, obj)


# --- Needs and syntheses ---------------------------------------------------------------------


@tenant_view("usergroups.view_syntheses")
def syntheses(request: HttpRequest) -> HttpResponse:
    syntheses = selectors.syntheses_list(membership=request.membership)
    page = paginate(request, FirstPageRows(request, syntheses, per_page=PAGE_SIZE))
    synthesis_url = row_url("usergroups:synthesis", _slug(request))
    for s in page:
        s["url"] = synthesis_url(s["pk"])
    return render(
        request,
        "usergroups/syntheses.html",
        {
            "page": page,
            "can_synthesise": has_perm(request.membership, "usergroups.synthesise"),
        },
    )


@tenant_view("usergroups.synthesise")
@require_http_methods(["GET", "POST"])
def synthesis_create(request: HttpRequest) -> HttpResponse:
    """A new synthesis, on a page of its own like a new group (the list of the syntheses no
    longer renders the form for every visit)."""
    form = SynthesisForm(request.POST or None, federation=request.federation)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.synthesis_create(
                actor=request.user, federation=request.federation, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            return redirect("usergroups:synthesis", federation_slug=_slug(request), pk=obj.pk)
    return render(request, "usergroups/synthesis_form.html", {"form": form})


def _synthesis_need_rows(request: HttpRequest, obj: Synthesis, needs) -> list[dict]:  # noqa: ANN001
    """What the synthesis page shows of each need of the page, put together here: 50 times a
    page, ``{% url %}`` and ``{% blocktranslate count %}`` cost three times more than
    ``reverse`` and ``ngettext``, and the page runs past its time."""
    figures = selectors.need_figures([n["pk"] for n in needs])
    themes = dict(Theme.choices)
    professions = {code: str(label) for code, label in Profession.choices}
    need_url = row_url("usergroups:need", _slug(request))
    move_url = row_url("usergroups:need_move", _slug(request), obj.pk)

    # The same few counts come back need after need: each text is made once.
    centres = Counted(ngettext_lazy("%(n)s MSP concernée", "%(n)s MSP concernées", "n"))
    critical = Counted(ngettext_lazy("%(n)s critique", "%(n)s critiques", "n"))
    sessions = Counted(ngettext_lazy("%(n)s séance", "%(n)s séances", "n"))
    long_date = LongDates()

    def since(d) -> str:  # noqa: ANN001
        return _("depuis le %(d)s") % {"d": long_date(d)} if d else ""

    rows = []
    for n in needs:
        f = figures[n["pk"]]
        rows.append(
            {
                "sid": str(n["pk"]),
                "first": False,  # of the whole list: it cannot move up
                "last": False,  # it cannot move down
                "title": n["title"],
                "theme": themes.get(n["theme"], n["theme"]),
                "url": need_url(n["pk"]),
                "move_url": move_url(n["pk"]),
                "centres": centres(f.centres),
                "critical": critical(f.critical) if f.critical else "",
                "sessions": sessions(f.sessions),
                "since": since(f.since),
                "professions": ", ".join(
                    sorted(professions.get(code, code) for code in f.professions)
                ),
            }
        )
    if rows and not needs.has_previous():
        rows[0]["first"] = True
    if rows and not needs.has_next():
        rows[-1]["last"] = True
    return rows


def _synthesis_page(request: HttpRequest, obj: Synthesis) -> HttpResponse:
    kept = selectors.synthesis_page_needs(obj)
    needs = paginate(request, kept["needs"], param="besoins")
    can_synthesise = has_perm(request.membership, "usergroups.synthesise")
    unmerged_count = kept["unmerged"] if can_synthesise else 0
    return render(
        request,
        "usergroups/synthesis_detail.html",
        {
            "synthesis": obj,
            "needs": _synthesis_need_rows(request, obj, needs),
            "needs_page": needs,
            "unmerged_count": unmerged_count,
            "versions": selectors.synthesis_versions(obj),
            "can_synthesise": can_synthesise,
            # The token {% csrf_token %} writes, once for the 50 forms of the needs' order.
            "csrf_input": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
            ),
        },
    )


def _merge_page(request: HttpRequest, obj: Synthesis, merge_form=None) -> HttpResponse:  # noqa: ANN001
    """The feedback of the software's groups not merged into a need yet, 50 a page, with the
    form merging the ticked ones into a new need or an existing one: a page of its own, reached
    from the synthesis (whose page lists the needs in their order)."""
    where = {"federation_id": obj.federation_id, "software_id": obj.software_id}
    if merge_form is None:
        # The options of "into": only each need's id and title (hundreds for a software).
        all_needs = selectors.needs_of_software(**where).only("pk", "title")
        merge_form = MergeForm(items_qs=selectors.unmerged_need_items(**where), needs_qs=all_needs)
    unmerged = selectors.unmerged_need_rows(**where)
    unmerged = paginate(
        request,
        FirstPageRows(request, unmerged, per_page=PAGE_SIZE, param="retours"),
        param="retours",
    )
    unmerged.object_list = feedback_rows(unmerged.object_list)
    return render(
        request,
        "usergroups/synthesis_merge.html",
        {"synthesis": obj, "unmerged": unmerged, "merge_form": merge_form},
    )


def _get_synthesis(request: HttpRequest, pk: int, perm: str) -> Synthesis:
    obj = get_for_tenant(request, Synthesis.objects.select_related("software__vendor"), pk=pk)
    _require(request, perm)
    obj.federation = request.federation  # type: ignore[attr-defined]  (the same row)
    return obj


@tenant_view("usergroups.view")
def synthesis(request: HttpRequest, pk: int) -> HttpResponse:
    return _synthesis_page(request, _get_synthesis(request, pk, "usergroups.view_syntheses"))


@tenant_view("usergroups.view")
def synthesis_merge(request: HttpRequest, pk: int) -> HttpResponse:
    return _merge_page(request, _get_synthesis(request, pk, "usergroups.synthesise"))


@tenant_view("usergroups.view")
@require_POST
def needs_merge(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_synthesis(request, pk, "usergroups.synthesise")
    items = selectors.unmerged_need_items(
        federation_id=obj.federation_id, software_id=obj.software_id
    )
    needs = selectors.needs_of_software(
        federation_id=obj.federation_id, software_id=obj.software_id
    )
    form = MergeForm(request.POST, items_qs=items, needs_qs=needs)
    if form.is_valid():
        try:
            services.need_merge(
                actor=request.user,
                federation=request.federation,
                software=obj.software,
                items=list(form.cleaned_data["items"]),
                title=form.cleaned_data["title"],
                theme=form.cleaned_data["theme"],
                into=form.cleaned_data["into"],
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Les retours ont été regroupés en un besoin."))
            return redirect("usergroups:synthesis_merge", federation_slug=_slug(request), pk=obj.pk)
    return _merge_page(request, obj, merge_form=form)


@tenant_view("usergroups.view")
@require_POST
def need_move(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    obj = _get_synthesis(request, pk, "usergroups.synthesise")
    need = get_for_tenant(request, Need, pk=need_pk, software_id=obj.software_id)
    services.need_move(
        actor=request.user, need=need, direction="up" if request.POST.get("dir") == "up" else "down"
    )
    return redirect("usergroups:synthesis", federation_slug=_slug(request), pk=obj.pk)


@tenant_view("usergroups.view")
@require_POST
def synthesis_publish(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_synthesis(request, pk, "usergroups.synthesise")
    try:
        version = services.synthesis_publish(actor=request.user, synthesis=obj)
    except ValidationError as exc:
        _flash_error(request, exc)
        return redirect("usergroups:synthesis", federation_slug=_slug(request), pk=obj.pk)
    messages.success(
        request,
        _("La version %(n)s est publiée à %(vendor)s ; son PDF est en préparation.")
        % {"n": version.number, "vendor": obj.software.vendor.name},
    )
    return redirect("usergroups:version", federation_slug=_slug(request), pk=version.pk)


@tenant_view("usergroups.view")
def version(request: HttpRequest, pk: int) -> HttpResponse:
    """A published version with the vendor's answers, by pages of 50 needs (the largest holds
    250, each with its answers); its needs are read from the cache like the vendor's page."""
    obj = get_for_tenant(
        request,
        SynthesisVersion.objects.select_related("synthesis__software", "vendor").defer("content"),
        pk=pk,
    )
    _require(request, "usergroups.view_syntheses")
    needs = selectors.VersionNeeds(obj)
    page = paginate(request, needs, param="besoins")
    history = answer_rows(selectors.answers_history([n["id"] for n in page]))
    need_url = row_url("usergroups:need", _slug(request))
    rows = [
        {
            "need": n,
            "sid": str(n["id"]),
            "url": need_url(n["id"]),
            "centres": ngettext("%(n)s MSP", "%(n)s MSP", n["centres_count"])
            % {"n": n["centres_count"]},
            "history": history.get(n["id"], []),
        }
        for n in page
    ]
    deliverable = Deliverable.objects.filter(
        kind=services.SYNTHESIS_KIND, object_id=str(obj.pk)
    ).first()
    return render(
        request,
        "usergroups/version_detail.html",
        {
            "version": obj,
            "rows": rows,
            "page": page,
            "deliverable": deliverable,
            "outline": needs.outline,
        },
    )


@tenant_view("usergroups.view_need")
def need(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_for_tenant(request, Need.objects.select_related("software__vendor"), pk=pk)
    return _need_page(request, obj)


def _need_page(request: HttpRequest, obj: Need, support_form=None) -> HttpResponse:  # noqa: ANN001
    provenance = selectors.provenance_for([obj])[obj.pk]
    can_support = has_perm(request.membership, "usergroups.support")
    items = FeedbackItem.objects.filter(need=obj).order_by("reported_on", "pk")
    items = paginate(request, selectors.feedback_values(items))
    items.object_list = feedback_rows(items.object_list)
    return render(
        request,
        "usergroups/need_detail.html",
        {
            "need": obj,
            "provenance": provenance,
            "items": items,
            "answers": answer_rows(selectors.answers_history([obj.pk])).get(obj.pk, []),
            "support_form": support_form
            or (SupportForm(membership=request.membership) if can_support else None),
        },
    )


@tenant_view("usergroups.view")
@require_POST
def need_support(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_for_tenant(request, Need.objects.select_related("software__vendor"), pk=pk)
    _require(request, "usergroups.support")
    form = SupportForm(request.POST, membership=request.membership)
    if form.is_valid():
        try:
            services.need_support(
                actor=request.user,
                membership=request.membership,
                need=obj,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Le soutien de la MSP est enregistré."))
            return redirect("usergroups:need", federation_slug=_slug(request), pk=obj.pk)
    return _need_page(request, obj, support_form=form)


__all__ = ["FeedbackKind", "scoped"]
