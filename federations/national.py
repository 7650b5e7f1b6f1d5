"""The national-scale dataset: every federation of France on one instance, for query budgets and
the load benchmark (``manage.py generate_national``). Deterministic from a seed number: the same
seed and sizes give the same rows (dates are counted from the day of generation).

This module creates the federations, MSPs and people and runs each app's ``<app>/national.py``:
``catalogue(ctx)`` (reference products, before the projects choose them) then ``generate(ctx)``, in
the order of ``STAGES``. Rows are inserted in bulk (``ctx.bulk`` / ``ctx.copy``), never one save
per row. Never in production.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from importlib import import_module
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from .models import Federation, HealthCentre, HolidayZone, Membership
from .professions import Profession
from .roles import Role

#: The password of every generated account (never a production dataset).
BENCH_PASSWORD = "Cap-SI-banc-2026"
#: The domain of every generated e-mail address.
DOMAIN = "bench.test"

#: (module, function) in the order they run: products first, then what refers to them.
STAGES: list[tuple[str, str]] = [
    ("vendors.national", "catalogue"),
    ("projects.national", "generate"),
    ("maturity.national", "generate"),
    ("vendors.national", "generate"),
    ("usergroups.national", "generate"),
]


class SizeError(ValueError):
    """A size the generator refuses, with a message for the person who asked."""


@dataclass(frozen=True)
class Sizes:
    """How much to generate. The defaults are the national scale."""

    federations: int = 17
    centres: int = 2_500
    members: int = 50_000
    projects: int = 2_500
    campaigns_per_centre: int = 2
    software: int = 30
    user_groups: int = 300
    sessions: int = 2_000
    feedback: int = 20_000

    #: Beyond ten times France, a size is a typing mistake, not a benchmark.
    LIMITS = {
        "federations": (1, 170),
        "centres": (1, 25_000),
        "members": (0, 500_000),
        "projects": (0, 25_000),
        "campaigns_per_centre": (0, 10),
        "software": (0, 300),
        "user_groups": (0, 3_000),
        "sessions": (0, 20_000),
        "feedback": (0, 200_000),
    }
    LABELS = {
        "federations": "fédérations",
        "centres": "MSP",
        "members": "membres",
        "projects": "projets",
        "campaigns_per_centre": "campagnes par MSP",
        "software": "logiciels",
        "user_groups": "groupes d'utilisateurs",
        "sessions": "séances",
        "feedback": "retours",
    }

    def scaled(self, factor: float) -> Sizes:
        """Everything but federations, campaigns per MSP and software, times ``factor``."""
        if not 0 < factor <= 10:
            raise SizeError(
                f"L'échelle doit être comprise entre 0 (exclu) et 10 ; reçu : {factor}."
            )
        keep = {"federations", "campaigns_per_centre", "software"}
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = value if f.name in keep else max(1, round(value * factor))
        return replace(self, **values)

    def validate(self) -> None:
        problems = []
        for name, (low, high) in self.LIMITS.items():
            value = getattr(self, name)
            label = self.LABELS[name]
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(f"{label} : un nombre entier est attendu (reçu {value!r}).")
            elif value < low:
                problems.append(f"{label} : au moins {low} (reçu {value}).")
            elif value > high:
                problems.append(
                    f"{label} : {value} est hors de proportion (au plus {high}, dix fois la "
                    "France entière)."
                )
        if not problems:
            if self.centres < self.federations:
                problems.append("Il faut au moins une MSP par fédération.")
            if self.projects > self.centres:
                problems.append("Une MSP a au plus un projet : projets ≤ MSP.")
            if self.sessions and not self.user_groups:
                problems.append("Des séances demandent au moins un groupe d'utilisateurs.")
            if self.feedback and not self.user_groups:
                problems.append("Des retours demandent au moins un groupe d'utilisateurs.")
        if problems:
            raise SizeError("Tailles refusées :\n- " + "\n- ".join(problems))


# Professions of an MSP team, weighted as they are found in MSPs (GPs and nurses first).
PROFESSION_WEIGHTS: list[tuple[str, int]] = [
    (Profession.GP, 26),
    (Profession.NURSE, 20),
    (Profession.PHYSIO, 12),
    (Profession.PHARMACIST, 6),
    (Profession.MIDWIFE, 5),
    (Profession.SPEECH_THERAPIST, 5),
    (Profession.PODIATRIST, 4),
    (Profession.DIETITIAN, 3),
    (Profession.PSYCHOLOGIST, 4),
    (Profession.DENTIST, 4),
    (Profession.SPECIALIST, 2),
    (Profession.ORTHOPTIST, 1),
    (Profession.MEDICO_SOCIAL, 2),
    (Profession.SECRETARY, 6),
]

REGIONS = [
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Guadeloupe",
    "Martinique",
    "La Réunion",
    "Guyane",
]
FIRST_NAMES = [
    "Camille", "Louise", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Claire", "Anne",
    "Hugo", "Lucas", "Louis", "Jules", "Paul", "Thomas", "Nicolas", "Pierre", "Marc", "Yanis",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
]  # fmt: skip
CITY_PARTS = ["Saint-", "Sainte-", "", "", "Le ", "La ", "Les "]
CITY_ROOTS = [
    "Amand", "Bourg", "Croix", "Fontaine", "Val", "Mont", "Pont", "Ville", "Bois", "Marais",
    "Plaine", "Rivière", "Chêne", "Moulin", "Prés", "Roche", "Sablons", "Vignes",
]  # fmt: skip

#: Centres a DIM follows.
CENTRES_PER_DIM = 15
STAFF_PER_FEDERATION = 3


@dataclass
class Context:
    """What the apps' generators share: the random source, the sizes, the people created so
    far, and the counts printed at the end."""

    sizes: Sizes
    seed: int
    rng: random.Random
    today: date
    log: Callable[[str], None] = print
    federations: list[Federation] = field(default_factory=list)
    #: MSPs created by this run, in creation order (all federations).
    centres: list[HealthCentre] = field(default_factory=list)
    #: MSP people of each generated MSP: the coordinator first, then the members.
    people: dict[int, list[Membership]] = field(default_factory=dict)
    staff: dict[int, list[Membership]] = field(default_factory=dict)
    dims: dict[int, list[Membership]] = field(default_factory=dict)
    #: (role, where, e-mail) of the accounts a benchmark signs in with.
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    password_hash: str = ""
    #: Anything an app wants to hand to a later stage (e.g. "software": [...]).
    shared: dict[str, Any] = field(default_factory=dict)

    # --- helpers -------------------------------------------------------------------------

    def coordinator(self, centre: HealthCentre) -> Membership:
        return self.people[centre.pk][0]

    def centres_of(self, federation: Federation) -> list[HealthCentre]:
        return [c for c in self.centres if c.federation_id == federation.pk]

    def pick_weighted(self, weighted: Sequence[tuple[Any, int]]) -> Any:
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights=weights, k=1)[0]

    def spread(self, total: int, buckets: int) -> list[int]:
        """``total`` split over ``buckets`` as evenly as integers allow (deterministic)."""
        if buckets <= 0:
            return []
        base, extra = divmod(total, buckets)
        return [base + (1 if i < extra else 0) for i in range(buckets)]

    def bulk(self, model: type[models.Model], objs: Iterable[models.Model], label: str = "",
             batch_size: int = 2_000) -> list[models.Model]:  # fmt: skip
        """``bulk_create`` in batches; returns the rows with their ids; counts them."""
        objs = list(objs)
        created: list[models.Model] = []
        for start in range(0, len(objs), batch_size):
            created.extend(model.objects.bulk_create(objs[start : start + batch_size]))
        self.counts[label or model._meta.verbose_name_plural] += len(created)
        return created

    def copy(self, model: type[models.Model], columns: Sequence[str],
             rows: Iterable[Sequence[Any]], label: str = "") -> int:  # fmt: skip
        """Insert plain rows (no ids returned), with ``COPY`` on PostgreSQL and batched
        ``executemany`` elsewhere; for the largest tables (ratings, votes, m2m rows).
        ``columns`` are database column names (``federation_id``…)."""
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        n = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                import io

                statement = f"COPY {table} ({cols}) FROM STDIN"
                buffer = io.StringIO()
                for row in rows:
                    buffer.write("\t".join(_copy_value(v) for v in row))
                    buffer.write("\n")
                    n += 1
                    if n % 200_000 == 0:
                        _copy_in(cursor.cursor, statement, buffer.getvalue())
                        buffer = io.StringIO()
                _copy_in(cursor.cursor, statement, buffer.getvalue())
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608 (model metadata)
                batch: list[Sequence[Any]] = []
                for row in rows:
                    batch.append(row)
                    n += 1
                    if len(batch) >= 5_000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
        self.counts[label or model._meta.verbose_name_plural] += n
        return n

    def person_name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)


def _copy_in(cursor: Any, statement: str, data: str) -> None:
    """``COPY … FROM STDIN`` of rows in PostgreSQL's text format (psycopg 3)."""
    if not data:
        return
    with cursor.copy(statement) as copy:
        copy.write(data)


