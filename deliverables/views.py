from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import services
from .models import Deliverable, DeliverableStatus
from .registry import get_kind


def _get_deliverable_for_user(request: HttpRequest, pk) -> Deliverable:  # noqa: ANN001
    """404 for a missing deliverable and for one the user may not see, alike."""
    deliverable = Deliverable.objects.select_related("federation").filter(pk=pk).first()
    if deliverable is None:
        raise Http404
    try:
        allowed = get_kind(deliverable.kind).can_view(request.user, deliverable)
    except LookupError:
        allowed = False
    if not allowed:
        raise Http404
    return deliverable


@login_required
def detail(request: HttpRequest, pk) -> HttpResponse:  # noqa: ANN001
    deliverable = _get_deliverable_for_user(request, pk)
    template = (
        "deliverables/_status.html"
        if request.headers.get("HX-Request")
        else "deliverables/detail.html"
    )
    return render(request, template, {"deliverable": deliverable})


@login_required
def download(request: HttpRequest, pk) -> HttpResponse:  # noqa: ANN001
    deliverable = _get_deliverable_for_user(request, pk)
    if deliverable.status != DeliverableStatus.READY or not deliverable.file:
        raise Http404
    services.download_log(deliverable=deliverable, user=request.user)
    return FileResponse(
        deliverable.file.open("rb"),
        as_attachment=True,
        filename=deliverable.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


@login_required
@require_POST
def retry(request: HttpRequest, pk) -> HttpResponse:  # noqa: ANN001
    deliverable = _get_deliverable_for_user(request, pk)
    services.deliverable_retry(actor=request.user, deliverable=deliverable)
    return redirect("deliverables:detail", pk=deliverable.pk)
