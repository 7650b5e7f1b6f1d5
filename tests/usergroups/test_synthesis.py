"""Needs merged with provenance, support per MSP, priorities, versioned syntheses, the PDF."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from deliverables.models import Deliverable, DeliverableStatus
from deliverables.services import deliverable_render
from tests.factories import HealthCentreFactory, MembershipFactory, UserFactory
from tests.usergroups.factories import FeedbackItemFactory, GroupSessionFactory, UserGroupFactory
from tests.workers import publishing_to
from usergroups import selectors, services
from usergroups.models import (
    FeedbackKind,
    Importance,
    Level,
    Need,
    NeedSupport,
    Registration,
    SynthesisVersion,
    Theme,
)
from vendors.responsiveness import SOURCES

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_groups(world):  # noqa: ANN001, ANN201
    """Two Logiciel X groups (beginner, experienced) of federation A, three MSPs, two sessions."""
    a3 = HealthCentreFactory(federation=world.federation_a, name="MSP Alpha 3")
    beginners = world.objects["ug_group"]
    experienced = UserGroupFactory(
        federation=world.federation_a,
        software=world.software_x,
        name="Logiciel X — expérimentés",
        level=Level.EXPERIENCED,
    )
    experienced.centres.set([world.centre_a2, a3])
    s1 = world.objects["ug_past"]
    s2 = GroupSessionFactory(
        group=experienced, starts_at=timezone.now() - timedelta(days=20), title="Facturation"
    )
    i1 = FeedbackItemFactory(
        group=experienced,
        session=s2,
        text="Les infirmières ne peuvent pas facturer depuis le domicile",
        profession="infirmier",
        centres=[world.centre_a2],
        reported_on=timezone.localdate() - timedelta(days=20),
    )
    i2 = FeedbackItemFactory(
        group=experienced,
        session=s2,
        text="Facturation kiné impossible",
        profession="masseur_kinesitherapeute",
        centres=[a3, world.centre_a2],
        reported_on=timezone.localdate() - timedelta(days=20),
    )
    tip = FeedbackItemFactory(
        group=experienced,
        session=s2,
        kind=FeedbackKind.TIP,
        theme=Theme.TRAINING,
        text="Former un super-utilisateur par profession",
        centres=[a3],
        reported_on=timezone.localdate() - timedelta(days=20),
    )
    difficulty = FeedbackItemFactory(
        group=beginners,
        session=s1,
        kind=FeedbackKind.DIFFICULTY,
        theme=Theme.DATA_MIGRATION,
        text="Doublons de dossiers après la reprise des données",
        centres=[world.centre_a],
        reported_on=timezone.localdate() - timedelta(days=2),
    )
    Registration.objects.create(
        federation=world.federation_a,
        session=s2,
        user=world.users["member_a2"],
        health_centre=world.centre_a2,
        profession="infirmier",
        attended=True,
    )
    return {
        "a3": a3,
        "experienced": experienced,
        "s2": s2,
        "items": [i1, i2],
        "tip": tip,
        "difficulty": difficulty,
    }


def test_merge_keeps_provenance_across_sessions_and_msps(world, two_groups) -> None:
    need = world.objects["ug_need"]  # raised by A1 at the beginners' session
    services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=two_groups["items"],
        into=need,
    )
    prov = selectors.provenance_for([need])[need.pk]
    assert prov.centres_count == 3  # A1, A2, A3: counted per MSP
    assert set(prov.profession_labels) == {"Infirmier", "Masseur-kinésithérapeute"}
    assert prov.since == timezone.localdate() - timedelta(days=20)
    assert set(prov.sessions) == {world.objects["ug_past"].pk, two_groups["s2"].pk}


def test_merge_refuses_items_of_another_software_or_federation(world, two_groups) -> None:
    other = UserGroupFactory(federation=world.federation_a, software=world.software_y)
    item = FeedbackItemFactory(group=other)
    foreign = FeedbackItemFactory(group=UserGroupFactory(federation=world.federation_b))
    for bad in (item, foreign, two_groups["tip"]):
        with pytest.raises(ValidationError):
            services.need_merge(
                actor=world.users["staff_a"],
                federation=world.federation_a,
                software=world.software_x,
                items=[bad],
                title="X",
            )
    assert not Need.objects.filter(title="X").exists()
    bad.refresh_from_db()
    assert bad.need_id is None


def test_support_is_counted_per_msp_and_staff_records_it_on_behalf(world) -> None:
    need = world.objects["ug_need"]
    charlie, dana2 = world.memberships["coordinator_a"], world.memberships["coordinator_a"]
    services.need_support(
        actor=charlie.user,
        membership=charlie,
        need=need,
        health_centre=world.centre_a,
        importance=Importance.IMPORTANT,
    )
    # a second person of the same MSP changes the MSP's support, never adds one
    services.need_support(
        actor=dana2.user,
        membership=dana2,
        need=need,
        health_centre=world.centre_a,
        importance=Importance.CRITICAL,
    )
    assert NeedSupport.objects.filter(need=need).count() == 1
    # a coordinator cannot speak for another MSP
    with pytest.raises(ValidationError):
        services.need_support(
            actor=charlie.user,
            membership=charlie,
            need=need,
            health_centre=world.centre_a2,
            importance=Importance.NICE,
        )
    # staff record A2's support said by phone
    client = _client(world.users["staff_a"])
    client.post(
        reverse("usergroups:need_support", kwargs={"federation_slug": "alpha", "pk": need.pk}),
        {"health_centre": world.centre_a2.pk, "importance": "critical"},
    )
    support = NeedSupport.objects.get(need=need, health_centre=world.centre_a2)
    assert support.on_behalf and support.recorded_by == world.users["staff_a"]
    prov = selectors.provenance_for([need])[need.pk]
    assert prov.support_centres_count == 2 and prov.critical_count == 2
    page = client.get(
        reverse("usergroups:need", kwargs={"federation_slug": "alpha", "pk": need.pk})
    )
    assert "saisi par la fédération" in page.content.decode()


def test_staff_order_needs_by_priority(world) -> None:
    synthesis = world.objects["ug_synthesis"]
    first = world.objects["ug_need"]
    second = services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=[world.objects["ug_loose_item"]],
        title="Télétransmission mobile",
    )
    assert [n.pk for n in selectors.synthesis_needs(synthesis)] == [first.pk, second.pk]
    client = _client(world.users["staff_a"])
    client.post(
        reverse(
            "usergroups:need_move",
            kwargs={"federation_slug": "alpha", "pk": synthesis.pk, "need_pk": second.pk},
        ),
        {"dir": "up"},
    )
    assert [n.pk for n in selectors.synthesis_needs(synthesis)] == [second.pk, first.pk]


def test_publishing_creates_immutable_numbered_versions(world) -> None:
    synthesis = world.objects["ug_synthesis"]
    v1 = world.objects["ug_version"]
    assert v1.number == 1 and v1.vendor == world.vendor_x
    assert [n["title"] for n in v1.content["needs"]] == ["Facturation des infirmiers"]
    world.objects["ug_need"].refresh_from_db()
    assert world.objects["ug_need"].first_published_on == timezone.localdate()
    services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=[world.objects["ug_loose_item"]],
        title="Télétransmission mobile",
    )
    v2 = services.synthesis_publish(actor=world.users["staff_a"], synthesis=synthesis)
    assert v2.number == 2 and len(v2.content["needs"]) == 2
    v1.refresh_from_db()
    assert len(v1.content["needs"]) == 1  # the older version did not change
    with pytest.raises(ValidationError):
        v1.save()
    assert Deliverable.objects.filter(kind="usergroups.synthesis").count() == 2


def test_publishing_an_empty_synthesis_is_refused(world) -> None:
    empty = services.synthesis_create(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_y,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 6, 30),
    )
    with pytest.raises(ValidationError):
        services.synthesis_publish(actor=world.users["staff_a"], synthesis=empty)
    assert not SynthesisVersion.objects.filter(synthesis=empty).exists()


def test_synthesis_pdf_holds_cover_context_needs_difficulties_tips_and_annex(
    world, two_groups, tmp_path
) -> None:
    services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=two_groups["items"],
        into=world.objects["ug_need"],
    )
    services.need_support(
        actor=world.users["staff_a"],
        membership=world.memberships["staff_a"],
        need=world.objects["ug_need"],
        health_centre=two_groups["a3"],
        importance=Importance.CRITICAL,
    )
    version = services.synthesis_publish(
        actor=world.users["staff_a"], synthesis=world.objects["ug_synthesis"]
    )
    deliverable = Deliverable.objects.get(kind="usergroups.synthesis", object_id=str(version.pk))
    deliverable_render(deliverable_id=str(deliverable.pk))
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.READY, deliverable.error
    with deliverable.file.open("rb") as fh:
        data = fh.read()
    (tmp_path / "synthese.pdf").write_bytes(data)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    # cover
    assert "Synthèse des groupes d'utilisateurs Logiciel X" in flat
    assert "À l'attention de Éditeur X" in flat
    assert "Version 2" in flat
    # context
    assert "Contexte" in flat
    assert "Fédération Alpha" in flat
    assert "Logiciel X — débutants" in flat and "Logiciel X — expérimentés" in flat
    for msp in ("MSP Alpha 1", "MSP Alpha 2", "MSP Alpha 3"):
        assert msp in flat
    assert "Infirmier" in flat and "Masseur-kinésithérapeute" in flat
    # needs by theme and priority with how many MSPs raise each
    assert "Besoins par thème et par priorité" in flat
    assert "Facturation" in flat
    assert "Priorité 1 — Facturation des infirmiers" in flat
    assert "3 MSP concernées" in flat
    assert "critique pour 1 MSP" in flat
    # difficulties, tips, annex
    assert "Difficultés rencontrées" in flat
    assert "Doublons de dossiers après la reprise des données" in flat
    assert "Astuces partagées entre utilisateurs" in flat
    assert "Former un super-utilisateur par profession" in flat
    assert "Annexe — séances de la période" in flat
    s2 = timezone.localtime(two_groups["s2"].starts_at)
    assert s2.strftime("%-d") in flat and "Facturation" in flat
    assert "1 participant présent" in flat  # counted once, whatever the number of items
    assert "aucune donnée de patient" in flat


def test_synthesis_pdf_visible_to_staff_dim_and_the_vendor_only(world) -> None:
    version = world.objects["ug_version"]
    deliverable = Deliverable.objects.get(kind="usergroups.synthesis", object_id=str(version.pk))
    url = reverse("deliverables:detail", kwargs={"pk": deliverable.pk})
    expected = {
        "staff_a": 200,
        "dim_a": 200,
        "vendor_x": 200,
        "vendor_y": 404,
        "member_a": 404,
        "staff_b": 404,
    }
    for role, status in expected.items():
        assert _client(world.users[role]).get(url).status_code == status, role


def test_publishing_with_the_broker_down_keeps_the_publication_queued(
    world, django_capture_on_commit_callbacks
) -> None:
    # The broker points at a closed port and tasks are not run in-process (CELERY_BROKER_URL
    # and CELERY_TASK_ALWAYS_EAGER as the Celery app sees them; Django's settings object is
    # left alone, Celery reads it live and would keep the override after the test).
    from config.celery import app

    synthesis = world.objects["ug_synthesis"]
    client = _client(world.users["staff_a"])
    with (
        publishing_to("redis://127.0.0.1:1/0", "capsi-test-dead"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post(
            reverse(
                "usergroups:synthesis_publish",
                kwargs={"federation_slug": "alpha", "pk": synthesis.pk},
            )
        )
    assert callbacks  # the enqueue was attempted after commit
    assert response.status_code == 302
    version = SynthesisVersion.objects.get(synthesis=synthesis, number=2)
    deliverable = Deliverable.objects.get(kind="usergroups.synthesis", object_id=str(version.pk))
    assert deliverable.status == DeliverableStatus.QUEUED
    # the broker is back (in-process here): the sweeper sends it again and it gets rendered
    from deliverables.services import deliverables_sweep_stale

    with publishing_to("memory://", "capsi-test-back"):
        app.conf.task_always_eager = True
        with django_capture_on_commit_callbacks(execute=True):
            ids = deliverables_sweep_stale(now=timezone.now() + timedelta(hours=1))
    assert str(deliverable.pk) in ids
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.READY


def test_synthesis_page_query_budget(world, two_groups, django_assert_max_num_queries) -> None:
    group = two_groups["experienced"]
    centres = [HealthCentreFactory(federation=world.federation_a) for _ in range(10)]
    sessions = [
        GroupSessionFactory(group=group, starts_at=timezone.now() - timedelta(days=d))
        for d in range(5, 55)
    ]
    items = [
        FeedbackItemFactory(
            group=group,
            session=sessions[i % 50],
            centres=[centres[i % 10]],
            reported_on=timezone.localdate() - timedelta(days=3),
        )
        for i in range(500)
    ]
    for n in range(50):
        need = services.need_merge(
            actor=world.users["staff_a"],
            federation=world.federation_a,
            software=world.software_x,
            items=items[n * 8 : n * 8 + 8],
            title=f"Besoin {n}",
        )
        NeedSupport.objects.create(
            federation=world.federation_a,
            need=need,
            health_centre=centres[n % 10],
            importance=Importance.IMPORTANT,
        )
    synthesis = world.objects["ug_synthesis"]
    services.synthesis_publish(actor=world.users["staff_a"], synthesis=synthesis)
    client = _client(world.users["staff_a"])
    version = SynthesisVersion.objects.filter(synthesis=synthesis).order_by("-number").first()
    for name, pk in (
        ("usergroups:synthesis", synthesis.pk),
        ("usergroups:version", version.pk),
        ("usergroups:syntheses", None),
    ):
        kwargs = {"federation_slug": "alpha"}
        if pk:
            kwargs["pk"] = pk
        url = reverse(name, kwargs=kwargs)
        client.get(url)
        with django_assert_max_num_queries(25):
            response = client.get(url)
        assert response.status_code == 200


def test_responsiveness_source_reports_answers_and_delays(world) -> None:
    need = world.objects["ug_need"]
    Need.objects.filter(pk=need.pk).update(first_published_on=date(2026, 1, 5))
    cases = [
        c for c in SOURCES["usergroups"]([world.software_x.pk]) if c.asked_on == date(2026, 1, 5)
    ]
    assert len(cases) == 1 and cases[0].first_answer_on is None
    services.answer_create(
        actor=world.users["vendor_x"],
        need=need,
        status="planned",
        planned_version="5.8",
        planned_for=date(2026, 6, 1),
    )
    services.answer_create(actor=world.users["vendor_x"], need=need, status="delivered")
    (case,) = [
        c for c in SOURCES["usergroups"]([world.software_x.pk]) if c.asked_on == date(2026, 1, 5)
    ]
    assert case.first_answer_on == timezone.localdate()
    assert case.promised_on == date(2026, 6, 1)
    assert case.delivered_on == timezone.localdate()
    assert case.software_id == world.software_x.pk


def test_msp_member_sees_the_answers_of_a_need_their_msp_raised(world) -> None:
    need = world.objects["ug_need"]
    services.answer_create(
        actor=world.users["vendor_x"], need=need, status="studying", comment="Nous étudions."
    )
    url = reverse("usergroups:need", kwargs={"federation_slug": "alpha", "pk": need.pk})
    page = _client(world.users["member_a"]).get(url)
    assert "Nous étudions." in page.content.decode()
    assert _client(world.users["member_a2"]).get(url).status_code == 404
    user = UserFactory()
    MembershipFactory(
        user=user, federation=world.federation_a, role="member", health_centre=world.centre_a2
    )
    assert _client(user).get(url).status_code == 404


def test_the_synthesis_page_shows_each_need_with_its_provenance(world, two_groups) -> None:
    """What the page lists of each need is put together in the view (provenance figures
    without detail): MSPs concerned, critical supports, sessions, since when, professions; with
    the links to the need and to its move."""
    need = world.objects["ug_need"]
    services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=two_groups["items"],
        into=need,
    )
    services.need_support(
        actor=world.users["staff_a"],
        membership=world.memberships["staff_a"],
        need=need,
        health_centre=two_groups["a3"],
        importance=Importance.CRITICAL,
    )
    light = selectors.provenance_for([need.pk], detail=False)[need.pk]
    full = selectors.provenance_for([need])[need.pk]
    assert light.support_centres_count == full.support_centres_count == 3
    assert light.critical_count == full.critical_count == 1
    assert light.since == full.since and set(light.sessions) == set(full.sessions)
    assert light.profession_labels == full.profession_labels
    synthesis = world.objects["ug_synthesis"]
    html = _client(world.users["staff_a"]).get(
        reverse("usergroups:synthesis", kwargs={"federation_slug": "alpha", "pk": synthesis.pk})
    )
    flat = " ".join(html.content.decode().split())
    since = full.since.strftime("%-d")
    assert "3 MSP concernées" in flat and '<span class="badge bad">1 critique</span>' in flat
    assert "· 2 séances" in flat and f"· depuis le {since} " in flat
    assert "Infirmier, Masseur-kinésithérapeute" in flat
    need_url = reverse("usergroups:need", kwargs={"federation_slug": "alpha", "pk": need.pk})
    move_url = reverse(
        "usergroups:need_move",
        kwargs={"federation_slug": "alpha", "pk": synthesis.pk, "need_pk": need.pk},
    )
    assert f'<a href="{need_url}">Facturation des infirmiers</a>' in flat
    assert f'<form method="post" action="{move_url}" class="actions">' in flat
    assert f'action="{move_url}" class="actions"><input type="hidden" name="csrfmiddleware' in flat


def test_a_synthesis_is_prepared_on_its_own_page(world) -> None:
    url = reverse("usergroups:syntheses", kwargs={"federation_slug": "alpha"})
    create = reverse("usergroups:synthesis_create", kwargs={"federation_slug": "alpha"})
    staff = _client(world.users["staff_a"])
    assert f'href="{create}"' in staff.get(url).content.decode()
    assert f'href="{create}"' not in _client(world.users["dim_a"]).get(url).content.decode()
    assert 'name="period_start"' in staff.get(create).content.decode()
    # refused: shown again with its errors
    response = staff.post(create, {"software": world.software_x.pk, "period_start": "x"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = staff.post(
        create,
        {"software": world.software_x.pk, "period_start": "2026-01-01", "period_end": "2026-06-30"},
    )
    created = world.objects["ug_synthesis"].__class__.objects.latest("pk")
    assert response.status_code == 302 and response["Location"].endswith(f"/{created.pk}/")
    assert created.period_end == date(2026, 6, 30)


def test_the_figures_of_a_need_follow_merges_and_supports(world, two_groups) -> None:
    """The synthesis page reads each need's figures from the cache (staff reload it at each
    move of a need); merging items into a need, or out of another, and recording a support
    forget the figures of the needs they change."""
    need = world.objects["ug_need"]
    synthesis = world.objects["ug_synthesis"]
    client = _client(world.users["staff_a"])
    url = reverse("usergroups:synthesis", kwargs={"federation_slug": "alpha", "pk": synthesis.pk})

    def figures() -> str:
        return " ".join(client.get(url).content.decode().split())

    assert "1 MSP concernée" in figures()
    assert selectors.need_figures([need.pk])[need.pk].centres == 1  # from the cache
    services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=two_groups["items"],
        into=need,
    )
    assert "3 MSP concernées" in figures() and "2 séances" in figures()
    services.need_support(
        actor=world.users["staff_a"],
        membership=world.memberships["staff_a"],
        need=need,
        health_centre=world.centre_a2,
        importance=Importance.CRITICAL,
    )
    assert '<span class="badge bad">1 critique</span>' in figures()
    # Items merged into another need leave this one, whose figures change too.
    other = services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=[two_groups["items"][1]],
        title="Facturation kiné",
    )
    current = selectors.need_figures([need.pk, other.pk])
    assert current[other.pk].centres == 2  # A3 and A2 raised it
    assert current[need.pk].professions == ("infirmier",)


def test_the_needs_to_merge_into_are_listed_as_django_would(world) -> None:
    """ "Add to an existing need" lists every need of the software, written in one go
    (``QuickSelect``) with the markup of Django's ``Select``, chosen option included; the field
    keeps its label, help and errors (``components/field.html``)."""
    from django import forms
    from django.test.html import parse_html

    from usergroups.forms import QuickSelect

    needs = selectors.needs_of_software(
        federation_id=world.federation_a.pk, software_id=world.software_x.pk
    )
    field = forms.ModelChoiceField(queryset=needs, required=False)
    need = world.objects["ug_need"]
    for value in (None, need.pk):
        quick = QuickSelect(choices=field.choices).render("into", value, {"id": "id_into"})
        django = forms.Select(choices=field.choices).render("into", value, {"id": "id_into"})
        assert parse_html(quick) == parse_html(django)
    assert f'<option value="{need.pk}" selected>Facturation des infirmiers</option>' in quick
    # On the page, with a refused merge: the error tied to the field.
    synthesis = world.objects["ug_synthesis"]
    response = _client(world.users["staff_a"]).post(
        reverse("usergroups:needs_merge", kwargs={"federation_slug": "alpha", "pk": synthesis.pk}),
        {"items": [world.objects["ug_loose_item"].pk], "into": "999999"},
    )
    html = response.content.decode()
    assert (
        response.status_code == 200 and 'aria-describedby="id_into_helptext id_into_error"' in html
    )
    assert '<label for="item-' in html and "Télétransmission depuis la tablette" in html


def test_the_needs_of_a_synthesis_are_written_escaped_with_their_move_forms(world) -> None:
    """The needs' list is written by a tag (``synthesis_need_items``): every value escaped, the
    move buttons named after their need for screen readers, the forms only for staff."""
    group = world.objects["ug_group"]
    item = FeedbackItemFactory(
        group=group,
        text="Besoin <script>",
        centres=[world.centre_a],
        reported_on=timezone.localdate() - timedelta(days=1),
    )
    need = services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=[item],
        title="Export <b>CSV</b> & PDF",
        theme=Theme.BILLING,
    )
    synthesis = world.objects["ug_synthesis"]
    url = reverse("usergroups:synthesis", args=["alpha", synthesis.pk])
    html = _client(world.users["staff_a"]).get(url).content.decode()
    title = "Export &lt;b&gt;CSV&lt;/b&gt; &amp; PDF"
    need_url = reverse("usergroups:need", args=["alpha", need.pk])
    assert f'<li class="card" id="besoin-{need.pk}">' in html
    assert f'<a href="{need_url}">{title}</a>' in html
    assert "<b>CSV</b>" not in html
    move = reverse("usergroups:need_move", args=["alpha", synthesis.pk, need.pk])
    assert f'<form method="post" action="{move}" class="actions"><input type="hidden"' in html
    assert f'Descendre<span class="visually-hidden"> {title}</span></button>' in html
    # The DIM reads the list without the forms.
    html = _client(world.users["dim_a"]).get(url).content.decode()
    assert f'<a href="{need_url}">{title}</a>' in html and move not in html


def test_the_list_of_needs_kept_for_the_synthesis_page_follows_every_change(
    world, two_groups
) -> None:
    """The synthesis page keeps its list of needs and the count of feedback to merge in the
    cache (staff reload it at each move of a need): whatever changes them — feedback added, a
    merge, a move, a need renamed or deleted (as the admin does) — shows at the next reload."""
    synthesis = world.objects["ug_synthesis"]
    first = world.objects["ug_need"]
    client = _client(world.users["staff_a"])
    url = reverse("usergroups:synthesis", kwargs={"federation_slug": "alpha", "pk": synthesis.pk})

    def page() -> str:
        return " ".join(client.get(url).content.decode().replace("&#x27;", "'").split())

    def titles() -> list[str]:
        return re.findall(
            r'<li class="card" id="besoin-\d+"> <p><strong><a href="[^"]+">([^<]+)</a>', page()
        )

    assert titles() == ["Facturation des infirmiers"]
    # The world's loose item and the two of the experienced group wait to be merged.
    assert "3 besoins exprimés dans les groupes attendent d'être regroupés." in page()
    with CaptureQueriesContext(connection) as read:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert len(kept) == len(read) and not any("EXISTS" in q["sql"] for q in kept)

    FeedbackItemFactory(group=two_groups["experienced"], text="Agenda partagé hors ligne")
    assert "4 besoins exprimés dans les groupes attendent d'être regroupés." in page()
    second = services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=two_groups["items"],
        title="Facturation au domicile",
    )
    assert titles() == ["Facturation des infirmiers", "Facturation au domicile"]
    assert "2 besoins exprimés dans les groupes attendent d'être regroupés." in page()
    move = reverse(
        "usergroups:need_move",
        kwargs={"federation_slug": "alpha", "pk": synthesis.pk, "need_pk": second.pk},
    )
    client.post(move, {"dir": "up"})
    assert titles() == ["Facturation au domicile", "Facturation des infirmiers"]
    first.refresh_from_db()  # (its rank changed)
    first.title = "Facturation des soins infirmiers"
    first.save()
    assert titles() == ["Facturation au domicile", "Facturation des soins infirmiers"]
    second.delete()
    assert titles() == ["Facturation des soins infirmiers"]
    assert "4 besoins exprimés dans les groupes attendent d'être regroupés." in page()
