"""Reads of the vendors app: catalogue, facts, coverage, peer ratings, adoption, responsiveness,
comparison grid and fit to a project's needs. Every function runs a bounded number of queries
whatever the number of products, ratings and projects."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, F, Prefetch, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from federations.professions import Profession

from . import responsiveness as responsiveness_registry
from .memo import National, new_generation
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
    LabelRecord,
    LabelStatus,
    PeerRating,
    RatingStatus,
    Requirement,
    RequirementCoverage,
    RequirementDimension,
    Software,
)

MIN_COMPARED = 2
MAX_COMPARED = 4
NEED_WEIGHTS = {"should": 3, "could": 1}


def min_ratings() -> int:
    """Below this number of published ratings, no aggregate is shown (nobody's rating can be
    read back)."""
    return max(2, int(getattr(settings, "VENDORS_MIN_RATINGS", 3)))


# --- Catalogue ---------------------------------------------------------------------------------


def software_queryset() -> QuerySet[Software]:
    return Software.objects.select_related("vendor").prefetch_related(
        Prefetch("labels", queryset=LabelRecord.objects.order_by("-referential"))
    )


def _current_of(labels: Sequence[LabelRecord]) -> LabelRecord | None:
    """Of a product's label records, newest referential first: the valid one if any, else the
    most recent one."""
    for lr in labels:
        if lr.status == LabelStatus.VALID:
            return lr
    return labels[0] if labels else None


def current_label(software: Software) -> LabelRecord | None:
    """The label shown for a software: the valid one if any, else the most recent record."""
    return _current_of(list(software.labels.all()))


def label_of(software) -> LabelRecord | None:  # noqa: ANN001
    """The current label of a product loaded by the selectors (``current_label`` set on it) or
    of a ``CatalogueEntry``."""
    lr = getattr(software, "current_label", _UNSET)
    return current_label(software) if lr is _UNSET else lr


_UNSET = object()


@dataclass(frozen=True)
class VendorName:
    name: str
    slug: str


@dataclass
class CatalogueEntry:
    """A product as the catalogue and the comparator show it, kept in the cache (see
    ``catalogue_entries``). It answers like a ``Software`` loaded by the selectors (``pk``,
    ``slug``, ``name``, ``vendor.name``, ``current_label``), so ``comparison()`` takes either."""

    pk: int
    slug: str
    name: str
    version: str
    is_active: bool
    vendor: VendorName
    current_label: LabelRecord | None
    #: the current label as the catalogue shows it, in the language the entries were made for:
    #: its badge ("ok" when valid, "bad" otherwise), the badge's text (level, or state) and
    #: "referential, date"
    label_badge: str = ""
    label_text: str = ""
    label_meta: str = ""
    #: set by the catalogue page on the copies of the rows it shows
    adoption: Adoption | None = None
    rating: RatingAggregate | None = None
    rating_text: str = ""
    detail_url: str = ""


def _load_catalogue_entries() -> list[CatalogueEntry]:
    """Every product (active or not) in name order, with its current label. Two queries."""
    labels: dict[int, list[LabelRecord]] = defaultdict(list)
    for lr in LabelRecord.objects.order_by("-referential"):
        labels[lr.software_id].append(lr)
    entries = []
    for sw in Software.objects.select_related("vendor").order_by("name"):
        lr = _current_of(labels.get(sw.pk, []))
        entries.append(
            CatalogueEntry(
                pk=sw.pk,
                slug=sw.slug,
                name=sw.name,
                version=sw.version,
                is_active=sw.is_active,
                vendor=VendorName(name=sw.vendor.name, slug=sw.vendor.slug),
                current_label=lr,
                **_label_display(lr),
            )
        )
    return entries


def _label_display(lr: LabelRecord | None) -> dict[str, str]:
    if lr is None:
        return {}
    valid = lr.status == LabelStatus.VALID
    date = formats.date_format(lr.labelled_on, "j F Y") if lr.labelled_on else ""
    return {
        "label_badge": "ok" if valid else "bad",
        "label_text": lr.get_level_display()
        if valid
        else _("label %(st)s") % {"st": lr.get_status_display()},
        "label_meta": f"{lr.referential}, {date}" if date else lr.referential,
    }


def catalogue_entries(*, national: National | None = None) -> list[CatalogueEntry]:
    """Every product of the national catalogue (active or not, tens of them), in name order:
    the copy of this process (see ``vendors.memo``), or two queries. Shared: read only."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return (national or National()).get(f"catalogue:{language}", _load_catalogue_entries)


