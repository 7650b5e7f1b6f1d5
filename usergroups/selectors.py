"""Reads of the usergroups app: each costs a constant number of queries."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.kept import kept, renew
from federations.models import HealthCentre, Membership
from federations.professions import Profession

from .models import (
    IMPORTANCE_WEIGHT,
    AgendaTopic,
    AgendaVote,
    AnswerStatus,
    FeedbackItem,
    FeedbackKind,
    GroupSession,
    Importance,
    Need,
    NeedSupport,
    Registration,
    Synthesis,
    SynthesisVersion,
    Theme,
    UserGroup,
    VendorAnswer,
)


def count_of(model, field: str, **filters: object) -> Coalesce:  # noqa: ANN001
    """``COUNT(*)`` of ``model`` rows pointing at the outer row through ``field``, as a
    correlated subquery: computed for the rows of the page only, where joins + ``COUNT(DISTINCT)``
    multiply the rows of every related table for every row of the list. Built once for each
    ``(model, field)`` without filters (0.15 ms each, three a list): ``annotate()`` resolves a
    copy of an expression, never the expression itself."""
    if not filters:
        return _count_of(model, field)
    return _build_count_of(model, field, **filters)


@functools.cache
def _count_of(model, field: str) -> Coalesce:  # noqa: ANN001
    return _build_count_of(model, field)


def _build_count_of(model, field: str, **filters: object) -> Coalesce:  # noqa: ANN001
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def groups_list(*, membership: Membership) -> QuerySet:
    """The groups the person sees, as the list shows them: values, not model instances."""
    upcoming = GroupSession.objects.filter(
        group_id=OuterRef("pk"), starts_at__gte=timezone.now()
    ).order_by("starts_at")
    return (
        UserGroup.objects.visible_to(membership)
        .annotate(
            sessions_count=count_of(GroupSession, "group"),
            centres_count=count_of(UserGroup.centres.through, "usergroup"),
            next_session_at=Subquery(upcoming.values("starts_at")[:1]),
        )
        .order_by("software__name", "name", "pk")
        .values(
            "pk",
            "name",
            "level",
            "sessions_count",
            "centres_count",
            "next_session_at",
            software_name=F("software__name"),
            facilitator_first_name=F("facilitator__user__first_name"),
            facilitator_last_name=F("facilitator__user__last_name"),
            facilitator_email=F("facilitator__user__email"),
        )
    )


def group_sessions(*, group: UserGroup) -> QuerySet:
    """The group's sessions, newest first, with their counts, as values."""
    return (
        GroupSession.objects.filter(group=group)
        .annotate(
            registrations_count=count_of(Registration, "session"),
            feedback_count=count_of(FeedbackItem, "session"),
            topics_count=count_of(AgendaTopic, "session"),
        )
        .order_by("-starts_at", "-pk")
        .values(
            "pk",
            "starts_at",
            "title",
            "minutes_status",
            "registrations_count",
            "feedback_count",
            "topics_count",
        )
    )


#: What ``display.feedback_rows`` (the ``{% feedback_items %}`` tag) reads of a feedback item.
FEEDBACK_FIELDS = ("pk", "kind", "theme", "profession", "text", "reported_on", "need_id")
#: Between the names of an item's MSPs in ``centre_names`` (a character no name holds).
NAMES_SEPARATOR = "\x1f"


def feedback_values(items: QuerySet[FeedbackItem]) -> QuerySet:
    """Feedback items as values (``FEEDBACK_FIELDS``) with the names of their MSPs
    (``centre_names``, joined by ``NAMES_SEPARATOR``) in the same query: one query for the
    list, where prefetching the MSPs made two."""
    through = FeedbackItem.centres.through.objects.filter(feedbackitem_id=OuterRef("pk"))
    names = (
        through.order_by()
        .values("feedbackitem_id")
        .annotate(names=StringAgg("healthcentre__name", Value(NAMES_SEPARATOR)))
        .values("names")
    )
    return items.values(*FEEDBACK_FIELDS, centre_names=Subquery(names))


