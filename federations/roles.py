from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Équipe de la fédération")
    DIM = "dim", _("DIM (délégué à l'information médicale)")
    COORDINATOR = "coordinator", _("Coordinateur / chef de projet MSP")
    MEMBER = "member", _("Membre de MSP")


ALL_ROLES = frozenset(Role)
MSP_ROLES = frozenset({Role.COORDINATOR, Role.MEMBER})
FOLLOW_UP_ROLES = frozenset({Role.STAFF, Role.DIM})
