"""The vendors stages of the national dataset (``manage.py generate_national``).

- ``catalogue(ctx)`` runs before the projects: it tops the reference catalogue (Annexe 2, loaded
  by ``load_reference``) up to ``ctx.sizes.software`` active products with invented vendors and
  products, every name ending in « (généré) ». Each new product gets a label record, a fact for
  every characteristic and every capability (source and date), and explicit requirement
  coverage. Every vendor that has a product gets one vendor user
  (``editeur@<vendor-slug>.bench.test``). Existing products are left as they are (the pages show
  « non renseigné » for what is not documented). ``ctx.shared["software"]`` receives the ids of
  the active products, for the projects to choose from.
- ``generate(ctx)`` runs after the projects: peer ratings by the professionals of the MSPs that
  deployed a product (``ctx.shared["deployed"]``, or the projects themselves), most published,
  some waiting for moderation or refused, and a handful of correction proposals by the vendor
  users (pending, accepted with the fact they recorded, refused with a reason).

Vendor responsiveness has no source in this app (the projects' vendor requests and the user
groups' vendor answers feed it), so nothing is generated for it here.

Everything is inserted in bulk, randomness comes from ``ctx.rng`` only, dates are counted from
``ctx.today``; existing vendors and products (the test world's, in grow mode) are never changed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from federations.professions import LABEL_PROFESSIONS, Profession

from .models import (
    RATING_CRITERIA,
    Capability,
    CapabilityStatus,
    CharacteristicKey,
    CorrectionProposal,
    CorrectionStatus,
    Fact,
    FactSource,
    Hosting,
    LabelLevel,
    LabelRecord,
    LabelStatus,
    PeerRating,
    Perimeter,
    RatingStatus,
    Requirement,
    RequirementCoverage,
    Software,
    Vendor,
)
from .selectors import national_data_changed

if TYPE_CHECKING:
    from federations.national import Context

#: Marks every invented vendor and product (names) and every invented fact (notes).
GENERATED = "(généré)"
FACT_NOTE = "Valeur générée pour le jeu de données national"
ACCEPTED_NOTE = "Correction proposée par l'éditeur, acceptée."
VENDOR_EMAIL = "editeur@{slug}.bench.test"
ACCOUNT_ROLE = "Éditeur"

# Keys of ctx.shared used between the two stages of this module.
SHARED_USERS = "vendors.vendor_users"  # {vendor_id: user_id}
SHARED_GENERATED = "vendors.generated"  # [(software_id, vendor_id, {subject: value})]

PRODUCT_STEMS = [
    "MédiCoord", "PluriDoc", "SantéLien", "OrdoMSP", "CoordiSoins", "Dossier Commun",
    "ÉquipeDoc", "Synapse MSP", "Praxis Santé", "Kalia Pro", "Parcours Plus", "SoinsPartagés",
    "Maison Connect", "Cabinet Plus", "Ostéa", "Tempo Santé",
]  # fmt: skip
VENDOR_STEMS = [
    "Santéo Éditions", "Medilogic", "Numéris Santé", "Pluria", "Coordinat Informatique",
    "Ambulys", "Terra Médical", "Hexa Santé", "Lumen Logiciels", "Archipel Santé",
]  # fmt: skip
MOBILE_YES = [
    "Application smartphone et tablette",
    "Application tablette pour les visites à domicile",
    "Application mobile pour les infirmiers (tournées)",
]
MOBILE_PARTIAL = "Accès web depuis un smartphone, sans application dédiée"
MOBILE_NO = "Aucune application mobile"
TRAININGS = [
    "2 jours sur site puis formation à distance par profession",
    "Formation sur site par vagues de professions",
    "Formation à distance, tutoriels vidéo",
    "Formation sur site (1 jour) et classe virtuelle mensuelle",
    "Formation par un référent de l'éditeur pendant le premier mois",
]
HOTLINES = [
    "Du lundi au vendredi, 8 h – 19 h",
    "Jours ouvrés, 9 h – 18 h",
    "Du lundi au samedi, 8 h – 20 h",
    "Jours ouvrés, 8 h 30 – 18 h, rappel sous 4 h",
]
BETTER_HOTLINE = "Du lundi au samedi, 8 h – 20 h, rappel sous 2 h"
BETTER_TRAINING = "Formation sur site par profession, puis accompagnement à distance (3 mois)"

#: Comments of peer ratings, by the criterion the author scored lowest (≤ 2) or highest (5).
LOW_COMMENTS = {
    "ergonomics": "Beaucoup de clics pour les tâches courantes ; on s'y fait, mais lentement.",
    "billing": "La facturation de notre profession reste incomplète : double saisie au quotidien.",
    "hotline": "Hotline difficile à joindre, réponses souvent après plusieurs jours.",
    "training": "Formation trop courte, centrée sur les médecins.",
    "data_migration": "Reprise des données partielle : une partie de l'historique est à ressaisir.",
    "transparency": "Les évolutions annoncées arrivent avec beaucoup de retard.",
}
HIGH_COMMENTS = {
    "ergonomics": "Prise en main rapide, les écrans sont clairs.",
    "billing": "La télétransmission fonctionne sans souci, rejets rares.",
    "hotline": "Hotline réactive et compétente.",
    "training": "Formation sur site adaptée à chaque profession, très utile.",
    "data_migration": "Reprise de l'ancien logiciel bien menée, rien de perdu.",
    "transparency": "L'éditeur prévient à l'avance des nouveautés et tient ses dates.",
}
REJECT_REASONS = [
    "La fonctionnalité n'est pas disponible dans la version labellisée : à reproposer à sa sortie.",
    "Les MSP qui utilisent le logiciel décrivent une offre différente ; merci de préciser.",
]
PROPOSAL_COMMENTS = [
    "La nouvelle version apporte cette fonctionnalité à toutes nos MSP clientes.",
    "Notre offre a évolué depuis la dernière mise à jour de la fiche.",
    "Information à jour de notre catalogue commercial.",
]

#: Label professions other than the GP (always covered by a generated label).
_OTHER_LABEL_PROFESSIONS = [p for p in LABEL_PROFESSIONS if p != Profession.GP]


# --- Catalogue (before the projects) -----------------------------------------------------------


def catalogue(ctx: Context) -> None:
    """Top the catalogue up to ``ctx.sizes.software`` active products; one vendor user per
    vendor that has a product; the active product ids in ``ctx.shared["software"]``."""
    existing = list(
        Software.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    missing = max(0, ctx.sizes.software - len(existing))
    created = _new_products(ctx, missing, first_number=len(existing) + 1) if missing else []
    ctx.shared["software"] = existing + [s.pk for s in created]
    _vendor_users(ctx, first=[s.vendor_id for s in created])
    national_data_changed()  # products, labels, facts written in bulk, without the signals


def _unique(make, taken: set[str]) -> str:  # noqa: ANN001
    """``make(n)`` for the first n (from 0) whose result is not taken (then taken)."""
    n = 0
    while (value := make(n)) in taken:
        n += 1
    taken.add(value)
    return value


def _new_products(ctx: Context, count: int, *, first_number: int) -> list[Software]:
    rng = ctx.rng
    vendor_names = set()
    vendor_slugs = set()
    for name, slug in Vendor.objects.values_list("name", "slug"):
        vendor_names.add(name)
        vendor_slugs.add(slug)
    software_slugs = set(Software.objects.values_list("slug", flat=True))
    software_names = set(Software.objects.values_list("name", flat=True))

    # Vendors of one to three products each.
    sizes: list[int] = []
    left = count
    while left:
        n = min(left, ctx.pick_weighted([(1, 5), (2, 3), (3, 2)]))
        sizes.append(n)
        left -= n
    vendors = []
    for i in range(len(sizes)):
        stem = VENDOR_STEMS[i % len(VENDOR_STEMS)]
        name = _unique(
            lambda n, stem=stem, i=i: f"{stem} {i + 1 + 100 * n} {GENERATED}", vendor_names
        )
        slug = _unique(lambda n, name=name: slugify(name) + (f"-{n}" if n else ""), vendor_slugs)
        vendors.append(Vendor(name=name, slug=slug))
    vendors = ctx.bulk(Vendor, vendors, "éditeurs")

    products: list[Software] = []
    labels: list[LabelRecord] = []
    plans: list[dict[str, Any]] = []
    index = 0
    for vendor, n in zip(vendors, sizes, strict=True):
        for _k in range(n):
            number = first_number + index
            stem = PRODUCT_STEMS[index % len(PRODUCT_STEMS)]
            name = _unique(
                lambda n, stem=stem, number=number: (
                    f"{stem} {number}{'-' + str(n + 1) if n else ''} {GENERATED}"
                ),
                software_names,
            )
            slug = _unique(
                lambda n, name=name: slugify(name) + (f"-{n}" if n else ""), software_slugs
            )
            # A fixed mix whatever the seed: one in eight is a health-centre-only label, one in
            # eight lost its label; the others hold a label valid for MSPs (a third advanced).
            kind = {3: "cds", 5: "lost"}.get(index % 8, "msp")
            level = LabelLevel.ADVANCED if index % 3 == 0 else LabelLevel.STANDARD
            version = f"{rng.randint(1, 12)}.{rng.randint(0, 9)}"
            others = rng.sample(
                _OTHER_LABEL_PROFESSIONS, rng.randint(4, len(_OTHER_LABEL_PROFESSIONS))
            )
            professions = [str(Profession.GP)] + [
                str(p) for p in _OTHER_LABEL_PROFESSIONS if p in others
            ]
            labelled_on = ctx.today - timedelta(days=rng.randint(120, 2_400))
            products.append(
                Software(
                    vendor=vendor,
                    name=name,
                    slug=slug,
                    version=version,
                    is_active=True,
                    label_level=level if kind == "msp" else "",
                )
            )
            labels.append(
                LabelRecord(
                    referential="V2",
                    software_version=version,
                    perimeter=Perimeter.CDS_ONLY if kind == "cds" else Perimeter.MSP_AND_CDS,
                    professions=professions,
                    level=level,
                    labelled_on=labelled_on,
                    status=LabelStatus.LOST if kind == "lost" else LabelStatus.VALID,
                    status_note=(
                        f"Label non renouvelé à la révision du référentiel {GENERATED}"
                        if kind == "lost"
                        else ""
                    ),
                )
            )
            plans.append({"kind": kind, "level": level, "professions": set(professions)})
            index += 1
    products = ctx.bulk(Software, products, "logiciels")
    for software, label in zip(products, labels, strict=True):
        label.software = software
    ctx.bulk(LabelRecord, labels, "labels")

    caps = list(Capability.objects.order_by("code"))
    facts: list[Fact] = []
    generated: list[tuple[int, int, dict[str, str]]] = []
    for i, (software, plan) in enumerate(zip(products, plans, strict=True)):
        current = _product_facts(ctx, software, plan, caps, facts, history=i % 3 == 0)
        generated.append((software.pk, software.vendor_id, current))
    ctx.bulk(Fact, facts, "caractéristiques des logiciels")
    ctx.shared[SHARED_GENERATED] = generated

    requirements = list(Requirement.objects.order_by("code"))
    rank = {LabelLevel.STANDARD: 1, LabelLevel.ADVANCED: 2}
    coverage = []
    for software, plan in zip(products, plans, strict=True):
        label_rank = rank[plan["level"]] if plan["kind"] != "lost" else 0
        for req in requirements:
            if label_rank >= rank.get(req.level, 1):
                covered, source = True, FactSource.VERIFIED
            else:
                covered, source = rng.random() < 0.6, FactSource.DECLARED
            coverage.append(
                RequirementCoverage(
                    software=software, requirement=req, covered=covered, source=source
                )
            )
    ctx.bulk(RequirementCoverage, coverage, "couvertures d'exigences")
    return products


def _fact_meta(ctx: Context) -> tuple[str, date]:
    source = ctx.pick_weighted(
        [(FactSource.DECLARED, 7), (FactSource.VERIFIED, 2), (FactSource.REPORTED, 1)]
    )
    return str(source), ctx.today - timedelta(days=ctx.rng.randint(15, 500))


def _product_facts(
    ctx: Context,
    software: Software,
    plan: dict[str, Any],
    caps: list[Capability],
    out: list[Fact],
    *,
    history: bool,
) -> dict[str, str]:
    """Append the facts of a new product to ``out`` (older values first, so that the newest
    is the current one); return the current value per subject."""
    rng = ctx.rng
    current: dict[str, str] = {}

    def add(value: str, *, key: str = "", capability: Capability | None = None) -> None:
        source, as_of = _fact_meta(ctx)
        out.append(
            Fact(
                software=software,
                key=key,
                capability=capability,
                value=value,
                source=source,
                as_of=as_of,
                note=FACT_NOTE,
            )
        )
        current[key or f"cap:{capability.pk}"] = value

    hosting = ctx.pick_weighted([(Hosting.ON_SITE, 3), (Hosting.VENDOR, 3), (Hosting.WEB, 4)])
    breadth = rng.uniform(0.45, 0.9)
    cap_values: dict[str, str] = {}
    for cap in caps:
        if cap.profession and cap.profession not in plan["professions"]:
            weights = [
                (CapabilityStatus.YES, 15),
                (CapabilityStatus.PARTIAL, 25),
                (CapabilityStatus.NO, 60),
            ]
        elif cap.code in ("mobilite", "application-mobile") and hosting == Hosting.WEB:
            weights = [(CapabilityStatus.YES, 70), (CapabilityStatus.PARTIAL, 30)]
        else:
            yes = round(100 * breadth)
            weights = [
                (CapabilityStatus.YES, yes),
                (CapabilityStatus.PARTIAL, (100 - yes) * 3 // 5),
                (CapabilityStatus.NO, (100 - yes) * 2 // 5 + 1),
            ]
        cap_values[cap.code] = str(ctx.pick_weighted(weights))
    mobile = cap_values.get("application-mobile") or ctx.pick_weighted(
        [(CapabilityStatus.YES, 2), (CapabilityStatus.PARTIAL, 1), (CapabilityStatus.NO, 1)]
    )

    web = hosting == Hosting.WEB
    cost_initial = rng.choice([0, 0, 500, 1000] if web else [1500, 2500, 3500, 4500, 6000, 8000])
    cost_monthly = 5 * (rng.randint(12, 24) if web else rng.randint(8, 18))
    if history:  # a price change: last year's price is kept as history
        source, as_of = _fact_meta(ctx)
        out.append(
            Fact(
                software=software,
                key=CharacteristicKey.COST_MONTHLY,
                value=str(cost_monthly - 5 * rng.randint(1, 3)),
                source=FactSource.DECLARED,
                as_of=as_of - timedelta(days=365),
                note=FACT_NOTE,
            )
        )
    add(str(cost_initial), key=CharacteristicKey.COST_INITIAL)
    add(str(cost_monthly), key=CharacteristicKey.COST_MONTHLY)
    add(str(hosting), key=CharacteristicKey.HOSTING)
    add(
        rng.choice(MOBILE_YES)
        if mobile == CapabilityStatus.YES
        else MOBILE_PARTIAL
        if mobile == CapabilityStatus.PARTIAL
        else MOBILE_NO,
        key=CharacteristicKey.MOBILE_APPS,
    )
    add(rng.choice(TRAININGS), key=CharacteristicKey.TRAINING)
    add(rng.choice(HOTLINES), key=CharacteristicKey.HOTLINE)
    for cap in caps:
        add(cap_values[cap.code], capability=cap)
    return current


def _vendor_users(ctx: Context, *, first: list[int]) -> None:
    """One vendor user per vendor that has a product (the vendors of the new products first),
    unless it exists already; the first one goes to ``ctx.accounts``."""
    User = get_user_model()
    vendors = list(Vendor.objects.filter(software__isnull=False).distinct().order_by("name", "pk"))
    position = {vendor_id: i for i, vendor_id in enumerate(dict.fromkeys(first))}
    vendors.sort(key=lambda v: (position.get(v.pk, len(position)), v.name, v.pk))
    emails = {v.pk: VENDOR_EMAIL.format(slug=v.slug.replace("_", "-")) for v in vendors}
    known = dict(User.objects.filter(email__in=list(emails.values())).values_list("email", "pk"))
    new = []
    for vendor in vendors:
        if emails[vendor.pk] in known:
            continue
        first_name, last_name = ctx.person_name()
        new.append(
            User(
                email=emails[vendor.pk],
                first_name=first_name,
                last_name=last_name,
                password=ctx.password_hash,
                vendor=vendor,
            )
        )
    for user in ctx.bulk(User, new, "comptes d'éditeur"):
        known[user.email] = user.pk
    ctx.shared[SHARED_USERS] = {v.pk: known[emails[v.pk]] for v in vendors}
    if vendors:
        ctx.accounts.append((ACCOUNT_ROLE, vendors[0].name, emails[vendors[0].pk]))


# --- Ratings and corrections (after the projects) ----------------------------------------------


def generate(ctx: Context) -> None:
    deployed = ctx.shared.get("deployed")
    if deployed is None:
        deployed = _deployed_from_projects(ctx)
    _ratings(ctx, deployed)
    _corrections(ctx)
    national_data_changed()  # ratings and facts written in bulk, without services or signals


def _deployed_from_projects(ctx: Context) -> list[tuple[int, int, date]]:
    """(centre id, software id, deployed on) of the projects of this run's MSPs. One query."""
    from projects.models import Project

    centres = {c.pk for c in ctx.centres}
    rows = (
        Project.objects.filter(
            federation_id__in=[f.pk for f in ctx.federations],
            deployed_on__isnull=False,
            chosen_software__isnull=False,
        )
        .order_by("health_centre_id")
        .values_list("health_centre_id", "chosen_software_id", "deployed_on")
    )
    return [row for row in rows if row[0] in centres]