def group_feedback(*, group: UserGroup, between_sessions: bool | None = None) -> QuerySet:
    """The group's feedback items, newest first, as ``feedback_values``."""
    qs = FeedbackItem.objects.filter(group=group)
    if between_sessions:
        qs = qs.filter(session__isnull=True)
    return feedback_values(qs.order_by("-reported_on", "-pk"))


def session_agenda(*, session: GroupSession, user) -> list[AgendaTopic]:  # noqa: ANN001
    """The topics of a session, most voted first: the agenda is the voted list."""
    return list(
        AgendaTopic.objects.filter(session=session)
        .select_related("proposed_by")
        .annotate(
            votes_count=Count("votes"),
            voted=Exists(AgendaVote.objects.filter(topic_id=OuterRef("pk"), user_id=user.pk)),
        )
        .order_by("-votes_count", "created_at")
    )


def session_registrations(*, session: GroupSession) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(session=session)
        .select_related("user", "health_centre")
        .order_by("is_vendor_representative", "health_centre__name", "user__last_name")
    )


def session_feedback(*, session: GroupSession) -> QuerySet:
    """The session's feedback items as ``feedback_values``."""
    return feedback_values(
        FeedbackItem.objects.filter(session=session).order_by("kind", "theme", "pk")
    )


# --- Needs with provenance ---------------------------------------------------------------------


@dataclass
class Provenance:
    centres: dict[int, str] = field(default_factory=dict)
    professions: set[str] = field(default_factory=set)
    since: date | None = None
    sessions: dict[int, object] = field(default_factory=dict)
    items_count: int = 0
    supports: list = field(default_factory=list)

    @property
    def centres_count(self) -> int:
        return len(self.centres)

    @property
    def support_centres_count(self) -> int:
        return len({s.health_centre_id for s in self.supports} | set(self.centres))

    @property
    def support_score(self) -> int:
        return sum(IMPORTANCE_WEIGHT[Importance(s.importance)] for s in self.supports)

    @property
    def critical_count(self) -> int:
        return sum(1 for s in self.supports if s.importance == Importance.CRITICAL)

    #: the labels of the professions (filled once for all the needs by ``provenance_for``)
    labels: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def profession_labels(self) -> list[str]:
        labels = self.labels or dict(Profession.choices)
        return sorted(str(labels.get(p, p)) for p in self.professions)


class SupportFigure(NamedTuple):
    """What the figures of a need's provenance read of a support (``detail=False``)."""

    health_centre_id: int
    importance: str


def provenance_for(needs: Iterable[Need | int], *, detail: bool = True) -> dict[int, Provenance]:
    """Provenance of each need (or need id) in two queries whatever their number: MSPs and
    professions that raised it, since when, in which sessions, and the support recorded per MSP.
    Without ``detail``, only what its figures need: no names nor dates of the MSPs and sessions,
    supports as (MSP, importance) rather than ``NeedSupport`` rows with their MSP (a list of 50
    needs holds 200 supports: 3 ms as model instances)."""
    ids = [n if isinstance(n, int) else n.pk for n in needs]
    labels = {code: str(label) for code, label in Profession.choices}
    result: dict[int, Provenance] = {pk: Provenance(labels=labels) for pk in ids}
    # The items with their MSPs: one row per item and MSP (an item without MSP once).
    fields = ["pk", "need_id", "profession", "reported_on", "session_id", "centres__id"]
    if detail:
        fields += ["session__starts_at", "centres__name"]
    items = (
        FeedbackItem.objects.filter(need_id__in=ids).values(*fields).order_by("reported_on", "pk")
    )
    seen = set()
    for row in items:
        p = result[row["need_id"]]
        if row["centres__id"] is not None:
            p.centres[row["centres__id"]] = row.get("centres__name")
        if row["pk"] in seen:
            continue
        seen.add(row["pk"])
        p.items_count += 1
        if row["profession"]:
            p.professions.add(row["profession"])
        if p.since is None or row["reported_on"] < p.since:
            p.since = row["reported_on"]
        if row["session_id"]:
            p.sessions[row["session_id"]] = row.get("session__starts_at")
    supports = NeedSupport.objects.filter(need_id__in=ids)
    if detail:
        for support in supports.select_related("health_centre"):
            result[support.need_id].supports.append(support)
    else:
        for need_id, *figure in supports.values_list("need_id", "health_centre_id", "importance"):
            result[need_id].supports.append(SupportFigure(*figure))
    return result


