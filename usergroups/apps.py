from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsergroupsConfig(AppConfig):
    name = "usergroups"
    verbose_name = _("Groupes d'utilisateurs")
