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
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("fichier source"), max_length=200, blank=True)
    #: [{"code": "non", "label": "non", "score": 0}, …] — the individual rating scale.
    rating_scale = models.JSONField(_("échelle de réponse"), default=list)
    #: [{"level": 0, "label": "aucune caractéristique"}, …] — the team positioning scale.
    positioning_scale = models.JSONField(_("échelle de positionnement"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("référentiel de maturité")
        verbose_name_plural = _("référentiels de maturité")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def rating_codes(self) -> list[str]:
        return [item["code"] for item in self.rating_scale]

    def rating_label(self, code: str) -> str:
        return next((i["label"] for i in self.rating_scale if i["code"] == code), code)

    def rating_score(self, code: str) -> float | None:
        return next((float(i["score"]) for i in self.rating_scale if i["code"] == code), None)


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
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "code"],
                condition=models.Q(federation__isnull=True),
                name="unique_national_dimension_code",
            ),
            models.UniqueConstraint(
                fields=["axis", "federation", "code"],
                condition=models.Q(federation__isnull=False),
                name="unique_federation_dimension_code",
            ),
        ]

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
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="unique_characteristic_code")
        ]

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
    #: The dimensions rated, frozen when the campaign opens (a framework's later additions never
    #: change a campaign already under way).
    dimensions = models.ManyToManyField(Dimension, blank=True, related_name="+")
    participants = models.ManyToManyField(
        "federations.Membership",
        through="Participant",
        related_name="+",
        verbose_name=_("membres invités"),
    )
    year = models.PositiveIntegerField(_("année"))
    phase = models.CharField(
        _("phase"), max_length=20, choices=CampaignPhase.choices, default=CampaignPhase.INDIVIDUAL
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    individual_closed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    tenant_centre_field = "health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne d'auto-évaluation")
        verbose_name_plural = _("campagnes d'auto-évaluation")
        indexes = [
            models.Index(fields=["federation", "health_centre", "year"]),
            # The campaigns list of the staff: newest year first.
            models.Index(fields=["federation", "-year"], name="campaign_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.health_centre} — {self.year}"

    @property
    def is_individual(self) -> bool:
        return self.phase == CampaignPhase.INDIVIDUAL

    @property
    def is_consensus(self) -> bool:
        return self.phase == CampaignPhase.CONSENSUS

    @property
    def is_closed(self) -> bool:
        return self.phase == CampaignPhase.CLOSED


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
    target_level = models.PositiveSmallIntegerField(
        _("objectif pour la prochaine campagne"),
        choices=PositioningLevel.choices,
        null=True,
        blank=True,
    )
    comment = models.TextField(_("commentaires de l'équipe"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    tenant_centre_field = "campaign__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("positionnement")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "dimension"], name="unique_positioning")
        ]

    def __str__(self) -> str:
        return f"{self.dimension} : {self.get_level_display()}"


class Participant(models.Model):
    """A member invited to rate in a campaign."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(
        "federations.Membership", on_delete=models.CASCADE, related_name="maturity_participations"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    tenant_centre_field = "campaign__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre invité")
        verbose_name_plural = _("membres invités")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "membership"], name="unique_participant")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.membership.user}"


class Rating(models.Model):
    """One member's answer to one characteristic (non / en partie / oui)."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ratings")
    membership = models.ForeignKey(
        "federations.Membership", on_delete=models.CASCADE, related_name="+"
    )
    characteristic = models.ForeignKey(Characteristic, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("réponse"), max_length=20)
    comment = models.TextField(_("commentaire"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_centre_field = "campaign__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse individuelle")
        verbose_name_plural = _("réponses individuelles")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "membership", "characteristic"], name="unique_rating"
            )
        ]

    def __str__(self) -> str:
        return f"{self.characteristic_id}: {self.value}"


class Consensus(models.Model):
    """The team's agreed answer on one characteristic; ``version`` guards concurrent edits."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="consensuses")
    characteristic = models.ForeignKey(Characteristic, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("valeur retenue"), max_length=20)
    comment = models.TextField(_("commentaire de l'équipe"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    tenant_centre_field = "campaign__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("consensus")
        verbose_name_plural = _("consensus")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "characteristic"], name="unique_consensus")
        ]

    def __str__(self) -> str:
        return f"{self.characteristic_id}: {self.value}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    ABANDONED = "abandoned", _("Abandonnée")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """One action of the team's plan: objective, who, when, indicator, means."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    dimension = models.ForeignKey(
        Dimension,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dimension"),
    )
    objective = models.CharField(_("objectif"), max_length=300)
    responsible = models.ForeignKey(
        "federations.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("personne responsable"),
    )
    deadline = models.DateField(_("échéance"), null=True, blank=True)
    indicator = models.CharField(_("indicateur"), max_length=300, blank=True)
    means = models.TextField(_("moyens"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    task = models.ForeignKey(
        "projects.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tâche du projet liée"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_centre_field = "campaign__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("action du plan")
        verbose_name_plural = _("plan d'actions")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["federation", "status", "deadline"])]

    def __str__(self) -> str:
        return self.objective

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return bool(
            self.deadline
            and self.deadline < timezone.localdate()
            and self.status in OPEN_ACTION_STATUSES
        )