def labelled_software_count(*, national: National | None = None) -> int:
    """How many active products hold a label (the home page's figure): the copy of this
    process (``vendors.memo``), or one query."""
    return (national or National()).get(
        "labelled-count",
        lambda: Software.objects.filter(is_active=True, label_level__gt="").count(),
    )


def national_data_changed(**kwargs) -> None:  # noqa: ANN003
    """Products, vendors, labels, facts, coverage, capabilities, requirements or published
    ratings changed: every process computes its national figures again. Called by the services
    and the bulk writers; receiver of the model signals connected in ``apps.py``."""
    new_generation()


def catalogue(
    *,
    profession: str = "",
    label: str = "",
    query: str = "",
    national: National | None = None,
) -> list[CatalogueEntry]:
    """Active products of the national catalogue (bounded: tens of products) with their current
    label. Filters: profession covered by the label, label state (``valid``, ``msp`` = valid for
    maisons de santé, ``none``), name of the product or its vendor. The entries are shared
    (``vendors.memo``): copy those a page decorates (``dataclasses.replace``)."""
    needle = query.casefold()
    result = []
    for entry in catalogue_entries(national=national):
        if not entry.is_active:
            continue
        if needle and not (
            needle in entry.name.casefold() or needle in entry.vendor.name.casefold()
        ):
            continue
        lr = entry.current_label
        valid = lr is not None and lr.status == LabelStatus.VALID
        if profession and not (valid and profession in lr.professions):
            continue
        if label == "valid" and not valid:
            continue
        if label == "msp" and not (lr is not None and lr.valid_for_msp):
            continue
        if label == "none" and valid:
            continue
        result.append(entry)
    return result


def with_adoption(softwares: Iterable[Software], *, federation=None) -> None:  # noqa: ANN001
    """Set ``.adoption`` on each software (one query for them all)."""
    softwares = list(softwares)
    counts = adoption([s.pk for s in softwares], federation=federation)
    for sw in softwares:
        sw.adoption = counts.get(sw.pk, Adoption())


def software_for_slugs(
    slugs: Iterable[str], *, catalogue: list[CatalogueEntry] | None = None
) -> list[CatalogueEntry]:
    """The products of these slugs (active or not), in the order given; unknown slugs are left
    out. ``catalogue``: the entries when the caller has already read them."""
    order = list(dict.fromkeys(slugs))
    entries = catalogue_entries() if catalogue is None else catalogue
    found = {e.slug: e for e in entries if e.slug in order}
    return [found[s] for s in order if s in found]


# --- Adoption ----------------------------------------------------------------------------------


@dataclass
class Adoption:
    federation: int = 0
    federation_deployed: int = 0
    national: int = 0
    national_deployed: int = 0


def adoption(software_ids: Sequence[int], *, federation=None) -> dict[int, Adoption]:  # noqa: ANN001
    """How many MSPs chose each software (and how many have deployed it), in the federation and
    nationally, counted from the projects themselves. One query, written in SQL: the catalogue
    and the comparator run it on every view, and the ORM took longer to build it (four filtered
    counts) than the database to answer it."""
    from projects.models import Project

    ids = [int(pk) for pk in software_ids]
    if not ids:
        return {}
    fed_id = getattr(federation, "pk", None)
    meta, quote = Project._meta, connection.ops.quote_name
    software = quote(meta.get_field("chosen_software").column)
    deployed = f"{quote(meta.get_field('deployed_on').column)} IS NOT NULL"
    in_federation = f"{quote(meta.get_field('federation').column)} = %s"
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT {software}, COUNT(*),"  # noqa: S608 - names from the model, values as parameters
        f" SUM(CASE WHEN {deployed} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {in_federation} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {in_federation} AND {deployed} THEN 1 ELSE 0 END)"
        f" FROM {quote(meta.db_table)} WHERE {software} IN ({marks}) GROUP BY {software}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fed_id, fed_id, *ids])
        rows = cursor.fetchall()
    return {
        sw_id: Adoption(
            federation=int(fed or 0),
            federation_deployed=int(fed_deployed or 0),
            national=int(national),
            national_deployed=int(national_deployed or 0),
        )
        for sw_id, national, national_deployed, fed, fed_deployed in rows
    }


# --- Facts -------------------------------------------------------------------------------------


