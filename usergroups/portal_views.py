"""Vendor-portal pages: the syntheses published to the signed-in user's vendor, by any
federation, and the answer to each need. Another vendor's synthesis answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.display import row_url
from config.pagination import FirstPageRows, paginate
from deliverables.models import Deliverable
from vendors.views import vendor_user_required

from . import selectors, services
from .display import answer_rows
from .forms import AnswerForm, BlankAnswerFields
from .models import SynthesisVersion


def _get_version(request: HttpRequest, pk: int, *, content: bool = False) -> SynthesisVersion:
    """The version ``pk`` if it was published to the user's vendor, else 404; its content (150 kB
    of JSON for the largest) only when asked: the version's page reads it through the cache."""
    versions = SynthesisVersion.objects.select_related("synthesis")
    if not content:
        versions = versions.only(
            "number",
            "published_at",
            "vendor_id",
            "synthesis__period_start",
            "synthesis__period_end",
        )
    version = versions.filter(pk=pk, vendor=request.vendor).first()  # type: ignore[attr-defined]
    if version is None:
        raise Http404
    return version


@vendor_user_required
def syntheses(request: HttpRequest) -> HttpResponse:
    vendor = request.vendor  # type: ignore[attr-defined]
    versions = selectors.versions_list_for_vendor(vendor.pk)
    page = paginate(request, FirstPageRows(request, versions, per_page=30), per_page=30)
    version_url = row_url("portal:version")
    for v in page:
        v["url"] = version_url(v["pk"])
    return render(
        request,
        "usergroups/portal/syntheses.html",
        {
            "vendor": vendor,
            "page": page,
            "unanswered": selectors.unanswered_count_for_vendor(vendor.pk),
        },
    )


#: Needs of a version per page: each carries its answers and an answer form (20, not 30: with
#: their answers, 30 needs cost 4 ms of template and as much to put together).
NEEDS_PER_PAGE = selectors.VERSION_NEEDS_PART


def _need_page_number(ids: list[int], need_id: int) -> int:
    """The page of a version's needs (``ids``, in order) that shows need ``need_id``."""
    return ids.index(need_id) // NEEDS_PER_PAGE + 1 if need_id in ids else 1


def _version_page(request: HttpRequest, version: SynthesisVersion, bad=None) -> HttpResponse:  # noqa: ANN001
    asked = request.GET.get("page", "1")
    needs = selectors.VersionNeeds(version, part=int(asked) - 1 if asked.isdigit() else 0)
    outline = needs.outline
    # After a refused answer, the page that holds that need and its form with the errors.
    number = _need_page_number(outline["ids"], bad[0]) if bad else None
    page = paginate(request, needs, per_page=NEEDS_PER_PAGE, number=number)
    history = answer_rows(needs.answers(page.number - 1, [n["id"] for n in page]))
    # Each need carries its answer form: written by hand once and stamped with the need's
    # prefix when blank (``BlankAnswerFields``), rendered by Django when refused, to show its
    # errors. The labels of each need are put together here: 20 times a page, ``{% url %}`` and
    # ``{% blocktranslate count %}`` cost far more than ``row_url`` and ``ngettext``.
    blank = BlankAnswerFields(request)
    answer_url = row_url("portal:answer", version.pk)
    rows = []
    for n in page:
        form = bad[1] if bad and bad[0] == n["id"] else None
        critical = n.get("critical_count") or 0
        rows.append(
            {
                "need": n,
                "sid": str(n["id"]),  # a string: an int goes through number formatting each time
                "centres": ngettext(
                    "%(n)s MSP concernée", "%(n)s MSP concernées", n["centres_count"]
                )
                % {"n": n["centres_count"]},
                "critical": ngettext(
                    "%(n)s MSP le jugent critique", "%(n)s MSP le jugent critique", critical
                )
                % {"n": critical}
                if critical
                else "",
                "professions": ", ".join(n.get("professions") or []),
                "history": history.get(n["id"], []),
                "answer_url": answer_url(n["id"]),
                "form": form,
                "blank_fields": None if form else blank.for_need(n["id"]),
            }
        )
    deliverable = Deliverable.objects.filter(
        kind=services.SYNTHESIS_KIND, object_id=str(version.pk)
    ).first()
    return render(
        request,
        "usergroups/portal/version.html",
        {
            "version": version,
            "outline": outline,
            "rows": rows,
            "page": page,
            "deliverable": deliverable,
            "summary": selectors.version_status_summary(
                version, outline["ids"], cached=needs.summary
            ),
        },
    )


@vendor_user_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_page(request, _get_version(request, pk))


#: Difficulties (and tips) of a version per page.
FEEDBACK_PER_PAGE = 50


@vendor_user_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The difficulties met and the tips shared in the version's period, each list by pages of
    its own. They have their own page, linked from the version's: repeated under every page of
    the needs, the 230 of the largest synthesis cost 2 ms of template a page."""
    version = _get_version(request, pk, content=True)
    content = version.content
    return render(
        request,
        "usergroups/portal/feedback.html",
        {
            "version": version,
            "content": content,
            "difficulties": paginate(
                request,
                content.get("difficulties", []),
                per_page=FEEDBACK_PER_PAGE,
                param="difficultes",
            ),
            "tips": paginate(
                request, content.get("tips", []), per_page=FEEDBACK_PER_PAGE, param="astuces"
            ),
        },
    )


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
            number = _need_page_number(selectors.VersionNeeds(obj).outline["ids"], need.pk)
            query = f"?page={number}" if number > 1 else ""
            return redirect(f"{url}{query}#besoin-{need.pk}")
    return _version_page(request, obj, bad=(need.pk, form))
