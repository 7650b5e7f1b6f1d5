"""Models of the planning sections of a project (owned by the planning work): état des lieux,
needs document, vendor demos, deployment plan, training and adoption, information meeting,
facilitators pool, vendor requests log; plus the school holidays reference table."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from federations.models import HolidayZone, TenantQuerySet
from federations.professions import Profession

NO_PATIENT_DATA = _("Aucune donnée de patient : décrivez l'organisation, pas des patients.")

__all__ = [
    "AdoptionLevel",
    "AdoptionStatus",
    "ContactRequest",
    "ContactRequestStatus",
    "DemoScore",
    "DemoSession",
    "DeploymentPlan",
    "DeploymentWave",
    "Facilitator",
    "InformationMeeting",
    "NeedsDocument",
    "SchoolHoliday",
    "ShortlistEntry",
    "SurveyVersion",
    "TrainingLevel",
    "TrainingSession",
    "UseCase",
    "UseCaseKind",
    "VendorRequest",
    "WaveKind",
]


class _ProjectRow(models.Model):
    """A row of one project: carries its federation and scopes through the project's MSP."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("projet")
    )

    tenant_centre_field = "project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


# --- État des lieux -------------------------------------------------------------------------


class SurveyVersion(_ProjectRow):
    """One saved version of the état des lieux answers; each save adds a version."""

    number = models.PositiveIntegerField(_("version"))
    questionnaire_version = models.CharField(_("version du questionnaire"), max_length=40)
    answers = models.JSONField(_("réponses"), default=dict)
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("version de l'état des lieux")
        verbose_name_plural = _("versions de l'état des lieux")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_survey_version")
        ]

    def __str__(self) -> str:
        return f"État des lieux v{self.number}"


# --- Needs document (cahier des charges) ----------------------------------------------------


