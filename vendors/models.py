"""The national catalogue: vendors (éditeurs) and their software. Maintained by platform
operators; not tenant-owned."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Vendor(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant"), unique=True)
    website = models.URLField(_("site"), blank=True)

    class Meta:
        verbose_name = _("éditeur")
        verbose_name_plural = _("éditeurs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Software(models.Model):
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="software", verbose_name=_("éditeur")
    )
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), unique=True)
    is_active = models.BooleanField(_("commercialisé"), default=True)
    #: Level of the label currently valid ("" when the software holds no valid label), kept in
    #: step with the label records by the vendors app; other apps (ACI figure) read it here.
    label_level = models.CharField(
        _("niveau du label en vigueur"),
        max_length=20,
        blank=True,
        choices=[("standard", _("standard")), ("avance", _("avancé"))],
    )

    class Meta:
        verbose_name = _("logiciel")
        verbose_name_plural = _("logiciels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Capability(models.Model):
    """A capability a software may offer (e.g. billing for nurses, DMP, MSSanté). Needs of a
    cahier des charges point at capabilities so that the fit of each product can be computed.
    The vocabulary is reference data loaded from a file."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    group = models.CharField(_("rubrique"), max_length=80, blank=True)
    profession = models.CharField(
        _("profession"),
        max_length=40,
        blank=True,
        help_text=_("Vide quand la capacité concerne toute l'équipe."),
    )

    class Meta:
        verbose_name = _("capacité")
        verbose_name_plural = _("capacités")
        ordering = ["group", "label"]

    def __str__(self) -> str:
        return self.label