def current_facts(software_ids: Sequence[int]) -> dict[int, dict[str, Fact]]:
    """The newest fact per software and subject (``key`` or ``cap:<id>``). One query."""
    result: dict[int, dict[str, Fact]] = defaultdict(dict)
    facts = (
        Fact.objects.filter(software_id__in=list(software_ids))
        .select_related("capability")
        .order_by("created_at", "pk")
    )
    for fact in facts:
        result[fact.software_id][fact.subject] = fact
    return result


def fact_history(software: Software, *, limit: int = 30) -> list[Fact]:
    """The latest ``limit`` facts recorded on the software, newest first."""
    return list(
        Fact.objects.filter(software=software)
        .select_related("capability", "recorded_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def display_value(fact: Fact | None) -> str:
    if fact is None:
        return _("non renseigné")
    if fact.capability_id:
        return str(dict(CapabilityStatus.choices).get(fact.value, fact.value))
    if fact.key in (CharacteristicKey.COST_INITIAL, CharacteristicKey.COST_MONTHLY):
        try:
            amount = float(fact.value.replace(",", ".").replace(" ", ""))
        except ValueError:
            return fact.value
        return f"{formats.number_format(amount, 0, use_l10n=True, force_grouping=True)} €"
    if fact.key == CharacteristicKey.HOSTING:
        return str(dict(Hosting.choices).get(fact.value, fact.value))
    return fact.value


def fact_provenance(fact: Fact | None) -> str:
    if fact is None:
        return ""
    return f"{fact.get_source_display()}, {formats.date_format(fact.as_of, 'j F Y')}"


def capabilities(profession: str = "", *, national: National | None = None) -> list[Capability]:
    """The capabilities (of every profession, or of one profession and the common ones), in
    their order; the copy of this process (see ``vendors.memo``). Shared: read only."""
    caps = (national or National()).get("capabilities", lambda: list(Capability.objects.all()))
    if profession:
        return [c for c in caps if c.profession in ("", profession)]
    return list(caps)


# --- National reference data (kept in memory: see vendors.memo) ------------------------------


@dataclass
class Requirements:
    dimensions: dict[int, RequirementDimension]
    #: (id, dimension id, level) of every requirement
    requirements: list[tuple[int, int, str]]


def _load_requirements() -> Requirements:
    return Requirements(
        dimensions={d.pk: d for d in RequirementDimension.objects.all()},
        requirements=list(Requirement.objects.values_list("pk", "dimension_id", "level")),
    )


def requirements(*, national: National | None = None) -> Requirements:
    return (national or National()).get("requirements", _load_requirements)


@dataclass
class ProductSheet:
    """What the comparator reads of one product besides its catalogue entry."""

    #: the newest fact per subject (``current_facts``)
    facts: dict[str, Fact]
    #: explicit requirement coverage: requirement id -> covered
    coverage: dict[int, bool]


def _load_sheets(software_ids: list[int]) -> dict[int, ProductSheet]:
    facts: dict[int, dict[str, Fact]] = defaultdict(dict)
    for fact in (
        Fact.objects.filter(software_id__in=software_ids)
        .only("software_id", "key", "capability_id", "value", "source", "as_of")
        .order_by("created_at", "pk")
    ):
        facts[fact.software_id][fact.subject] = fact
    explicit: dict[int, dict[int, bool]] = defaultdict(dict)
    for sw_id, req_id, covered in RequirementCoverage.objects.filter(
        software_id__in=software_ids
    ).values_list("software_id", "requirement_id", "covered"):
        explicit[sw_id][req_id] = covered
    return {
        pk: ProductSheet(facts=facts.get(pk, {}), coverage=explicit.get(pk, {}))
        for pk in software_ids
    }


def product_sheets(
    software_ids: Sequence[int], *, national: National | None = None
) -> dict[int, ProductSheet]:
    """The sheets of these products: the copies of this process, and two queries for the
    others. Shared: read only."""
    names = {f"sheet:{pk}": pk for pk in software_ids}

    def compute(missing: list[str]) -> dict[str, ProductSheet]:
        sheets = _load_sheets([names[name] for name in missing])
        return {f"sheet:{pk}": sheet for pk, sheet in sheets.items()}

    found = (national or National()).get_many(names, compute)
    return {pk: found[name] for name, pk in names.items()}


# --- Requirements coverage ---------------------------------------------------------------------


@dataclass
class DimensionCoverage:
    dimension: RequirementDimension
    covered: int = 0
    total: int = 0


def coverage(
    softwares: Sequence[Software],
    *,
    sheets: dict[int, ProductSheet] | None = None,
    national: National | None = None,
) -> dict[int, list[DimensionCoverage]]:
    """Per software and dimension: requirements covered out of the total. An explicit coverage
    row wins; otherwise a valid label covers the requirements of its level and below. From the
    national copies (requirements, product sheets: pass ``sheets`` when already read)."""
    national = national or National()
    ref = requirements(national=national)
    if sheets is None:
        sheets = product_sheets([s.pk for s in softwares], national=national)
    order = {"standard": 1, "avance": 2}
    result: dict[int, list[DimensionCoverage]] = {}
    for sw in softwares:
        lr = label_of(sw)
        label_rank = order.get(lr.level, 0) if lr and lr.status == LabelStatus.VALID else 0
        explicit = sheets[sw.pk].coverage if sw.pk in sheets else {}
        dims: dict[int, DimensionCoverage] = {}
        for req_id, dimension_id, level in ref.requirements:
            dc = dims.get(dimension_id)
            if dc is None:
                dc = dims[dimension_id] = DimensionCoverage(ref.dimensions[dimension_id])
            dc.total += 1
            covered = explicit.get(req_id)
            if covered is None:
                covered = label_rank >= order.get(level, 1)
            dc.covered += int(bool(covered))
        result[sw.pk] = sorted(
            dims.values(), key=lambda d: (d.dimension.position, d.dimension.code)
        )
    return result


def requirements_by_dimension() -> list[RequirementDimension]:
    return list(
        RequirementDimension.objects.prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("code"))
        )
    )


