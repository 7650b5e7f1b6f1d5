from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _need_changed(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    """A need saved or deleted (by the services, the admin, a cascade): the synthesis pages of
    its software read their needs again (``selectors.synthesis_page_needs``)."""
    from .selectors import forget_software_needs

    forget_software_needs(federation_id=instance.federation_id, software_id=instance.software_id)


def _feedback_changed(sender, instance, **kwargs) -> None:  # noqa: ANN001, ANN003
    """Feedback added, changed or deleted: it may raise a need in a synthesis's period, or wait
    to be merged."""
    from .models import UserGroup
    from .selectors import forget_software_needs

    try:
        software_id = instance.group.software_id  # the group is at hand where feedback is added
    except UserGroup.DoesNotExist:  # gone with its group: so are the group's needs
        return
    forget_software_needs(federation_id=instance.federation_id, software_id=software_id)


class UsergroupsConfig(AppConfig):
    name = "usergroups"
    verbose_name = _("Groupes d'utilisateurs")

    def ready(self) -> None:
        from deliverables.registry import DeliverableKind, register
        from vendors.responsiveness import register_source

        from . import pdf, responsiveness
        from .models import FeedbackItem, Need

        register(
            DeliverableKind(
                kind="usergroups.synthesis",
                build=pdf.build_synthesis,
                can_view=pdf.can_view_synthesis,
            )
        )
        register_source("usergroups", responsiveness.response_cases)
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(_need_changed, sender=Need, dispatch_uid=f"usergroups.need_{name}")
            signal.connect(
                _feedback_changed, sender=FeedbackItem, dispatch_uid=f"usergroups.item_{name}"
            )