class NeedFigures(NamedTuple):
    """The figures a list of needs shows of each need's provenance (``need_figures``)."""

    centres: int  # MSPs concerned: that raised it or support it
    critical: int  # MSPs for which it is critical
    sessions: int  # sessions where it was raised
    since: date | None  # first raised on
    professions: tuple[str, ...]  # codes of the professions that raised it


#: Seconds a need's figures stay in the cache, at most: the services that change them forget
#: them (``forget_need_figures``); the delay covers writes made elsewhere.
NEED_FIGURES_SECONDS = 300


def _figures_key(need_id: int) -> str:
    return f"usergroups:need-figures:{need_id}"


def need_figures(need_ids: list[int]) -> dict[int, NeedFigures]:
    """The provenance figures of each need, kept in the cache need by need: the synthesis page
    lists 50 needs a page, whose provenance (their items, MSPs and supports) costs two queries
    and 2 ms to read, and staff reload that page at each move of a need in the priority order,
    which changes no figure. ``services.need_merge`` and ``services.need_support`` forget the
    figures of the needs they change."""
    keys = {pk: _figures_key(pk) for pk in need_ids}
    found = cache.get_many(list(keys.values()))
    figures = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in need_ids if pk not in figures]
    if missing:
        fresh = {
            pk: NeedFigures(
                centres=p.support_centres_count,
                critical=p.critical_count,
                sessions=len(p.sessions),
                since=p.since,
                professions=tuple(sorted(p.professions)),
            )
            for pk, p in provenance_for(missing, detail=False).items()
        }
        cache.set_many({keys[pk]: f for pk, f in fresh.items()}, NEED_FIGURES_SECONDS)
        figures.update(fresh)
    return figures


def forget_need_figures(need_ids: Iterable[int]) -> None:
    cache.delete_many([_figures_key(pk) for pk in need_ids])


def needs_of_software(*, federation_id: int, software_id: int) -> QuerySet[Need]:
    return Need.objects.filter(federation_id=federation_id, software_id=software_id).order_by(
        "priority", "pk"
    )


def answers_history(need_ids: list[int]) -> dict[int, list[dict]]:
    """The answers to each need, newest first, as what their display reads of them
    (``display.answer_rows``): values, not model instances, a page holding a hundred."""
    history: dict[int, list[dict]] = defaultdict(list)
    for answer in (
        VendorAnswer.objects.filter(need_id__in=need_ids)
        .values(
            "need_id",
            "status",
            "planned_version",
            "planned_for",
            "comment",
            "created_at",
            "author__first_name",
            "author__last_name",
            "author__email",
        )
        .order_by("-created_at", "-pk")
    ):
        history[answer["need_id"]].append(answer)
    return history


def _unmerged(*, federation_id: int, software_id: int) -> QuerySet[FeedbackItem]:
    return FeedbackItem.objects.filter(
        federation_id=federation_id,
        group__software_id=software_id,
        kind=FeedbackKind.NEED,
        need__isnull=True,
    ).order_by("theme", "-reported_on", "pk")


def unmerged_need_items(*, federation_id: int, software_id: int) -> QuerySet[FeedbackItem]:
    """The needs voiced in the software's groups not merged into a need yet (what the merge
    form accepts)."""
    return (
        _unmerged(federation_id=federation_id, software_id=software_id)
        .select_related("session", "group")
        .prefetch_related(Prefetch("centres", queryset=HealthCentre.objects.only("pk", "name")))
    )


def unmerged_need_count(*, federation_id: int, software_id: int) -> int:
    """How many needs voiced in the software's groups wait to be merged into a need."""
    return _unmerged(federation_id=federation_id, software_id=software_id).count()


def unmerged_need_rows(*, federation_id: int, software_id: int) -> QuerySet:
    """``unmerged_need_items`` as the synthesis page lists them: ``feedback_values`` and the
    group's name, for ``display.feedback_rows``."""
    return feedback_values(
        _unmerged(federation_id=federation_id, software_id=software_id)
    ).annotate(group_name=F("group__name"))