def _at(ctx: Context, day: date) -> datetime:
    """A working-hours moment of ``day`` (aware, current time zone)."""
    return datetime.combine(
        day,
        time(ctx.rng.randint(8, 18), ctx.rng.randint(0, 59)),
        tzinfo=timezone.get_current_timezone(),
    )


def _db(value: Any) -> Any:
    """A date or datetime as the database expects it in raw inserts."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _ratings(ctx: Context, deployed: list[tuple[int, int, date]]) -> None:
    """Ratings of the deployed products by professionals of the deploying MSPs: a fifth to a
    half of each team (at least three people) rate once the software has been in use for two
    weeks; the federation's staff publish most of them after a few days, refuse a few."""
    rng = ctx.rng
    keys = [k for k, _label in RATING_CRITERIA]
    federation_of = {c.pk: c.federation_id for c in ctx.centres}
    latest = ctx.today - timedelta(days=1)
    profiles: dict[int, dict[str, float]] = {}
    billing_bias: dict[tuple[int, str], float] = {}
    rows = []
    for centre_id, software_id, deployed_on in sorted(deployed, key=lambda d: (d[0], d[1])):
        people = [m for m in ctx.people.get(centre_id, []) if m.profession]
        first_day = deployed_on + timedelta(days=14)
        if not people or centre_id not in federation_of or first_day > latest:
            continue
        if software_id not in profiles:
            base = rng.uniform(2.4, 4.2)
            profiles[software_id] = {k: base + rng.uniform(-0.7, 0.7) for k in keys}
        profile = profiles[software_id]
        staff = ctx.staff.get(federation_of[centre_id]) or []
        count = max(min(3, len(people)), round(len(people) * rng.uniform(0.2, 0.5)))
        for m in rng.sample(people, count):
            bias_key = (software_id, m.profession)
            if bias_key not in billing_bias:
                gp = m.profession == Profession.GP
                billing_bias[bias_key] = 0.0 if gp else rng.uniform(-1.3, 0.3)
            scores = {}
            for k in keys:
                mean = profile[k] + (billing_bias[bias_key] if k == "billing" else 0.0)
                scores[k] = min(5, max(1, round(rng.gauss(mean, 0.9))))
            comment = ""
            if rng.random() < 0.35:
                low = min(keys, key=lambda k: scores[k])
                high = max(keys, key=lambda k: scores[k])
                if scores[low] <= 2:
                    comment = LOW_COMMENTS[low]
                elif scores[high] == 5:
                    comment = HIGH_COMMENTS[high]
            day = first_day + timedelta(days=rng.randint(0, (latest - first_day).days))
            created = _at(ctx, day)
            age = (ctx.today - day).days
            draw = rng.random()
            status = RatingStatus.PUBLISHED
            if not staff or age < 3 or draw < (0.5 if age < 15 else 0.08):
                status = RatingStatus.PENDING
            elif draw > 0.94:
                status = RatingStatus.REJECTED
            moderator, moderated = None, None
            if status != RatingStatus.PENDING:
                moderator = rng.choice(staff).user_id
                moderated = _at(ctx, day + timedelta(days=rng.randint(1, min(age - 1, 10))))
            rows.append(
                (
                    federation_of[centre_id],
                    centre_id,
                    software_id,
                    m.user_id,
                    str(m.profession),
                    *(scores[k] for k in keys),
                    comment,
                    str(status),
                    _db(created),
                    _db(moderated or created),
                    moderator,
                    _db(moderated),
                )
            )
    columns = [
        "federation_id",
        "health_centre_id",
        "software_id",
        "author_id",
        "profession",
        *keys,
        "comment",
        "status",
        "created_at",
        "updated_at",
        "moderated_by_id",
        "moderated_at",
    ]
    ctx.copy(PeerRating, columns, rows, "avis de pairs")