# --- Peer ratings ------------------------------------------------------------------------------


@dataclass
class RatingAggregate:
    count: int = 0
    averages: dict[str, float | None] = field(default_factory=dict)
    shown: bool = False


#: Published ratings of one product, per profession: (profession, count, averages in the
#: order of ``RATING_CRITERIA``).
RatingRows = list[tuple[str, int, tuple[float | None, ...]]]


def _published_rating_rows(software_ids: Sequence[int] | None) -> dict[int, RatingRows]:
    """One query: the published ratings of each product (of every product when ``None``),
    counted and averaged per profession."""
    keys = [k for k, _label in RATING_CRITERIA]
    qs = PeerRating.objects.filter(status=RatingStatus.PUBLISHED)
    if software_ids is not None:
        qs = qs.filter(software_id__in=list(software_ids))
    rows = (
        qs.values("software_id", "profession")
        .annotate(n=Count("pk"), **{f"avg_{k}": Avg(k) for k in keys})
        .order_by()
    )
    result: dict[int, RatingRows] = defaultdict(list)
    for r in rows:
        averages = tuple(None if r[f"avg_{k}"] is None else float(r[f"avg_{k}"]) for k in keys)
        result[r["software_id"]].append((r["profession"], r["n"], averages))
    return dict(result)


def _aggregates(
    rows_by_software: dict[int, RatingRows], *, profession: str = "", overall_only: bool = False
) -> dict[int, dict[str, RatingAggregate]]:
    keys = [k for k, _label in RATING_CRITERIA]
    threshold = min_ratings()
    result: dict[int, dict[str, RatingAggregate]] = defaultdict(dict)
    for sw_id, rows in rows_by_software.items():
        if not rows:
            continue
        total = 0
        sums = [0.0] * len(keys)
        for prof, n, averages in rows:
            total += n
            for i, avg in enumerate(averages):
                sums[i] += (avg or 0) * n
            if overall_only or (profession and prof != profession):
                continue
            shown = n >= threshold
            result[sw_id][prof] = RatingAggregate(
                count=n,
                averages={k: (averages[i] if shown else None) for i, k in enumerate(keys)},
                shown=shown,
            )
        shown = total >= threshold
        result[sw_id][""] = RatingAggregate(
            count=total,
            averages={k: (sums[i] / total if shown else None) for i, k in enumerate(keys)},
            shown=shown,
        )
    return result


def rating_aggregates(
    software_ids: Sequence[int], *, profession: str = ""
) -> dict[int, dict[str, RatingAggregate]]:
    """Published ratings per software and profession (key ``""`` = every profession), with their
    counts; averages are only filled when the count reaches ``min_ratings()``. One query. Pages
    read them through ``rating_aggregates_cached``."""
    return _aggregates(_published_rating_rows(software_ids), profession=profession)


