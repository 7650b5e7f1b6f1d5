"""The national catalogue: vendors (éditeurs) and their software. Maintained by platform
operators; not tenant-owned."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from federations.models import TenantQuerySet


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
    version = models.CharField(_("version"), max_length=40, blank=True)
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


# --- Label records -----------------------------------------------------------------------------


class Perimeter(models.TextChoices):
    MSP_AND_CDS = "msp_cds", _("Maisons et centres de santé")
    CDS_ONLY = "cds", _("Centres de santé uniquement (non valable pour les maisons de santé)")


class LabelLevel(models.TextChoices):
    STANDARD = "standard", _("standard")
    ADVANCED = "avance", _("avancé")


class LabelStatus(models.TextChoices):
    VALID = "valid", _("en vigueur")
    LOST = "lost", _("perdu")
    WITHDRAWN = "withdrawn", _("retiré")


class LabelRecord(models.Model):
    """One label granted by the ASIP (ANS) to a version of a software under a référentiel."""

    software = models.ForeignKey(
        Software, on_delete=models.CASCADE, related_name="labels", verbose_name=_("logiciel")
    )
    referential = models.CharField(_("version du référentiel"), max_length=20, default="V2")
    software_version = models.CharField(_("version du logiciel"), max_length=40, blank=True)
    perimeter = models.CharField(_("périmètre"), max_length=10, choices=Perimeter.choices)
    professions = models.JSONField(_("professions concernées"), default=list, blank=True)
    level = models.CharField(_("niveau"), max_length=10, choices=LabelLevel.choices)
    labelled_on = models.DateField(_("date de labellisation"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=LabelStatus.choices, default=LabelStatus.VALID
    )
    status_note = models.CharField(_("précision sur le statut"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["software", "-referential"]
        constraints = [
            models.UniqueConstraint(fields=["software", "referential"], name="label_once_per_ref")
        ]

    def __str__(self) -> str:
        return f"{self.software} — {self.referential} {self.get_level_display()}"

    @property
    def valid_for_msp(self) -> bool:
        return self.status == LabelStatus.VALID and self.perimeter == Perimeter.MSP_AND_CDS


# --- Characteristics and capabilities (facts with a source and a date) -------------------------


class FactSource(models.TextChoices):
    DECLARED = "declared", _("déclaré par l'éditeur")
    REPORTED = "reported", _("rapporté par des MSP")
    VERIFIED = "verified", _("vérifié par la fédération")


class CharacteristicKey(models.TextChoices):
    COST_INITIAL = "cost_initial", _("Coût initial (€ HT)")
    COST_MONTHLY = "cost_monthly", _("Coût mensuel par professionnel (€ HT)")
    HOSTING = "hosting", _("Hébergement")
    MOBILE_APPS = "mobile_apps", _("Applications mobiles")
    TRAINING = "training", _("Offre de formation")
    HOTLINE = "hotline", _("Assistance (hotline)")


class Hosting(models.TextChoices):
    ON_SITE = "on_site", _("serveur sur site")
    VENDOR = "vendor", _("hébergé par l'éditeur")
    WEB = "web", _("100 % web")


class CapabilityStatus(models.TextChoices):
    YES = "yes", _("oui")
    PARTIAL = "partial", _("en partie")
    NO = "no", _("non")


class Fact(models.Model):
    """A characteristic (``key``) or a capability (``capability``) of a software, with its source
    and date. Append-only: the newest fact per software and key/capability is the current one,
    older ones are the history."""

    software = models.ForeignKey(
        Software, on_delete=models.CASCADE, related_name="facts", verbose_name=_("logiciel")
    )
    key = models.CharField(
        _("caractéristique"), max_length=30, choices=CharacteristicKey.choices, blank=True
    )
    capability = models.ForeignKey(
        Capability,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="facts",
        verbose_name=_("capacité"),
    )
    value = models.CharField(_("valeur"), max_length=300)
    source = models.CharField(_("source"), max_length=10, choices=FactSource.choices)
    as_of = models.DateField(_("date"))
    note = models.CharField(_("précision"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("caractéristique")
        verbose_name_plural = _("caractéristiques")
        ordering = ["software", "created_at", "pk"]
        indexes = [
            models.Index(fields=["software", "key", "capability"]),
            # The latest facts of a software (its history on the detail page).
            models.Index(fields=["software", "-created_at", "-id"], name="fact_history_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(key="") & models.Q(capability__isnull=False))
                    | (~models.Q(key="") & models.Q(capability__isnull=True))
                ),
                name="fact_key_xor_capability",
            )
        ]

    def __str__(self) -> str:
        return f"{self.software} — {self.subject_label} : {self.value}"

    @property
    def subject(self) -> str:
        return self.key or f"cap:{self.capability_id}"

    @property
    def subject_label(self) -> str:
        return self.get_key_display() if self.key else str(self.capability)


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    ACCEPTED = "accepted", _("acceptée")
    REJECTED = "rejected", _("refusée")


class CorrectionProposal(models.Model):
    """A vendor user proposes to correct one declared fact of their own product; federation
    staff accept (a new declared fact is recorded) or reject it. Rows are never deleted."""

    software = models.ForeignKey(
        Software, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("logiciel")
    )
    key = models.CharField(
        _("caractéristique"), max_length=30, choices=CharacteristicKey.choices, blank=True
    )
    capability = models.ForeignKey(
        Capability, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.CharField(_("valeur proposée"), max_length=300)
    previous_value = models.CharField(_("valeur actuelle"), max_length=300, blank=True)
    comment = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("Aucune donnée de patient."),
    )
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.CharField(_("motif de la décision"), max_length=500, blank=True)
    fact = models.ForeignKey(
        Fact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("proposition de correction")
        verbose_name_plural = _("propositions de correction")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            # The review queue: pending proposals, oldest first.
            models.Index(fields=["status", "proposed_at", "id"], name="correction_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.software} — {self.subject_label}"

    @property
    def subject_label(self) -> str:
        return self.get_key_display() if self.key else str(self.capability)

    def _shown(self, value: str) -> str:
        if not value:
            return "—"
        if self.capability_id:
            return str(dict(CapabilityStatus.choices).get(value, value))
        if self.key == CharacteristicKey.HOSTING:
            return str(dict(Hosting.choices).get(value, value))
        return value

    @property
    def value_display(self) -> str:
        return self._shown(self.value)

    @property
    def previous_display(self) -> str:
        return self._shown(self.previous_value)


# --- Label requirements ---------------------------------------------------------------------


class RequirementDimension(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("dimension du référentiel")
        verbose_name_plural = _("dimensions du référentiel")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label


class Requirement(models.Model):
    dimension = models.ForeignKey(
        RequirementDimension, on_delete=models.PROTECT, related_name="requirements"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("exigence"), max_length=400)
    level = models.CharField(
        _("niveau"), max_length=10, choices=LabelLevel.choices, default=LabelLevel.STANDARD
    )

    class Meta:
        verbose_name = _("exigence du label")
        verbose_name_plural = _("exigences du label")
        ordering = ["dimension__position", "code"]

    def __str__(self) -> str:
        return self.label


class RequirementCoverage(models.Model):
    """An explicit statement that a software meets (or not) a requirement; without one, coverage
    follows from the software's valid label (a requirement of its level or below is met)."""

    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="coverage")
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="+")
    covered = models.BooleanField(_("couverte"))
    source = models.CharField(_("source"), max_length=10, choices=FactSource.choices)

    class Meta:
        verbose_name = _("couverture d'exigence")
        verbose_name_plural = _("couvertures d'exigences")
        constraints = [
            models.UniqueConstraint(fields=["software", "requirement"], name="coverage_once")
        ]

    def __str__(self) -> str:
        return f"{self.software} — {self.requirement.code}"


