from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Éditeurs et logiciels")

    def ready(self) -> None:
        from deliverables.registry import register
        from federations.audit import register as register_audit_labels

        from .deliverable import COMPARISON

        register(COMPARISON)
        register_audit_labels(
            {
                "vendors.correction_accepted": _("Correction d'un éditeur acceptée"),
                "vendors.correction_rejected": _("Correction d'un éditeur refusée"),
                "vendors.rating_published": _("Avis de pairs publié"),
                "vendors.rating_rejected": _("Avis de pairs refusé"),
            }
        )