def _period_items(synthesis: Synthesis) -> QuerySet[FeedbackItem]:
    return FeedbackItem.objects.filter(
        federation_id=synthesis.federation_id,
        group__software_id=synthesis.software_id,
        reported_on__gte=synthesis.period_start,
        reported_on__lte=synthesis.period_end,
    )


def _synthesis_needs(synthesis: Synthesis) -> QuerySet[Need]:
    raised = _period_items(synthesis).filter(need_id=OuterRef("pk"))
    return needs_of_software(
        federation_id=synthesis.federation_id, software_id=synthesis.software_id
    ).filter(Exists(raised))


def synthesis_needs(synthesis: Synthesis) -> list[Need]:
    """Needs of the software raised (at least once) during the period, in priority order."""
    return list(_synthesis_needs(synthesis))


#: Seconds the synthesis page keeps its list of needs: every change made through the app renews
#: the software's token at once (``forget_software_needs``); this bounds the others (raw SQL).
SYNTHESIS_NEEDS_SECONDS = 3600


def _software_needs_token(federation_id: int, software_id: int) -> str:
    return f"usergroups:needs-token:{federation_id}:{software_id}"


def forget_software_needs(*, federation_id: int, software_id: int) -> None:
    """The needs of a software in a federation changed (a need created, merged into, moved,
    renamed or deleted, feedback added): the synthesis pages read them again."""
    renew(_software_needs_token(federation_id, software_id))


def synthesis_page_needs(synthesis: Synthesis) -> dict:
    """What the synthesis page lists: its needs in priority order, each as (id, title, theme)
    — ``needs`` —, and how many items of feedback wait to be merged — ``unmerged``. Kept in the
    cache under the software's token (``config.kept``): staff reload the page at each move of a
    need, and reading them costs three queries (a count, the page, the feedback to merge) whose
    plans join the period's feedback: 6 ms of database for the largest synthesis (250 needs)."""
    return kept(
        _software_needs_token(synthesis.federation_id, synthesis.software_id),
        f"usergroups:synthesis-needs:{synthesis.pk}:{synthesis.period_start}:"
        f"{synthesis.period_end}",
        lambda: {
            "needs": list(_synthesis_needs(synthesis).values("pk", "title", "theme")),
            "unmerged": unmerged_need_count(
                federation_id=synthesis.federation_id, software_id=synthesis.software_id
            ),
        },
        SYNTHESIS_NEEDS_SECONDS,
    )


