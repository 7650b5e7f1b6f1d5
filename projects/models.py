"""Anchor models of the informatisation project. Other apps rely on these fields:
``Project.health_centre``, ``Project.chosen_software``, ``Project.current_step``,
``Project.deployed_on``, ``Need`` (the cahier des charges' functional needs) and ``Task``."""

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


class Task(models.Model):
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

    tenant_centre_field = "project__health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ["step", "position", "pk"]
        indexes = [models.Index(fields=["federation", "project", "status"])]

    def __str__(self) -> str:
        return self.title


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


# Models of the planning sections (état des lieux, needs document, demos, deployment…).
from .models_planning import *  # noqa: E402, F403
