from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Éditeurs et logiciels")

    def ready(self) -> None:
        from deliverables.registry import register

        from .deliverable import COMPARISON

        register(COMPARISON)
