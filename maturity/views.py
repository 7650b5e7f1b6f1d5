"""Pages of the HAS maturity self-assessment. Thin: fetch through the tenant helpers, call
services and selectors, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from config.pagination import paginate
from deliverables.services import deliverable_request
from federations.models import HealthCentre
from federations.permissions import has_perm
from federations.tenancy import get_for_tenant, scoped, tenant_view

from . import selectors, services
from .forms import (
    ActionForm,
    CampaignOpenForm,
    CharacteristicAddForm,
    ConsensusForm,
    DimensionAddForm,
    PositioningForm,
)
from .models import Action, Campaign, CampaignPhase, Characteristic, Dimension, Framework
from .results import results_context


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_for_tenant(
        request, Campaign.objects.select_related("health_centre", "framework"), pk=pk
    )
    campaign.federation = request.federation  # the tenant of the request: no join needed
    return campaign


def _campaign_and_previous(
    request: HttpRequest, pk: int, campaigns: QuerySet[Campaign] | None = None
) -> tuple[Campaign, Campaign | None]:
    """The campaign (as ``_campaign``: 404 when the membership may not see it) and its MSP's
    previous closed campaign, read together (from ``campaigns``, annotated by the caller)."""
    campaigns = scoped(request, campaigns if campaigns is not None else Campaign)
    campaign, previous = selectors.campaign_and_previous(campaigns, pk)
    if campaign is None:
        raise Http404
    campaign.federation = request.federation
    return campaign, previous


def _require(request: HttpRequest, perm: str) -> None:
    """Object views fetch first (404 for another tenant's or MSP's object), then check the
    permission (403), so that a foreign id never tells whether it exists."""
    if not has_perm(request.membership, perm):
        raise PermissionDenied


def _apply_validation_error(form, exc: ValidationError) -> None:  # noqa: ANN001
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _perms(request: HttpRequest) -> dict[str, bool]:
    m = request.membership
    return {
        "can_manage": has_perm(m, "maturity.manage"),
        "can_rate": has_perm(m, "maturity.rate"),
        "can_export": has_perm(m, "maturity.export"),
        "can_edit_framework": has_perm(m, "maturity.edit_framework"),
    }


def _rate_url(request: HttpRequest, campaign: Campaign) -> str:
    return request.build_absolute_uri(
        reverse("maturity:rate", args=[campaign.federation.slug, campaign.pk])
    )


# --- campaigns ------------------------------------------------------------------------------


@tenant_view("maturity.view")
def campaigns(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.campaigns_list(membership=request.membership), per_page=30)
    page.object_list = selectors.campaign_rows(page.object_list)  # plain values for the rows
    return render(
        request,
        "maturity/campaigns.html",
        {
            "page": page,
            "to_rate": selectors.open_campaign_for_member(membership=request.membership),
            "phases": {value: str(label) for value, label in CampaignPhase.choices},
            **_perms(request),
        },
    )


@tenant_view("maturity.manage")
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    centres = scoped(request, HealthCentre).order_by("name")
    form = CampaignOpenForm(request.POST or None, membership=request.membership, centres=centres)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_open(
                actor=request.user,
                federation=request.federation,
                health_centre=data["health_centre"],
                framework=data["framework"],
                year=data["year"],
                axes=data["axes"],
                invitees=data["invitees"],
                url_builder=lambda c: _rate_url(request, c),
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("La campagne est ouverte ; %(n)s membre(s) ont été invités par e-mail.")
                % {"n": len(data["invitees"])},
            )
            return redirect("maturity:campaign", request.federation.slug, campaign.pk)
    return render(request, "maturity/campaign_form.html", {"form": form})


@tenant_view("maturity.view")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, previous = _campaign_and_previous(
        request, pk, Campaign.objects.annotate(actions_count=selectors.count_of(Action, "campaign"))
    )
    perms = _perms(request)
    structures = selectors.campaign_structures([campaign, previous])
    structure = structures[campaign.pk]
    if perms["can_manage"] or request.membership.is_staff_role:  # who answered how much
        progress = selectors.campaign_progress(campaign=campaign, structure=structure)
        me = next((p for p in progress if p.membership_id == request.membership.pk), None)
    else:  # the others' progress is not shown: only one's own
        progress = None
        me = selectors.participant_progress(
            campaign=campaign, membership=request.membership, structure=structure
        )
    return render(
        request,
        "maturity/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "answered_count": sum(1 for p in progress if p.complete) if progress else 0,
            "me": me,
            "previous": previous,
            "prev_scores": (
                selectors.campaign_scores(campaign=previous, structure=structures[previous.pk])
                if previous
                else None
            ),
            "actions_count": campaign.actions_count,
            **perms,
        },
    )


@tenant_view("maturity.view")
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.rate")
    if not selectors.is_participant(campaign=campaign, membership=request.membership):
        raise Http404
    structure = selectors.campaign_structure(campaign=campaign)
    mine = selectors.my_ratings(campaign=campaign, membership=request.membership)
    total = len(selectors.characteristics_of(structure))
    return render(
        request,
        "maturity/rate.html",
        {
            "campaign": campaign,
            "structure": structure,
            "mine": mine,
            "answered": len(mine),
            "total": total,
            "scale": campaign.framework.rating_scale,
        },
    )


@tenant_view("maturity.view")
@require_POST
def rating_save(request: HttpRequest, pk: int, characteristic_id: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.rate")
    if not selectors.is_participant(campaign=campaign, membership=request.membership):
        raise Http404
    characteristic = Characteristic.objects.filter(
        pk=characteristic_id, dimension__in=campaign.dimensions.all()
    ).first()
    if characteristic is None:
        raise Http404
    error = ""
    rating = None
    status = 200
    try:
        rating = services.rating_save(
            actor=request.user,
            membership=request.membership,
            campaign=campaign,
            characteristic=characteristic,
            value=request.POST.get("value", ""),
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        status = 409 if not campaign.is_individual else 400
        rating = selectors.my_ratings(campaign=campaign, membership=request.membership).get(
            characteristic.pk
        )
    if request.headers.get("HX-Request"):
        return render(
            request,
            "maturity/_rating_item.html",
            {
                "campaign": campaign,
                "c": characteristic,
                "rating": rating,
                "scale": campaign.framework.rating_scale,
                "error": error,
                "saved": not error,
            },
            status=status,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Réponse enregistrée."))
    url = reverse("maturity:rate", args=[request.federation.slug, campaign.pk])
    return redirect(f"{url}#c{characteristic.pk}")


@tenant_view("maturity.view")
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.manage")
    try:
        n = services.campaign_remind(
            actor=request.user, campaign=campaign, url=_rate_url(request, campaign)
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        if n:
            messages.success(request, _("Relance envoyée à %(n)s membre(s).") % {"n": n})
        else:
            messages.info(request, _("Tout le monde a répondu : personne à relancer."))
    return redirect("maturity:campaign", request.federation.slug, campaign.pk)


@tenant_view("maturity.view")
@require_POST
def close_individual(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.manage")
    try:
        services.campaign_close_individual(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("maturity:campaign", request.federation.slug, campaign.pk)
    messages.success(
        request, _("La phase individuelle est close : l'équipe peut construire son consensus.")
    )
    return redirect("maturity:consensus", request.federation.slug, campaign.pk)


@tenant_view("maturity.view")
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.manage")
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("maturity:consensus", request.federation.slug, campaign.pk)
    messages.success(request, _("La campagne est clôturée."))
    return redirect("maturity:results", request.federation.slug, campaign.pk)


# --- consensus ------------------------------------------------------------------------------


@tenant_view("maturity.view")
def consensus(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.view_answers")
    visible = selectors.answers_visible(campaign=campaign, membership=request.membership)
    context = {"campaign": campaign, "visible": visible, **_perms(request)}
    if visible:
        structure = selectors.campaign_structure(campaign=campaign)
        rows = selectors.answers_distribution(campaign=campaign, structure=structure)
        scores = selectors.campaign_scores(
            campaign=campaign,
            structure=structure,
            consensus={r.characteristic.pk: r.consensus.value for r in rows if r.consensus},
            individual={r.characteristic.pk: r.answers for r in rows},
        )
        for row in rows:  # once per row here rather than a {% blocktranslate count %} each
            row.team_label = ngettext(
                "Équipe (%(n)s réponse)", "Équipe (%(n)s réponses)", row.total
            ) % {"n": row.total}
        editable = campaign.is_consensus and context["can_manage"]
        if editable:  # the forms are shown only while the team can still change its answers
            for row in rows:
                c = row.consensus
                row.form = ConsensusForm(
                    framework=campaign.framework,
                    prefix=f"c{row.characteristic.pk}",
                    initial={
                        "value": c.value if c else "",
                        "comment": c.comment if c else "",
                        "version": c.version if c else 0,
                    },
                )
            for d in scores.dimensions:
                p = d.positioning
                d.form = PositioningForm(
                    prefix=f"d{d.dimension.pk}",
                    initial={
                        "level": p.level if p else None,
                        "target_level": p.target_level if p else None,
                        "comment": p.comment if p else "",
                        "version": p.version if p else 0,
                    },
                )
        context.update(
            rows=rows,
            scores=scores,
            editable=editable,
            scale=campaign.framework.rating_scale,
            labels={i["code"]: i["label"] for i in campaign.framework.rating_scale},
        )
    return render(request, "maturity/consensus.html", context)


def _stale_message(kind: str, current, label: str) -> str:  # noqa: ANN001
    who = ""
    if current is not None and current.updated_by_id:
        who = current.updated_by.get_full_name() or current.updated_by.email
    return _(
        "Quelqu'un (%(who)s) a modifié %(kind)s pendant que vous l'éditiez : la valeur est "
        "désormais « %(value)s ». Rien n'a été écrasé ; relisez et enregistrez à nouveau si besoin."
    ) % {"who": who or "—", "kind": kind, "value": label}


@tenant_view("maturity.view")
@require_POST
def consensus_save(request: HttpRequest, pk: int, characteristic_id: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.manage")
    characteristic = Characteristic.objects.filter(
        pk=characteristic_id, dimension__in=campaign.dimensions.all()
    ).first()
    if characteristic is None:
        raise Http404
    form = ConsensusForm(request.POST, framework=campaign.framework, prefix=f"c{characteristic.pk}")
    anchor = f"#c{characteristic.pk}"
    url = reverse("maturity:consensus", args=[request.federation.slug, campaign.pk]) + anchor
    if not form.is_valid():
        messages.error(
            request,
            _("Consensus non enregistré : %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
        return redirect(url)
    try:
        services.consensus_record(
            actor=request.user,
            campaign=campaign,
            characteristic=characteristic,
            value=form.cleaned_data["value"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"] or 0,
        )
    except services.StaleWrite as exc:
        label = campaign.framework.rating_label(exc.current.value) if exc.current else "—"
        messages.warning(request, _stale_message(_("ce consensus"), exc.current, label))
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Consensus enregistré."))
    return redirect(url)


@tenant_view("maturity.view")
@require_POST
def positioning_save(request: HttpRequest, pk: int, dimension_id: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.manage")
    dimension = campaign.dimensions.filter(pk=dimension_id).first()
    if dimension is None:
        raise Http404
    form = PositioningForm(request.POST, prefix=f"d{dimension.pk}")
    url = reverse("maturity:consensus", args=[request.federation.slug, campaign.pk])
    url += f"#d{dimension.pk}"
    if not form.is_valid():
        messages.error(
            request,
            _("Positionnement non enregistré : %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
        return redirect(url)
    try:
        services.positioning_record(
            actor=request.user,
            campaign=campaign,
            dimension=dimension,
            level=form.cleaned_data["level"],
            target_level=form.cleaned_data["target_level"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"] or 0,
        )
    except services.StaleWrite as exc:
        label = exc.current.get_level_display() if exc.current else "—"
        messages.warning(request, _stale_message(_("ce positionnement"), exc.current, label))
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Positionnement enregistré."))
    return redirect(url)


# --- results --------------------------------------------------------------------------------


@tenant_view("maturity.view")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, previous = _campaign_and_previous(request, pk)
    if campaign.is_individual:
        messages.info(
            request, _("Les résultats seront visibles quand la phase individuelle sera close.")
        )
        return redirect("maturity:campaign", request.federation.slug, campaign.pk)
    return render(
        request,
        "maturity/results.html",
        {**results_context(campaign, previous=previous), **_perms(request)},
    )


@tenant_view("maturity.view")
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    if campaign.is_individual:
        raise Http404
    deliverable = deliverable_request(
        actor=request.user,
        kind="maturity.campaign_report",
        title=_("Auto-évaluation de maturité %(year)s — %(msp)s")
        % {"year": campaign.year, "msp": campaign.health_centre.name},
        federation=request.federation,
        object_id=campaign.pk,
    )
    return redirect("deliverables:detail", pk=deliverable.pk)


@tenant_view("maturity.view")
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.export")
    if not selectors.answers_visible(campaign=campaign, membership=request.membership):
        messages.error(
            request,
            _(
                "Les réponses individuelles restent privées jusqu'à la fin "
                "de la phase individuelle."
            ),
        )
        return redirect("maturity:campaign", request.federation.slug, campaign.pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="maturite-{campaign.year}-{campaign.pk}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("MSP"),
            _("Année"),
            _("Axe"),
            _("Dimension"),
            _("Code"),
            _("Caractéristique"),
            _("Personne"),
            _("Profession"),
            _("Réponse"),
            _("Commentaire"),
        ]
    )
    for row in selectors.answers_rows(campaign=campaign):
        writer.writerow(row)
    return response


# --- action plan ----------------------------------------------------------------------------


def _tasks_for(request: HttpRequest, campaign: Campaign):  # noqa: ANN202
    from projects.models import Task

    return (
        scoped(request, Task)
        .filter(project__health_centre_id=campaign.health_centre_id)
        .order_by("step", "position")
    )


@tenant_view("maturity.view")
@require_http_methods(["GET", "POST"])
def actions(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    perms = _perms(request)
    form = None
    if perms["can_manage"]:
        form = ActionForm(
            request.POST or None, campaign=campaign, tasks=_tasks_for(request, campaign)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.action_create(actor=request.user, campaign=campaign, **form.cleaned_data)
            except ValidationError as exc:
                _apply_validation_error(form, exc)
            else:
                messages.success(request, _("Action ajoutée au plan."))
                return redirect("maturity:actions", request.federation.slug, campaign.pk)
    elif request.method == "POST":
        raise Http404
    page = paginate(request, selectors.campaign_actions(campaign=campaign))
    return render(
        request,
        "maturity/actions.html",
        {"campaign": campaign, "page": page, "form": form, **perms},
    )


@tenant_view("maturity.view")
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    _require(request, "maturity.manage")
    action = get_for_tenant(request, Action.objects.filter(campaign=campaign), pk=action_id)
    form = ActionForm(
        request.POST or None,
        instance=action,
        campaign=campaign,
        tasks=_tasks_for(request, campaign),
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.fields}
        action.refresh_from_db()
        try:
            services.action_update(actor=request.user, action=action, **data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Action mise à jour."))
            return redirect("maturity:actions", request.federation.slug, campaign.pk)
    return render(
        request, "maturity/action_form.html", {"campaign": campaign, "form": form, "action": action}
    )


# --- frameworks -----------------------------------------------------------------------------


@tenant_view("maturity.view_framework")
def frameworks(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.frameworks_list(federation=request.federation), per_page=30)
    return render(request, "maturity/frameworks.html", {"page": page, **_perms(request)})


def _framework(pk: int) -> Framework:
    framework = Framework.objects.filter(pk=pk).first()
    if framework is None:
        raise Http404
    return framework


@tenant_view("maturity.view_framework")
@require_http_methods(["GET", "POST"])
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(pk)
    perms = _perms(request)
    form = None
    if perms["can_edit_framework"]:
        form = DimensionAddForm(request.POST or None, framework=framework)
        if request.method == "POST" and form.is_valid():
            try:
                services.dimension_add(
                    actor=request.user,
                    federation=request.federation,
                    axis=form.cleaned_data["axis"],
                    name=form.cleaned_data["name"],
                    characteristics=form.cleaned_data["characteristics"].splitlines(),
                )
            except ValidationError as exc:
                _apply_validation_error(form, exc)
            else:
                messages.success(request, _("La dimension a été ajoutée pour votre fédération."))
                return redirect("maturity:framework", request.federation.slug, framework.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "maturity/framework_detail.html",
        {
            "framework": framework,
            "tree": selectors.framework_tree(framework=framework, federation=request.federation),
            "form": form,
            "char_form": CharacteristicAddForm(),
            **perms,
        },
    )


@tenant_view("maturity.view_framework")
@require_POST
def characteristic_add(request: HttpRequest, dimension_id: int) -> HttpResponse:
    dimension = (
        Dimension.objects.select_related("axis__framework")
        .filter(pk=dimension_id, federation=request.federation)
        .first()
    )
    if dimension is None:
        raise Http404
    _require(request, "maturity.edit_framework")
    form = CharacteristicAddForm(request.POST)
    if form.is_valid():
        try:
            services.characteristic_add(
                actor=request.user,
                federation=request.federation,
                dimension=dimension,
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("Caractéristique ajoutée."))
    else:
        messages.error(request, _("Écrivez la caractéristique."))
    return redirect(
        reverse("maturity:framework", args=[request.federation.slug, dimension.axis.framework_id])
        + f"#dim{dimension.pk}"
    )