def _proposal_subject(
    ctx: Context, current: dict[str, str], caps: dict[int, Capability]
) -> tuple[str, int | None, str] | None:
    """(key, capability id, proposed value) of an improvement the vendor claims."""
    options: list[tuple[str, int | None, str]] = []
    for subject, value in sorted(current.items()):
        if subject.startswith("cap:"):
            cap_id = int(subject[4:])
            if value != CapabilityStatus.YES and cap_id in caps:
                options.append(("", cap_id, str(CapabilityStatus.YES)))
        elif subject == CharacteristicKey.HOTLINE and value != BETTER_HOTLINE:
            options.append((subject, None, BETTER_HOTLINE))
        elif subject == CharacteristicKey.TRAINING and value != BETTER_TRAINING:
            options.append((subject, None, BETTER_TRAINING))
        elif subject == CharacteristicKey.COST_MONTHLY and int(value) > 40:
            options.append((subject, None, str(int(value) - 5)))
    return ctx.rng.choice(options) if options else None


def _corrections(ctx: Context) -> None:
    """A handful of proposals on the new products, one per product: half pending, the others
    accepted (with the declared fact the acceptance recorded) or refused with a reason."""
    generated = ctx.shared.get(SHARED_GENERATED) or []
    users = ctx.shared.get(SHARED_USERS) or {}
    if not generated:
        return
    rng = ctx.rng
    staff = ctx.staff.get(ctx.federations[0].pk, []) if ctx.federations else []
    deciders = [m.user_id for m in staff]
    caps = {c.pk: c for c in Capability.objects.all()}
    cycle = [
        CorrectionStatus.PENDING,
        CorrectionStatus.ACCEPTED,
        CorrectionStatus.PENDING,
        CorrectionStatus.REJECTED,
    ]
    count = min(len(generated), max(4, len(generated) // 2))
    rows: list[dict[str, Any]] = []
    accepted: list[tuple[dict[str, Any], Fact]] = []
    for i, index in enumerate(sorted(rng.sample(range(len(generated)), count))):
        software_id, vendor_id, current = generated[index]
        subject = _proposal_subject(ctx, current, caps)
        if vendor_id not in users or subject is None:
            continue
        key, cap_id, value = subject
        status = cycle[i % len(cycle)] if deciders else CorrectionStatus.PENDING
        row = {
            "software_id": software_id,
            "key": key,
            "capability_id": cap_id,
            "value": value,
            "previous_value": current.get(key or f"cap:{cap_id}", ""),
            "comment": rng.choice(PROPOSAL_COMMENTS),
            "status": str(status),
            "proposed_by_id": users[vendor_id],
            "decided_by_id": None,
            "decided_at": None,
            "decision_comment": "",
            "fact_id": None,
        }
        if status == CorrectionStatus.PENDING:
            row["proposed_at"] = _at(ctx, ctx.today - timedelta(days=rng.randint(1, 20)))
        else:
            proposed_day = ctx.today - timedelta(days=rng.randint(25, 120))
            decided_day = proposed_day + timedelta(days=rng.randint(1, 15))
            row["proposed_at"] = _at(ctx, proposed_day)
            row["decided_at"] = _at(ctx, decided_day)
            row["decided_by_id"] = rng.choice(deciders)
        if status == CorrectionStatus.REJECTED:
            row["decision_comment"] = rng.choice(REJECT_REASONS)
        if status == CorrectionStatus.ACCEPTED:
            fact = Fact(
                software_id=software_id,
                key=key,
                capability_id=cap_id,
                value=value,
                source=FactSource.DECLARED,
                as_of=row["decided_at"].date(),
                note=ACCEPTED_NOTE,
                recorded_by_id=row["decided_by_id"],
            )
            accepted.append((row, fact))
        rows.append(row)
    facts = ctx.bulk(Fact, [fact for _row, fact in accepted], "caractéristiques des logiciels")
    for (row, _fact), fact in zip(accepted, facts, strict=True):
        row["fact_id"] = fact.pk
    if not rows:
        return
    columns = list(rows[0])
    ctx.copy(
        CorrectionProposal,
        columns,
        ([_db(row[c]) for c in columns] for row in rows),
        "propositions de correction",
    )
