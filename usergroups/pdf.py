"""The synthesis PDF, rendered by the deliverables pipeline from a published version."""

from __future__ import annotations

from datetime import date, datetime

from deliverables.registry import RenderSpec
from federations.models import Membership
from federations.roles import Role

from .models import SynthesisVersion, Theme


def _parse_dates(content: dict) -> dict:
    """The snapshot stores ISO strings; the template wants dates."""
    out = dict(content)
    out["period_start"] = date.fromisoformat(content["period_start"])
    out["period_end"] = date.fromisoformat(content["period_end"])
    out["sessions"] = [
        {**s, "starts_at": datetime.fromisoformat(s["starts_at"])} for s in content["sessions"]
    ]
    out["needs"] = [
        {**n, "since": date.fromisoformat(n["since"]) if n.get("since") else None}
        for n in content["needs"]
    ]
    return out


def _by_theme(entries: list[dict]) -> list[dict]:
    order = list(Theme.values)
    themes: dict[str, dict] = {}
    for entry in entries:
        themes.setdefault(
            entry["theme"], {"code": entry["theme"], "label": entry["theme_label"], "entries": []}
        )["entries"].append(entry)
    return sorted(
        themes.values(), key=lambda t: order.index(t["code"]) if t["code"] in order else 99
    )


def build_synthesis(deliverable) -> RenderSpec:  # noqa: ANN001
    version = SynthesisVersion.objects.select_related(
        "synthesis__software", "vendor", "federation"
    ).get(pk=int(deliverable.object_id))
    content = _parse_dates(version.content)
    return RenderSpec(
        template="usergroups/pdf/synthesis.html",
        context={
            "version": version,
            "content": content,
            "needs_by_theme": _by_theme(content["needs"]),
            "difficulties_by_theme": _by_theme(content["difficulties"]),
            "tips_by_theme": _by_theme(content["tips"]),
        },
        filename=f"synthese-{version.synthesis.software.slug}-v{version.number}.pdf",
    )


def can_view_synthesis(user, deliverable) -> bool:  # noqa: ANN001
    """Staff and DIMs of the federation; vendor users of the software's vendor (the document
    exists only once published)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "vendor_id", None):
        return SynthesisVersion.objects.filter(
            pk=int(deliverable.object_id), vendor_id=user.vendor_id
        ).exists()
    return Membership.objects.filter(
        user_id=user.pk,
        federation_id=deliverable.federation_id,
        role__in=[Role.STAFF, Role.DIM],
        is_active=True,
    ).exists()
