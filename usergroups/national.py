"""National dataset, user-groups stage (``federations.national`` runs it last): groups of the
MSPs of a federation that use the same software, their sessions (registrations, attendance,
agenda topics and votes, vendor representatives invited), feedback items merged into needs with
the support of each MSP, syntheses published to the vendor as versions, and the vendor's answers.

Rows are inserted in bulk and nothing is queried per row. A published version's ``content`` is
what ``selectors.synthesis_snapshot`` returns for the synthesis as the data stood on the day of
publication (items reported up to that day, sessions held up to that day), computed here in
memory from the rows generated. A federation × software that already held user-group rows
(grow mode) is published once, as of now, by the selector itself. One synthesis is made large
(about ``LARGE_NEEDS`` needs when the sizes allow it); its id is handed on as
``ctx.shared["largest_synthesis"]``.

Texts are invented (obstacles of the kind MSP teams voice about their software) and hold no
patient data. Never in production.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone, translation

from federations.models import Membership
from federations.professions import Profession
from federations.roles import Role
from vendors.models import Software

from . import selectors
from .models import (
    IMPORTANCE_WEIGHT,
    AgendaTopic,
    AgendaVote,
    AmendmentStatus,
    AnswerStatus,
    FeedbackItem,
    FeedbackKind,
    GroupSession,
    Importance,
    Level,
    MinutesAmendment,
    MinutesStatus,
    Need,
    NeedSupport,
    Registration,
    Synthesis,
    SynthesisVersion,
    Theme,
    UserGroup,
    VendorAnswer,
)

#: The needs the largest synthesis aims at (the PDF benchmark's target is 200).
LARGE_NEEDS = 240
#: Feedback items the largest federation × software receives (when the sizes allow it): about
#: 55 % are needs, merged 1.2 items per need there, hence LARGE_NEEDS needs.
LARGE_ITEMS = round(LARGE_NEEDS * 1.2 / 0.55)

KIND_WEIGHTS = [(FeedbackKind.NEED, 55), (FeedbackKind.DIFFICULTY, 28), (FeedbackKind.TIP, 17)]
THEME_WEIGHTS = [
    (Theme.BILLING, 16),
    (Theme.ERGONOMICS, 14),
    (Theme.INTEROPERABILITY, 12),
    (Theme.SHARED_RECORD, 11),
    (Theme.MOBILITY, 9),
    (Theme.TRAINING, 8),
    (Theme.HOTLINE, 8),
    (Theme.ACCESS_RIGHTS, 7),
    (Theme.REPORTING, 7),
    (Theme.DATA_MIGRATION, 5),
    (Theme.OTHER, 3),
]
IMPORTANCE_WEIGHTS = [(Importance.NICE, 3), (Importance.IMPORTANT, 5), (Importance.CRITICAL, 2)]
LEVEL_WORDS = {
    Level.BEGINNER: "débutants",
    Level.EXPERIENCED: "expérimentés",
    Level.MIXED: "tous niveaux",
}

NEED_TITLES: dict[str, list[str]] = {
    Theme.BILLING: [
        "Facturer les actes infirmiers depuis le logiciel, y compris en tournée",
        "Facturation des actes de kinésithérapie sans double saisie",
        "Télétransmettre les feuilles de soins sans repasser au cabinet",
        "Suivre les rejets et les impayés de l'Assurance maladie",
        "Facturer les forfaits de coordination de la structure",
        "Gérer le tiers payant complémentaire pour toutes les professions",
        "Éditer un relevé d'honoraires par professionnel",
        "Facturer les téléconsultations dans le même écran",
    ],
    Theme.ERGONOMICS: [
        "Des écrans allégés pour les professions non médicales",
        "Personnaliser la page d'accueil du dossier",
        "Raccourcis clavier pour les actions les plus fréquentes",
        "Rechercher un dossier par date de naissance et par nom d'usage",
        "Afficher l'historique des modifications d'une note",
        "Réduire le nombre de clics pour créer un rendez-vous",
        "Modèles de consultation partagés entre professionnels",
        "Un mode sombre et une taille de police réglable",
    ],
    Theme.TRAINING: [
        "Des tutoriels vidéo courts pour chaque nouvelle version",
        "Une formation pour les secrétaires à l'arrivée dans la structure",
        "Un environnement d'essai pour former les nouveaux arrivants",
        "Des sessions de formation à distance par profession",
        "Une documentation en ligne à jour et consultable par mot-clé",
        "Former un référent par profession dans chaque MSP",
    ],
    Theme.DATA_MIGRATION: [
        "Reprendre les dossiers de l'ancien logiciel sans doublons",
        "Importer l'historique des vaccinations",
        "Conserver les pièces jointes lors de la reprise",
        "Garder un accès en lecture seule à l'ancien logiciel",
        "Reprendre les agendas et les rendez-vous futurs",
        "Un rapport de contrôle après chaque reprise de données",
    ],
    Theme.MOBILITY: [
        "Consulter et compléter le dossier sur tablette pendant les visites",
        "Un mode hors ligne pour les zones sans réseau",
        "Une application mobile qui fonctionne sur iPhone et Android",
        "Photographier un document et le joindre au dossier depuis le téléphone",
        "Consulter l'agenda de la structure depuis le téléphone",
        "Synchroniser automatiquement les saisies faites hors ligne",
    ],
    Theme.INTEROPERABILITY: [
        "Alimenter le DMP en un clic depuis le dossier",
        "Recevoir les comptes rendus par MSSanté directement dans le dossier",
        "Intégrer les résultats de biologie au format HPRIM",
        "Échanger avec le logiciel de la pharmacie voisine",
        "Lire la carte Vitale et l'application carte Vitale sur tous les postes",
        "Se connecter aux services de l'Assurance maladie sans ressaisie",
        "Recevoir les courriers de l'hôpital sous forme structurée",
        "Exporter les données au format du cadre d'interopérabilité",
    ],
    Theme.HOTLINE: [
        "Connaître à l'avance le contenu et la date des nouvelles versions",
        "Une assistance joignable le soir et le samedi matin",
        "Un suivi en ligne des demandes faites à l'assistance",
        "Un interlocuteur unique pour la structure",
        "Publier une feuille de route des évolutions",
        "Des délais de réponse garantis pour les incidents bloquants",
    ],
    Theme.ACCESS_RIGHTS: [
        "Régler les droits d'accès par profession sans passer par l'assistance",
        "Masquer certaines notes aux autres professions",
        "Tracer les consultations du dossier par chaque utilisateur",
        "Donner un accès temporaire aux remplaçants et aux stagiaires",
        "Gérer le consentement au partage d'informations dans l'équipe",
        "Une double authentification simple à utiliser",
    ],
    Theme.SHARED_RECORD: [
        "Une synthèse partagée du dossier lisible par toute l'équipe",
        "Des protocoles pluriprofessionnels intégrés au dossier",
        "Une messagerie interne liée au dossier",
        "Planifier une réunion de concertation et en garder la trace",
        "Un plan personnalisé de santé partagé",
        "Des alertes partagées entre professionnels",
        "Déléguer une tâche à un collègue depuis le dossier",
    ],
    Theme.REPORTING: [
        "Produire les indicateurs de l'accord conventionnel interprofessionnel",
        "Compter la patientèle commune par profession",
        "Exporter les données d'activité vers un tableur",
        "Un tableau de bord de la structure pour la coordinatrice",
        "Suivre les indicateurs des protocoles de la structure",
        "Des requêtes enregistrées réutilisables",
    ],
    Theme.OTHER: [
        "Gérer plusieurs sites de la structure dans une même base",
        "Un agenda commun pour les salles et le matériel",
        "Envoyer des rappels de rendez-vous par SMS",
        "Gérer les stocks de vaccins de la structure",
    ],
}
QUALIFIERS = [
    "pour les infirmiers",
    "pour les masseurs-kinésithérapeutes",
    "pour les sages-femmes",
    "pour les pharmaciens",
    "pour les secrétaires",
    "sur le site secondaire",
    "en visite à domicile",
    "en téléconsultation",
    "pour les remplaçants",
    "pour la coordination",
    "lors des gardes",
    "pour les orthophonistes",
]
NEED_DESCRIPTIONS = [
    "Demandé par plusieurs professions de la structure ; aujourd'hui contourné par une "
    "double saisie.",
    "Le contournement actuel fait perdre du temps à chaque consultation.",
    "Exprimé dans plusieurs séances du groupe ; les équipes attendent une date.",
    "Bloquant pour une partie de l'équipe, qui garde un second outil à côté.",
    "Souhaité pour la prochaine version ; plusieurs MSP sont prêtes à tester.",
]
NEED_ITEM_PHRASES = [
    "{title}",
    "{title} : aujourd'hui, l'équipe fait autrement",
    "Besoin exprimé par l'équipe : {lower}",
    "{title} (demandé à nouveau)",
]
DIFFICULTIES: dict[str, list[str]] = {
    Theme.BILLING: [
        "Des rejets de facturation depuis la dernière mise à jour",
        "La facturation en tournée impose de ressaisir les actes au cabinet",
        "Le tiers payant ne fonctionne pas pour certaines complémentaires",
    ],
    Theme.ERGONOMICS: [
        "Logiciel pensé pour les médecins : les écrans des autres professions sont chargés",
        "Trop de fenêtres ouvertes pour une consultation simple",
        "Les menus ont changé de place sans prévenir",
    ],
    Theme.TRAINING: [
        "Deux ou trois versions différentes selon les postes au sein d'une même équipe",
        "Les nouveaux arrivants ne sont pas formés avant d'utiliser le logiciel",
        "La formation initiale était trop courte pour les secrétaires",
    ],
    Theme.DATA_MIGRATION: [
        "Des dossiers en double après la reprise des données de l'ancien logiciel",
        "Des pièces jointes perdues lors de la reprise",
        "Les antécédents ont été repris dans un champ de texte libre",
    ],
    Theme.MOBILITY: [
        "L'application mobile ne fonctionne plus depuis la dernière mise à jour",
        "Connexion trop lente sur un des sites : le logiciel en ligne se fige",
        "La tablette se déconnecte pendant les visites à domicile",
    ],
    Theme.INTEROPERABILITY: [
        "Les comptes rendus reçus par MSSanté arrivent hors du dossier",
        "L'envoi vers le DMP échoue sans message d'erreur clair",
        "Les résultats de biologie arrivent en double",
    ],
    Theme.HOTLINE: [
        "Des promesses de modules repoussées de mois en mois",
        "L'assistance renvoie d'un service à l'autre",
        "Aucune réponse écrite après un incident bloquant",
    ],
    Theme.ACCESS_RIGHTS: [
        "Les remplaçants voient des dossiers qu'ils ne suivent pas",
        "Impossible de limiter l'accès aux notes de la psychologue",
        "Le changement de mot de passe bloque les postes partagés",
    ],
    Theme.SHARED_RECORD: [
        "Chaque profession écrit dans sa partie : la synthèse n'est jamais à jour",
        "Les messages internes ne sont pas rattachés au dossier",
        "Les protocoles de la structure ne sont pas visibles dans le dossier",
    ],
    Theme.REPORTING: [
        "Les indicateurs de l'accord conventionnel se calculent à la main",
        "Les exports d'activité ne comptent pas les téléconsultations",
    ],
    Theme.OTHER: [
        "Les deux sites n'ont pas le même paramétrage",
        "L'agenda des salles est tenu sur papier à côté du logiciel",
    ],
}
TIPS: dict[str, list[str]] = {
    Theme.BILLING: [
        "Vérifier chaque vendredi les retours de télétransmission",
        "Le retour d'expérience d'une infirmière utilisatrice avancée a débloqué la facturation",
    ],
    Theme.ERGONOMICS: [
        "Créer des modèles de consultation partagés pour gagner du temps",
        "Masquer les onglets inutiles dans les préférences de chaque poste",
    ],
    Theme.TRAINING: [
        "Désigner un super-utilisateur par profession pour relayer les nouveautés",
        "Un quart d'heure de démonstration en début de réunion d'équipe",
    ],
    Theme.DATA_MIGRATION: [
        "Faire une reprise d'essai sur une copie avant la bascule",
        "Lister les doublons avec l'export de l'ancien logiciel avant la reprise",
    ],
    Theme.MOBILITY: [
        "Utiliser le mode hors ligne de la tablette en zone blanche",
        "Synchroniser la tablette au cabinet avant de partir en tournée",
    ],
    Theme.INTEROPERABILITY: [
        "Paramétrer l'adresse MSSanté de la structure sur chaque poste",
        "Tester l'envoi au DMP sur un dossier de test avec l'éditeur",
    ],
    Theme.HOTLINE: [
        "Écrire à l'assistance plutôt que téléphoner : la demande est tracée",
        "Regrouper les demandes de la structure chez la coordinatrice",
    ],
    Theme.ACCESS_RIGHTS: [
        "Créer un profil par profession plutôt qu'un profil par personne",
        "Revoir les droits à chaque arrivée et à chaque départ",
    ],
    Theme.SHARED_RECORD: [
        "Une ligne de synthèse commune mise à jour après chaque concertation",
        "Un code couleur par profession dans les notes partagées",
    ],
    Theme.REPORTING: [
        "Enregistrer les requêtes des indicateurs une fois pour toutes",
        "Exporter les indicateurs chaque trimestre pour préparer le rapport annuel",
    ],
    Theme.OTHER: [
        "Un seul paramétrage de référence copié sur tous les postes",
    ],
}
TOPICS = [
    "Nouvelle version de {software} : ce qui change",
    "Facturation infirmière : où en est l'éditeur ?",
    "Partager les modèles de courrier entre sites",
    "Accès en lecture seule à l'ancien logiciel",
    "Retour sur la reprise des données",
    "Utiliser {software} en visite à domicile",
    "Alimentation du DMP : nos pratiques",
    "Messagerie sécurisée : qui reçoit quoi ?",
    "Droits d'accès des remplaçants",
    "Indicateurs de l'accord conventionnel",
    "Protocoles pluriprofessionnels dans le dossier",
    "Questions à poser à l'éditeur",
    "Tour de table des difficultés du moment",
    "Organisation de la saisie par les secrétaires",
    "Préparer la prochaine réunion avec l'éditeur",
]
SESSION_TITLES = [
    "Préparation de la prochaine version",
    "Bilan de l'année",
    "Point sur la facturation",
    "Séance avec l'éditeur",
    "Accueil des nouvelles équipes",
]
MINUTES_OPENINGS = [
    "Tour de table des équipes présentes, puis échanges sur les sujets votés.",
    "Séance ouverte par l'animateur ; rappel des réponses reçues de l'éditeur.",
    "Accueil des nouveaux participants, puis revue de l'ordre du jour.",
]
MINUTES_CLOSINGS = [
    "Les besoins, difficultés et astuces sont repris ci-dessous.",
    "Prochaine séance dans deux mois environ ; pensez à proposer vos sujets.",
    "Les points ouverts seront transmis à l'éditeur avec la prochaine synthèse.",
]
AMENDMENTS = [
    "Ajouter que la question de la facturation reste ouverte.",
    "Préciser que l'éditeur a promis une réponse écrite.",
    "Corriger le nom du site concerné par la difficulté de connexion.",
]
ANSWER_PATHS: list[tuple[list[str], int]] = [
    ([AnswerStatus.RECEIVED], 5),
    ([AnswerStatus.RECEIVED, AnswerStatus.STUDYING], 5),
    ([AnswerStatus.STUDYING], 3),
    ([AnswerStatus.RECEIVED, AnswerStatus.PLANNED], 4),
    ([AnswerStatus.STUDYING, AnswerStatus.PLANNED, AnswerStatus.DELIVERED], 2),
    ([AnswerStatus.PLANNED, AnswerStatus.DELIVERED], 2),
    ([AnswerStatus.RECEIVED, AnswerStatus.DECLINED], 2),
    ([AnswerStatus.DECLINED], 1),
]
ANSWER_COMMENTS: dict[str, list[str]] = {
    AnswerStatus.RECEIVED: [
        "Merci pour ce retour précis, transmis à l'équipe produit.",
        "Bien reçu ; nous revenons vers vous après la revue trimestrielle.",
        "",
    ],
    AnswerStatus.STUDYING: [
        "Nous évaluons la charge ; réponse d'ici la prochaine séance.",
        "À l'étude avec notre équipe réglementaire.",
        "Nous cherchons des structures pilotes pour préciser le besoin.",
    ],
    AnswerStatus.PLANNED: [
        "Prévu dans la version indiquée.",
        "Développement commencé ; une démonstration sera proposée au groupe.",
        "",
    ],
    AnswerStatus.DELIVERED: [
        "Disponible dans la dernière version : voir la note de version.",
        "Livré ; un tutoriel vidéo accompagne la nouveauté.",
    ],
    AnswerStatus.DECLINED: [
        "Hors du périmètre du produit ; nous proposons un contournement documenté.",
        "Contraire à nos choix de sécurité ; nous vous expliquerons pourquoi en séance.",
        "Dépend d'un service national qui ne le permet pas encore.",
    ],
}


# --- In-memory plan --------------------------------------------------------------------------


@dataclass(eq=False)
class _Group:
    obj: UserGroup
    pair: tuple[int, int]
    centres: list[int]
    people: list[Membership]
    sessions: list[_Session] = field(default_factory=list)
    items: int = 0  # feedback items to generate


@dataclass(eq=False)
class _Session:
    obj: GroupSession
    group: _Group
    day: date  # local date of starts_at
    past: bool
    #: (user_id, centre_id, profession, attended, vendor representative)
    regs: list[tuple[int, int | None, str, bool | None, bool]] = field(default_factory=list)
    items: int = 0


@dataclass(eq=False)
class _Item:
    obj: FeedbackItem
    group: _Group
    session: _Session | None
    centres: list[int]
    need: _Need | None = None


@dataclass(eq=False)
class _Need:
    obj: Need
    items: list[_Item]
    supports: list[tuple[int, str]] = field(default_factory=list)  # (centre_id, importance)
    #: (author_id, status, planned version, planned for, comment, created_at)
    answers: list[tuple] = field(default_factory=list)


@dataclass(eq=False)
class _Pair:
    """One federation × software: its groups, items, needs and synthesis."""

    federation: Any
    software: Software
    groups: list[_Group] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)
    needs: list[_Need] = field(default_factory=list)
    large: bool = False
    owned: bool = True  # no user-group row of this pair existed before the run
    synthesis: Synthesis | None = None
    version_days: list[date] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int]:
        return (self.federation.pk, self.software.pk)


@contextmanager
def _explicit_dates(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let ``bulk_create`` keep the ``auto_now``/``auto_now_add`` values set on the rows (the
    dates of a dataset that spans months), then restore the fields."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def _db_dt(value: datetime) -> Any:
    """An aware datetime as ``ctx.copy`` must receive it (naive UTC on SQLite)."""
    return connection.ops.adapt_datetimefield_value(value)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders; deterministic)."""
    if not weights:
        return []
    s = sum(weights)
    if s <= 0:
        weights, s = [1.0] * len(weights), float(len(weights))
    quotas = [total * w / s for w in weights]
    shares = [int(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class _Stage:
    def __init__(self, ctx) -> None:  # noqa: ANN001
        self.ctx = ctx
        self.rng = ctx.rng
        self.today: date = ctx.today
        self.tz = timezone.get_default_timezone()
        #: Every generated date is on or before yesterday, except future sessions.
        self.yesterday = self.today - timedelta(days=1)
        self.day_start = datetime.combine(self.today, time(0, 0), tzinfo=self.tz)
        self.centre_names = {c.pk: c.name for c in ctx.centres}
        self.pairs: dict[tuple[int, int], _Pair] = {}
        self.groups: list[_Group] = []
        self.sessions: list[_Session] = []
        self.items: list[_Item] = []
        self.needs: list[_Need] = []
        self.vendor_users: dict[int, list[int]] = {}
        self.federation_by_pk = {f.pk: f for f in ctx.federations}
        self.labels_theme = {k: str(v) for k, v in Theme.choices}
        self.labels_profession = {k: str(v) for k, v in Profession.choices}
        self.labels_level = {k: str(v) for k, v in Level.choices}

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def staff_user(self, federation_id: int) -> int | None:
        staff = self.ctx.staff.get(federation_id) or []
        return staff[0].user_id if staff else None

    # --- Who uses what ---------------------------------------------------------------------

    def usage(self) -> dict[int, dict[int, list[int]]]:
        """federation → software → MSPs of this run using it (the projects stage's
        deployments; else a software drawn for each MSP among the active catalogue)."""
        ctx = self.ctx
        own = {c.pk: c for c in ctx.centres}
        usage: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        chosen: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for centre_id, software_id, deployed_on in ctx.shared.get("deployed") or []:
            centre_id = getattr(centre_id, "pk", centre_id)
            software_id = getattr(software_id, "pk", software_id)
            centre = own.get(centre_id)
            if centre is None or software_id is None:
                continue
            target = usage if deployed_on is not None and deployed_on <= self.today else chosen
            target[centre.federation_id][software_id].append(centre_id)
        catalogue = list(
            Software.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
        )
        popular = catalogue[:]
        self.rng.shuffle(popular)
        weights = [(sw, max(1, 60 // (rank + 1))) for rank, sw in enumerate(popular)]
        for federation in ctx.federations:
            if usage.get(federation.pk):
                continue
            if chosen.get(federation.pk):
                usage[federation.pk] = chosen[federation.pk]
                continue
            if not weights:
                continue
            for centre in ctx.centres_of(federation):
                usage[federation.pk][self.ctx.pick_weighted(weights)].append(centre.pk)
        return usage

    # --- Groups ----------------------------------------------------------------------------

    def plan_groups(self) -> None:
        ctx = self.ctx
        usage = self.usage()
        software_ids = {sw for per in usage.values() for sw in per}
        software = {
            s.pk: s for s in Software.objects.filter(pk__in=software_ids).select_related("vendor")
        }
        fed_ids = [f.pk for f in ctx.federations]
        taken = {
            (fid, name.lower())
            for fid, name in UserGroup.objects.filter(federation_id__in=fed_ids).values_list(
                "federation_id", "name"
            )
        }
        existing = set(
            UserGroup.objects.filter(federation_id__in=fed_ids).values_list(
                "federation_id", "software_id"
            )
        ) | set(
            Need.objects.filter(federation_id__in=fed_ids).values_list(
                "federation_id", "software_id"
            )
        )
        followers: dict[int, list[int]] = defaultdict(list)
        through = Membership.assigned_centres.through
        for membership_id, centre_id in (
            through.objects.filter(healthcentre_id__in=list(self.centre_names))
            .order_by("pk")
            .values_list("membership_id", "healthcentre_id")
        ):
            followers[centre_id].append(membership_id)
        per_federation = ctx.spread(ctx.sizes.user_groups, len(ctx.federations))
        for federation, n_groups in zip(ctx.federations, per_federation, strict=True):
            uses = usage.get(federation.pk) or {}
            ranked = sorted(
                (sw for sw in uses if sw in software), key=lambda sw: (-len(uses[sw]), sw)
            )
            if not ranked or not n_groups:
                continue
            alloc = dict.fromkeys(ranked, 0)
            for sw in ranked[:n_groups]:
                alloc[sw] = 1
            for _ in range(n_groups - sum(alloc.values())):
                best = max(ranked, key=lambda sw: (len(uses[sw]) / (alloc[sw] + 1), -sw))
                alloc[best] += 1
            facilitators = {m.pk: m for m in ctx.staff.get(federation.pk, [])}
            facilitators |= {m.pk: m for m in ctx.dims.get(federation.pk, [])}
            staff = ctx.staff.get(federation.pk, [])
            for sw_id in ranked:
                k = alloc[sw_id]
                if not k:
                    continue
                sw = software[sw_id]
                pair = self.pairs.setdefault(
                    (federation.pk, sw_id), _Pair(federation=federation, software=sw)
                )
                pair.owned = (federation.pk, sw_id) not in existing
                centres = uses[sw_id][:]
                self.rng.shuffle(centres)
                levels = [Level.MIXED] if k == 1 else [Level.BEGINNER, Level.EXPERIENCED]
                levels = [levels[j % len(levels)] if j < 2 or j % 3 else Level.MIXED
                          for j in range(k)]  # fmt: skip
                repeats = {lv: levels.count(lv) for lv in set(levels)}
                seen: dict[str, int] = defaultdict(int)
                for j in range(k):
                    if k <= len(centres):
                        members = centres[j::k]
                    else:
                        extra = self.rng.sample(centres, self.rng.randint(0, len(centres) - 1))
                        members = list(dict.fromkeys([centres[j % len(centres)], *extra]))
                    level = levels[j]
                    seen[level] += 1
                    name = f"{sw.name} — {LEVEL_WORDS[level]}"
                    if repeats[level] > 1:
                        name += f" (groupe {seen[level]})"
                    name = name[:190]
                    while (federation.pk, name.lower()) in taken:
                        name += " ·"
                    taken.add((federation.pk, name.lower()))
                    followed = [
                        facilitators[m] for m in followers.get(members[0], []) if m in facilitators
                    ]
                    if followed and self.rng.random() < 0.6:
                        facilitator = followed[0]
                    else:
                        facilitator = self.rng.choice(staff) if staff else None
                    obj = UserGroup(
                        federation_id=federation.pk,
                        software_id=sw_id,
                        name=name,
                        level=level,
                        facilitator_id=facilitator.pk if facilitator else None,
                    )
                    people = [m for c in members for m in ctx.people.get(c, [])]
                    group = _Group(obj=obj, pair=pair.key, centres=members, people=people)
                    pair.groups.append(group)
                    self.groups.append(group)

    def insert_groups(self) -> None:
        ctx = self.ctx
        # Created a month before the group's first session.
        for group in self.groups:
            first = min((s.obj.starts_at for s in group.sessions), default=self.day_start)
            group.obj.created_at = min(first, self.day_start) - timedelta(days=30)
        with _explicit_dates(UserGroup):
            ctx.bulk(UserGroup, [g.obj for g in self.groups], "groupes d'utilisateurs")
        ctx.copy(
            UserGroup.centres.through,
            ["usergroup_id", "healthcentre_id"],
            ((g.obj.pk, c) for g in self.groups for c in g.centres),
            "MSP membres des groupes",
        )

    # --- Sessions --------------------------------------------------------------------------

    def plan_sessions(self) -> None:
        """Dates of every session (every two months, the last ones in the past, sometimes one
        ahead); rows are built later, once the groups have ids."""
        counts = self.ctx.spread(self.ctx.sizes.sessions, len(self.groups))
        used: dict[tuple[int, int], set[datetime]] = defaultdict(set)
        for index, (group, n) in enumerate(zip(self.groups, counts, strict=True)):
            if not n:
                continue
            future = 1 if n >= 2 and (index == 0 or self.rng.random() < 0.6) else 0
            past = n - future
            last_past = self.today - timedelta(days=self.rng.randint(4, 45))
            days = [
                last_past - timedelta(days=61 * (past - 1 - k) + self.rng.randint(-4, 4))
                for k in range(past)
            ]
            days[-1] = last_past
            if future:
                nxt = last_past + timedelta(days=61 + self.rng.randint(-4, 4))
                if nxt <= self.today + timedelta(days=4):
                    nxt = self.today + timedelta(days=self.rng.randint(7, 40))
                days.append(nxt)
            hour, minute = self.rng.choice([(12, 30), (13, 0), (18, 30), (19, 0), (20, 0)])
            duration = self.ctx.pick_weighted([(60, 6), (90, 2), (120, 1)])
            slug = self.federation_by_pk[group.pair[0]].slug
            for k, day in enumerate(days):
                if day.weekday() >= 5:  # a weekend: the Thursday before
                    day -= timedelta(days=day.weekday() - 3)
                starts_at = self.at(day, hour, minute)
                while starts_at in used[group.pair]:  # one session at a time per software
                    starts_at += timedelta(minutes=30)
                used[group.pair].add(starts_at)
                is_past = k < past
                title = ""
                if self.rng.random() < 0.2:
                    title = self.rng.choice(SESSION_TITLES)
                obj = GroupSession(
                    federation_id=group.pair[0],
                    starts_at=starts_at,
                    duration_minutes=duration,
                    video_url=f"https://visio.{slug}.bench.test/groupe-{index + 1}",
                    title=title,
                    created_at=min(starts_at - timedelta(days=50), self.day_start),
                )
                session = _Session(
                    obj=obj, group=group, day=timezone.localtime(starts_at).date(), past=is_past
                )
                group.sessions.append(session)
                self.sessions.append(session)

    def vendor_accounts(self) -> None:
        """Vendor users of the products in play (the vendors stage's ``editeur@<slug>``);
        a vendor with none gets that account here."""
        User = get_user_model()
        vendors = {p.software.vendor_id: p.software.vendor for p in self.pairs.values()}
        for pk, vendor_id in (
            User.objects.filter(vendor_id__in=list(vendors), is_active=True)
            .order_by("pk")
            .values_list("pk", "vendor_id")
        ):
            self.vendor_users.setdefault(vendor_id, []).append(pk)
        missing = [v for v in sorted(vendors) if v not in self.vendor_users]
        wanted = {v: f"editeur@{vendors[v].slug}.bench.test" for v in missing}
        taken = set(
            User.objects.filter(email__in=list(wanted.values())).values_list("email", flat=True)
        )
        rows = []
        for vendor_id in missing:
            if wanted[vendor_id] in taken:
                continue
            first, last = self.ctx.person_name()
            rows.append(
                User(
                    email=wanted[vendor_id],
                    first_name=first,
                    last_name=last,
                    vendor_id=vendor_id,
                    password=self.ctx.password_hash,
                )
            )
        for user in self.ctx.bulk(User, rows, "comptes d'éditeur") if rows else []:
            self.vendor_users[user.vendor_id] = [user.pk]

    def build_sessions(self) -> None:
        ctx = self.ctx
        for group in self.groups:
            for s in group.sessions:
                s.obj.group_id = group.obj.pk
        # Minutes: published a few days after each past session, except, in a quarter of the
        # groups, the last one (a draft still open to amendments).
        topics_plan: list[tuple[_Session, list[str]]] = []
        for group in self.groups:
            software = self.pairs[group.pair].software.name
            past = [s for s in group.sessions if s.past]
            draft = past[-1] if past and self.rng.random() < 0.25 else None
            for s in group.sessions:
                n_topics = self.rng.randint(1, 4) if not s.past else self.rng.randint(0, 3)
                titles = [
                    t.format(software=software)[:200] for t in self.rng.sample(TOPICS, n_topics)
                ]
                topics_plan.append((s, titles))
                if not s.past:
                    continue
                agenda = "; ".join(titles) if titles else "questions diverses"
                s.obj.minutes = (
                    f"{self.rng.choice(MINUTES_OPENINGS)}\n\nSujets traités : {agenda}.\n\n"
                    f"{self.rng.choice(MINUTES_CLOSINGS)}"
                )
                if s is draft:
                    continue
                s.obj.minutes_status = MinutesStatus.PUBLISHED
                s.obj.minutes_published_at = s.obj.starts_at + timedelta(
                    days=self.rng.randint(1, 3), hours=-4
                )
        with _explicit_dates(GroupSession):
            ctx.bulk(GroupSession, [s.obj for s in self.sessions], "séances")

        # Registrations: MSP people of member MSPs; vendor representatives on some sessions.
        regs: list[tuple] = []
        invites: list[tuple[int, int]] = []
        for s in self.sessions:
            pool = s.group.people
            k = min(len(pool), self.rng.randint(3, 10))
            for m in self.rng.sample(pool, k):
                attended = (self.rng.random() < 0.85) if s.past else None
                s.regs.append((m.user_id, m.health_centre_id, m.profession, attended, False))
            vendor_id = self.pairs[s.group.pair].software.vendor_id
            reps = self.vendor_users.get(vendor_id, [])
            if reps and self.rng.random() < 0.15:
                for user_id in self.rng.sample(reps, min(len(reps), self.rng.randint(1, 2))):
                    invites.append((s.obj.pk, user_id))
                    s.regs.append((user_id, None, "", True if s.past else None, True))
            for user_id, centre_id, profession, attended, rep in s.regs:
                registered = min(
                    s.obj.starts_at - timedelta(days=self.rng.randint(1, 25), hours=3),
                    self.day_start,
                )
                regs.append(
                    (s.obj.federation_id, s.obj.pk, user_id, centre_id, profession, rep,
                     attended, _db_dt(registered))
                )  # fmt: skip
        ctx.copy(
            GroupSession.invited_vendor_users.through,
            ["groupsession_id", "user_id"],
            invites,
            "invitations d'éditeurs aux séances",
        )
        ctx.copy(
            Registration,
            ["federation_id", "session_id", "user_id", "health_centre_id", "profession",
             "is_vendor_representative", "attended", "registered_at"],
            regs,
            "inscriptions aux séances",
        )  # fmt: skip

        # Agenda topics (proposed by a registered person) and votes.
        topics: list[AgendaTopic] = []
        voters: list[list[int]] = []
        for s, titles in topics_plan:
            people = [r[0] for r in s.regs if not r[4]]
            for title in titles:
                proposer = self.rng.choice(people) if people else None
                created = min(
                    s.obj.starts_at - timedelta(days=self.rng.randint(2, 20), hours=2),
                    self.day_start - timedelta(hours=1),
                )
                topics.append(
                    AgendaTopic(
                        federation_id=s.obj.federation_id,
                        session_id=s.obj.pk,
                        title=title,
                        proposed_by_id=proposer,
                        created_at=created,
                    )
                )
                others = [p for p in people if p != proposer]
                chosen = self.rng.sample(others, self.rng.randint(0, len(others)))
                voters.append(([proposer] if proposer else []) + chosen)
        with _explicit_dates(AgendaTopic):
            ctx.bulk(AgendaTopic, topics, "sujets proposés")
        ctx.copy(
            AgendaVote,
            ["topic_id", "user_id", "created_at"],
            (
                (t.pk, user_id, _db_dt(t.created_at + timedelta(hours=1 + j)))
                for t, users in zip(topics, voters, strict=True)
                for j, user_id in enumerate(users)
            ),
            "votes",
        )
        # Draft minutes: now and then an attendee proposes an amendment.
        amendments = []
        for s in self.sessions:
            if s.past and s.obj.minutes_status == MinutesStatus.DRAFT and self.rng.random() < 0.5:
                attendees = [r[0] for r in s.regs if r[3] and not r[4]]
                if attendees:
                    amendments.append(
                        (s.obj.federation_id, s.obj.pk, self.rng.choice(attendees),
                         self.rng.choice(AMENDMENTS), AmendmentStatus.PROPOSED,
                         _db_dt(s.obj.starts_at + timedelta(days=1)))
                    )  # fmt: skip
        ctx.copy(
            MinutesAmendment,
            ["federation_id", "session_id", "author_id", "text", "status", "created_at"],
            amendments,
            "propositions de modification",
        )

    # --- Feedback and needs ----------------------------------------------------------------

    def allocate_feedback(self) -> None:
        """Items per group: in proportion to the group's MSPs, the largest federation ×
        software (by MSPs using it) getting enough for a synthesis of LARGE_NEEDS needs."""
        total = self.ctx.sizes.feedback
        if not self.groups or not total:
            return
        large = max(
            self.pairs.values(),
            key=lambda p: (p.owned, sum(len(g.centres) for g in p.groups), len(p.groups)),
        )
        large.large = True
        weights = [1 + len(g.centres) for g in self.groups]
        inside = [i for i, g in enumerate(self.groups) if g.pair == large.key]
        outside = [i for i, g in enumerate(self.groups) if g.pair != large.key]
        if not outside:
            shares = self.ctx.spread(total, len(inside))
            for i, n in zip(inside, shares, strict=True):
                self.groups[i].items = n
            return
        share = total * sum(weights[i] for i in inside) / sum(weights)
        big = min(total, max(round(share), min(LARGE_ITEMS, total // 3)))
        for i, n in zip(inside, self.ctx.spread(big, len(inside)), strict=True):
            self.groups[i].items = n
        rest = _apportion(total - big, [weights[i] for i in outside])
        for i, n in zip(outside, rest, strict=True):
            self.groups[i].items = n

    def plan_feedback(self) -> None:
        self.user_of = {
            m.pk: m.user_id
            for people in (*self.ctx.staff.values(), *self.ctx.dims.values())
            for m in people
        }
        for group in self.groups:
            past = [s for s in group.sessions if s.past]
            first = min((s.day for s in past), default=self.today - timedelta(days=300))
            span = max(0, (self.yesterday - first).days)
            fallback = self.staff_user(group.pair[0])
            facilitator_user = self.user_of.get(group.obj.facilitator_id)
            for _ in range(group.items):
                kind = self.ctx.pick_weighted(KIND_WEIGHTS)
                theme = self.ctx.pick_weighted(THEME_WEIGHTS)
                session = self.rng.choice(past) if past and self.rng.random() < 0.85 else None
                if session is not None:
                    reported_on = session.day
                    session.items += 1
                else:
                    reported_on = first + timedelta(days=self.rng.randint(0, span))
                n_centres = self.ctx.pick_weighted([(1, 16), (2, 3), (3, 1)])
                centres = self.rng.sample(group.centres, min(n_centres, len(group.centres)))
                people = self.ctx.people.get(centres[0], []) if centres else []
                person = self.rng.choice(people) if people else None
                profession = person.profession if person and self.rng.random() < 0.9 else ""
                if session is not None:
                    author = facilitator_user or (person.user_id if person else fallback)
                else:
                    author = person.user_id if person else fallback
                obj = FeedbackItem(
                    federation_id=group.pair[0],
                    group_id=group.obj.pk,
                    session_id=session.obj.pk if session else None,
                    kind=kind,
                    profession=profession,
                    theme=theme,
                    text="",
                    reported_on=reported_on,
                    author_id=author,
                    created_at=self.at(reported_on, 21) if session else self.at(reported_on, 9),
                )
                item = _Item(obj=obj, group=group, session=session, centres=centres)
                self.pairs[group.pair].items.append(item)
                self.items.append(item)

    def merge_needs(self) -> None:
        """Need items of each federation × software merged into needs (duplicates together,
        by theme); the most recent items are sometimes left for the federation to merge."""
        priorities = {
            (row["federation_id"], row["software_id"]): row["top"] or 0
            for row in Need.objects.filter(federation_id__in=[f.pk for f in self.ctx.federations])
            .values("federation_id", "software_id")
            .annotate(top=Max("priority"))
            .order_by()
        }
        recent = self.today - timedelta(days=30)
        for pair in self.pairs.values():
            by_theme: dict[str, list[_Item]] = defaultdict(list)
            for item in pair.items:
                if item.obj.kind != FeedbackKind.NEED:
                    continue
                if not pair.large and item.obj.reported_on > recent and self.rng.random() < 0.5:
                    continue  # not merged yet
                by_theme[item.obj.theme].append(item)
            sizes = [1, 1, 1, 1, 2] if pair.large else [1, 1, 2, 2, 3, 4]
            clusters: list[tuple[str, list[_Item]]] = []
            for theme in Theme.values:
                items = by_theme.get(theme, [])
                self.rng.shuffle(items)
                while items:
                    n = self.rng.choice(sizes)
                    clusters.append((theme, items[:n]))
                    items = items[n:]
            staff = self.staff_user(pair.federation.pk)
            counters: dict[str, int] = defaultdict(int)
            for theme, items in clusters:
                titles = NEED_TITLES[theme]
                i = counters[theme]
                counters[theme] += 1
                title = titles[i % len(titles)]
                if i >= len(titles):
                    title += f" — {QUALIFIERS[(i // len(titles) - 1) % len(QUALIFIERS)]}"
                    if i >= len(titles) * (len(QUALIFIERS) + 1):
                        title += f" ({i // (len(titles) * (len(QUALIFIERS) + 1)) + 1})"
                first = min(it.obj.reported_on for it in items)
                need = Need(
                    federation_id=pair.federation.pk,
                    software_id=pair.software.pk,
                    title=title,
                    description=self.rng.choice(NEED_DESCRIPTIONS)
                    if self.rng.random() < 0.5
                    else "",
                    theme=theme,
                    created_by_id=staff,
                    created_at=self.at(first, 22),
                )
                record = _Need(obj=need, items=items)
                for it in items:
                    it.need = record
                    base = title
                    it.obj.text = self.rng.choice(NEED_ITEM_PHRASES).format(
                        title=base, lower=_lower_first(base)
                    )[:2000]
                pair.needs.append(record)
            # Support per MSP: those that raised it first, then other member MSPs.
            members = list(dict.fromkeys(c for g in pair.groups for c in g.centres))
            for record in pair.needs:
                raised = list(dict.fromkeys(c for it in record.items for c in it.centres))
                n = self.rng.choice([0, 0, 1, 1, 2, 3, 4])
                candidates = raised + [c for c in members if c not in raised]
                for c in candidates[:n]:
                    record.supports.append((c, self.ctx.pick_weighted(IMPORTANCE_WEIGHTS)))
            # Priority: the most supported first.
            ranked = sorted(
                pair.needs,
                key=lambda r: (
                    -(
                        sum(IMPORTANCE_WEIGHT[Importance(imp)] for _, imp in r.supports)
                        + len(r.items)
                    )
                ),
            )
            top = priorities.get(pair.key, 0)
            for rank, record in enumerate(ranked, start=1):
                record.obj.priority = top + rank
            self.needs.extend(pair.needs)
        for item in self.items:
            if item.need is not None:
                continue
            choices = (DIFFICULTIES if item.obj.kind == FeedbackKind.DIFFICULTY else TIPS).get(
                item.obj.theme
            )
            if item.obj.kind == FeedbackKind.NEED:
                choices = NEED_TITLES[item.obj.theme]
            item.obj.text = self.rng.choice(choices)

    def plan_versions(self) -> None:
        """Publication days of each synthesis; the needs in each version follow from them
        (``_needs_at``), hence ``first_published_on``."""
        for pair in self.pairs.values():
            if not pair.items:
                continue
            if pair.large:
                last = self.yesterday
            else:
                last = self.today - timedelta(days=self.rng.choice([1, 3, 10, 20, 35]))
            n = self.rng.choice([1, 1, 2, 2, 3])
            days = [last - timedelta(days=60 * (n - 1 - k)) for k in range(n)]
            start = self.period_start(pair)
            pair.version_days = [d for d in days if d >= start] or [last]
            if not pair.owned:
                pair.version_days = []  # published once at the end, by the selector
            for day in pair.version_days:
                for record in self._needs_at(pair, day):
                    if record.obj.first_published_on is None:
                        record.obj.first_published_on = day

    def period_start(self, pair: _Pair) -> date:
        first = min(it.obj.reported_on for it in pair.items)
        return first.replace(day=1)

    def _needs_at(self, pair: _Pair, day: date) -> list[_Need]:
        start = self.period_start(pair)
        raised = {
            id(it.need)
            for it in pair.items
            if it.need is not None and start <= it.obj.reported_on <= min(day, self.today)
        }
        return [r for r in pair.needs if id(r) in raised]

    def insert_feedback(self) -> None:
        ctx = self.ctx
        with _explicit_dates(Need):
            ctx.bulk(Need, [r.obj for r in self.needs], "besoins")
        for item in self.items:
            item.obj.need_id = item.need.obj.pk if item.need else None
        with _explicit_dates(FeedbackItem):
            ctx.bulk(FeedbackItem, [it.obj for it in self.items], "retours d'expérience")
        ctx.copy(
            FeedbackItem.centres.through,
            ["feedbackitem_id", "healthcentre_id"],
            ((it.obj.pk, c) for it in self.items for c in it.centres),
            "MSP concernées par les retours",
        )
        coordinators = {
            c: people[0]
            for c, people in ctx.people.items()
            if people and people[0].role == Role.COORDINATOR
        }
        rows = []
        for record in self.needs:
            staff = self.staff_user(record.obj.federation_id)
            since = min(it.obj.reported_on for it in record.items)
            for centre_id, importance in record.supports:
                coordinator = coordinators.get(centre_id)
                own = coordinator is not None and self.rng.random() < 0.4
                day = min(since + timedelta(days=self.rng.randint(1, 30)), self.yesterday)
                rows.append(
                    (record.obj.federation_id, record.obj.pk, centre_id, importance, not own,
                     coordinator.user_id if own else staff, _db_dt(self.at(day, 10)))
                )  # fmt: skip
        ctx.copy(
            NeedSupport,
            ["federation_id", "need_id", "health_centre_id", "importance", "on_behalf",
             "recorded_by_id", "updated_at"],
            rows,
            "soutiens des MSP",
        )  # fmt: skip

    # --- Syntheses ---------------------------------------------------------------------------

    def content(self, pair: _Pair, synthesis: Synthesis, day: date) -> dict:
        """``selectors.synthesis_snapshot(synthesis)`` as it stood on ``day`` (items reported
        and sessions held up to that day), from the generated rows; no query."""
        labels_p = self.labels_profession
        labels_t = self.labels_theme
        start, end = synthesis.period_start, min(synthesis.period_end, day)
        period = [it for it in pair.items if start <= it.obj.reported_on <= end]
        needs = sorted(
            {id(it.need): it.need for it in period if it.need is not None}.values(),
            key=lambda r: (r.obj.priority, r.obj.pk),
        )
        sessions = sorted(
            (s for g in pair.groups for s in g.sessions if start <= s.day <= end),
            key=lambda s: s.obj.starts_at,
        )
        centre_names: set[str] = set()
        codes: set[str] = set()
        for s in sessions:
            for _user, centre_id, profession, attended, rep in s.regs:
                if attended is True and not rep:
                    if centre_id is not None:
                        centre_names.add(self.centre_names[centre_id])
                    if profession:
                        codes.add(profession)
        need_rows = []
        for rank, record in enumerate(needs, start=1):
            items = [it for it in record.items if it.obj.reported_on <= day]
            raised = {c for it in items for c in it.centres}
            professions = {it.obj.profession for it in items if it.obj.profession}
            centre_names |= {self.centre_names[c] for c in raised}
            codes |= professions
            since = min(it.obj.reported_on for it in items)
            need_rows.append(
                {
                    "id": record.obj.pk,
                    "rank": rank,
                    "title": record.obj.title,
                    "description": record.obj.description,
                    "theme": record.obj.theme,
                    "theme_label": labels_t[record.obj.theme],
                    "centres_count": len({c for c, _ in record.supports} | raised),
                    "raised_by_count": len(raised),
                    "critical_count": sum(
                        1 for _, imp in record.supports if imp == Importance.CRITICAL
                    ),
                    "support_score": sum(
                        IMPORTANCE_WEIGHT[Importance(imp)] for _, imp in record.supports
                    ),
                    "professions": sorted(labels_p.get(p, p) for p in professions),
                    "since": since.isoformat(),
                    "sessions_count": len({id(it.session) for it in items if it.session}),
                }
            )

        def item_dict(it: _Item) -> dict:
            o = it.obj
            return {
                "id": o.pk,
                "theme": o.theme,
                "theme_label": labels_t[o.theme],
                "text": o.text,
                "profession": labels_p.get(o.profession, "") if o.profession else "",
                "centres_count": len(it.centres),
                "reported_on": o.reported_on.isoformat(),
            }

        others = sorted(
            (it for it in period if it.obj.kind != FeedbackKind.NEED),
            key=lambda it: (it.obj.theme, it.obj.reported_on, it.obj.pk),
        )
        return {
            "federation": pair.federation.name,
            "software": pair.software.name,
            "vendor": pair.software.vendor.name,
            "period_start": synthesis.period_start.isoformat(),
            "period_end": synthesis.period_end.isoformat(),
            "groups": [
                {
                    "name": g.obj.name,
                    "level": self.labels_level[g.obj.level],
                    "centres": len(g.centres),
                }
                for g in sorted(pair.groups, key=lambda g: g.obj.name)
            ],
            "sessions": [
                {
                    "id": s.obj.pk,
                    "group": s.group.obj.name,
                    "starts_at": timezone.localtime(s.obj.starts_at).isoformat(),
                    "title": s.obj.title,
                    "attendees": sum(1 for r in s.regs if r[3] is True),
                    "items": s.items,
                }
                for s in sessions
            ],
            "centres": sorted(centre_names),
            "professions": sorted(labels_p.get(c, c) for c in codes),
            "needs": need_rows,
            "difficulties": [item_dict(i) for i in others if i.obj.kind == FeedbackKind.DIFFICULTY],
            "tips": [item_dict(i) for i in others if i.obj.kind == FeedbackKind.TIP],
        }

    def build_syntheses(self) -> None:
        ctx = self.ctx
        pairs = [p for p in self.pairs.values() if p.items]
        for pair in pairs:
            start = self.period_start(pair)
            first_day = pair.version_days[0] if pair.version_days else self.yesterday
            pair.synthesis = Synthesis(
                federation_id=pair.federation.pk,
                software_id=pair.software.pk,
                period_start=start,
                period_end=self.today,
                created_by_id=self.staff_user(pair.federation.pk),
                created_at=self.at(first_day - timedelta(days=7), 9),
            )
        with _explicit_dates(Synthesis):
            ctx.bulk(Synthesis, [p.synthesis for p in pairs], "synthèses")
        versions: list[SynthesisVersion] = []
        for pair in pairs:
            synthesis = pair.synthesis
            number = 0
            for day in pair.version_days:
                content = self.content(pair, synthesis, day)
                if not (content["needs"] or content["difficulties"] or content["tips"]):
                    continue
                number += 1
                versions.append(
                    SynthesisVersion(
                        federation_id=pair.federation.pk,
                        synthesis_id=synthesis.pk,
                        number=number,
                        content=content,
                        vendor_id=pair.software.vendor_id,
                        published_by_id=synthesis.created_by_id,
                        published_at=self.at(day, self.rng.randint(9, 17), self.rng.randint(0, 59)),
                    )
                )
        # Pairs that held rows before this run: the selector snapshots them (grow mode only).
        late: list[tuple[_Pair, SynthesisVersion]] = []
        for pair in pairs:
            if pair.owned:
                continue
            synthesis = pair.synthesis
            synthesis.federation, synthesis.software = pair.federation, pair.software
            content = selectors.synthesis_snapshot(synthesis)
            if content["needs"] or content["difficulties"] or content["tips"]:
                version = SynthesisVersion(
                    federation_id=pair.federation.pk,
                    synthesis_id=synthesis.pk,
                    number=1,
                    content=content,
                    vendor_id=pair.software.vendor_id,
                    published_by_id=synthesis.created_by_id,
                    published_at=timezone.now(),
                )
                versions.append(version)
                late.append((pair, version))
        with _explicit_dates(SynthesisVersion):
            ctx.bulk(SynthesisVersion, versions, "versions publiées")
        ctx.copy(
            SynthesisVersion.needs.through,
            ["synthesisversion_id", "need_id"],
            ((v.pk, n["id"]) for v in versions for n in v.content["needs"]),
            "besoins des versions publiées",
        )
        for _pair, version in late:
            ids = [n["id"] for n in version.content["needs"]]
            Need.objects.filter(pk__in=ids, first_published_on__isnull=True).update(
                first_published_on=timezone.localdate()
            )
        # The largest synthesis: the one whose latest version holds the most needs.
        latest: dict[int, SynthesisVersion] = {}
        for v in versions:
            if v.number > getattr(latest.get(v.synthesis_id), "number", 0):
                latest[v.synthesis_id] = v
        if latest:
            biggest = max(latest.values(), key=lambda v: (len(v.content["needs"]), -v.synthesis_id))
            ctx.shared["largest_synthesis"] = biggest.synthesis_id
            n_needs = len(biggest.content["needs"])
            ctx.log(f"Synthèse la plus longue : n° {biggest.synthesis_id}, {n_needs} besoins")
            pair = next(p for p in pairs if p.synthesis.pk == biggest.synthesis_id)
            staff = self.ctx.staff.get(pair.federation.pk) or []
            reps = self.vendor_users.get(pair.software.vendor_id) or []
            if staff:
                ctx.accounts.append(
                    ("Équipe (synthèse la plus longue)", pair.federation.name,
                     staff[0].user.email)
                )  # fmt: skip
            if reps:
                email = (
                    get_user_model().objects.filter(pk=reps[0]).values_list("email", flat=True)
                ).first()
                ctx.accounts.append(("Éditeur (synthèse la plus longue)",
                                     pair.software.vendor.name, email))  # fmt: skip

    # --- Vendor answers ------------------------------------------------------------------------

    def plan_answers(self) -> None:
        """Vendor users answer part of the needs published to them, as a history of statuses;
        unanswered needs published long ago were reminded (as the nightly job does)."""
        delay = int(settings.USERGROUPS_ANSWER_REMINDER_DAYS) or 30
        for pair in self.pairs.values():
            if not pair.owned:
                continue
            reps = self.vendor_users.get(pair.software.vendor_id) or []
            version = pair.software.version or "1.0"
            major = "".join(ch for ch in version.split(".")[0] if ch.isdigit()) or "1"
            for record in pair.needs:
                published = record.obj.first_published_on
                if published is None:
                    continue
                if not reps or self.rng.random() >= 0.6 or published >= self.yesterday:
                    elapsed = (self.today - published).days
                    if elapsed >= delay:
                        record.obj.last_reminded_on = published + timedelta(
                            days=delay * (elapsed // delay)
                        )
                    continue
                path = self.ctx.pick_weighted(ANSWER_PATHS)
                day = published + timedelta(days=self.rng.randint(1, 30))
                author = self.rng.choice(reps)
                for status in path:
                    if day > self.yesterday:
                        break
                    planned_version, planned_for = "", None
                    if status == AnswerStatus.PLANNED:
                        planned_version = f"{major}.{self.rng.randint(1, 9)}"
                        planned_for = day + timedelta(days=self.rng.randint(30, 200))
                    comment = self.rng.choice(ANSWER_COMMENTS[status])
                    created = self.at(day, self.rng.randint(8, 18), self.rng.randint(0, 59))
                    record.answers.append(
                        (author, status, planned_version, planned_for, comment, created)
                    )
                    day += timedelta(days=self.rng.randint(7, 60))
                    if planned_for and planned_for < day:
                        day = planned_for + timedelta(days=self.rng.randint(0, 10))

    def insert_answers(self) -> None:
        self.ctx.copy(
            VendorAnswer,
            ["federation_id", "need_id", "author_id", "status", "planned_version",
             "planned_for", "comment", "created_at"],
            (
                (r.obj.federation_id, r.obj.pk, author, status, planned_version, planned_for,
                 comment, _db_dt(created))
                for r in self.needs
                for author, status, planned_version, planned_for, comment, created in r.answers
            ),
            "réponses des éditeurs",
        )  # fmt: skip

    def run(self) -> None:
        self.plan_groups()
        if not self.groups:
            return
        self.plan_sessions()
        self.insert_groups()
        self.vendor_accounts()
        self.build_sessions()
        self.allocate_feedback()
        self.plan_feedback()
        self.merge_needs()
        self.plan_versions()
        self.plan_answers()
        self.insert_feedback()
        self.build_syntheses()
        self.insert_answers()


def generate(ctx) -> None:  # noqa: ANN001
    """The user-groups stage of ``federations.national.generate``."""
    with translation.override(settings.LANGUAGE_CODE):
        _Stage(ctx).run()
