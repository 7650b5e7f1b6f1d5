"""The vendor portal: published syntheses only, own vendor only, answers with history,
notification of the MSPs on delivery, reminders of unanswered needs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import HealthCentreFactory, UserFactory
from tests.usergroups.factories import FeedbackItemFactory
from usergroups import services
from usergroups.models import Need, SynthesisVersion, VendorAnswer

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user)
    return client


def test_vendor_sees_only_what_was_published_to_it(world) -> None:
    # an unpublished synthesis of the same software: never shown
    services.synthesis_create(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
    )
    page = _client(world.users["vendor_x"]).get(reverse("portal:syntheses"))
    versions = list(page.context["page"])
    assert [v["pk"] for v in versions] == [world.objects["ug_version"].pk]
    assert "Fédération Alpha" in page.content.decode()
    page_y = _client(world.users["vendor_y"]).get(reverse("portal:syntheses"))
    assert list(page_y.context["page"]) == []
    url = reverse("portal:version", kwargs={"pk": world.objects["ug_version"].pk})
    assert _client(world.users["vendor_y"]).get(url).status_code == 404
    body = _client(world.users["vendor_x"]).get(url).content.decode()
    assert "Facturation des infirmiers" in body


def test_vendor_answers_with_history_visible_to_the_federation(world) -> None:
    version = world.objects["ug_version"]
    need = world.objects["ug_need"]
    client = _client(world.users["vendor_x"])
    url = reverse("portal:answer", kwargs={"pk": version.pk, "need_pk": need.pk})
    p = f"n{need.pk}-"
    client.post(url, {p + "status": "received", p + "comment": "Bien reçu."})
    # planned without version nor date: refused, shown on the field, nothing written
    response = client.post(url, {p + "status": "planned"})
    assert response.status_code == 200
    assert VendorAnswer.objects.filter(need=need).count() == 1
    assert "Indiquez la version et la date" in response.content.decode()
    client.post(
        url,
        {p + "status": "planned", p + "planned_version": "5.80", p + "planned_for": "2027-03-01"},
    )
    statuses = list(VendorAnswer.objects.filter(need=need).values_list("status", flat=True))
    assert statuses == ["planned", "received"]  # newest first, the older one kept
    page = _client(world.users["staff_a"]).get(
        reverse("usergroups:version", kwargs={"federation_slug": "alpha", "pk": version.pk})
    )
    body = page.content.decode()
    assert "Bien reçu." in body and "5.80" in body and "1 mars 2027" in body


def test_vendor_y_cannot_answer_vendor_x_need(world) -> None:
    need = world.objects["ug_need"]
    version = world.objects["ug_version"]
    client = _client(world.users["vendor_y"])
    p = f"n{need.pk}-"
    response = client.post(
        reverse("portal:answer", kwargs={"pk": version.pk, "need_pk": need.pk}),
        {p + "status": "declined", p + "comment": "Non"},
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.answer_create(actor=world.users["vendor_y"], need=need, status="received")
    # a need never published: not answerable either
    hidden = Need.objects.create(
        federation=world.federation_a, software=world.software_x, title="Pas publié", theme="other"
    )
    with pytest.raises(ValidationError):
        services.answer_create(actor=world.users["vendor_x"], need=hidden, status="received")
    assert not VendorAnswer.objects.exists()


def test_msps_that_raised_a_need_are_told_when_it_is_delivered(
    world, django_capture_on_commit_callbacks
) -> None:
    need = world.objects["ug_need"]
    a3 = HealthCentreFactory(federation=world.federation_a)
    from tests.factories import MembershipFactory

    coord3 = MembershipFactory(
        user=UserFactory(email="coord3@alpha.test"),
        federation=world.federation_a,
        role="coordinator",
        health_centre=a3,
    )
    item = FeedbackItemFactory(group=world.objects["ug_group"], centres=[a3], need=need)
    assert item.need == need
    client = _client(world.users["vendor_x"])
    p = f"n{need.pk}-"
    url = reverse(
        "portal:answer", kwargs={"pk": world.objects["ug_version"].pk, "need_pk": need.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {p + "status": "studying"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {p + "status": "delivered", p + "comment": "Livré en 5.80."})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) >= {"charlie@alpha.test", coord3.user.email}
    assert "erin@alpha.test" not in message.to  # A2 did not raise it
    assert "Facturation des infirmiers" in message.subject
    assert "Livré en 5.80." in message.body


def test_unanswered_needs_remind_the_vendor_once(
    world, settings, django_capture_on_commit_callbacks
) -> None:
    settings.USERGROUPS_ANSWER_REMINDER_DAYS = 30
    need = world.objects["ug_need"]
    today = timezone.localdate()
    Need.objects.filter(pk=need.pk).update(first_published_on=today - timedelta(days=29))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_unanswered_needs(today=today) == 0
    Need.objects.filter(pk=need.pk).update(first_published_on=today - timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_unanswered_needs(today=today) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["xavier@vendor-x.test"]
    assert "Facturation des infirmiers" in mail.outbox[0].body
    # the task is idempotent: not twice the same day
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_unanswered_needs(today=today) == 0
    assert len(mail.outbox) == 1
    # an answered need is not reminded, even a month later
    services.answer_create(actor=world.users["vendor_x"], need=need, status="received")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_unanswered_needs(today=today + timedelta(days=40)) == 0
    assert len(mail.outbox) == 1


def test_reminder_delay_is_a_setting(world, settings, django_capture_on_commit_callbacks) -> None:
    settings.USERGROUPS_ANSWER_REMINDER_DAYS = 7
    need = world.objects["ug_need"]
    today = timezone.localdate()
    Need.objects.filter(pk=need.pk).update(first_published_on=today - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_unanswered_needs(today=today) == 1
    assert "7 jours" in mail.outbox[0].body


def test_reminder_is_scheduled_with_celery_beat(settings) -> None:
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "usergroups.remind_unanswered_needs" in entries
    from config.celery import app

    app.loader.import_default_modules()
    assert "usergroups.remind_unanswered_needs" in app.tasks


def test_portal_pages_query_budget(world, django_assert_max_num_queries) -> None:
    group = world.objects["ug_group"]
    for n in range(60):
        item = FeedbackItemFactory(group=group, centres=[world.centre_a])
        services.need_merge(
            actor=world.users["staff_a"],
            federation=world.federation_a,
            software=world.software_x,
            items=[item],
            title=f"Besoin {n}",
        )
    version = services.synthesis_publish(
        actor=world.users["staff_a"], synthesis=world.objects["ug_synthesis"]
    )
    for need in version.needs.all()[:30]:
        services.answer_create(actor=world.users["vendor_x"], need=need, status="received")
    client = _client(world.users["vendor_x"])
    for url in (reverse("portal:syntheses"), reverse("portal:version", kwargs={"pk": version.pk})):
        client.get(url)
        with django_assert_max_num_queries(15):
            response = client.get(url)
        assert response.status_code == 200


def test_blank_answer_forms_are_those_django_would_write(world, rf) -> None:
    """The version page writes each blank answer form by hand (``BlankAnswerFields``): the same
    labels, required mark, ids, names, options and limits as ``components/form.html`` gives
    ``AnswerForm``, so that neither can change without the other."""
    from django.template.loader import render_to_string
    from django.test.html import parse_html

    from usergroups.forms import AnswerForm, BlankAnswerFields

    request = rf.get("/")
    stamped = BlankAnswerFields(request).for_need(1234)
    token, fields = stamped.split(">", 1)
    assert token.startswith('<input type="hidden" name="csrfmiddlewaretoken"')
    django = render_to_string("components/form.html", {"form": AnswerForm(prefix="n1234")})
    assert parse_html(fields) == parse_html(django)


def test_the_version_page_answers_each_need_with_a_labelled_form(world) -> None:
    version = world.objects["ug_version"]
    need = world.objects["ug_need"]
    client = _client(world.users["vendor_x"])
    html = client.get(reverse("portal:version", kwargs={"pk": version.pk})).content.decode()
    action = reverse("portal:answer", kwargs={"pk": version.pk, "need_pk": need.pk})
    assert f'<form method="post" action="{action}"><input type="hidden" name="csrf' in html
    assert f'<label for="id_n{need.pk}-status">Statut' in html
    assert f'<select name="n{need.pk}-status" id="id_n{need.pk}-status">' in html
    # A refused answer is shown again by Django's form, open, with its error tied to the field.
    p = f"n{need.pk}-"
    response = client.post(action, {p + "status": "declined"})
    html = response.content.decode()
    assert '<details class="answer-form" open>' in html
    assert f'aria-describedby="id_{p}comment_error"' in html
    assert "Expliquez pourquoi le besoin est refusé." in html


def test_difficulties_and_tips_have_their_own_pages(world) -> None:
    """The needs of a version come by pages of 30 with their forms; the difficulties and tips of
    the period are on a page of their own (each list by pages of 50), linked with their counts."""
    version = world.objects["ug_version"]
    content = {
        **version.content,
        "difficulties": [
            {"id": i, "theme_label": "Ergonomie", "text": f"difficulte-{i:03}", "profession": ""}
            for i in range(60)
        ],
        "tips": [{"id": 1, "theme_label": "Formation", "text": "astuce-unique"}],
    }
    SynthesisVersion.objects.filter(pk=version.pk).update(content=content)
    client = _client(world.users["vendor_x"])
    html = client.get(reverse("portal:version", kwargs={"pk": version.pk})).content.decode()
    url = reverse("portal:feedback", kwargs={"pk": version.pk})
    assert f'<a href="{url}">Difficultés rencontrées et astuces partagées</a>' in html
    assert "60 difficultés, 1 astuce" in html and "difficulte-000" not in html
    first = client.get(url).content.decode()
    second = client.get(url, {"difficultes": 2}).content.decode()
    assert first.count("difficulte-") == 50 and second.count("difficulte-") == 10
    assert "astuce-unique" in first and "astuce-unique" in second
    assert 'aria-label="Pages des difficultés"' in first
    assert _client(world.users["vendor_y"]).get(url).status_code == 404


def test_a_version_is_read_by_parts_from_the_cache(world, django_assert_num_queries) -> None:
    """A version never changes: its needs are read from the cache by parts of 20, its content
    (150 kB for the largest) once."""
    from usergroups.selectors import VersionNeeds

    version = world.objects["ug_version"]
    needs = [{**version.content["needs"][0], "id": i, "rank": i + 1} for i in range(75)]
    SynthesisVersion.objects.filter(pk=version.pk).update(content={"needs": needs})
    with django_assert_num_queries(1):
        first = VersionNeeds(version)
        assert len(first) == 75 and first[20:40] == needs[20:40]
    with django_assert_num_queries(0):
        again = VersionNeeds(version)
        assert again[60:80] == needs[60:] and again[15:45] == needs[15:45]
        assert again[-1] == needs[-1] and list(again) == needs
        assert again.outline["ids"] == list(range(75))


def test_the_answers_summary_of_a_version_follows_each_answer(world) -> None:
    """The summary of a version's answers is kept in the cache; each answer forgets it."""
    version = world.objects["ug_version"]
    need = world.objects["ug_need"]
    client = _client(world.users["vendor_x"])
    url = reverse("portal:version", kwargs={"pk": version.pk})
    assert client.get(url).context["summary"]["unanswered"] == 1
    assert client.get(url).context["summary"]["unanswered"] == 1  # from the cache
    services.answer_create(
        actor=world.users["vendor_x"],
        need=need,
        status="planned",
        planned_version="5.80",
        planned_for=date(2027, 3, 1),
    )
    summary = client.get(url).context["summary"]
    assert summary["unanswered"] == 0 and summary["planned"] == 1
    services.answer_create(actor=world.users["vendor_x"], need=need, status="delivered")
    summary = client.get(url).context["summary"]
    assert summary["planned"] == 0 and summary["delivered"] == 1