class NeedsDocument(_ProjectRow):
    """The narrative parts of the cahier des charges; the functional needs are ``Need`` rows."""

    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="needs_document",
        verbose_name=_("projet"),
    )
    professionals = models.TextField(
        _("professionnels de la structure"),
        blank=True,
        help_text=_("Professions, nombre de personnes, rôles dans la structure. ")
        + NO_PATIENT_DATA,
    )
    target_users = models.TextField(
        _("utilisateurs cibles du SI partagé"),
        blank=True,
        help_text=_("Nombre d'utilisateurs, niveau d'utilisation attendu (secrétariat compris)."),
    )
    sites = models.TextField(_("sites"), blank=True, help_text=NO_PATIENT_DATA)
    mobility = models.TextField(
        _("situations de mobilité"), blank=True, help_text=_("Visites à domicile, tournées…")
    )
    data_migration = models.TextField(
        _("données à reprendre"),
        blank=True,
        help_text=_("Logiciels actuels dont les données doivent être reprises."),
    )
    access_rights = models.TextField(
        _("habilitations"), blank=True, help_text=_("Qui accède à quoi (par profession, par rôle).")
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("cahier des charges")
        verbose_name_plural = _("cahiers des charges")

    def __str__(self) -> str:
        return f"Cahier des charges ({self.project_id})"


class UseCaseKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuel")
    COLLECTIVE = "collective", _("Collectif (coordination)")


class UseCase(_ProjectRow):
    """A use case of the team: described in the needs document, scored in the vendor demos. The
    four standard cases of the ASIP (diagnosis, prescription, billing, first coordination case)
    carry a ``standard_code``."""

    title = models.CharField(_("cas d'usage"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=UseCaseKind.choices, default=UseCaseKind.INDIVIDUAL
    )
    description = models.TextField(_("description"), blank=True, help_text=NO_PATIENT_DATA)
    standard_code = models.CharField(max_length=30, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("cas d'usage")
        verbose_name_plural = _("cas d'usage")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "standard_code"],
                condition=~models.Q(standard_code=""),
                name="unique_standard_use_case",
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- Vendor demos ---------------------------------------------------------------------------


class ShortlistEntry(_ProjectRow):
    software = models.ForeignKey(
        "vendors.Software", on_delete=models.PROTECT, related_name="+", verbose_name=_("logiciel")
    )
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("logiciel présélectionné")
        verbose_name_plural = _("présélection")
        ordering = ["software__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "software"], name="unique_shortlist_entry")
        ]

    def __str__(self) -> str:
        return str(self.software)


class DemoSession(_ProjectRow):
    software = models.ForeignKey(
        "vendors.Software", on_delete=models.PROTECT, related_name="+", verbose_name=_("logiciel")
    )
    date = models.DateField(_("date"))
    attendees = models.TextField(
        _("participants"),
        blank=True,
        help_text=_("Professions représentées et personnes de l'éditeur. ") + NO_PATIENT_DATA,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("démonstration")
        verbose_name_plural = _("démonstrations")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.software} — {self.date}"


class DemoScore(models.Model):
    """The score one profession's representative gives one use case during one demo."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(DemoSession, on_delete=models.CASCADE, related_name="scores")
    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="scores")
    profession = models.CharField(_("profession"), max_length=40, choices=Profession.choices)
    score = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("commentaire"), blank=True, help_text=NO_PATIENT_DATA)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    tenant_centre_field = "session__project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("note de démonstration")
        verbose_name_plural = _("notes de démonstration")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "use_case", "profession"], name="unique_demo_score"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="demo_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profession} : {self.score}/5"


# --- Deployment -----------------------------------------------------------------------------


class DeploymentPlan(_ProjectRow):
    """Facilitator period and data-migration checks of a project (one per project)."""

    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="deployment_plan",
        verbose_name=_("projet"),
    )
    facilitator_name = models.CharField(_("facilitateur sur site"), max_length=200, blank=True)
    facilitator_start = models.DateField(
        _("début de l'accompagnement sur site"), null=True, blank=True
    )
    facilitator_end = models.DateField(_("fin de l'accompagnement sur site"), null=True, blank=True)
    duplicates_found = models.PositiveIntegerField(_("doublons trouvés"), null=True, blank=True)
    duplicates_resolved = models.PositiveIntegerField(_("doublons résolus"), null=True, blank=True)
    migration_checked_on = models.DateField(
        _("reprise des données vérifiée le"), null=True, blank=True
    )
    old_software_read_only = models.BooleanField(
        _("accès en lecture seule à l'ancien logiciel conservé"), default=False
    )
    read_only_until = models.DateField(_("lecture seule jusqu'au"), null=True, blank=True)
    notes = models.TextField(_("remarques"), blank=True, help_text=NO_PATIENT_DATA)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan de déploiement")
        verbose_name_plural = _("plans de déploiement")

    def __str__(self) -> str:
        return f"Plan de déploiement ({self.project_id})"


class WaveKind(models.TextChoices):
    PROFESSION = "profession", _("Par profession")
    MODULE = "module", _("Par module fonctionnel")


class DeploymentWave(_ProjectRow):
    label = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(
        _("découpage"), max_length=20, choices=WaveKind.choices, default=WaveKind.PROFESSION
    )
    professions = models.JSONField(_("professions"), default=list, blank=True)
    module = models.CharField(_("module"), max_length=200, blank=True)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))

    class Meta:
        verbose_name = _("vague de déploiement")
        verbose_name_plural = _("vagues de déploiement")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="wave_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def get_professions_display(self) -> list[str]:
        labels = dict(Profession.choices)
        return [str(labels.get(p, p)) for p in self.professions]


class TrainingLevel(models.TextChoices):
    INDIVIDUAL = "individual", _("Pratique individuelle")
    MULTI = "multi", _("Exercice pluriprofessionnel")
    PILOTING = "piloting", _("Pilotage et NMR")


class TrainingSession(_ProjectRow):
    wave = models.ForeignKey(
        DeploymentWave,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
        verbose_name=_("vague"),
    )
    profession = models.CharField(_("profession"), max_length=40, choices=Profession.choices)
    level = models.CharField(_("niveau"), max_length=20, choices=TrainingLevel.choices)
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("heures"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(200)],
    )
    attendees_count = models.PositiveIntegerField(_("participants"), default=1)
    notes = models.CharField(_("remarques"), max_length=300, blank=True, help_text=NO_PATIENT_DATA)

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.profession} — {self.date}"


class AdoptionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Pas encore")
    PARTIAL = "partial", _("En partie")
    DAILY = "daily", _("Au quotidien")


class AdoptionLevel(_ProjectRow):
    """Whether a profession actually uses the shared software."""

    profession = models.CharField(_("profession"), max_length=40, choices=Profession.choices)
    status = models.CharField(
        _("usage"),
        max_length=20,
        choices=AdoptionStatus.choices,
        default=AdoptionStatus.NOT_STARTED,
    )
    note = models.CharField(_("remarque"), max_length=300, blank=True, help_text=NO_PATIENT_DATA)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("usage par profession")
        verbose_name_plural = _("usages par profession")
        constraints = [
            models.UniqueConstraint(fields=["project", "profession"], name="unique_adoption")
        ]

    def __str__(self) -> str:
        return f"{self.profession} : {self.status}"


# --- Information meeting, facilitators -----------------------------------------------------


class InformationMeeting(_ProjectRow):
    date = models.DateField(_("date"))
    attendees = models.JSONField(_("participants par profession"), default=dict, blank=True)
    topics = models.JSONField(_("thèmes abordés"), default=list, blank=True)
    materials = models.TextField(
        _("supports"), blank=True, help_text=_("Documents présentés, liens. ") + NO_PATIENT_DATA
    )
    notes = models.TextField(_("remarques"), blank=True, help_text=NO_PATIENT_DATA)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("réunion d'information")
        verbose_name_plural = _("réunions d'information")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Réunion d'information du {self.date}"


class Facilitator(models.Model):
    """A professional of another MSP, at ease with a software, willing to share experience."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=200)
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices, blank=True
    )
    health_centre = models.ForeignKey(
        "federations.HealthCentre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("MSP d'exercice"),
    )
    software = models.ForeignKey(
        "vendors.Software", on_delete=models.PROTECT, related_name="+", verbose_name=_("logiciel")
    )
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_available = models.BooleanField(_("disponible"), default=True)
    notes = models.CharField(_("remarques"), max_length=300, blank=True, help_text=NO_PATIENT_DATA)

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("facilitateur")
        verbose_name_plural = _("facilitateurs")
        ordering = ["name", "pk"]
        # The federation's pool of facilitators, by name.
        indexes = [models.Index(fields=["federation", "name", "id"], name="facilitator_pool_idx")]

    def __str__(self) -> str:
        return self.name


class ContactRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandée")
    IN_PROGRESS = "in_progress", _("En cours")
    CONNECTED = "connected", _("Mise en relation faite")
    DECLINED = "declined", _("Impossible")


class ContactRequest(_ProjectRow):
    facilitator = models.ForeignKey(
        Facilitator,
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name=_("facilitateur"),
    )
    message = models.CharField(_("message"), max_length=500, blank=True, help_text=NO_PATIENT_DATA)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=ContactRequestStatus.choices,
        default=ContactRequestStatus.REQUESTED,
    )
    staff_note = models.CharField(_("suivi"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("demande de mise en relation")
        verbose_name_plural = _("demandes de mise en relation")
        ordering = ["-created_at", "-pk"]
        # The staff's list of requests: by status, newest first.
        indexes = [
            models.Index(
                fields=["federation", "status", "-created_at", "-id"],
                name="contact_request_list_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facilitator} ({self.status})"


# --- Vendor requests log --------------------------------------------------------------------


class VendorRequest(_ProjectRow):
    software = models.ForeignKey(
        "vendors.Software", on_delete=models.PROTECT, related_name="+", verbose_name=_("logiciel")
    )
    subject = models.CharField(_("demande"), max_length=300, help_text=NO_PATIENT_DATA)
    asked_on = models.DateField(_("demandé le"))
    first_answer_on = models.DateField(_("première réponse le"), null=True, blank=True)
    promised_on = models.DateField(_("date promise"), null=True, blank=True)
    delivered_on = models.DateField(_("livré le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("demande à l'éditeur")
        verbose_name_plural = _("demandes à l'éditeur")
        ordering = ["-asked_on", "-pk"]
        indexes = [models.Index(fields=["software", "asked_on"])]

    def __str__(self) -> str:
        return self.subject


# --- Reference: school holidays -------------------------------------------------------------


class SchoolHoliday(models.Model):
    """National reference (projects/data/vacances_scolaires.yaml), one row per zone."""

    zone = models.CharField(_("zone"), max_length=1, choices=HolidayZone.choices)
    label = models.CharField(_("vacances"), max_length=100)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))
    provisional = models.BooleanField(_("provisoire"), default=False)

    class Meta:
        verbose_name = _("vacances scolaires")
        verbose_name_plural = _("vacances scolaires")
        ordering = ["zone", "start"]
        indexes = [models.Index(fields=["zone", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.zone})"
