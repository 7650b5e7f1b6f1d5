from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaturityConfig(AppConfig):
    name = "maturity"
    verbose_name = _("Maturité (matrice HAS)")

    def ready(self) -> None:
        from deliverables.registry import DeliverableKind, register

        from .report import KIND, build_report, can_view_report

        register(DeliverableKind(kind=KIND, build=build_report, can_view=can_view_report))