def _copy_value(value: Any) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


def _city(rng: random.Random) -> str:
    return rng.choice(CITY_PARTS) + rng.choice(CITY_ROOTS)


def _new_federations(ctx: Context) -> list[Federation]:
    zones = [HolidayZone.A, HolidayZone.B, HolidayZone.C]
    rows = []
    for i in range(ctx.sizes.federations):
        region = REGIONS[i % len(REGIONS)]
        suffix = "" if i < len(REGIONS) else f" {i // len(REGIONS) + 1}"
        rows.append(
            Federation(
                slug=f"nat{i + 1:02d}",
                name=f"Fédération des MSP — {region}{suffix}",
                region=region,
                holiday_zone=zones[i % 3],
                staff_mfa_required=False,
            )
        )
    return ctx.bulk(Federation, rows, "fédérations")


def _users(ctx: Context, specs: list[tuple[str, str, str]]) -> list[Any]:
    """Users from (email, first name, last name), sharing one password hash."""
    User = get_user_model()
    return ctx.bulk(
        User,
        (
            User(email=email, first_name=first, last_name=last, password=ctx.password_hash)
            for email, first, last in specs
        ),
        "comptes",
        batch_size=5_000,
    )


def _people(ctx: Context, federation: Federation, centres: list[HealthCentre],
            members_per_centre: list[int], new_federation: bool,
            numbers: dict[int, int]) -> None:  # fmt: skip
    """Staff and DIMs of a new federation, then each MSP's coordinator and members. E-mail
    addresses carry the MSP's number in this run (``numbers``), not its id, so that the same
    seed gives the same addresses in any database."""
    slug = federation.slug
    specs: list[tuple[str, str, str]] = []
    plan: list[tuple[str, HealthCentre | None, str]] = []  # role, centre, profession
    if new_federation:
        for i in range(STAFF_PER_FEDERATION):
            first, last = ctx.person_name()
            email = f"staff@{slug}.{DOMAIN}" if i == 0 else f"staff{i + 1}@{slug}.{DOMAIN}"
            specs.append((email, first, last))
            plan.append((Role.STAFF, None, ""))
        for i in range(max(1, -(-len(centres) // CENTRES_PER_DIM))):
            first, last = ctx.person_name()
            email = f"dim@{slug}.{DOMAIN}" if i == 0 else f"dim{i + 1}@{slug}.{DOMAIN}"
            specs.append((email, first, last))
            plan.append((Role.DIM, None, Profession.GP))
    for centre, count in zip(centres, members_per_centre, strict=True):
        for j in range(max(1, count)):
            first, last = ctx.person_name()
            if j == 0:
                local, role, profession = "coordinateur", Role.COORDINATOR, Profession.COORDINATOR
            else:
                local, role = f"membre{j}", Role.MEMBER
                profession = ctx.pick_weighted(PROFESSION_WEIGHTS)
            specs.append((f"{local}@msp{numbers[centre.pk]:04d}.{slug}.{DOMAIN}", first, last))
            plan.append((role, centre, profession))
    users = _users(ctx, specs)
    memberships = ctx.bulk(
        Membership,
        (
            Membership(
                user=user,
                federation=federation,
                role=role,
                health_centre=centre,
                profession=profession,
            )
            for user, (role, centre, profession) in zip(users, plan, strict=True)
        ),
        "adhésions",
        batch_size=5_000,
    )
    for m in memberships:
        if m.role == Role.STAFF:
            ctx.staff.setdefault(federation.pk, []).append(m)
        elif m.role == Role.DIM:
            ctx.dims.setdefault(federation.pk, []).append(m)
        else:
            ctx.people.setdefault(m.health_centre_id, []).append(m)
    # Each DIM follows a run of consecutive MSPs; a federation's existing DIMs (when the
    # generator grows a federation that already has people) follow the new MSPs too.
    dims = ctx.dims.get(federation.pk) or list(
        Membership.objects.filter(federation=federation, role=Role.DIM)
    )
    ctx.dims[federation.pk] = dims
    through = Membership.assigned_centres.through
    links = []
    for i, centre in enumerate(centres):
        if new_federation:
            links.append(through(membership_id=dims[i // CENTRES_PER_DIM].pk, healthcentre=centre))
        else:
            links.extend(through(membership_id=d.pk, healthcentre=centre) for d in dims)
    ctx.bulk(through, links, "MSP suivies par un DIM")
    if not ctx.staff.get(federation.pk):
        ctx.staff[federation.pk] = list(
            Membership.objects.filter(federation=federation, role=Role.STAFF)
        )


def generate(*, sizes: Sizes, seed: int, log: Callable[[str], None] = print,
             federations: list[Federation] | None = None) -> Context:  # fmt: skip
    """Generate the dataset (inside the caller's transaction). With ``federations``, grow
    those existing federations instead of creating new ones (used by the query-budget tests).
    """
    sizes.validate()
    ctx = Context(sizes=sizes, seed=seed, rng=random.Random(seed), today=timezone.localdate(),
                  log=log)  # fmt: skip
    ctx.password_hash = make_password(BENCH_PASSWORD, salt=f"capsibench{seed}")
    started = time.monotonic()

    new = federations is None
    ctx.federations = _new_federations(ctx) if new else list(federations)
    per_federation = ctx.spread(sizes.centres, len(ctx.federations))
    members_per_centre = ctx.spread(sizes.members, sizes.centres)
    index = 0
    for federation, n_centres in zip(ctx.federations, per_federation, strict=True):
        taken = set(
            HealthCentre.objects.filter(federation=federation).values_list("name", flat=True)
        )
        rows = []
        for k in range(n_centres):
            name = f"MSP {_city(ctx.rng)} {index + k + 1:04d}"
            while name in taken:
                name += "·"
            taken.add(name)
            rows.append(
                HealthCentre(
                    federation=federation,
                    name=name,
                    city=_city(ctx.rng),
                    professionals_count=0,
                    sites_count=ctx.rng.choice([1, 1, 1, 2, 2, 3]),
                )
            )
        centres = ctx.bulk(HealthCentre, rows, "MSP")
        counts = members_per_centre[index : index + n_centres]
        for centre, count in zip(centres, counts, strict=True):
            centre.professionals_count = max(1, count)
        HealthCentre.objects.bulk_update(centres, ["professionals_count"], batch_size=2_000)
        ctx.centres.extend(centres)
        numbers = {c.pk: index + k + 1 for k, c in enumerate(centres)}
        _people(ctx, federation, centres, counts, new, numbers)
        index += n_centres
    if new:
        _record_accounts(ctx)
    ctx.log(f"Fédérations, MSP et personnes : {time.monotonic() - started:.0f} s")

    for module_name, function in STAGES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        step = getattr(module, function, None)
        if step is None:
            continue
        t0 = time.monotonic()
        step(ctx)
        ctx.log(f"{module_name}.{function} : {time.monotonic() - t0:.0f} s")
    return ctx


def _record_accounts(ctx: Context) -> None:
    first = ctx.federations[0]
    centre = ctx.centres_of(first)[0]
    ctx.accounts += [
        (Role.STAFF.label, first.name, ctx.staff[first.pk][0].user.email),
        (Role.DIM.label, first.name, ctx.dims[first.pk][0].user.email),
        (Role.COORDINATOR.label, centre.name, ctx.coordinator(centre).user.email),
    ]
    if len(ctx.people[centre.pk]) > 1:
        ctx.accounts.append((Role.MEMBER.label, centre.name, ctx.people[centre.pk][1].user.email))
    User = get_user_model()
    operator = User(email=f"operateur@{DOMAIN}", first_name="Opératrice", last_name="Nationale",
                    password=ctx.password_hash, is_staff=True)  # fmt: skip
    ctx.bulk(User, [operator], "comptes")
    ctx.accounts.append(("Opérateur de la plateforme", "—", operator.email))
