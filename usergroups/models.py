"""User groups, sessions, feedback, syntheses and vendor answers.

A user group (*groupe d'utilisateurs*) gathers the MSPs of one federation that use the same
software, at one level. It meets by video about every two months; participants propose and vote
agenda topics beforehand; the minutes hold structured feedback items (need, difficulty, tip).
Staff merge duplicate need items into one ``Need`` that keeps its provenance; MSPs support needs
with an importance; a ``Synthesis`` for a software and a period is published as immutable
``SynthesisVersion`` rows (each one rendered as a PDF deliverable) that vendor users answer.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from federations.models import Federation, HealthCentre, Membership, TenantQuerySet
from federations.professions import Profession
from federations.roles import Role

PATIENT_DATA_HELP = _("N'écrivez aucune donnée de patient (nom, date de naissance, pathologie…).")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Débutant")
    EXPERIENCED = "experienced", _("Expérimenté")
    MIXED = "mixed", _("Mixte")


class FeedbackKind(models.TextChoices):
    NEED = "need", _("Besoin")
    DIFFICULTY = "difficulty", _("Difficulté")
    TIP = "tip", _("Astuce")


class Theme(models.TextChoices):
    BILLING = "billing", _("Facturation")
    ERGONOMICS = "ergonomics", _("Ergonomie")
    TRAINING = "training", _("Formation")
    DATA_MIGRATION = "data_migration", _("Reprise des données")
    MOBILITY = "mobility", _("Mobilité")
    INTEROPERABILITY = "interoperability", _("Interopérabilité (DMP, MSSanté…)")
    HOTLINE = "hotline", _("Assistance (hotline)")
    ACCESS_RIGHTS = "access_rights", _("Droits d'accès")
    SHARED_RECORD = "shared_record", _("Dossier partagé et coordination")
    REPORTING = "reporting", _("Pilotage et statistiques")
    OTHER = "other", _("Autre")


class Importance(models.TextChoices):
    NICE = "nice", _("Souhaitable")
    IMPORTANT = "important", _("Important")
    CRITICAL = "critical", _("Critique")


IMPORTANCE_WEIGHT = {Importance.NICE: 1, Importance.IMPORTANT: 2, Importance.CRITICAL: 3}


class AnswerStatus(models.TextChoices):
    RECEIVED = "received", _("Reçu")
    STUDYING = "studying", _("À l'étude")
    PLANNED = "planned", _("Planifié")
    DELIVERED = "delivered", _("Livré")
    DECLINED = "declined", _("Refusé")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


class AmendmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposé")
    ACCEPTED = "accepted", _("Retenu")
    REJECTED = "rejected", _("Écarté")


# --- Scoping -------------------------------------------------------------------------------


class GroupQuerySet(TenantQuerySet):
    """Staff see every group of the federation; a DIM the groups they facilitate or that hold
    an MSP they follow; MSP people the groups their MSP belongs to."""

    group_path = ""  # lookup from the model to its UserGroup ("" for UserGroup itself)

    def _group_filter(self, membership: Membership) -> Q:
        prefix = f"{self.group_path}__" if self.group_path else ""
        pk = f"{self.group_path}_id" if self.group_path else "pk"
        through = UserGroup.centres.through
        if membership.role == Role.DIM:
            followed = through.objects.filter(
                usergroup_id=OuterRef(pk),
                healthcentre__in=membership.assigned_centres.values("pk"),
            )
            return Q(**{f"{prefix}facilitator": membership}) | Q(Exists(followed))
        own = through.objects.filter(
            usergroup_id=OuterRef(pk), healthcentre_id=membership.health_centre_id
        )
        return Q(Exists(own))

    def visible_to(self, membership: Membership) -> TenantQuerySet:
        qs = self.for_federation(membership.federation_id)
        if membership.role == Role.STAFF:
            return qs
        return qs.filter(self._group_filter(membership))


class UserGroup(models.Model):
    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="+", verbose_name=_("fédération")
    )
    software = models.ForeignKey(
        "vendors.Software",
        on_delete=models.PROTECT,
        related_name="user_groups",
        verbose_name=_("logiciel"),
    )
    name = models.CharField(_("nom"), max_length=200)
    level = models.CharField(_("niveau"), max_length=20, choices=Level.choices, default=Level.MIXED)
    facilitator = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("animateur"),
        help_text=_("Une personne de l'équipe de la fédération ou un DIM."),
    )
    centres = models.ManyToManyField(
        HealthCentre, blank=True, related_name="user_groups", verbose_name=_("MSP membres")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = None
    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("groupe d'utilisateurs")
        verbose_name_plural = _("groupes d'utilisateurs")
        ordering = ["software__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="unique_user_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class SessionQuerySet(GroupQuerySet):
    group_path = "group"


class GroupSession(models.Model):
    """One meeting of a user group (*séance*), usually one hour by video."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        UserGroup, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("groupe")
    )
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), default=60)
    video_url = models.URLField(_("lien de la visioconférence"), blank=True)
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    invited_vendor_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("représentants de l'éditeur invités"),
    )
    minutes = models.TextField(_("compte rendu"), blank=True, help_text=PATIENT_DATA_HELP)
    minutes_status = models.CharField(
        _("état du compte rendu"),
        max_length=20,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
    )
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = None
    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["group", "-starts_at"])]

    def __str__(self) -> str:
        return self.title or str(self.group)


