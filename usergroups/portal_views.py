"""Vendor-portal pages: the syntheses published to the signed-in user's vendor, by any
federation, and the answer to each need. Another vendor's synthesis answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.pagination import paginate
from deliverables.models import Deliverable
from vendors.views import vendor_user_required

from . import selectors, services
from .forms import AnswerForm
from .models import SynthesisVersion


def _get_version(request: HttpRequest, pk: int) -> SynthesisVersion:
    version = (
        SynthesisVersion.objects.select_related("synthesis__software", "federation", "vendor")
        .filter(pk=pk, vendor=request.vendor)  # type: ignore[attr-defined]
        .first()
    )
    if version is None:
        raise Http404
    return version


@vendor_user_required
def syntheses(request: HttpRequest) -> HttpResponse:
    vendor = request.vendor  # type: ignore[attr-defined]
    # The list shows no content: leave each version's JSON (all its needs) in the database.
    versions = selectors.versions_for_vendor(vendor.pk).defer("content")
    page = paginate(request, versions, per_page=30)
    return render(
        request,
        "usergroups/portal/syntheses.html",
        {
            "vendor": vendor,
            "page": page,
            "unanswered": selectors.unanswered_count_for_vendor(vendor.pk),
        },
    )


#: Needs of a version per page: each carries its answers and an answer form.
NEEDS_PER_PAGE = 30


def _need_page_number(version: SynthesisVersion, need_id: int) -> int:
    """The page of ``version`` that shows need ``need_id``."""
    ids = [n["id"] for n in version.content.get("needs", [])]
    return ids.index(need_id) // NEEDS_PER_PAGE + 1 if need_id in ids else 1


def _version_page(request: HttpRequest, version: SynthesisVersion, bad=None) -> HttpResponse:  # noqa: ANN001
    needs = version.content.get("needs", [])
    # After a refused answer, the page that holds that need and its form with the errors.
    number = _need_page_number(version, bad[0]) if bad else None
    page = paginate(request, needs, per_page=NEEDS_PER_PAGE, number=number)
    ids = [n["id"] for n in needs]
    history = selectors.answers_history([n["id"] for n in page])
    rows = []
    for n in page:
        form = bad[1] if bad and bad[0] == n["id"] else AnswerForm(prefix=f"n{n['id']}")
        rows.append({"need": n, "history": history.get(n["id"], []), "form": form})
    deliverable = Deliverable.objects.filter(
        kind=services.SYNTHESIS_KIND, object_id=str(version.pk)
    ).first()
    return render(
        request,
        "usergroups/portal/version.html",
        {
            "version": version,
            "content": version.content,
            "rows": rows,
            "page": page,
            "deliverable": deliverable,
            "summary": selectors.need_status_summary(ids),
        },
    )


@vendor_user_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_page(request, _get_version(request, pk))


@vendor_user_required
@require_POST
def answer(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    obj = _get_version(request, pk)
    need = obj.needs.filter(pk=need_pk).first()
    if need is None:
        raise Http404
    form = AnswerForm(request.POST, prefix=f"n{need.pk}")
    if form.is_valid():
        try:
            services.answer_create(actor=request.user, need=need, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request, _("Votre réponse est enregistrée et visible par la fédération.")
            )
            url = reverse("portal:version", args=[obj.pk])
            number = _need_page_number(obj, need.pk)
            query = f"?page={number}" if number > 1 else ""
            return redirect(f"{url}{query}#besoin-{need.pk}")
    return _version_page(request, obj, bad=(need.pk, form))
