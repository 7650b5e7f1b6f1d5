"""The user-groups stage of the national dataset: the asked numbers of groups, sessions and
feedback; needs of the right software; published versions that hold exactly what the publish
service would have frozen on their day; answers by the right vendor; the same data for the same
seed; grow mode on the test world; the pages open on the generated rows."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Min
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from federations.models import Federation, Membership
from federations.national import Sizes, generate
from federations.roles import Role
from usergroups import selectors
from usergroups.models import (
    AgendaTopic,
    AgendaVote,
    AnswerStatus,
    FeedbackItem,
    FeedbackKind,
    GroupSession,
    MinutesStatus,
    Need,
    NeedSupport,
    Registration,
    Synthesis,
    SynthesisVersion,
    UserGroup,
    VendorAnswer,
)

pytestmark = pytest.mark.django_db

SMALL = Sizes(
    federations=2,
    centres=8,
    members=60,
    projects=8,
    software=16,
    user_groups=4,
    sessions=12,
    feedback=120,
)


def _client(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user)
    return client


def _small_run(seed: int = 3):  # noqa: ANN202
    call_command("load_reference", stdout=StringIO())
    return generate(sizes=SMALL, seed=seed, log=lambda _line: None)


class _Rollback(Exception):
    pass


def _snapshot_on(synthesis: Synthesis, day: date) -> dict:
    """What ``synthesis_snapshot`` (the publish service's content) gave on ``day``: the rows
    reported or held after that day are removed, the selector runs, everything is rolled back."""
    result: dict = {}
    try:
        with transaction.atomic():
            FeedbackItem.objects.filter(
                federation_id=synthesis.federation_id,
                group__software_id=synthesis.software_id,
                reported_on__gt=day,
            ).delete()
            GroupSession.objects.filter(
                group__federation_id=synthesis.federation_id,
                group__software_id=synthesis.software_id,
                starts_at__date__gt=day,
            ).delete()
            with translation.override("fr"):
                result.update(selectors.synthesis_snapshot(synthesis))
            raise _Rollback
    except _Rollback:
        pass
    # The selector's group query has no ORDER BY (Meta.ordering is dropped with GROUP BY).
    result["groups"] = sorted(result["groups"], key=lambda g: g["name"])
    return result


def _check_versions(versions) -> int:  # noqa: ANN001
    """Every version holds what the service would have published on its day, and its needs
    are the ones it lists; returns the number of versions checked."""
    checked = 0
    for version in versions.select_related("synthesis__federation", "synthesis__software__vendor"):
        day = timezone.localtime(version.published_at).date()
        content = version.content
        ordered = sorted(content["groups"], key=lambda g: g["name"])
        assert {**content, "groups": ordered} == _snapshot_on(version.synthesis, day), version.pk
        listed = [n["id"] for n in content["needs"]]
        assert sorted(version.needs.values_list("pk", flat=True)) == sorted(listed)
        assert [n["rank"] for n in content["needs"]] == list(range(1, len(listed) + 1))
        assert version.vendor_id == version.synthesis.software.vendor_id
        checked += 1
    return checked


def _strip_ids(value):  # noqa: ANN001, ANN202
    if isinstance(value, dict):
        return {k: _strip_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


def _digest(federations: list[Federation]) -> str:
    """Everything the stage wrote, by natural keys (no ids, no insertion time)."""
    f = {"federation__in": federations}

    def who(email: str | None) -> str:
        return email or ""

    parts = [
        sorted(
            (g.federation.slug, g.software.slug, g.name, g.level,
             g.facilitator.user.email if g.facilitator else "",
             sorted(c.name for c in g.centres.all()))
            for g in UserGroup.objects.filter(**f)
            .select_related("federation", "software", "facilitator__user")
            .prefetch_related("centres")
        ),
        sorted(
            (s.group.name, s.starts_at.isoformat(), s.duration_minutes, s.video_url, s.title,
             s.minutes, s.minutes_status, str(s.minutes_published_at),
             sorted(u.email for u in s.invited_vendor_users.all()))
            for s in GroupSession.objects.filter(**f)
            .select_related("group")
            .prefetch_related("invited_vendor_users")
        ),
        sorted(
            (group, starts_at, who(email), *rest)
            for group, starts_at, email, *rest in Registration.objects.filter(**f).values_list(
                "session__group__name", "session__starts_at", "user__email",
                "health_centre__name", "profession", "is_vendor_representative", "attended",
                "registered_at",
            )
        ),
        sorted(
            (group, starts_at, title, who(email), created_at)
            for group, starts_at, title, email, created_at in AgendaTopic.objects.filter(
                **f
            ).values_list(
                "session__group__name", "session__starts_at", "title", "proposed_by__email",
                "created_at",
            )
        ),
        sorted(
            (group, starts_at, title, who(email), created_at)
            for group, starts_at, title, email, created_at in AgendaVote.objects.filter(
                topic__federation__in=federations
            ).values_list(
                "topic__session__group__name", "topic__session__starts_at", "topic__title",
                "user__email", "created_at",
            )
        ),
        sorted(
            (i.group.name, str(i.session.starts_at if i.session else None), i.kind, i.theme,
             i.profession, i.text, i.reported_on, i.need.title if i.need else "",
             who(i.author.email if i.author else ""), sorted(c.name for c in i.centres.all()))
            for i in FeedbackItem.objects.filter(**f)
            .select_related("group", "session", "need", "author")
            .prefetch_related("centres")
        ),
        sorted(
            (n.federation.slug, n.software.slug, n.title, n.description, n.theme, n.priority,
             str(n.first_published_on), str(n.last_reminded_on),
             sorted((s.health_centre.name, s.importance, s.on_behalf,
                     who(s.recorded_by.email if s.recorded_by else ""))
                    for s in n.supports.all()))
            for n in Need.objects.filter(**f)
            .select_related("federation", "software")
            .prefetch_related("supports__health_centre", "supports__recorded_by")
        ),
        sorted(
            (v.federation.slug, v.synthesis.software.slug, str(v.synthesis.period_start),
             v.number, v.published_at.isoformat(), v.vendor.slug,
             json.dumps(_strip_ids(v.content), sort_keys=True))
            for v in SynthesisVersion.objects.filter(**f).select_related(
                "federation", "synthesis__software", "vendor"
            )
        ),
        sorted(
            VendorAnswer.objects.filter(**f).values_list(
                "need__federation__slug", "need__software__slug", "need__title",
                "author__email", "status", "planned_version", "planned_for", "comment",
                "created_at",
            )
        ),
    ]  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_small_run_gives_the_asked_numbers_and_valid_rows() -> None:
    ctx = _small_run()
    feds = ctx.federations
    assert UserGroup.objects.filter(federation__in=feds).count() == SMALL.user_groups
    assert GroupSession.objects.filter(federation__in=feds).count() == SMALL.sessions
    assert FeedbackItem.objects.filter(federation__in=feds).count() == SMALL.feedback

    # Groups: MSPs of their own federation, a facilitator of the federation's team or a DIM.
    for group in UserGroup.objects.filter(federation__in=feds).select_related("facilitator"):
        centres = list(group.centres.all())
        assert centres and all(c.federation_id == group.federation_id for c in centres)
        assert group.facilitator.federation_id == group.federation_id
        assert group.facilitator.role in (Role.STAFF, Role.DIM)

    # Sessions: minutes published only once held; attendance only for held sessions; people
    # registered are MSP people of member MSPs or representatives of the software's vendor.
    now = timezone.now()
    sessions = GroupSession.objects.filter(federation__in=feds).select_related("group__software")
    assert any(s.starts_at > now for s in sessions) and any(s.starts_at < now for s in sessions)
    for s in sessions:
        if s.minutes_status == MinutesStatus.PUBLISHED:
            assert s.starts_at < s.minutes_published_at < now
        members = set(s.group.centres.values_list("pk", flat=True))
        for r in Registration.objects.filter(session=s).select_related("user"):
            if s.starts_at > now:
                assert r.attended is None
            if r.is_vendor_representative:
                assert r.user.vendor_id == s.group.software.vendor_id
                assert s.invited_vendor_users.filter(pk=r.user_id).exists()
            else:
                assert r.health_centre_id in members
                assert Membership.objects.filter(
                    user=r.user, health_centre_id=r.health_centre_id
                ).exists()
        for topic in AgendaTopic.objects.filter(session=s):
            assert topic.created_at < s.starts_at

    # Feedback: needs of the group's software (and federation), MSPs of the group.
    items = FeedbackItem.objects.filter(federation__in=feds).select_related("group", "need")
    merged = [i for i in items if i.need_id]
    assert len(merged) >= 0.6 * sum(1 for i in items if i.kind == FeedbackKind.NEED) > 0
    for item in items:
        assert item.text and item.reported_on < timezone.localdate()
        assert set(item.centres.values_list("pk", flat=True)) <= set(
            item.group.centres.values_list("pk", flat=True)
        )
        if item.need_id:
            assert item.kind == FeedbackKind.NEED
            assert item.need.software_id == item.group.software_id
            assert item.need.federation_id == item.group.federation_id
    for support in NeedSupport.objects.filter(federation__in=feds).select_related("need"):
        assert support.health_centre.federation_id == support.need.federation_id

    # Published versions: exactly what the publish service froze on their day.
    versions = SynthesisVersion.objects.filter(federation__in=feds)
    assert _check_versions(versions) >= 1
    first = {
        row["needs"]: row["first"]
        for row in versions.values("needs").annotate(first=Min("published_at")).order_by()
    }
    for need in Need.objects.filter(federation__in=feds):
        if need.pk in first:
            assert need.first_published_on == timezone.localtime(first[need.pk]).date()
        else:
            assert need.first_published_on is None
    latest: dict[int, SynthesisVersion] = {}
    for version in versions.annotate(n=Count("needs")).order_by("number"):
        latest[version.synthesis_id] = version
    most = max(v.n for v in latest.values())
    assert latest[ctx.shared["largest_synthesis"]].n == most

    # Vendor answers: by users of the software's vendor, on needs published to it, after.
    answers = VendorAnswer.objects.filter(federation__in=feds).select_related(
        "author", "need__software"
    )
    assert answers.exists()
    for answer in answers:
        assert answer.author.vendor_id == answer.need.software.vendor_id
        assert answer.need.first_published_on is not None
        assert timezone.localtime(answer.created_at).date() >= answer.need.first_published_on
        if answer.status == AnswerStatus.PLANNED:
            assert answer.planned_version and answer.planned_for
        if answer.status == AnswerStatus.DECLINED:
            assert answer.comment


def test_the_largest_synthesis_holds_two_hundred_needs_at_a_tenth_of_the_national_scale() -> None:
    call_command("load_reference", stdout=StringIO())
    sizes = Sizes(
        federations=3, centres=60, members=300, projects=60, user_groups=12, sessions=40,
        feedback=2_000,
    )  # fmt: skip
    ctx = generate(sizes=sizes, seed=1, log=lambda _line: None)
    largest = Synthesis.objects.get(pk=ctx.shared["largest_synthesis"])
    latest = largest.versions.order_by("-number").first()
    assert latest.needs.count() >= 200
    assert len(latest.content["needs"]) == latest.needs.count()


def test_same_seed_same_data() -> None:
    digests = []
    for _run in range(2):
        try:
            with transaction.atomic():
                ctx = _small_run()
                digests.append(_digest(ctx.federations))
                raise _Rollback
        except _Rollback:
            pass
    assert digests[0] == digests[1]
    with transaction.atomic():
        other = _digest(_small_run(seed=4).federations)
    assert other != digests[0]


def test_grow_mode_on_the_test_world(world) -> None:  # noqa: ANN001
    before = world.objects["ug_version"].content
    sizes = Sizes(
        federations=2, centres=4, members=20, projects=4, software=16, user_groups=3,
        sessions=6, feedback=60,
    )  # fmt: skip
    feds = [world.federation_a, world.federation_b]
    ctx = generate(sizes=sizes, seed=5, federations=feds, log=lambda _line: None)
    new_groups = UserGroup.objects.filter(federation__in=feds).exclude(
        pk=world.objects["ug_group"].pk
    )
    assert new_groups.count() == sizes.user_groups
    new_centres = {c.pk for c in ctx.centres}
    for group in new_groups:
        assert set(group.centres.values_list("pk", flat=True)) <= new_centres
    assert GroupSession.objects.filter(group__in=new_groups).count() == sizes.sessions
    assert FeedbackItem.objects.filter(group__in=new_groups).count() == sizes.feedback
    # The world's own rows are left as they were; generated needs rank after its needs.
    world.objects["ug_version"].refresh_from_db()
    assert world.objects["ug_version"].content == before
    old = world.objects["ug_need"]
    later = Need.objects.filter(federation=old.federation, software=old.software).exclude(pk=old.pk)
    assert all(n.priority > old.priority for n in later)
    versions = SynthesisVersion.objects.filter(federation__in=feds).exclude(
        pk=world.objects["ug_version"].pk
    )
    assert versions.exists()
    # Each version holds what the service published (as of now for a federation × software
    # that held rows before the run, which the selector itself snapshots).
    assert _check_versions(versions) == versions.count()
    for answer in VendorAnswer.objects.filter(federation__in=feds).select_related(
        "author", "need__software"
    ):
        assert answer.author.vendor_id == answer.need.software.vendor_id
    # People of the world see the generated groups of their federation.
    response = _client(world.users["staff_a"]).get(reverse("usergroups:groups", args=["alpha"]))
    assert response.status_code == 200
    names = {g["name"] for g in response.context["page"]}
    assert names >= set(
        new_groups.filter(federation=world.federation_a).values_list("name", flat=True)
    )


def test_pages_open_on_the_generated_rows() -> None:
    ctx = _small_run()
    largest = Synthesis.objects.select_related("federation", "software").get(
        pk=ctx.shared["largest_synthesis"]
    )
    federation = largest.federation
    staff = ctx.staff[federation.pk][0].user
    client = _client(staff)
    slug = federation.slug
    group = UserGroup.objects.filter(federation=federation, software=largest.software).first()
    session = GroupSession.objects.filter(group=group, feedback__isnull=False).first()
    page = client.get(reverse("usergroups:group", args=[slug, group.pk]))
    assert page.status_code == 200
    assert group.name in page.content.decode()
    page = client.get(reverse("usergroups:session", args=[slug, session.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    item = session.feedback.first()
    assert item.text.replace("'", "&#x27;") in body
    registered = Registration.objects.filter(session=session).select_related("user").first()
    assert registered.user.last_name in body

    latest = largest.versions.order_by("-number").first()
    titles = [n["title"] for n in latest.content["needs"]]
    page = client.get(reverse("usergroups:synthesis", args=[slug, largest.pk]))
    assert page.status_code == 200
    body = page.content.decode().replace("&#x27;", "'")
    assert all(t in body for t in titles)

    vendor_user = (
        get_user_model().objects.filter(vendor_id=largest.software.vendor_id).order_by("pk").first()
    )
    vendor = _client(vendor_user)
    page = vendor.get(reverse("portal:syntheses"))
    assert page.status_code == 200
    assert latest.pk in [v["pk"] for v in page.context["page"]]
    page = vendor.get(reverse("portal:version", args=[latest.pk]))
    assert page.status_code == 200
    body = page.content.decode().replace("&#x27;", "'")
    assert all(t in body for t in titles)
    answered = VendorAnswer.objects.filter(need__versions=latest).select_related("need").first()
    if answered is not None:
        assert answered.get_status_display() in body
