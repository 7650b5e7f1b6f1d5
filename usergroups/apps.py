from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsergroupsConfig(AppConfig):
    name = "usergroups"
    verbose_name = _("Groupes d'utilisateurs")

    def ready(self) -> None:
        from deliverables.registry import DeliverableKind, register
        from vendors.responsiveness import register_source

        from . import pdf, responsiveness

        register(
            DeliverableKind(
                kind="usergroups.synthesis",
                build=pdf.build_synthesis,
                can_view=pdf.can_view_synthesis,
            )
        )
        register_source("usergroups", responsiveness.response_cases)