class AgendaTopic(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("sujet proposé"), max_length=200, help_text=PATIENT_DATA_HELP)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("sujet de l'ordre du jour")
        verbose_name_plural = _("sujets de l'ordre du jour")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class AgendaVote(models.Model):
    topic = models.ForeignKey(AgendaTopic, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"], name="one_vote_per_topic")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.topic_id}"


class Registration(models.Model):
    """A person registered to a session, with their profession and MSP at that time."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        GroupSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    health_centre = models.ForeignKey(
        HealthCentre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    profession = models.CharField(
        _("profession"), max_length=40, choices=Profession.choices, blank=True
    )
    is_vendor_representative = models.BooleanField(default=False)
    attended = models.BooleanField(_("présent"), null=True, blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_registration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"


class NeedQuerySet(TenantQuerySet):
    """Staff and DIMs see every need of the federation; MSP people the needs their MSP raised
    or supports."""

    def visible_to(self, membership: Membership) -> TenantQuerySet:
        qs = self.for_federation(membership.federation_id)
        if membership.role in (Role.STAFF, Role.DIM):
            return qs
        centre = membership.health_centre_id
        raised = FeedbackItem.centres.through.objects.filter(
            feedbackitem__need_id=OuterRef("pk"), healthcentre_id=centre
        )
        supported = NeedSupport.objects.filter(need_id=OuterRef("pk"), health_centre_id=centre)
        return qs.filter(Exists(raised) | Exists(supported))


class Need(models.Model):
    """One need carried to the vendor: duplicates merged across sessions and MSPs."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    software = models.ForeignKey(
        "vendors.Software", on_delete=models.PROTECT, related_name="+", verbose_name=_("logiciel")
    )
    title = models.CharField(_("intitulé"), max_length=300, help_text=PATIENT_DATA_HELP)
    description = models.TextField(_("description"), blank=True, help_text=PATIENT_DATA_HELP)
    theme = models.CharField(_("thème"), max_length=30, choices=Theme.choices)
    priority = models.PositiveIntegerField(_("rang de priorité"), default=0)
    first_published_on = models.DateField(_("transmis à l'éditeur le"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = None
    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")
        ordering = ["priority", "pk"]
        indexes = [models.Index(fields=["federation", "software", "priority"])]

    def __str__(self) -> str:
        return self.title


class FeedbackQuerySet(GroupQuerySet):
    group_path = "group"


class FeedbackItem(models.Model):
    """A need, difficulty or tip voiced in a session (or between sessions)."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(UserGroup, on_delete=models.CASCADE, related_name="feedback")
    session = models.ForeignKey(
        GroupSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        verbose_name=_("séance"),
    )
    kind = models.CharField(_("nature"), max_length=20, choices=FeedbackKind.choices)
    profession = models.CharField(
        _("profession concernée"), max_length=40, choices=Profession.choices, blank=True
    )
    theme = models.CharField(_("thème"), max_length=30, choices=Theme.choices)
    text = models.TextField(_("retour"), max_length=2000, help_text=PATIENT_DATA_HELP)
    centres = models.ManyToManyField(
        HealthCentre, blank=True, related_name="+", verbose_name=_("MSP concernées")
    )
    reported_on = models.DateField(_("exprimé le"))
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = None
    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("retour d'expérience")
        verbose_name_plural = _("retours d'expérience")
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["group", "kind", "reported_on"])]

    def __str__(self) -> str:
        return self.text[:60]


class MinutesAmendment(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("modification proposée"), help_text=PATIENT_DATA_HELP)
    status = models.CharField(
        max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.PROPOSED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition de modification")
        verbose_name_plural = _("propositions de modification")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class NeedSupport(models.Model):
    """An MSP supports a need (counted once per MSP) with an importance."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="supports")
    health_centre = models.ForeignKey(
        HealthCentre, on_delete=models.CASCADE, related_name="+", verbose_name=_("MSP")
    )
    importance = models.CharField(_("importance"), max_length=20, choices=Importance.choices)
    on_behalf = models.BooleanField(
        _("saisi pour le compte de la MSP"),
        default=False,
        help_text=_("La MSP l'a dit par téléphone ou en séance ; la fédération l'a noté."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    tenant_centre_field = "health_centre"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        constraints = [
            models.UniqueConstraint(fields=["need", "health_centre"], name="one_support_per_msp")
        ]

    def __str__(self) -> str:
        return f"{self.health_centre} — {self.get_importance_display()}"


class Synthesis(models.Model):
    """The synthesis of a software's needs over a period; published as immutable versions."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    software = models.ForeignKey(
        "vendors.Software", on_delete=models.PROTECT, related_name="+", verbose_name=_("logiciel")
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("synthèse")
        verbose_name_plural = _("synthèses")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="synthesis_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.software} — {self.period_start:%d/%m/%Y} → {self.period_end:%d/%m/%Y}"


class SynthesisVersion(models.Model):
    """A published, immutable version of a synthesis. ``content`` is the snapshot the vendor
    reads and the PDF renders; the live ``needs`` link lets vendors answer each need."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(default=dict)
    needs = models.ManyToManyField(Need, related_name="versions", blank=True)
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="+", verbose_name=_("éditeur")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"), auto_now_add=True)

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("version publiée")
        verbose_name_plural = _("versions publiées")
        ordering = ["-published_at", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["synthesis", "number"], name="unique_version_number")
        ]
        indexes = [models.Index(fields=["vendor", "-published_at"])]

    def __str__(self) -> str:
        return f"{self.synthesis} (v{self.number})"

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if not self._state.adding:
            raise ValidationError(_("Une version publiée ne se modifie pas."))
        super().save(*args, **kwargs)


class VendorAnswer(models.Model):
    """A vendor's answer to a need; answers are never edited, each one is kept as history."""

    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("statut"), max_length=20, choices=AnswerStatus.choices)
    planned_version = models.CharField(_("version prévue"), max_length=60, blank=True)
    planned_for = models.DateField(_("date prévue"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("répondu le"), auto_now_add=True)

    tenant_centre_field = None
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse de l'éditeur")
        verbose_name_plural = _("réponses de l'éditeur")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["need", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.need} — {self.get_status_display()}"
