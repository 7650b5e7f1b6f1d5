from __future__ import annotations

import csv
from dataclasses import replace
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.display import row_url
from config.pagination import paginate
from federations.permissions import has_perm
from federations.tenancy import get_for_tenant, tenant_view

from . import selectors, services
from .forms import (
    CatalogueFilterForm,
    CompareForm,
    CorrectionForm,
    FactForm,
    RatingForm,
)
from .memo import National
from .models import (
    RATING_CRITERIA,
    CharacteristicKey,
    CorrectionProposal,
    CorrectionStatus,
    FactSource,
    PeerRating,
    Software,
)

PAGE_SIZE = 25


def vendor_user_required(view):  # noqa: ANN001, ANN201
    """Vendor-portal pages: signed-in vendor users only; everyone else gets 404."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if not request.user.is_vendor_user:
            raise Http404
        request.vendor = request.user.vendor  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def _apply_validation_error(form, exc: ValidationError) -> None:  # noqa: ANN001
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for e in exc.messages:
            form.add_error(None, e)


def _ergonomics(rating: selectors.RatingAggregate | None) -> str:
    """The catalogue's summary of the peer ratings ("ergonomie 3,4 / 5 (12 avis)"), or "" below
    the minimum number of ratings. Written here once per row rather than by a
    {% blocktranslate count %} in the loop."""
    if rating is None or not rating.shown:
        return ""
    return ngettext(
        "ergonomie %(e)s / 5 (%(n)s avis)", "ergonomie %(e)s / 5 (%(n)s avis)", rating.count
    ) % {
        "e": formats.number_format(rating.averages["ergonomics"], 1),
        "n": formats.localize(rating.count),
    }


def _software(slug: str) -> Software:
    software = selectors.software_queryset().filter(slug=slug).first()
    if software is None:
        raise Http404
    software.current_label = selectors.current_label(software)
    return software


# --- Catalogue ---------------------------------------------------------------------------------


@tenant_view("vendors.view_catalogue")
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    national = National()
    items = selectors.catalogue(
        profession=filters.get("profession", ""),
        label=filters.get("label", ""),
        query=filters.get("q", ""),
        national=national,
    )
    page = paginate(request, items, per_page=PAGE_SIZE)
    ids = [s.pk for s in page]
    adoption = selectors.adoption(ids, federation=request.federation)
    ratings = selectors.rating_aggregates_cached(ids, overall_only=True, national=national)
    detail_url = row_url("vendors:detail", request.federation.slug)
    rows = []
    for entry in page:  # shared entries: the page shows copies with this federation's figures
        rating = ratings.get(entry.pk, {}).get("")
        rows.append(
            replace(
                entry,
                adoption=adoption.get(entry.pk, selectors.Adoption()),
                rating=rating,
                rating_text=_ergonomics(rating),
                detail_url=detail_url(entry.slug),
            )
        )
    page.object_list = rows
    return render(
        request,
        "vendors/catalogue.html",
        {
            "page": page,
            "form": form,
            "min_ratings": selectors.min_ratings(),
            "can_moderate": has_perm(request.membership, "vendors.moderate_ratings"),
            "can_review": has_perm(request.membership, "vendors.review_corrections"),
            "own_project": selectors.own_project(request.membership),
        },
    )


@tenant_view("vendors.view_catalogue")
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    software = _software(slug)
    facts = selectors.current_facts([software.pk]).get(software.pk, {})
    characteristics = []
    for key, label in CharacteristicKey.choices:
        f = facts.get(key)
        characteristics.append((label, selectors.display_value(f), selectors.fact_provenance(f)))
    caps = []
    national = National()
    for cap in selectors.capabilities(national=national):
        f = facts.get(f"cap:{cap.pk}")
        caps.append((cap, selectors.display_value(f), selectors.fact_provenance(f), f))
    aggregates = selectors.rating_aggregates_cached([software.pk], national=national).get(
        software.pk, {}
    )
    overall = aggregates.pop("", None)
    by_profession = sorted(aggregates.items())
    membership = request.membership
    return render(
        request,
        "vendors/detail.html",
        {
            "software": software,
            "labels": list(software.labels.all()),
            "characteristics": characteristics,
            "capabilities": caps,
            "coverage": selectors.coverage([software], national=national)[software.pk],
            "dimensions": selectors.requirements_by_dimension(),
            "overall": overall,
            "by_profession": by_profession,
            "criteria": RATING_CRITERIA,
            "comments": selectors.published_comments(software),
            "adoption": selectors.adoption([software.pk], federation=request.federation).get(
                software.pk, selectors.Adoption()
            ),
            "responsiveness": selectors.responsiveness_cached([software.pk], national=national).get(
                software.pk
            ),
            "history": [(f, selectors.display_value(f)) for f in selectors.fact_history(software)],
            "min_ratings": selectors.min_ratings(),
            "can_rate": has_perm(membership, "vendors.rate")
            and selectors.can_rate(membership, software),
            "can_record": has_perm(membership, "vendors.record_fact"),
        },
    )


# --- Facts ------------------------------------------------------------------------------------


@tenant_view("vendors.record_fact")
def fact_record(request: HttpRequest, slug: str) -> HttpResponse:
    software = _software(slug)
    source = selectors.source_choices_for(request.membership)
    form = FactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.fact_record(
                actor=request.user,
                software=software,
                source=source,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                **form.subject_parts(),
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("L'information est enregistrée, avec sa source et sa date.")
            )
            return redirect("vendors:detail", request.federation.slug, software.slug)
    return render(
        request,
        "vendors/fact_form.html",
        {"software": software, "form": form, "source_label": FactSource(source).label},
    )


# --- Peer ratings -----------------------------------------------------------------------------


@tenant_view("vendors.rate")
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    software = _software(slug)
    if not selectors.can_rate(request.membership, software):
        raise PermissionDenied
    existing = selectors.own_rating(request.user, software)
    initial = {}
    if existing:
        initial = {k: getattr(existing, k) for k, _label in RATING_CRITERIA}
        initial["comment"] = existing.comment
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rating_submit(
                actor=request.user,
                membership=request.membership,
                software=software,
                scores={k: data[k] for k, _label in RATING_CRITERIA},
                comment=data["comment"],
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Merci ! Votre avis sera visible, sans votre nom, "
                    "après relecture par la fédération."
                ),
            )
            return redirect("vendors:detail", request.federation.slug, software.slug)
    return render(
        request, "vendors/rate.html", {"software": software, "form": form, "existing": existing}
    )


@tenant_view("vendors.moderate_ratings")
def moderation(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.ratings_to_moderate(request.membership), per_page=PAGE_SIZE)
    page.object_list = selectors.moderation_rows(page.object_list)
    moderate_url = row_url("vendors:rating_moderate", request.federation.slug)
    for rating in page.object_list:
        rating["moderate_url"] = moderate_url(rating["pk"])
    return render(request, "vendors/moderation.html", {"page": page})


@require_POST
@tenant_view("vendors.view_catalogue")
def rating_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    # Fetch first: another federation's rating answers 404 whatever the role.
    rating = get_for_tenant(request, PeerRating, pk=pk)
    if not has_perm(request.membership, "vendors.moderate_ratings"):
        raise PermissionDenied
    publish = request.POST.get("decision") == "publish"
    services.rating_moderate(
        actor=request.user, membership=request.membership, rating=rating, publish=publish
    )
    messages.success(request, _("Avis publié.") if publish else _("Avis refusé."))
    return redirect("vendors:moderation", request.federation.slug)


# --- Corrections (federation staff side) ------------------------------------------------------


@tenant_view("vendors.review_corrections")
def corrections(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.corrections_pending(), per_page=PAGE_SIZE)
    return render(request, "vendors/corrections.html", {"page": page})


@require_POST
@tenant_view("vendors.review_corrections")
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = CorrectionProposal.objects.filter(pk=pk, status=CorrectionStatus.PENDING).first()
    if proposal is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    try:
        services.correction_decide(
            actor=request.user,
            proposal=proposal,
            accept=accept,
            comment=request.POST.get("decision_comment", ""),
            federation=request.federation,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Correction acceptée et enregistrée.") if accept else _("Correction refusée."),
        )
    return redirect("vendors:corrections", request.federation.slug)


# --- Comparator -------------------------------------------------------------------------------


def _comparison_from(request: HttpRequest):  # noqa: ANN202
    """(form, comparison or None, error message or None) from the query string."""
    national = National()
    entries = selectors.catalogue_entries(national=national)
    form = CompareForm(request.GET or None, softwares=[e for e in entries if e.is_active])
    if not request.GET.getlist("logiciels"):
        return form, None, None
    if not form.is_valid():
        return form, None, _("Un des logiciels demandés n'existe pas dans le catalogue.")
    try:
        chosen = services.comparison_check(form.cleaned_data["logiciels"], catalogue=entries)
    except ValidationError as exc:
        return form, None, " ".join(exc.messages)
    grid = selectors.comparison(
        chosen,
        federation=request.federation,
        profession=form.cleaned_data["profession"],
        national=national,
    )
    return form, grid, None


@tenant_view("vendors.compare")
def compare(request: HttpRequest) -> HttpResponse:
    form, grid, error = _comparison_from(request)
    status = 400 if error else 200
    return render(
        request,
        "vendors/compare.html",
        {
            "form": form,
            "grid": grid,
            "error": error,
            "query": request.GET.urlencode(),
            "min_ratings": selectors.min_ratings(),
        },
        status=status,
    )


@tenant_view("vendors.compare")
def compare_csv(request: HttpRequest) -> HttpResponse:
    _form, grid, error = _comparison_from(request)
    if grid is None:
        return HttpResponse(
            error or _("Choisissez 2 à 4 logiciels à comparer."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="comparatif-logiciels.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [_("Rubrique"), _("Critère")] + [s.name for s in grid.softwares] + [_("Différence")]
    )
    for row in grid.rows:
        writer.writerow(
            [row.section, row.label] + row.cells + [_("oui") if row.differs else _("non")]
        )
    return response


@require_POST
@tenant_view("vendors.compare")
def compare_pdf(request: HttpRequest) -> HttpResponse:
    from deliverables.services import deliverable_request

    slugs = request.POST.getlist("logiciels")
    profession = request.POST.get("profession", "")
    try:
        chosen = services.comparison_check(slugs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("vendors:compare", request.federation.slug)
    from federations.professions import Profession

    if profession not in Profession.values:
        profession = ""
    deliverable = deliverable_request(
        actor=request.user,
        kind="vendors.comparison",
        title=_("Comparatif : %(names)s") % {"names": ", ".join(s.name for s in chosen)},
        federation=request.federation,
        params={"slugs": [s.slug for s in chosen], "profession": profession},
    )
    return redirect("deliverables:detail", deliverable.pk)


# --- Fit to a project's needs -----------------------------------------------------------------


@tenant_view("vendors.view_fit")
def fit(request: HttpRequest, project_pk: int) -> HttpResponse:
    from projects.models import Project

    project = get_for_tenant(
        request, Project.objects.select_related("health_centre"), pk=project_pk
    )
    results, needs = selectors.fit_ranking(project)
    return render(
        request,
        "vendors/fit.html",
        {
            "project": project,
            "results": results,
            "needs": needs,
            "eligible": [r for r in results if r.eligible],
            "excluded": [r for r in results if not r.eligible],
            "weights": selectors.NEED_WEIGHTS,
        },
    )


# --- Vendor portal ----------------------------------------------------------------------------


@vendor_user_required
def vendor_home(request: HttpRequest) -> HttpResponse:
    return render(request, "vendors/portal_home.html", {"vendor": request.vendor})


@vendor_user_required
def vendor_software(request: HttpRequest) -> HttpResponse:
    softwares = list(selectors.software_of_vendor(request.vendor).order_by("name"))
    facts = selectors.current_facts([s.pk for s in softwares])
    caps = selectors.capabilities()
    rows = []
    for sw in softwares:
        current = facts.get(sw.pk, {})
        declared = [
            (label, selectors.display_value(current.get(key)))
            for key, label in CharacteristicKey.choices
        ] + [(cap.label, selectors.display_value(current.get(f"cap:{cap.pk}"))) for cap in caps]
        rows.append((sw, declared))
    proposals = paginate(
        request, selectors.corrections_of_vendor(request.vendor), per_page=PAGE_SIZE
    )
    return render(
        request,
        "vendors/portal_software.html",
        {"vendor": request.vendor, "rows": rows, "page": proposals},
    )


@vendor_user_required
def vendor_correction(request: HttpRequest, slug: str) -> HttpResponse:
    software = selectors.software_of_vendor(request.vendor, slug).first()
    if software is None:  # another vendor's product, or no such product: 404 alike
        raise Http404
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_propose(
                actor=request.user,
                software=software,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
                **form.subject_parts(),
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Votre proposition est transmise : une fédération l'acceptera ou la refusera."),
            )
            return redirect("vendor_software")
    return render(request, "vendors/portal_correction.html", {"software": software, "form": form})
