"""Demo data of the vendors app (after the projects demo): declared facts for the demo products,
peer ratings from members of demo MSPs that deployed their software, and a pending correction
proposed by the Hellodoc vendor user. Idempotent."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.contrib.auth import get_user_model

from federations.models import Membership

from .models import (
    Capability,
    CorrectionProposal,
    CorrectionStatus,
    Fact,
    FactSource,
    PeerRating,
    RatingStatus,
    Software,
)
from .selectors import national_data_changed

DEMO_FILE = Path(__file__).parent / "data" / "demo.yaml"
CRITERIA = ("ergonomics", "billing", "hotline", "training", "data_migration", "transparency")


def _value(v) -> str:  # noqa: ANN001
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return str(v)


def load(ctx: dict) -> None:
    from projects.models import Project

    with DEMO_FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    software = {s.slug: s for s in Software.objects.all()}
    caps = {c.code: c for c in Capability.objects.all()}
    for slug, facts in data["software"].items():
        sw = software.get(slug)
        if sw is None:
            continue  # catalogue not loaded: nothing to attach the facts to
        for key, value in (facts.get("characteristics") or {}).items():
            if not Fact.objects.filter(software=sw, key=key).exists():
                Fact.objects.create(
                    software=sw,
                    key=key,
                    value=_value(value),
                    source=FactSource.DECLARED,
                    as_of=data["as_of"],
                    note=data["note"],
                )
        for code, value in (facts.get("capabilities") or {}).items():
            cap = caps.get(code)
            if cap and not Fact.objects.filter(software=sw, capability=cap).exists():
                Fact.objects.create(
                    software=sw,
                    capability=cap,
                    value=_value(value),
                    source=FactSource.DECLARED,
                    as_of=data["as_of"],
                    note=data["note"],
                )

    # Peer ratings: members of MSPs whose project deployed the software.
    deployed = Project.objects.filter(
        deployed_on__isnull=False, chosen_software__slug__in=list(data["ratings"])
    ).values_list("health_centre_id", "chosen_software__slug")
    by_centre = dict(deployed)
    members = Membership.objects.filter(
        health_centre_id__in=list(by_centre), is_active=True
    ).select_related("user")
    for m in members:
        slug = by_centre[m.health_centre_id]
        scores = data["ratings"][slug].get(m.profession)
        if not scores:
            continue
        PeerRating.objects.get_or_create(
            author=m.user,
            software=software[slug],
            defaults={
                "federation_id": m.federation_id,
                "health_centre_id": m.health_centre_id,
                "profession": m.profession,
                "comment": data["comments"].get(m.profession, ""),
                "status": RatingStatus.PUBLISHED,
                **dict(zip(CRITERIA, scores, strict=True)),
            },
        )
    national_data_changed()  # published ratings written without the services

    c = data["correction"]
    user = get_user_model().objects.filter(email=c["vendor_user"]).first()
    sw = software.get(c["software"])
    cap = caps.get(c["capability"])
    if user and sw and cap:
        exists = CorrectionProposal.objects.filter(
            software=sw, capability=cap, proposed_by=user, status=CorrectionStatus.PENDING
        ).exists()
        if not exists:
            previous = (
                Fact.objects.filter(software=sw, capability=cap).order_by("-created_at").first()
            )
            CorrectionProposal.objects.create(
                software=sw,
                capability=cap,
                value=_value(c["value"]),
                previous_value=previous.value if previous else "",
                comment=c["comment"],
                proposed_by=user,
            )