def rating_aggregates_cached(
    software_ids: Sequence[int],
    *,
    profession: str = "",
    overall_only: bool = False,
    national: National | None = None,
) -> dict[int, dict[str, RatingAggregate]]:
    """``rating_aggregates()`` from the published ratings of every product counted once per
    generation of the national data (see ``vendors.memo``; the services that publish, reject or
    replace a rating start a new one): the catalogue, the comparator and the product page no
    longer average the ratings on each view. ``overall_only``: only the ``""`` key (every
    profession), for the catalogue."""
    rows = (national or National()).get("ratings", lambda: _published_rating_rows(None))
    return _aggregates(
        {pk: rows.get(pk, []) for pk in software_ids},
        profession=profession,
        overall_only=overall_only,
    )


def published_comments(software: Software, *, limit: int = 20) -> list[PeerRating]:
    return list(
        PeerRating.objects.filter(software=software, status=RatingStatus.PUBLISHED)
        .exclude(comment="")
        .only("comment", "created_at")[:limit]
    )


def ratings_to_moderate(membership) -> QuerySet[PeerRating]:  # noqa: ANN001
    """Pending ratings the membership may moderate, oldest first (a page of them for the queue:
    ``moderation_rows``)."""
    return (
        PeerRating.objects.visible_to(membership)
        .filter(status=RatingStatus.PENDING)
        .select_related("software", "health_centre")
        .order_by("created_at", "pk")
    )


def moderation_rows(ratings: QuerySet[PeerRating]) -> list[dict]:
    """One page of ``ratings_to_moderate`` as plain rows (one query): ``pk``,
    ``software_name``, ``centre_name``, ``profession`` (code), ``comment`` and the six scores by
    criterion."""
    keys = [key for key, _label in RATING_CRITERIA]
    return list(
        ratings.values(
            "pk",
            "profession",
            "comment",
            *keys,
            software_name=F("software__name"),
            centre_name=F("health_centre__name"),
        )
    )


def deployed_software_for(membership) -> list[Software]:  # noqa: ANN001
    """The software the member's MSP project has deployed (at most one per MSP)."""
    from projects.models import Project

    if membership is None or membership.health_centre_id is None:
        return []
    project = (
        Project.objects.filter(
            health_centre_id=membership.health_centre_id,
            federation_id=membership.federation_id,
            deployed_on__isnull=False,
            chosen_software__isnull=False,
        )
        .select_related("chosen_software")
        .first()
    )
    return [project.chosen_software] if project else []


def own_project(membership):  # noqa: ANN001, ANN201
    """The project of the member's own MSP (for the link to the fit page), or None."""
    from projects.models import Project

    if membership is None or membership.health_centre_id is None:
        return None
    return (
        Project.objects.filter(
            health_centre_id=membership.health_centre_id, federation_id=membership.federation_id
        )
        .only("pk")
        .first()
    )


def can_rate(membership, software: Software) -> bool:  # noqa: ANN001
    return any(s.pk == software.pk for s in deployed_software_for(membership))


def own_rating(user, software: Software) -> PeerRating | None:  # noqa: ANN001
    return PeerRating.objects.filter(author=user, software=software).first()


# --- Vendor responsiveness ---------------------------------------------------------------------


@dataclass
class Responsiveness:
    answered_cases: int = 0
    median_days_to_answer: float | None = None
    promised_cases: int = 0
    delivered_on_time: int = 0

    @property
    def on_time_share(self) -> float | None:
        if not self.promised_cases:
            return None
        return 100 * self.delivered_on_time / self.promised_cases

    @property
    def has_data(self) -> bool:
        return bool(self.answered_cases or self.promised_cases)


#: Seconds a product's responsiveness is kept (a national figure that moves slowly; computing
#: it reads every response case of the product, in every federation, from other apps).
RESPONSIVENESS_CACHE_SECONDS = 300


def responsiveness_cached(
    software_ids: Sequence[int], *, national: National | None = None
) -> dict[int, Responsiveness]:
    """``responsiveness()`` of today, kept a few minutes per product in the process's memory
    (``vendors.memo``), so that the comparator and the product pages cost the same whatever the
    number of cases."""
    today = timezone.localdate()
    names = {f"responsiveness:{today.isoformat()}:{pk}": pk for pk in software_ids}

    def compute(missing: list[str]) -> dict[str, Responsiveness]:
        fresh = responsiveness([names[name] for name in missing], today=today)
        return {name: fresh.get(names[name], Responsiveness()) for name in missing}

    found = (national or National()).get_many(names, compute, max_age=RESPONSIVENESS_CACHE_SECONDS)
    return {pk: found[name] for name, pk in names.items() if found[name].has_data}


