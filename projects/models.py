"""Anchor models of the informatisation project. Other apps rely on these fields:
``Project.health_centre``, ``Project.chosen_software``, ``Project.current_step``,
``Project.deployed_on``, ``Need`` (the cahier des charges' functional needs) and ``Task``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from federations.models import TenantQuerySet
from federations.professions import Profession


class Step(models.IntegerChoices):
    BEFORE = 1, _("Étape 1 — avant : préparation et choix")
    DURING = 2, _("Étape 2 — pendant : déploiement")
    AFTER = 3, _("Étape 3 — après : usage courant")


class Project(models.Model):
    federation = models.ForeignKey(
        "federations.Federation",
        on_delete=models.CASCADE,
        related_name="projects",
        verbose_name=_("fédération"),
    )
    health_centre = models.OneToOneField(
        "federations.HealthCentre",
        on_delete=models.CASCADE,
        related_name="project",
        verbose_name=_("MSP"),
    )
    title = models.CharField(
        _("intitulé"), max_length=200, default="Projet de système d'information partagé"
    )
    current_step = models.PositiveSmallIntegerField(
        _("étape"), choices=Step.choices, default=Step.BEFORE
    )
    chosen_software = models.ForeignKey(
        "vendors.Software",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("logiciel retenu"),
    )
    deployed_on = models.DateField(
        _("déployé le"),
        null=True,
        blank=True,
        help_text=_("Date à laquelle le logiciel est en usage courant (entrée en étape 3)."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    methodology = models.ForeignKey(
        "projects.Methodology",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("méthodologie"),
        help_text=_("Version de la méthodologie copiée à la création du projet."),
    )
    step_entered_on = models.DateField(_("étape commencée le"), null=True, blank=True)

    tenant_centre_field = "health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet d'informatisation")
        verbose_name_plural = _("projets d'informatisation")
        indexes = [models.Index(fields=["federation", "current_step"])]

    def __str__(self) -> str:
        return f"{self.health_centre} — {self.title}"


class TaskStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Fait")
    NOT_APPLICABLE = "not_applicable", _("Sans objet")


#: Statuses that close a task (it counts as progress).
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.NOT_APPLICABLE)
OPEN_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


class ItemKind(models.TextChoices):
    TASK = "task", _("Tâche")
    MILESTONE = "milestone", _("Jalon")


class Task(models.Model):
    """One recommendation of the methodology, copied into a project when it was created (or
    added later by the team). Updates touch only this row: two people ticking tasks of the same
    project at once lose nothing."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("projet")
    )
    step = models.PositiveSmallIntegerField(_("étape"), choices=Step.choices)
    title = models.CharField(_("intitulé"), max_length=300)
    status = models.CharField(
        _("statut"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    # Snapshot of the methodology item (kept as it was when the project was created).
    code = models.SlugField(_("code"), max_length=80, blank=True)
    activity_code = models.SlugField(_("code de l'activité"), max_length=80, blank=True)
    activity_title = models.CharField(_("activité"), max_length=200, blank=True)
    activity_position = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        _("nature"), max_length=10, choices=ItemKind.choices, default=ItemKind.TASK
    )
    mandatory = models.BooleanField(
        _("obligatoire"),
        default=False,
        help_text=_("Une tâche obligatoire doit être faite pour passer à l'étape suivante."),
    )
    recommendation = models.TextField(_("recommandation"), blank=True)
    resources = models.TextField(_("documents ressources"), blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    # What the team does with it.
    owner = models.ForeignKey(
        "federations.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tasks",
        verbose_name=_("responsable"),
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Aucune donnée de patient : notez l'organisation, pas des personnes soignées."),
    )
    not_applicable_reason = models.CharField(_("raison (sans objet)"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_centre_field = "project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ["step", "activity_position", "position", "pk"]
        indexes = [
            models.Index(fields=["federation", "project", "status"]),
            models.Index(fields=["project", "status", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(start_date__isnull=True)
                    | models.Q(due_date__isnull=True)
                    | models.Q(due_date__gte=models.F("start_date"))
                ),
                name="task_due_not_before_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="not_applicable") | ~models.Q(not_applicable_reason=""),
                name="task_not_applicable_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class NeedPriority(models.TextChoices):
    MUST = "must", _("Indispensable")
    SHOULD = "should", _("Important")
    COULD = "could", _("Souhaitable")


class Need(models.Model):
    """A functional need of the cahier des charges, for one profession (or the whole team)."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="needs", verbose_name=_("projet")
    )
    profession = models.CharField(
        _("profession"),
        max_length=40,
        choices=Profession.choices,
        blank=True,
        help_text=_("Vide : besoin de toute l'équipe."),
    )
    title = models.CharField(_("besoin"), max_length=300)
    description = models.TextField(
        _("précisions"),
        blank=True,
        help_text=_("Aucune donnée de patient : décrivez l'organisation, pas des personnes."),
    )
    priority = models.CharField(
        _("priorité"), max_length=10, choices=NeedPriority.choices, default=NeedPriority.SHOULD
    )
    capability = models.ForeignKey(
        "vendors.Capability",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
        verbose_name=_("capacité correspondante"),
    )
    position = models.PositiveIntegerField(default=0)

    tenant_centre_field = "project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin fonctionnel")
        verbose_name_plural = _("besoins fonctionnels")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


# Methodology (national reference data, versioned) -------------------------------------------


class Methodology(models.Model):
    """One version of a project methodology (ASIP's three steps completed by FEMASNORD's method),
    loaded from ``projects/data/methodology/<code>-<version>.yaml``. Versions are kept: a project
    keeps the copy it was created with."""

    code = models.SlugField(_("code"), max_length=80)
    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=300)
    source = models.TextField(_("source"), blank=True)
    is_current = models.BooleanField(_("version en vigueur"), default=False)
    loaded_at = models.DateTimeField(_("chargée le"), auto_now=True)

    class Meta:
        verbose_name = _("méthodologie")
        verbose_name_plural = _("méthodologies")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_methodology_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class MethodologyActivity(models.Model):
    methodology = models.ForeignKey(
        Methodology, on_delete=models.CASCADE, related_name="activities"
    )
    step = models.PositiveSmallIntegerField(_("étape"), choices=Step.choices)
    code = models.SlugField(_("code"), max_length=80)
    title = models.CharField(_("activité"), max_length=200)
    resources = models.TextField(_("documents ressources"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("activité de la méthodologie")
        verbose_name_plural = _("activités de la méthodologie")
        ordering = ["step", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "code"], name="unique_methodology_activity"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MethodologyItem(models.Model):
    """A recommendation to follow (a task) or a milestone of one activity."""

    activity = models.ForeignKey(
        MethodologyActivity, on_delete=models.CASCADE, related_name="items"
    )
    code = models.SlugField(_("code"), max_length=80)
    title = models.CharField(_("intitulé"), max_length=300)
    recommendation = models.TextField(_("recommandation"), blank=True)
    kind = models.CharField(
        _("nature"), max_length=10, choices=ItemKind.choices, default=ItemKind.TASK
    )
    mandatory = models.BooleanField(_("obligatoire"), default=False)
    resources = models.TextField(_("documents ressources"), blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("recommandation de la méthodologie")
        verbose_name_plural = _("recommandations de la méthodologie")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "code"], name="unique_methodology_item")
        ]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    """An item of a checklist of the methodology (the contract checklist)."""

    methodology = models.ForeignKey(
        Methodology, on_delete=models.CASCADE, related_name="checklist_items"
    )
    checklist = models.SlugField(_("liste"), max_length=40)
    code = models.SlugField(_("code"), max_length=80)
    label = models.CharField(_("point à vérifier"), max_length=300)
    help = models.TextField(_("précisions"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("point de liste de vérification")
        verbose_name_plural = _("points de liste de vérification")
        ordering = ["checklist", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["methodology", "checklist", "code"], name="unique_checklist_item"
            )
        ]

    def __str__(self) -> str:
        return self.label


class FederationItem(models.Model):
    """An item a federation adds to its copy of the methodology. It is attached to an activity
    by code, so it carries over to the next version; other federations never see it."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    methodology_code = models.SlugField(_("méthodologie"), max_length=80, default="asip")
    activity_code = models.SlugField(_("activité"), max_length=80)
    title = models.CharField(_("intitulé"), max_length=300)
    recommendation = models.TextField(
        _("recommandation"),
        blank=True,
        help_text=_("Aucune donnée de patient."),
    )
    kind = models.CharField(
        _("nature"), max_length=10, choices=ItemKind.choices, default=ItemKind.TASK
    )
    mandatory = models.BooleanField(_("obligatoire"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("ajout de la fédération à la méthodologie")
        verbose_name_plural = _("ajouts de la fédération à la méthodologie")
        ordering = ["activity_code", "pk"]

    def __str__(self) -> str:
        return self.title


# A project's own rows ----------------------------------------------------------------------


class ProjectChecklistItem(models.Model):
    """The project's copy of a checklist item (the contract checklist)."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklist")
    checklist = models.SlugField(_("liste"), max_length=40)
    code = models.SlugField(_("code"), max_length=80)
    label = models.CharField(_("point à vérifier"), max_length=300)
    help = models.TextField(_("précisions"), blank=True)
    position = models.PositiveIntegerField(default=0)
    is_checked = models.BooleanField(_("couvert par le contrat"), default=False)
    note = models.CharField(
        _("remarque"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple l'article du contrat. Aucune donnée de patient."),
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_centre_field = "project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("point du contrat")
        verbose_name_plural = _("points du contrat")
        ordering = ["checklist", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "checklist", "code"], name="unique_project_checklist_item"
            )
        ]

    def __str__(self) -> str:
        return self.label


def evidence_path(instance: TaskEvidence, filename: str) -> str:
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"projects/evidence/{instance.federation_id}/{instance.task.project_id}/"
        f"{uuid.uuid4().hex}.{ext}"
    )


class TaskEvidence(models.Model):
    """A file proving a task was done. Stored in the private storage; downloaded only through a
    permission-checked view that logs the download."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("fichier"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveIntegerField(_("taille"))
    content_type = models.CharField(max_length=120)
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_centre_field = "task__project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class EventVerb(models.TextChoices):
    CREATED = "created", _("Projet créé")
    TASK_STATUS = "task_status", _("Statut d'une tâche modifié")
    TASK_UPDATED = "task_updated", _("Tâche mise à jour")
    EVIDENCE = "evidence_added", _("Justificatif déposé")
    STEP_CHANGED = "step_changed", _("Changement d'étape")
    GATE_FORCED = "gate_forced", _("Étape franchie sans que tous les critères soient remplis")
    SOFTWARE_CHOSEN = "software_chosen", _("Logiciel retenu")
    CONTRACT = "contract_checked", _("Liste du contrat mise à jour")
    TEAM = "team_changed", _("Équipe projet modifiée")


class ProjectEvent(models.Model):
    """The project's timeline: written on purpose by services."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(_("action"), max_length=30, choices=EventVerb.choices)
    summary = models.CharField(_("résumé"), max_length=400)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    tenant_centre_field = "project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du projet")
        verbose_name_plural = _("événements du projet")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return self.summary


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Chef de projet")
    REFERENT = "referent", _("Référent métier")
    SUPER_USER = "super_user", _("Super-utilisateur")
    MSP_CONTACT = "msp_contact", _("Interlocuteur unique de la MSP")
    VENDOR_CONTACT = "vendor_contact", _("Interlocuteur unique de l'éditeur")


class TeamMember(models.Model):
    """A place in the project team: the lead (or a pair of leads above 15 professionals), one
    referent per profession designated collegially, super-users per profession (Étape 2), and
    the single contact on each side of the vendor relation (Étape 3)."""

    federation = models.ForeignKey(
        "federations.Federation", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("rôle"), max_length=20, choices=TeamRole.choices)
    membership = models.ForeignKey(
        "federations.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="project_roles",
        verbose_name=_("personne de la MSP"),
    )
    contact_name = models.CharField(
        _("nom de l'interlocuteur"),
        max_length=200,
        blank=True,
        help_text=_("Pour l'interlocuteur de l'éditeur : nom et coordonnées professionnelles."),
    )
    contact_details = models.CharField(_("coordonnées"), max_length=200, blank=True)
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices, blank=True
    )
    designated_on = models.DateField(
        _("désigné(e) le"),
        null=True,
        blank=True,
        help_text=_("Date à laquelle l'équipe l'a désigné(e) collégialement."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = "project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre de l'équipe projet")
        verbose_name_plural = _("équipe projet")
        ordering = ["role", "profession", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "profession"],
                condition=models.Q(role="referent"),
                name="one_referent_per_profession",
            ),
            models.UniqueConstraint(
                fields=["project", "role"],
                condition=models.Q(role__in=["msp_contact", "vendor_contact"]),
                name="single_contact_per_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.person_label}"

    @property
    def person_label(self) -> str:
        if self.membership_id:
            user = self.membership.user
            return user.get_full_name() or user.email
        return self.contact_name


# Models of the planning sections (état des lieux, needs document, demos, deployment…).
from .models_planning import *  # noqa: E402, F403
