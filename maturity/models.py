"""Anchor models of the HAS maturity self-assessment. A framework (versioned reference data) is
axes → dimensions → characteristics; a campaign rates one MSP against it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from federations.models import TenantQuerySet


class Framework(models.Model):
    code = models.SlugField(_("code"), max_length=80)
    version = models.CharField(_("version"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("référentiel de maturité")
        verbose_name_plural = _("référentiels de maturité")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Axis(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="axes")
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("nom"), max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("axe")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_axis_code")
        ]

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("nom"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    federation = models.ForeignKey(
        "federations.Federation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Renseignée quand la dimension est un ajout d'une fédération."),
    )

    class Meta:
        verbose_name = _("dimension")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Characteristic(models.Model):
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="characteristics"
    )
    code = models.SlugField(_("code"), max_length=80)
    text = models.TextField(_("caractéristique"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("caractéristique")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class CampaignPhase(models.TextChoices):
    INDIVIDUAL = "individual", _("Auto-évaluation individuelle")
    CONSENSUS = "consensus", _("Consensus d'équipe")
    CLOSED = "closed", _("Clôturée")


class Campaign(models.Model):
    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    health_centre = models.ForeignKey(
        "federations.HealthCentre",
        on_delete=models.CASCADE,
        related_name="maturity_campaigns",
        verbose_name=_("MSP"),
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="campaigns")
    axes = models.ManyToManyField(
        Axis, blank=True, related_name="+", help_text=_("Vide : tous les axes du référentiel.")
    )
    year = models.PositiveIntegerField(_("année"))
    phase = models.CharField(
        _("phase"), max_length=20, choices=CampaignPhase.choices, default=CampaignPhase.INDIVIDUAL
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    tenant_centre_field = "health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne d'auto-évaluation")
        verbose_name_plural = _("campagnes d'auto-évaluation")
        indexes = [models.Index(fields=["federation", "health_centre", "year"])]

    def __str__(self) -> str:
        return f"{self.health_centre} — {self.year}"


class PositioningLevel(models.IntegerChoices):
    NONE = 0, _("aucune caractéristique")
    SOME = 1, _("quelques caractéristiques")
    MOST = 2, _("la plupart des caractéristiques")
    ALL = 3, _("toutes les caractéristiques")


class DimensionPositioning(models.Model):
    """The team's positioning on one dimension, agreed in the consensus phase."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="positionings")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("positionnement"), choices=PositioningLevel.choices)
    comment = models.TextField(_("commentaires de l'équipe"), blank=True)

    tenant_centre_field = "campaign__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("positionnement")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "dimension"], name="unique_positioning")
        ]

    def __str__(self) -> str:
        return f"{self.dimension} : {self.get_level_display()}"
