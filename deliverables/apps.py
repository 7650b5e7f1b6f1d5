from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliverablesConfig(AppConfig):
    name = "deliverables"
    verbose_name = _("Livrables PDF")
