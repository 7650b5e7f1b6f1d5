"""Signal receivers of the projects app (connected in ``ProjectsConfig.ready``)."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import figures

#: What a project page shows of a person (``projects.figures``).
NAME_FIELDS = {"first_name", "last_name", "email"}


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="projects-people-changed")
def person_saved(sender, instance, created, update_fields=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A saved person may have a new name: the kept project pages are read again. Not for a
    new person (on no project yet) nor for a save of other fields (the last login…)."""
    if created or (update_fields is not None and not NAME_FIELDS & set(update_fields)):
        return
    figures.outside_changed()


@receiver(post_save, sender="federations.Membership", dispatch_uid="projects-membership-saved")
@receiver(post_delete, sender="federations.Membership", dispatch_uid="projects-membership-gone")
def membership_changed(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    """Someone joined, left or changed MSP: the kept lists of people are read again."""
    figures.outside_changed()


@receiver(post_save, sender="projects.Methodology", dispatch_uid="projects-methodology-saved")
def methodology_saved(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A methodology's title may have changed (a project page names its methodology)."""
    figures.outside_changed()


def _renamed(update_fields) -> bool:  # noqa: ANN001
    return update_fields is None or "name" in update_fields


@receiver(post_save, sender="federations.HealthCentre", dispatch_uid="projects-centre-saved")
@receiver(post_save, sender="vendors.Software", dispatch_uid="projects-software-saved")
def named_saved(sender, instance, created, update_fields=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    """An MSP or a software product may have a new name (a project page shows both)."""
    if not created and _renamed(update_fields):
        figures.outside_changed()


@receiver(post_save, sender="vendors.Capability", dispatch_uid="projects-capability-saved")
def capability_saved(sender, instance, created, update_fields=None, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A capability may have a new label (the needs page names the capability of each need)."""
    if not created and (update_fields is None or "label" in update_fields):
        figures.outside_changed()


@receiver(post_delete, sender="projects.Project", dispatch_uid="projects-project-deleted")
def project_deleted(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A project deleted (with its MSP or federation too): its federation's counts change."""
    figures.forget_steps([instance.federation_id])