# --- Peer feedback ----------------------------------------------------------------------------


class RatingStatus(models.TextChoices):
    PENDING = "pending", _("à modérer")
    PUBLISHED = "published", _("publié")
    REJECTED = "rejected", _("refusé")


RATING_CRITERIA = (
    ("ergonomics", _("Ergonomie")),
    ("billing", _("Facturation")),
    ("hotline", _("Assistance (hotline)")),
    ("training", _("Formation")),
    ("data_migration", _("Reprise des données")),
    ("transparency", _("Transparence sur les évolutions")),
)


def _score_field(label):  # noqa: ANN001, ANN202
    from django.core.validators import MaxValueValidator, MinValueValidator

    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class PeerRating(models.Model):
    """The rating of a software by a professional of an MSP that deployed it."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    health_centre = models.ForeignKey(
        "federations.HealthCentre", on_delete=models.CASCADE, related_name="+"
    )
    software = models.ForeignKey(Software, on_delete=models.CASCADE, related_name="ratings")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    profession = models.CharField(_("profession"), max_length=40)
    ergonomics = _score_field(_("Ergonomie"))
    billing = _score_field(_("Facturation"))
    hotline = _score_field(_("Assistance (hotline)"))
    training = _score_field(_("Formation"))
    data_migration = _score_field(_("Reprise des données"))
    transparency = _score_field(_("Transparence sur les évolutions"))
    comment = models.TextField(
        _("commentaire"),
        blank=True,
        help_text=_("Aucune donnée de patient : parlez du logiciel, pas des personnes."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=RatingStatus.choices, default=RatingStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    tenant_centre_field = "health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("avis de pairs")
        verbose_name_plural = _("avis de pairs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "software"], name="rating_once_per_author"),
        ]
        indexes = [
            models.Index(fields=["software", "status", "profession"]),
            # The moderation queue of a federation: pending ratings, oldest first.
            models.Index(
                fields=["federation", "status", "created_at", "id"],
                name="peer_rating_moderation_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.software} — {self.profession}"