def synthesis_snapshot(synthesis: Synthesis) -> dict:
    """What a published version holds: everything the vendor reads, frozen as JSON."""
    themes = dict(Theme.choices)
    professions = dict(Profession.choices)
    needs = synthesis_needs(synthesis)
    prov = provenance_for(needs)
    items = list(
        _period_items(synthesis)
        .filter(kind__in=[FeedbackKind.DIFFICULTY, FeedbackKind.TIP])
        .prefetch_related("centres")
        .order_by("theme", "reported_on", "pk")
    )
    sessions = list(
        GroupSession.objects.filter(
            group__federation_id=synthesis.federation_id,
            group__software_id=synthesis.software_id,
            starts_at__date__gte=synthesis.period_start,
            starts_at__date__lte=synthesis.period_end,
        )
        .select_related("group")
        .annotate(
            attendees=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
            items_count=Count("feedback", distinct=True),
        )
        .order_by("starts_at")
    )
    groups = list(
        UserGroup.objects.filter(
            federation_id=synthesis.federation_id, software_id=synthesis.software_id
        )
        .annotate(n_centres=Count("centres"))
        .order_by("name", "pk")  # annotate() drops Meta.ordering: keep the content stable
    )
    participants = Registration.objects.filter(
        session__in=[s.pk for s in sessions], attended=True, is_vendor_representative=False
    )
    centre_names = sorted(
        set(participants.exclude(health_centre=None).values_list("health_centre__name", flat=True))
        | {name for p in prov.values() for name in p.centres.values()}
    )
    profession_codes = set(participants.exclude(profession="").values_list("profession", flat=True))
    profession_codes |= {code for p in prov.values() for code in p.professions}

    def item_dict(item: FeedbackItem) -> dict:
        return {
            "id": item.pk,
            "theme": item.theme,
            "theme_label": str(themes.get(item.theme, item.theme)),
            "text": item.text,
            "profession": str(professions.get(item.profession, "")) if item.profession else "",
            "centres_count": len(item.centres.all()),
            "reported_on": item.reported_on.isoformat(),
        }

    return {
        "federation": synthesis.federation.name,
        "software": synthesis.software.name,
        "vendor": synthesis.software.vendor.name,
        "period_start": synthesis.period_start.isoformat(),
        "period_end": synthesis.period_end.isoformat(),
        "groups": [
            {"name": g.name, "level": g.get_level_display().__str__(), "centres": g.n_centres}
            for g in groups
        ],
        "sessions": [
            {
                "id": s.pk,
                "group": s.group.name,
                "starts_at": timezone.localtime(s.starts_at).isoformat(),
                "title": s.title,
                "attendees": s.attendees,
                "items": s.items_count,
            }
            for s in sessions
        ],
        "centres": centre_names,
        "professions": sorted(str(professions.get(c, c)) for c in profession_codes),
        "needs": [
            {
                "id": n.pk,
                "rank": rank,
                "title": n.title,
                "description": n.description,
                "theme": n.theme,
                "theme_label": str(themes.get(n.theme, n.theme)),
                "centres_count": prov[n.pk].support_centres_count,
                "raised_by_count": prov[n.pk].centres_count,
                "critical_count": prov[n.pk].critical_count,
                "support_score": prov[n.pk].support_score,
                "professions": prov[n.pk].profession_labels,
                "since": prov[n.pk].since.isoformat() if prov[n.pk].since else None,
                "sessions_count": len(prov[n.pk].sessions),
            }
            for rank, n in enumerate(needs, start=1)
        ],
        "difficulties": [item_dict(i) for i in items if i.kind == FeedbackKind.DIFFICULTY],
        "tips": [item_dict(i) for i in items if i.kind == FeedbackKind.TIP],
    }


def synthesis_versions(synthesis: Synthesis) -> list[SynthesisVersion]:
    """The versions of a synthesis, newest first, each with its PDF (``pdf_id``, ``pdf_status``,
    ``pdf_status_label``: the newest deliverable of the version). Two light queries: one with
    the deliverable as subqueries costs more to build than both."""
    from deliverables.models import Deliverable, DeliverableStatus

    from .services import SYNTHESIS_KIND

    versions = list(
        synthesis.versions.select_related("published_by")
        .only(
            "number",
            "published_at",
            "published_by__first_name",
            "published_by__last_name",
            "published_by__email",
        )
        .order_by("-number")
    )
    pdfs = (
        Deliverable.objects.filter(kind=SYNTHESIS_KIND, object_id__in=[str(v.pk) for v in versions])
        .order_by("created_at")  # the newest last, so that it is the one kept
        .values_list("object_id", "pk", "status")
    )
    found = {object_id: (pk, status) for object_id, pk, status in pdfs}
    for v in versions:
        v.pdf_id, v.pdf_status = found.get(str(v.pk), (None, ""))
        v.pdf_status_label = DeliverableStatus(v.pdf_status).label if v.pdf_status else ""
    return versions


def versions_for_vendor(vendor_id: int) -> QuerySet[SynthesisVersion]:
    return (
        SynthesisVersion.objects.filter(vendor_id=vendor_id)
        .select_related("synthesis__software", "federation")
        .annotate(needs_count=count_of(SynthesisVersion.needs.through, "synthesisversion"))
        .order_by("-published_at", "-pk")
    )


def versions_list_for_vendor(vendor_id: int) -> QuerySet:
    """``versions_for_vendor`` as the vendor's list of syntheses shows them, as values: without
    their content (up to 150 kB of JSON each), nor model instances for 30 rows."""
    return versions_for_vendor(vendor_id).values(
        "pk",
        "number",
        "published_at",
        "needs_count",
        federation_name=F("federation__name"),
        software_name=F("synthesis__software__name"),
    )


