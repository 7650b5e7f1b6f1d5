"""One pipeline for every PDF of the platform: a row with a status, a Celery task that renders a
Django template with WeasyPrint, a file stored outside the web root."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliverableStatus(models.TextChoices):
    QUEUED = "queued", _("En file d'attente")
    RENDERING = "rendering", _("En cours de génération")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("Échec")


class Deliverable(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    federation = models.ForeignKey(
        "federations.Federation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Vide pour un livrable national (comparateur)."),
    )
    kind = models.CharField(_("type"), max_length=80)
    object_id = models.CharField(_("objet"), max_length=80, blank=True)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("titre"), max_length=300)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.QUEUED,
    )
    error = models.TextField(_("raison de l'échec"), blank=True)
    file = models.FileField(_("fichier"), upload_to="deliverables/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["kind", "object_id"]),
        ]

    def __str__(self) -> str:
        return self.title


class DownloadLog(models.Model):
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("téléchargement")
        ordering = ["-downloaded_at"]

    def __str__(self) -> str:
        return f"{self.deliverable} — {self.downloaded_at:%Y-%m-%d %H:%M}"