def test_the_vendors_count_of_unanswered_needs_follows_publications_and_answers(world) -> None:
    """The count of needs waiting for the vendor's answer is kept in the cache; a publication
    to the vendor and an answer of the vendor forget it."""
    client = _client(world.users["vendor_x"])
    url = reverse("portal:syntheses")
    assert client.get(url).context["unanswered"] == 1
    services.need_merge(
        actor=world.users["staff_a"],
        federation=world.federation_a,
        software=world.software_x,
        items=[world.objects["ug_loose_item"]],
        title="Télétransmission mobile",
    )
    assert client.get(url).context["unanswered"] == 1  # not published yet
    services.synthesis_publish(
        actor=world.users["staff_a"], synthesis=world.objects["ug_synthesis"]
    )
    assert client.get(url).context["unanswered"] == 2
    services.answer_create(
        actor=world.users["vendor_x"], need=world.objects["ug_need"], status="received"
    )
    assert client.get(url).context["unanswered"] == 1
    assert _client(world.users["vendor_y"]).get(url).context["unanswered"] == 0


def test_the_answers_shown_on_each_page_follow_each_answer(world) -> None:
    """The answers of the needs of a page are kept in the cache, page by page; an answer
    forgets those of the page holding its need, in every version holding it."""
    group = world.objects["ug_group"]
    for n in range(25):
        item = FeedbackItemFactory(group=group, centres=[world.centre_a])
        services.need_merge(
            actor=world.users["staff_a"],
            federation=world.federation_a,
            software=world.software_x,
            items=[item],
            title=f"Besoin {n:02}",
        )
    version = services.synthesis_publish(
        actor=world.users["staff_a"], synthesis=world.objects["ug_synthesis"]
    )
    last = Need.objects.get(title="Besoin 24")
    assert [n["id"] for n in version.content["needs"]].index(last.pk) >= 20  # on page 2
    client = _client(world.users["vendor_x"])
    url = reverse("portal:version", kwargs={"pk": version.pk})
    assert "Vu, merci" not in client.get(url, {"page": 2}).content.decode()
    client.get(url)  # page 1 cached too
    services.answer_create(
        actor=world.users["vendor_x"], need=last, status="received", comment="Vu, merci"
    )
    assert "Vu, merci" in client.get(url, {"page": 2}).content.decode()
    first = reverse("portal:version", kwargs={"pk": world.objects["ug_version"].pk})
    assert "Nous regardons" not in client.get(first).content.decode()
    services.answer_create(
        actor=world.users["vendor_x"],
        need=world.objects["ug_need"],
        status="studying",
        comment="Nous regardons",
    )
    # The older version holds this need too: both show the answer.
    assert "Nous regardons" in client.get(first).content.decode()
    assert "Nous regardons" in client.get(url).content.decode()
