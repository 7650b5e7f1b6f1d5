"""Demo user groups of FEMASNORD, as the thesis describes them (seeds/003, section "II. La
FEMASNORD comme soutien…"): four Chorus groups split into beginner and experienced levels, a
Hellodoc group with two vendor representatives invited at the teams' request, a WEDA group.
Sessions every two months, feedback from the obstacles the teams voiced (section "B. Les
obstacles rencontrés…"), and a Hellodoc synthesis published and answered in part by the vendor.
Runs last (after vendors); idempotent: nothing is added when FEMASNORD already has groups."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from federations.models import Federation, HealthCentre, Membership
from federations.roles import Role
from vendors.models import Software, Vendor

from . import services
from .models import (
    AgendaTopic,
    AgendaVote,
    FeedbackKind,
    Importance,
    Level,
    Registration,
    Theme,
    UserGroup,
)

PARIS = ZoneInfo("Europe/Paris")

CHORUS_GROUPS = [
    (
        "Chorus — débutants (Nord)",
        Level.BEGINNER,
        ["Maison Médicale de l'Alloeu", "MSP de Cambrai"],
    ),
    (
        "Chorus — débutants (Pas-de-Calais)",
        Level.BEGINNER,
        ["MSP de Boulogne-sur-Mer", "MSP de Cambrai"],
    ),
    (
        "Chorus — expérimentés (Nord)",
        Level.EXPERIENCED,
        ["MSP de Valenciennes", "Maison Médicale de l'Alloeu"],
    ),
    (
        "Chorus — expérimentés (Pas-de-Calais)",
        Level.EXPERIENCED,
        ["MSP de Valenciennes", "MSP de Boulogne-sur-Mer"],
    ),
]
HELLODOC_CENTRES = ["Maison Dispersée de Santé de Lille Moulins", "MSP d'Arras Centre"]
WEDA_CENTRES = [
    "Maison de Santé de Sin-le-Noble",
    "MSP de Lens",
    "MSP de Liévin",
    "MSP de Maubeuge",
    "MSP de Saint-Omer",
]

# (kind, theme, profession, text, centre index) — the teams' own obstacles, reworded.
HELLODOC_FEEDBACK = [
    (
        [
            (
                FeedbackKind.NEED,
                Theme.BILLING,
                "infirmier",
                "Facturer les actes infirmiers depuis le logiciel, y compris en tournée",
                0,
            ),
            (
                FeedbackKind.NEED,
                Theme.BILLING,
                "masseur_kinesitherapeute",
                "Facturation des actes de kinésithérapie : aujourd'hui double saisie",
                0,
            ),
            (
                FeedbackKind.DIFFICULTY,
                Theme.DATA_MIGRATION,
                "medecin_generaliste",
                "Des dossiers en double après la reprise des données de l'ancien logiciel",
                1,
            ),
            (
                FeedbackKind.TIP,
                Theme.TRAINING,
                "coordinateur",
                "Désigner un super-utilisateur par profession pour relayer les nouveautés",
                0,
            ),
        ]
    ),
    (
        [
            (
                FeedbackKind.NEED,
                Theme.BILLING,
                "infirmier",
                "Les infirmières ne peuvent pas facturer avec le logiciel à domicile",
                1,
            ),
            (
                FeedbackKind.NEED,
                Theme.MOBILITY,
                "infirmier",
                "Consulter et compléter le dossier sur tablette pendant les visites",
                0,
            ),
            (
                FeedbackKind.NEED,
                Theme.HOTLINE,
                "coordinateur",
                "Connaître à l'avance le contenu et la date des nouvelles versions",
                1,
            ),
            (
                FeedbackKind.DIFFICULTY,
                Theme.ERGONOMICS,
                "pharmacien",
                "Logiciel pensé pour les médecins : les écrans des autres professions sont chargés",
                0,
            ),
            (
                FeedbackKind.TIP,
                Theme.ERGONOMICS,
                "medecin_generaliste",
                "Créer des modèles de consultation partagés pour gagner du temps",
                1,
            ),
        ]
    ),
]
CHORUS_FEEDBACK = [
    (FeedbackKind.DIFFICULTY, Theme.MOBILITY, "infirmier",
     "Chorus Pocket ne fonctionne plus sur iPhone depuis la dernière mise à jour"),
    (FeedbackKind.NEED, Theme.HOTLINE, "medecin_generaliste",
     "Des promesses de modules repoussées de mois en mois : publier une feuille de route"),
    (FeedbackKind.DIFFICULTY, Theme.TRAINING, "coordinateur",
     "Deux ou trois versions différentes selon les postes au sein d'une même équipe"),
    (FeedbackKind.TIP, Theme.TRAINING, "infirmier",
     "Le retour d'expérience d'une infirmière utilisatrice avancée a débloqué la facturation"),
]  # fmt: skip
WEDA_FEEDBACK = [
    (FeedbackKind.DIFFICULTY, Theme.INTEROPERABILITY, "medecin_generaliste",
     "Connexion internet trop lente sur un des sites : le logiciel en ligne se fige"),
    (FeedbackKind.NEED, Theme.ACCESS_RIGHTS, "coordinateur",
     "Régler les droits d'accès par profession sans passer par l'assistance"),
    (FeedbackKind.TIP, Theme.MOBILITY, "infirmier",
     "Utiliser le mode hors ligne de la tablette en zone blanche"),
]  # fmt: skip


def _at(day, hour: int = 18, minute: int = 30) -> datetime:  # noqa: ANN001
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _centres(federation: Federation, names: list[str]) -> list[HealthCentre]:
    by_name = {c.name: c for c in HealthCentre.objects.filter(federation=federation)}
    return [by_name[n] for n in names if n in by_name]


def _vendor_rep(email: str, first: str, last: str, vendor: Vendor, password: str):  # noqa: ANN202
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "vendor": vendor}
    )
    if created:
        user.set_password(password)
        user.save()
    return user


def _sessions(group: UserGroup, actor, count_past: int, video: str) -> list:  # noqa: ANN001
    """Past sessions every two months, then one upcoming."""
    today = timezone.localdate()
    first = today - timedelta(days=61 * count_past - 20)
    start = _at(first)
    sessions = []
    for n in range(count_past + 1):
        sessions.append(
            services.session_create(
                actor=actor,
                group=group,
                starts_at=start,
                video_url=video,
                title="" if n < count_past else "Préparation de la prochaine version",
            )
        )
        start = services.suggested_next_date(start)
    return sessions


def load(ctx: dict) -> None:
    federation = Federation.objects.filter(slug="femasnord").first()
    software = {s.slug: s for s in Software.objects.filter(slug__in=["hellodoc", "chorus", "weda"])}
    if federation is None or len(software) < 3:
        return
    password = ctx.get("password", "capsi-demo-2026")
    hellodoc_vendor = software["hellodoc"].vendor
    rep2 = _vendor_rep("produit@hellodoc.demo", "Bastien", "Caron", hellodoc_vendor, password)
    ctx.setdefault("accounts", []).append(("Éditeur", hellodoc_vendor.name, rep2.email))
    if UserGroup.objects.filter(federation=federation).exists():
        return
    staff = Membership.objects.filter(federation=federation, role=Role.STAFF).first()
    dim = Membership.objects.filter(federation=federation, role=Role.DIM).first()
    if staff is None:
        return
    actor = staff.user
    people = {
        m.user.email: m
        for m in Membership.objects.filter(federation=federation).select_related("user")
    }

    # Chorus: four groups, beginner and experienced levels.
    for name, level, centre_names in CHORUS_GROUPS:
        group = services.group_create(
            actor=actor,
            federation=federation,
            software=software["chorus"],
            name=name,
            level=level,
            facilitator=staff,
            centres=_centres(federation, centre_names),
        )
        sessions = _sessions(group, actor, 1, "https://visio.femasnord.example/chorus")
        for kind, theme, profession, text in CHORUS_FEEDBACK:
            services.feedback_add(
                actor=actor,
                membership=staff,
                group=group,
                session=sessions[0],
                kind=kind,
                theme=theme,
                profession=profession,
                text=text,
                centres=list(group.centres.all()[:1]),
            )

    # WEDA.
    weda = services.group_create(
        actor=actor,
        federation=federation,
        software=software["weda"],
        name="WEDA — tous niveaux",
        level=Level.MIXED,
        facilitator=dim or staff,
        centres=_centres(federation, WEDA_CENTRES),
    )
    weda_sessions = _sessions(weda, actor, 2, "https://visio.femasnord.example/weda")
    weda_centres = list(weda.centres.all())
    for i, (kind, theme, profession, text) in enumerate(WEDA_FEEDBACK):
        services.feedback_add(
            actor=actor,
            membership=staff,
            group=weda,
            session=weda_sessions[i % 2],
            kind=kind,
            theme=theme,
            profession=profession,
            text=text,
            centres=weda_centres[i : i + 2],
        )

    # Hellodoc: two teams, two vendor representatives invited at the teams' request.
    hellodoc_centres = _centres(federation, HELLODOC_CENTRES)
    hellodoc = services.group_create(
        actor=actor,
        federation=federation,
        software=software["hellodoc"],
        name="Hellodoc — équipes de Lille Moulins et d'Arras",
        level=Level.MIXED,
        facilitator=dim or staff,
        centres=hellodoc_centres,
    )
    sessions = _sessions(hellodoc, actor, 2, "https://visio.femasnord.example/hellodoc")
    reps = list(get_user_model().objects.filter(vendor=hellodoc_vendor).order_by("email"))[:2]
    lille = [m for m in people.values() if m.health_centre_id == hellodoc_centres[0].pk]
    items = []
    for index, batch in enumerate(HELLODOC_FEEDBACK):
        session = sessions[index]
        for rep in reps:
            services.session_invite_vendor(actor=actor, session=session, user=rep)
        for m in lille:
            Registration.objects.get_or_create(
                session=session,
                user=m.user,
                defaults={
                    "federation": federation,
                    "health_centre": m.health_centre,
                    "profession": m.profession,
                    "attended": True,
                },
            )
        Registration.objects.filter(session=session).update(attended=True)
        for kind, theme, profession, text, centre_index in batch:
            items.append(
                services.feedback_add(
                    actor=actor,
                    membership=staff,
                    group=hellodoc,
                    session=session,
                    kind=kind,
                    theme=theme,
                    profession=profession,
                    text=text,
                    centres=[hellodoc_centres[centre_index]],
                )
            )
        services.minutes_save(
            actor=actor,
            session=session,
            minutes=(
                "Tour de table des deux équipes, puis échanges avec les représentants de "
                "l'éditeur sur les sujets votés. Les besoins, difficultés et astuces sont "
                "repris ci-dessous."
            ),
        )
        services.minutes_publish(actor=actor, session=session)
    upcoming = sessions[-1]
    for m in lille:
        services.registration_register(membership=m, session=upcoming)
    voters = [m.user for m in lille]
    for title, votes in (
        ("Facturation infirmière : où en est la version 5.80 ?", 4),
        ("Partager les modèles de courrier entre sites", 2),
        ("Accès en lecture seule à l'ancien logiciel", 1),
    ):
        topic = AgendaTopic.objects.create(
            federation=federation, session=upcoming, title=title, proposed_by=voters[0]
        )
        for voter in voters[:votes]:
            AgendaVote.objects.get_or_create(topic=topic, user=voter)
    # A member adds feedback between sessions.
    nurse = people.get("infirmier@lille-moulins.demo")
    if nurse is not None:
        services.feedback_add(
            actor=nurse.user,
            membership=nurse,
            group=hellodoc,
            kind=FeedbackKind.NEED,
            theme=Theme.BILLING,
            text="Télétransmettre les feuilles de soins infirmiers sans repasser au cabinet",
        )

    # Synthesis: duplicates merged, support per MSP, priorities, published, answered in part.
    billing_items = [i for i in items if i.kind == FeedbackKind.NEED and i.theme == Theme.BILLING]
    nurse_billing = services.need_merge(
        actor=actor,
        federation=federation,
        software=software["hellodoc"],
        items=[i for i in billing_items if i.profession == "infirmier"],
        title="Facturation des actes infirmiers, y compris à domicile",
        theme=Theme.BILLING,
    )
    physio_billing = services.need_merge(
        actor=actor,
        federation=federation,
        software=software["hellodoc"],
        items=[i for i in billing_items if i.profession == "masseur_kinesitherapeute"],
        title="Facturation des actes de kinésithérapie",
        theme=Theme.BILLING,
    )
    others = [i for i in items if i.kind == FeedbackKind.NEED and i.theme != Theme.BILLING]
    merged = [
        services.need_merge(
            actor=actor,
            federation=federation,
            software=software["hellodoc"],
            items=[item],
            title=item.text,
            theme=item.theme,
        )
        for item in others
    ]
    for need, centre, importance in (
        (nurse_billing, hellodoc_centres[0], Importance.CRITICAL),
        (nurse_billing, hellodoc_centres[1], Importance.CRITICAL),
        (physio_billing, hellodoc_centres[0], Importance.IMPORTANT),
        (merged[0], hellodoc_centres[0], Importance.IMPORTANT),
        (merged[-1], hellodoc_centres[1], Importance.NICE),
    ):
        services.need_support(
            actor=actor, membership=staff, need=need, health_centre=centre, importance=importance
        )
    synthesis = services.synthesis_create(
        actor=actor,
        federation=federation,
        software=software["hellodoc"],
        period_start=timezone.localtime(sessions[0].starts_at).date() - timedelta(days=7),
        period_end=timezone.localdate(),
    )
    services.synthesis_publish(actor=actor, synthesis=synthesis)
    vendor_user = get_user_model().objects.filter(email="editeur@hellodoc.demo").first()
    if vendor_user is not None:
        services.answer_create(
            actor=vendor_user,
            need=nurse_billing,
            status="received",
            comment="Merci pour ce retour précis, transmis à l'équipe produit.",
        )
        services.answer_create(
            actor=vendor_user,
            need=nurse_billing,
            status="planned",
            planned_version="5.80",
            planned_for=timezone.localdate() + timedelta(days=75),
            comment="La facturation des actes infirmiers, tournées comprises, arrive en 5.80.",
        )
        services.answer_create(
            actor=vendor_user,
            need=physio_billing,
            status="studying",
            comment="Nous évaluons la charge ; réponse d'ici la prochaine séance.",
        )