def responsiveness(
    software_ids: Sequence[int], *, today: date | None = None
) -> dict[int, Responsiveness]:
    """From the response cases other apps register: median days from a request to its first
    answer; share of promised evolutions delivered by the promised date, among promises that are
    due (promised date passed) or delivered."""
    today = today or timezone.localdate()
    delays: dict[int, list[int]] = defaultdict(list)
    result: dict[int, Responsiveness] = defaultdict(Responsiveness)
    for case in responsiveness_registry.cases_for(software_ids):
        r = result[case.software_id]
        if case.first_answer_on is not None:
            delays[case.software_id].append(max(0, (case.first_answer_on - case.asked_on).days))
        if case.promised_on is not None and (
            case.delivered_on is not None or case.promised_on < today
        ):
            r.promised_cases += 1
            if case.delivered_on is not None and case.delivered_on <= case.promised_on:
                r.delivered_on_time += 1
    for sw_id, values in delays.items():
        result[sw_id].answered_cases = len(values)
        result[sw_id].median_days_to_answer = float(statistics.median(values))
    return dict(result)


# --- Corrections -------------------------------------------------------------------------------


def corrections_pending() -> QuerySet[CorrectionProposal]:
    return (
        CorrectionProposal.objects.filter(status=CorrectionStatus.PENDING)
        .select_related("software__vendor", "capability", "proposed_by")
        .order_by("proposed_at", "pk")
    )


def corrections_of_vendor(vendor) -> QuerySet[CorrectionProposal]:  # noqa: ANN001
    return (
        CorrectionProposal.objects.filter(software__vendor=vendor)
        .select_related("software", "capability", "decided_by")
        .order_by("-proposed_at", "-pk")
    )


def software_of_vendor(vendor, slug: str | None = None) -> QuerySet[Software]:  # noqa: ANN001
    qs = Software.objects.filter(vendor=vendor).select_related("vendor")
    return qs.filter(slug=slug) if slug else qs


# --- Comparison grid ---------------------------------------------------------------------------


@dataclass
class GridRow:
    section: str
    label: str
    cells: list[str]
    notes: list[str] = field(default_factory=list)

    @cached_property
    def differs(self) -> bool:
        return len(set(self.cells)) > 1

    @cached_property
    def items(self) -> list[tuple[str, str]]:
        notes = self.notes or [""] * len(self.cells)
        return list(zip(self.cells, notes, strict=False))


