from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Éditeurs et logiciels")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from deliverables.registry import register
        from federations.audit import register as register_audit_labels

        from . import selectors
        from .deliverable import COMPARISON
        from .models import (
            Capability,
            Fact,
            LabelRecord,
            Requirement,
            RequirementCoverage,
            RequirementDimension,
            Software,
            Vendor,
        )

        # The national figures kept in memory (vendors.memo) follow every writer of their rows:
        # services, reference loader, admin, demo data, other apps.
        for model in (
            Vendor,
            Software,
            LabelRecord,
            Fact,
            RequirementCoverage,
            Capability,
            Requirement,
            RequirementDimension,
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.national_data_changed,
                    sender=model,
                    dispatch_uid=f"vendors.national.{model.__name__}",
                )

        register(COMPARISON)
        register_audit_labels(
            {
                "vendors.correction_accepted": _("Correction d'un éditeur acceptée"),
                "vendors.correction_rejected": _("Correction d'un éditeur refusée"),
                "vendors.rating_published": _("Avis de pairs publié"),
                "vendors.rating_rejected": _("Avis de pairs refusé"),
            }
        )
