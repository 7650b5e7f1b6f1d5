"""Objects of the vendors app for the access matrix (``w.objects[...]``)."""

from __future__ import annotations

from datetime import date

from vendors.models import CorrectionProposal, PeerRating


def deploy(w, centre=None, software=None) -> object:  # noqa: ANN001
    """The project of MSP A1 (created by the projects world when it exists) deployed with
    Logiciel X. Called lazily by the policy, once the whole world is built."""
    from projects.models import Project

    centre = centre or w.centre_a
    software = software or w.software_x
    project = Project.objects.filter(health_centre=centre).first()
    if project is None:
        project = Project.objects.create(federation=centre.federation, health_centre=centre)
    project.chosen_software = software
    project.deployed_on = date(2026, 1, 15)
    project.save(update_fields=["chosen_software", "deployed_on"])
    return project


def extend(w) -> None:  # noqa: ANN001
    w.objects["rating"] = PeerRating.objects.create(
        federation=w.federation_a,
        health_centre=w.centre_a,
        software=w.software_x,
        author=w.users["member_a"],
        profession="infirmier",
        ergonomics=4,
        billing=2,
        hotline=3,
        training=3,
        data_migration=3,
        transparency=2,
        comment="Facturation infirmière incomplète.",
    )
    w.objects["correction"] = CorrectionProposal.objects.create(
        software=w.software_x,
        key="hotline",
        value="Du lundi au samedi",
        proposed_by=w.users["vendor_x"],
    )