#: Seconds a vendor's count of unanswered needs stays in the cache, at most: the services that
#: change it forget it (``forget_unanswered_count``); the delay covers writes made elsewhere.
VENDOR_FIGURE_SECONDS = 300


def _unanswered_key(vendor_id: int) -> str:
    return f"usergroups:unanswered:{vendor_id}"


def unanswered_count_for_vendor(vendor_id: int) -> int:
    """Needs published to the vendor (in any version) that no answer has reached yet, kept in
    the cache until a publication to the vendor or an answer of the vendor changes it."""
    key = _unanswered_key(vendor_id)
    count = cache.get(key)
    if count is None:
        count = _unanswered_count_for_vendor(vendor_id)
        cache.set(key, count, VENDOR_FIGURE_SECONDS)
    return count


def forget_unanswered_count(vendor_id: int) -> None:
    """Called by ``services.synthesis_publish`` and ``services.answer_create``."""
    cache.delete(_unanswered_key(vendor_id))


def _unanswered_count_for_vendor(vendor_id: int) -> int:
    """Counted over the vendor's rows of the versions' needs, each probing the answers' index:
    joining every answer and then ``DISTINCT`` over whole needs cost 11 ms at national scale."""
    through = SynthesisVersion.needs.through
    answered = VendorAnswer.objects.filter(need_id=OuterRef("need_id"))
    return (
        through.objects.filter(synthesisversion__vendor_id=vendor_id)
        .filter(~Exists(answered))
        .values("need_id")
        .distinct()
        .count()
    )


# --- A published version, for its readers ----------------------------------------------------

#: A published version never changes (``SynthesisVersion.save`` refuses it): what is read of its
#: content may stay in the cache. A day, not to keep old versions there forever.
VERSION_CACHE_SECONDS = 24 * 60 * 60
#: Needs per cached part of a version's needs: the vendor's version page shows one part a page.
VERSION_NEEDS_PART = 20
#: Seconds the answers of a version's needs and its status summary stay in the cache, at most:
#: ``services.answer_create`` forgets them (``forget_version_answers``); the delay covers
#: answers written elsewhere.
VERSION_FIGURES_SECONDS = 300


def _version_key(version: SynthesisVersion) -> str:
    """The cache key of a version: its id and its publication instant, so that a database made
    again with the same ids (a generated dataset) never meets the entries of the former one."""
    return f"usergroups:version:{version.pk}:{version.published_at.timestamp():.6f}"


class VersionNeeds(Sequence):
    """The needs of a published version (``content["needs"]``, frozen at publication) as a
    sequence read by parts from the cache, with what the version's page shows of the rest of the
    content (``outline``). The content of the largest synthesis is 150 kB of JSON: reading and
    decoding it cost 2.5 ms a page, for the 20 needs a page shows. A missing part fills every
    part and the outline from the content, in one query."""

    def __init__(self, version: SynthesisVersion, *, part: int = 0) -> None:
        """Reads, in one round trip, the outline, the status summary (``summary``, None when
        not cached) and the part of the needs numbered ``part`` (the page asked for)."""
        self.version = version
        self.key = _version_key(version)
        self._read = cache.get_many(
            [
                f"{self.key}:outline",
                f"{self.key}:summary",
                f"{self.key}:needs:{part}",
                f"{self.key}:answers:{part}",
            ]
        )
        self.summary = self._read.get(f"{self.key}:summary")
        self.outline = self._read.get(f"{self.key}:outline") or self._fill()[0]

    def answers(self, part: int, need_ids: list[int]) -> dict[int, list[dict]]:
        """``answers_history`` of the needs of part ``part`` (``need_ids``), kept in the cache
        until an answer to one of them (``forget_version_answers``)."""
        key = f"{self.key}:answers:{part}"
        history = self._read.get(key)
        if history is None:
            history = dict(answers_history(need_ids))
            cache.set(key, history, VERSION_FIGURES_SECONDS)
        return history

    def _fill(self) -> tuple[dict, list[dict]]:
        content = (
            SynthesisVersion.objects.filter(pk=self.version.pk)
            .values_list("content", flat=True)
            .first()
        ) or {}
        needs = content.get("needs", [])
        outline = {
            "software": content.get("software", ""),
            "federation": content.get("federation", ""),
            "ids": [n["id"] for n in needs],
            "difficulties": len(content.get("difficulties", [])),
            "tips": len(content.get("tips", [])),
        }
        entries = {f"{self.key}:outline": outline}
        for start in range(0, len(needs), VERSION_NEEDS_PART):
            part = needs[start : start + VERSION_NEEDS_PART]
            entries[f"{self.key}:needs:{start // VERSION_NEEDS_PART}"] = part
        cache.set_many(entries, VERSION_CACHE_SECONDS)
        return outline, needs

    def __len__(self) -> int:
        return len(self.outline["ids"])

    def __getitem__(self, index):  # noqa: ANN001, ANN204
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        start, stop, _step = index.indices(len(self))
        if start >= stop:
            return []
        first, last = start // VERSION_NEEDS_PART, (stop - 1) // VERSION_NEEDS_PART
        keys = [f"{self.key}:needs:{n}" for n in range(first, last + 1)]
        found = {k: self._read[k] for k in keys if k in self._read}
        if len(found) < len(keys):
            found.update(cache.get_many([k for k in keys if k not in found]))
        if len(found) < len(keys):
            return self._fill()[1][index]
        needs = [need for key in keys for need in found[key]]
        offset = first * VERSION_NEEDS_PART
        return needs[start - offset : stop - offset]


