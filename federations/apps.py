from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationsConfig(AppConfig):
    name = "federations"
    verbose_name = _("Fédérations")

    def ready(self) -> None:
        from config import choices

        choices.install()  # cached get_FOO_display() labels (see config/choices.py)
