from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


def _campaign_deleted(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A campaign deleted (with its MSP or federation, in the admin) may have counted in the
    federation's medians: forget them."""
    from .selectors import invalidate_federation_medians

    invalidate_federation_medians(federation_id=instance.federation_id)


class MaturityConfig(AppConfig):
    name = "maturity"
    verbose_name = _("Maturité (matrice HAS)")

    def ready(self) -> None:
        from deliverables.registry import DeliverableKind, register

        from .models import Campaign
        from .report import KIND, build_report, can_view_report

        register(DeliverableKind(kind=KIND, build=build_report, can_view=can_view_report))
        post_delete.connect(
            _campaign_deleted, sender=Campaign, dispatch_uid="maturity.campaign_deleted"
        )