def version_status_summary(
    version: SynthesisVersion, need_ids: list[int], *, cached: dict | None = None
) -> dict[str, int]:
    """How many of the version's needs (``need_ids``, from its content) are at each status of
    their latest answer, and how many have none. One aggregate over the version's needs (where
    listing the latest answer of each need meant 250 ids in the query and as many objects),
    kept in the cache until an answer to one of them (``forget_version_answers``); ``cached``
    is what ``VersionNeeds`` read of it."""
    key = f"{_version_key(version)}:summary"
    counts = cached if cached is not None else cache.get(key)
    if counts is None:
        counts = _version_status_summary(version, need_ids)
        cache.set(key, counts, VERSION_FIGURES_SECONDS)
    return counts


def forget_version_answers(need: Need) -> None:
    """Called by ``services.answer_create``: for each version holding ``need``, its status
    summary and the answers of the part of its needs that holds ``need``."""
    keys = []
    for version in SynthesisVersion.objects.filter(needs=need).only("pk", "published_at"):
        key = _version_key(version)
        keys.append(f"{key}:summary")
        ids = VersionNeeds(version).outline["ids"]
        if need.pk in ids:
            keys.append(f"{key}:answers:{ids.index(need.pk) // VERSION_NEEDS_PART}")
    cache.delete_many(keys)


def _version_status_summary(version: SynthesisVersion, need_ids: list[int]) -> dict[str, int]:
    through = SynthesisVersion.needs.through
    latest = (
        VendorAnswer.objects.filter(need_id=OuterRef("need_id"))
        .order_by("-created_at", "-pk")
        .values("status")[:1]
    )
    rows = (
        through.objects.filter(synthesisversion_id=version.pk)
        .annotate(status=Subquery(latest))
        .exclude(status=None)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(AnswerStatus.values, 0)
    for row in rows:
        counts[row["status"]] += row["n"]
    counts["unanswered"] = len(need_ids) - sum(counts.values())
    return counts


def syntheses_list(*, membership: Membership) -> QuerySet:
    """The syntheses of the federation, as the list shows them: values."""
    last = SynthesisVersion.objects.filter(synthesis_id=OuterRef("pk")).order_by("-number")
    return (
        Synthesis.objects.visible_to(membership)
        .annotate(
            versions_count=count_of(SynthesisVersion, "synthesis"),
            last_published_at=Subquery(last.values("published_at")[:1]),
        )
        .order_by(F("last_published_at").desc(nulls_first=True), "-pk")
        .values(
            "pk",
            "period_start",
            "period_end",
            "versions_count",
            "last_published_at",
            software_name=F("software__name"),
            vendor_name=F("software__vendor__name"),
        )
    )