@dataclass
class Comparison:
    softwares: list[Software]
    rows: list[GridRow]
    profession: str = ""

    @property
    def sections(self) -> list[tuple[str, list[GridRow]]]:
        out: list[tuple[str, list[GridRow]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.section:
                out.append((row.section, []))
            out[-1][1].append(row)
        return out

    @property
    def differences(self) -> int:
        return sum(1 for r in self.rows if r.differs)


def _fmt_number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, digits, use_l10n=True)


def comparison(
    softwares: Sequence[Software],
    *,
    federation=None,  # noqa: ANN001
    profession: str = "",
    national: National | None = None,
) -> Comparison:
    """The side-by-side grid of 2 to 4 products (the caller checks the number). A bounded
    number of queries: facts, capabilities, requirements, coverage, ratings, adoption."""
    ids = [s.pk for s in softwares]
    prof_label = str(dict(Profession.choices).get(profession, "")) if profession else ""
    national = national or National()
    sheets = product_sheets(ids, national=national)
    facts = {pk: sheet.facts for pk, sheet in sheets.items()}
    caps = capabilities(profession, national=national)
    cov = coverage(softwares, sheets=sheets, national=national)
    ratings = rating_aggregates_cached(ids, profession=profession, national=national)
    adopt = adoption(ids, federation=federation)
    resp = responsiveness_cached(ids, national=national)
    rows: list[GridRow] = []

    s_label = _("Label")
    labels = [label_of(s) for s in softwares]
    rows.append(GridRow(s_label, _("Éditeur"), [s.vendor.name for s in softwares]))
    rows.append(
        GridRow(
            s_label,
            _("Statut du label"),
            [
                f"{lr.get_status_display()} ({lr.referential})" if lr else _("aucun label")
                for lr in labels
            ],
        )
    )
    rows.append(
        GridRow(s_label, _("Niveau"), [lr.get_level_display() if lr else "—" for lr in labels])
    )
    rows.append(
        GridRow(
            s_label, _("Périmètre"), [lr.get_perimeter_display() if lr else "—" for lr in labels]
        )
    )
    rows.append(
        GridRow(
            s_label,
            _("Version labellisée"),
            [(lr.software_version or "—") if lr else "—" for lr in labels],
        )
    )
    rows.append(
        GridRow(
            s_label,
            _("Date du label"),
            [
                formats.date_format(lr.labelled_on, "j F Y") if lr and lr.labelled_on else "—"
                for lr in labels
            ],
        )
    )
    if profession:
        rows.append(
            GridRow(
                s_label,
                _("Label couvrant : %(p)s") % {"p": prof_label},
                [
                    _("oui")
                    if lr and lr.status == LabelStatus.VALID and profession in lr.professions
                    else _("non")
                    for lr in labels
                ],
            )
        )
    else:
        rows.append(
            GridRow(
                s_label,
                _("Professions couvertes"),
                [str(len(lr.professions)) if lr else "0" for lr in labels],
            )
        )

    s_char = _("Caractéristiques")
    for key, label in CharacteristicKey.choices:
        cells, notes = [], []
        for s in softwares:
            f = facts.get(s.pk, {}).get(key)
            cells.append(display_value(f))
            notes.append(fact_provenance(f))
        rows.append(GridRow(s_char, str(label), cells, notes))

    s_cap = _("Capacités")
    for cap in caps:
        cells, notes = [], []
        for s in softwares:
            f = facts.get(s.pk, {}).get(f"cap:{cap.pk}")
            cells.append(display_value(f))
            notes.append(fact_provenance(f))
        rows.append(GridRow(s_cap, cap.label, cells, notes))

    s_cov = _("Couverture du référentiel")
    dims = cov.get(ids[0], []) if ids else []
    for i, dc in enumerate(dims):
        rows.append(
            GridRow(
                s_cov,
                str(dc.dimension.label),
                [
                    f"{cov[s.pk][i].covered} / {cov[s.pk][i].total}" if cov.get(s.pk) else "—"
                    for s in softwares
                ],
            )
        )

    s_rate = _("Avis des pairs (%(p)s)") % {"p": prof_label} if profession else _("Avis des pairs")
    key = profession or ""
    rows.append(
        GridRow(
            s_rate,
            _("Nombre d'avis publiés"),
            [str(ratings.get(s.pk, {}).get(key, RatingAggregate()).count) for s in softwares],
        )
    )
    threshold = min_ratings()
    for crit, label in RATING_CRITERIA:
        cells = []
        for s in softwares:
            agg = ratings.get(s.pk, {}).get(key)
            if agg is None or not agg.shown:
                cells.append(_("moins de %(n)s avis") % {"n": threshold})
            else:
                cells.append(f"{_fmt_number(agg.averages[crit])} / 5")
        rows.append(GridRow(s_rate, str(label), cells))

    s_adopt = _("Adoption")
    if federation is not None:
        rows.append(
            GridRow(
                s_adopt,
                _("MSP de la fédération l'ayant choisi"),
                [str(adopt.get(s.pk, Adoption()).federation) for s in softwares],
            )
        )
    rows.append(
        GridRow(
            s_adopt,
            _("MSP l'ayant choisi (national)"),
            [str(adopt.get(s.pk, Adoption()).national) for s in softwares],
        )
    )
    rows.append(
        GridRow(
            s_adopt,
            _("MSP l'utilisant en routine (national)"),
            [str(adopt.get(s.pk, Adoption()).national_deployed) for s in softwares],
        )
    )

    s_resp = _("Réactivité de l'éditeur")
    cells_a, cells_b = [], []
    for s in softwares:
        r = resp.get(s.pk, Responsiveness())
        if r.answered_cases:
            cells_a.append(
                _("%(d)s jours (%(n)s cas)")
                % {"d": _fmt_number(r.median_days_to_answer), "n": r.answered_cases}
            )
        else:
            cells_a.append(_("pas de données"))
        if r.promised_cases:
            cells_b.append(
                _("%(p)s %% (%(n)s cas)")
                % {"p": _fmt_number(r.on_time_share, 0), "n": r.promised_cases}
            )
        else:
            cells_b.append(_("pas de données"))
    rows.append(GridRow(s_resp, _("Délai médian de première réponse"), cells_a))
    rows.append(GridRow(s_resp, _("Évolutions promises livrées à la date annoncée"), cells_b))
    return Comparison(softwares=list(softwares), rows=rows, profession=profession)


# --- Fit to a project's needs ------------------------------------------------------------------


@dataclass
class NeedCheck:
    need: object
    status: str  # met / partial / unmet / unknown
    weight: int
    points: float

    @property
    def is_met(self) -> bool:
        return self.status == "met"


@dataclass
class FitResult:
    software: Software
    checks: list[NeedCheck]
    eligible: bool
    score: float | None
    earned: float
    possible: int
    failed_musts: list[NeedCheck]
    questions: list[str]
    warnings: list[str]


STATUS_BY_VALUE = {
    CapabilityStatus.YES: "met",
    CapabilityStatus.PARTIAL: "partial",
    CapabilityStatus.NO: "unmet",
}


def project_needs(project) -> list:  # noqa: ANN001
    from projects.models import Need

    return list(Need.objects.filter(project=project).select_related("capability"))


def _question(need, status: str) -> str:  # noqa: ANN001
    who = ""
    if need.profession:
        who = " " + _("(pour : %(p)s)") % {
            "p": dict(Profession.choices).get(need.profession, need.profession)
        }
    if status == "unknown":
        return _(
            "Montrez-nous, sur un cas concret, comment le logiciel répond à : « %(t)s »%(w)s."
        ) % {
            "t": need.title,
            "w": who,
        }
    if status == "partial":
        return _(
            "Le besoin « %(t)s »%(w)s n'est couvert qu'en partie : "
            "que manque-t-il, et quand sera-ce livré ?"
        ) % {
            "t": need.title,
            "w": who,
        }
    return _(
        "Le besoin « %(t)s »%(w)s n'est pas couvert : est-ce prévu, à quelle date, à quel coût ?"
    ) % {
        "t": need.title,
        "w": who,
    }


def fit_ranking(project) -> tuple[list[FitResult], list]:  # noqa: ANN001
    """Rank the active products against the project's needs. Must-haves are a hard filter (a
    product that does not or only partly meets one is set aside); should (3 points) and could
    (1 point) needs add their weight when met, half of it when partly met. Needs without a
    capability, or whose capability is not documented for a product, become questions for the
    demo. Returns (results, needs)."""
    needs = project_needs(project)
    softwares = list(software_queryset().filter(is_active=True).order_by("name"))
    facts = current_facts([s.pk for s in softwares])
    results: list[FitResult] = []
    for sw in softwares:
        sw.current_label = current_label(sw)
        checks: list[NeedCheck] = []
        for need in needs:
            fact = (
                facts.get(sw.pk, {}).get(f"cap:{need.capability_id}")
                if need.capability_id
                else None
            )
            status = STATUS_BY_VALUE.get(fact.value, "unknown") if fact else "unknown"
            weight = NEED_WEIGHTS.get(need.priority, 0)
            points = weight if status == "met" else weight / 2 if status == "partial" else 0
            checks.append(NeedCheck(need=need, status=status, weight=weight, points=points))
        failed = [
            c for c in checks if c.need.priority == "must" and c.status in ("unmet", "partial")
        ]
        possible = sum(c.weight for c in checks)
        earned = sum(c.points for c in checks)
        score = round(100 * earned / possible) if possible else None
        questions = [_question(c.need, c.status) for c in checks if c.status != "met"]
        warnings = []
        unknown_musts = [c for c in checks if c.need.priority == "must" and c.status == "unknown"]
        if unknown_musts:
            warnings.append(
                ngettext(
                    "%(n)s besoin indispensable non documenté : à vérifier en démonstration.",
                    "%(n)s besoins indispensables non documentés : à vérifier en démonstration.",
                    len(unknown_musts),
                )
                % {"n": len(unknown_musts)}
            )
        lr = sw.current_label
        if lr is None or not lr.valid_for_msp:
            warnings.append(
                _("Pas de label en vigueur valable pour une maison de santé (critère des ACI).")
            )
        results.append(
            FitResult(
                software=sw,
                checks=checks,
                eligible=not failed,
                score=score,
                earned=earned,
                possible=possible,
                failed_musts=failed,
                questions=questions,
                warnings=warnings,
            )
        )
    results.sort(key=lambda r: (not r.eligible, -(r.score or 0), r.software.name))
    return results, needs


def source_choices_for(membership) -> str:  # noqa: ANN001
    """The source a fact recorded by this membership carries."""
    from federations.roles import Role

    return FactSource.VERIFIED if membership.role == Role.STAFF else FactSource.REPORTED
