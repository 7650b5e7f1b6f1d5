"""Groups, sessions, agenda votes, registration, attendance, calendars, feedback and minutes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from federations.roles import Role
from tests.factories import HealthCentreFactory, MembershipFactory, UserFactory
from tests.usergroups.factories import GroupSessionFactory, UserGroupFactory
from usergroups import services
from usergroups.models import (
    AgendaTopic,
    FeedbackItem,
    GroupSession,
    Level,
    MinutesAmendment,
    MinutesStatus,
    Registration,
    UserGroup,
)

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # noqa: ANN001
    client = Client()
    client.force_login(user)
    return client


def test_staff_creates_a_group_with_a_scoped_facilitator(world) -> None:
    client = _client(world.users["staff_a"])
    url = reverse("usergroups:group_create", kwargs={"federation_slug": "alpha"})
    page = client.get(url)
    choices = list(page.context["form"].fields["facilitator"].queryset)
    assert world.memberships["dim_a"] in choices
    assert world.memberships["dim_b"] not in choices  # another federation's DIM is not offered
    assert world.memberships["member_a"] not in choices
    response = client.post(
        url,
        {
            "software": world.software_y.pk,
            "name": "Logiciel Y — expérimentés",
            "level": Level.EXPERIENCED,
            "facilitator": world.memberships["dim_a"].pk,
            "centres": [world.centre_a.pk, world.centre_a2.pk],
        },
    )
    group = UserGroup.objects.get(name="Logiciel Y — expérimentés")
    assert response.status_code == 302
    assert group.federation == world.federation_a
    assert set(group.centres.all()) == {world.centre_a, world.centre_a2}
    # a facilitator of federation B is refused by the form, nothing is written
    response = client.post(
        url,
        {
            "software": world.software_y.pk,
            "name": "Autre",
            "level": Level.MIXED,
            "facilitator": world.memberships["dim_b"].pk,
        },
    )
    assert response.status_code == 200
    assert "facilitator" in response.context["form"].errors
    assert not UserGroup.objects.filter(name="Autre").exists()


def test_group_service_refuses_a_member_as_facilitator(world) -> None:
    with pytest.raises(ValidationError):
        services.group_create(
            actor=world.users["staff_a"],
            federation=world.federation_a,
            software=world.software_x,
            name="G",
            level=Level.MIXED,
            facilitator=world.memberships["member_a"],
        )


def test_session_defaults_and_suggested_next_date_two_months_later_same_weekday(world) -> None:
    group = world.objects["ug_group"]
    start = datetime(2026, 3, 10, 18, 30, tzinfo=PARIS)  # a Tuesday
    session = services.session_create(actor=world.users["dim_a"], group=group, starts_at=start)
    assert session.duration_minutes == 60
    nxt = timezone.localtime(services.suggested_next_date(session.starts_at))
    assert nxt.weekday() == start.weekday()
    assert (nxt.hour, nxt.minute) == (18, 30)
    assert 55 <= (nxt.date() - start.date()).days <= 65


def test_session_form_takes_paris_time(world) -> None:
    client = _client(world.users["dim_a"])
    group = world.objects["ug_group"]
    response = client.post(
        reverse("usergroups:session_create", kwargs={"federation_slug": "alpha", "pk": group.pk}),
        {"starts_at": "2026-07-02T18:00", "duration_minutes": 60, "video_url": ""},
    )
    assert response.status_code == 302
    session = GroupSession.objects.filter(group=group).order_by("-pk").first()
    assert timezone.localtime(session.starts_at, PARIS).hour == 18
    assert session.starts_at.astimezone(ZoneInfo("UTC")).hour == 16  # summer time


def test_topics_votes_and_agenda_order(world) -> None:
    session = world.objects["ug_future"]
    alice, dana, charlie = (world.users[r] for r in ("staff_a", "member_a", "coordinator_a"))
    t1 = services.topic_propose(actor=dana, session=session, title="Facturation à domicile")
    t2 = services.topic_propose(actor=alice, session=session, title="Agenda partagé")
    services.topic_vote(actor=charlie, topic=t2)
    services.topic_vote(actor=dana, topic=t2)
    agenda = [t.title for t in _agenda(session, dana)]
    assert agenda.index("Agenda partagé") < agenda.index("Facturation à domicile")
    # voting again withdraws the vote
    assert services.topic_vote(actor=dana, topic=t2) is False
    assert t1.votes.count() == 1


def _agenda(session, user):  # noqa: ANN001, ANN202
    from usergroups.selectors import session_agenda

    return session_agenda(session=session, user=user)


def test_a_vote_after_the_session_started_is_refused(world) -> None:
    session = world.objects["ug_past"]
    topic = AgendaTopic.objects.create(federation=world.federation_a, session=session, title="T")
    with pytest.raises(ValidationError, match="commencé"):
        services.topic_vote(actor=world.users["member_a"], topic=topic)
    assert topic.votes.count() == 0
    client = _client(world.users["member_a"])
    url = reverse(
        "usergroups:topic_vote",
        kwargs={"federation_slug": "alpha", "pk": session.pk, "topic_pk": topic.pk},
    )
    response = client.post(url, follow=True)
    assert "les votes sont clos" in response.content.decode()
    assert topic.votes.count() == 0


def test_registration_keeps_profession_and_msp(world) -> None:
    session = world.objects["ug_future"]
    client = _client(world.users["member_a"])
    client.post(
        reverse("usergroups:register", kwargs={"federation_slug": "alpha", "pk": session.pk})
    )
    reg = Registration.objects.get(session=session, user=world.users["member_a"])
    assert reg.health_centre == world.centre_a
    assert reg.profession == "infirmier"
    page = client.get(
        reverse("usergroups:session", kwargs={"federation_slug": "alpha", "pk": session.pk})
    )
    assert "MSP Alpha 1" in page.content.decode()


def test_vendor_representatives_attend_only_when_invited(world) -> None:
    session = world.objects["ug_future"]
    with pytest.raises(ValidationError):
        services.session_invite_vendor(
            actor=world.users["staff_a"], session=session, user=world.users["vendor_y"]
        )
    services.session_invite_vendor(
        actor=world.users["staff_a"], session=session, user=world.users["vendor_x"]
    )
    reg = Registration.objects.get(session=session, user=world.users["vendor_x"])
    assert reg.is_vendor_representative
    other = GroupSessionFactory(group=session.group)
    assert not other.registrations.filter(user=world.users["vendor_x"]).exists()
    assert not other.invited_vendor_users.exists()


def test_attendance_is_taken_by_the_facilitator(world) -> None:
    session = world.objects["ug_past"]
    reg = session.registrations.get()
    client = _client(world.users["dim_a"])
    url = reverse("usergroups:attendance", kwargs={"federation_slug": "alpha", "pk": session.pk})
    client.post(url, {})
    reg.refresh_from_db()
    assert reg.attended is False
    client.post(url, {"present": [reg.pk]})
    reg.refresh_from_db()
    assert reg.attended is True


def test_session_ics_is_valid_icalendar_in_paris_time(world) -> None:
    session = world.objects["ug_future"]
    session.starts_at = datetime(2026, 12, 3, 18, 0, tzinfo=PARIS)
    session.save()
    client = _client(world.users["member_a"])
    response = client.get(
        reverse("usergroups:session_ics", kwargs={"federation_slug": "alpha", "pk": session.pk})
    )
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    dtstart = events[0]["DTSTART"]
    assert dtstart.params["TZID"] == "Europe/Paris"
    assert dtstart.dt == datetime(2026, 12, 3, 18, 0, tzinfo=PARIS)
    assert dtstart.dt.hour == 18
    assert events[0]["DTEND"].dt - dtstart.dt == timedelta(hours=1)
    assert "VTIMEZONE" in [c.name for c in cal.subcomponents]
    assert session.video_url in str(events[0]["LOCATION"])


def test_group_feed_lists_every_session(world) -> None:
    group = world.objects["ug_group"]
    client = _client(world.users["coordinator_a"])
    response = client.get(
        reverse("usergroups:group_ics", kwargs={"federation_slug": "alpha", "pk": group.pk})
    )
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == group.sessions.count() == 2
    assert all(e["DTSTART"].params["TZID"] == "Europe/Paris" for e in events)
    assert len({str(e["UID"]) for e in events}) == 2


def test_member_adds_feedback_for_their_own_msp(world) -> None:
    session = world.objects["ug_past"]
    client = _client(world.users["member_a"])
    response = client.post(
        reverse(
            "usergroups:feedback_create", kwargs={"federation_slug": "alpha", "pk": session.pk}
        ),
        {
            "kind": "difficulty",
            "theme": "mobility",
            "text": "L'application mobile se déconnecte",
            "centres": [world.centre_a2.pk],  # ignored: a member speaks for their MSP
        },
    )
    assert response.status_code == 302
    item = FeedbackItem.objects.get(text="L'application mobile se déconnecte")
    assert list(item.centres.all()) == [world.centre_a]
    assert item.profession == "infirmier"
    assert item.session == session


def test_feedback_between_sessions(world) -> None:
    group = world.objects["ug_group"]
    client = _client(world.users["coordinator_a"])
    client.post(
        reverse("usergroups:group_feedback", kwargs={"federation_slug": "alpha", "pk": group.pk}),
        {"kind": "tip", "theme": "training", "text": "Un tutoriel vidéo aide beaucoup"},
    )
    item = FeedbackItem.objects.get(text="Un tutoriel vidéo aide beaucoup")
    assert item.session is None
    assert item.group == group


def test_feedback_on_a_session_of_another_tenant_is_404_and_writes_nothing(world) -> None:
    session_a = world.objects["ug_past"]
    before = FeedbackItem.objects.count()
    client = _client(world.users["coordinator_b"])
    for slug in ("beta", "alpha"):
        response = client.post(
            reverse(
                "usergroups:feedback_create", kwargs={"federation_slug": slug, "pk": session_a.pk}
            ),
            {"kind": "need", "theme": "billing", "text": "Intrusion"},
        )
        assert response.status_code == 404
    # member of A at another MSP: the group is not theirs either
    client = _client(world.users["member_a2"])
    response = client.post(
        reverse(
            "usergroups:feedback_create", kwargs={"federation_slug": "alpha", "pk": session_a.pk}
        ),
        {"kind": "need", "theme": "billing", "text": "Intrusion"},
    )
    assert response.status_code == 404
    assert FeedbackItem.objects.count() == before


def test_feedback_form_errors_are_shown_by_field(world) -> None:
    session = world.objects["ug_past"]
    client = _client(world.users["member_a"])
    response = client.post(
        reverse(
            "usergroups:feedback_create", kwargs={"federation_slug": "alpha", "pk": session.pk}
        ),
        {"kind": "need", "theme": "inconnu", "text": ""},
    )
    assert response.status_code == 200
    errors = response.context["feedback_form"].errors
    assert "theme" in errors and "text" in errors


def test_minutes_draft_amendments_then_publication(world) -> None:
    session = world.objects["ug_past"]
    dana = world.users["member_a"]
    amendment = services.amendment_propose(
        actor=dana,
        membership=world.memberships["member_a"],
        session=session,
        text="Ajouter : la télétransmission échoue le lundi.",
    )
    # someone who did not attend cannot amend
    with pytest.raises(ValidationError):
        services.amendment_propose(
            actor=world.users["coordinator_a"],
            membership=world.memberships["coordinator_a"],
            session=session,
            text="Autre",
        )
    services.minutes_save(actor=world.users["dim_a"], session=session, minutes="Résumé.")
    services.amendment_decide(actor=world.users["dim_a"], amendment=amendment, accept=True)
    session.refresh_from_db()
    assert "télétransmission échoue" in session.minutes
    client = _client(world.users["dim_a"])
    client.post(
        reverse("usergroups:minutes", kwargs={"federation_slug": "alpha", "pk": session.pk}),
        {"minutes": session.minutes, "action": "publish"},
    )
    session.refresh_from_db()
    assert session.minutes_status == MinutesStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.amendment_propose(
            actor=dana, membership=world.memberships["member_a"], session=session, text="Trop tard"
        )
    with pytest.raises(ValidationError):
        services.minutes_save(actor=world.users["dim_a"], session=session, minutes="Changé")
    assert MinutesAmendment.objects.filter(session=session).count() == 2


def test_groups_page_query_budget(world, django_assert_max_num_queries) -> None:
    for _i in range(30):
        g = UserGroupFactory(federation=world.federation_a, software=world.software_x)
        g.centres.set([world.centre_a])
        GroupSessionFactory(group=g)
    client = _client(world.users["staff_a"])
    url = reverse("usergroups:groups", kwargs={"federation_slug": "alpha"})
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


def test_group_and_session_pages_query_budget(world, django_assert_max_num_queries) -> None:
    group = world.objects["ug_group"]
    session = world.objects["ug_past"]
    extra_centres = [HealthCentreFactory(federation=world.federation_a) for _ in range(5)]
    group.centres.add(*extra_centres)
    for _ in range(50):
        GroupSessionFactory(group=group, starts_at=timezone.now() - timedelta(days=30))
    for i in range(40):
        user = UserFactory()
        m = MembershipFactory(
            user=user,
            federation=world.federation_a,
            role=Role.MEMBER,
            health_centre=extra_centres[i % 5],
        )
        services.registration_register(membership=m, session=world.objects["ug_future"])
        Registration.objects.create(
            federation=world.federation_a, session=session, user=user, attended=True
        )
    from tests.usergroups.factories import FeedbackItemFactory

    for _ in range(100):
        FeedbackItemFactory(group=group, session=session, centres=extra_centres[:2])
    for i in range(20):
        AgendaTopic.objects.create(
            federation=world.federation_a, session=session, title=f"Sujet {i}"
        )
    client = _client(world.users["staff_a"])
    for name, pk in (("usergroups:group", group.pk), ("usergroups:session", session.pk)):
        url = reverse(name, kwargs={"federation_slug": "alpha", "pk": pk})
        client.get(url)
        with django_assert_max_num_queries(25):
            response = client.get(url)
        assert response.status_code == 200


def test_new_group_session_gets_group_of_same_federation(world) -> None:
    session = GroupSessionFactory(group=world.objects["ug_group"])
    assert session.federation_id == world.federation_a.pk
    assert GroupSession.objects.visible_to(world.memberships["member_a2"]).count() == 0
    assert GroupSession.objects.visible_to(world.memberships["member_a"]).count() == 3


def test_feedback_between_sessions_is_written_on_its_own_page(world) -> None:
    group = world.objects["ug_group"]
    group_url = reverse("usergroups:group", kwargs={"federation_slug": "alpha", "pk": group.pk})
    url = reverse("usergroups:group_feedback", kwargs={"federation_slug": "alpha", "pk": group.pk})
    client = _client(world.users["member_a"])
    html = client.get(group_url).content.decode()
    assert f'href="{url}"' in html and 'name="text"' not in html
    form = client.get(url).content.decode()
    assert '<label for="id_kind">' in form and 'name="text"' in form
    response = client.post(url, {"kind": "tip", "theme": "training"})
    assert response.status_code == 200
    assert 'aria-describedby="id_text_helptext id_text_error"' in response.content.decode()
    response = client.post(url, {"kind": "tip", "theme": "training", "text": "Astuce utile"})
    assert response.status_code == 302 and response["Location"] == group_url
    assert FeedbackItem.objects.filter(text="Astuce utile", session=None, group=group).exists()


def test_feedback_items_show_their_msps_by_name(world) -> None:
    """Each feedback item lists its MSPs by name (read with the item), or says it has none."""
    from tests.usergroups.factories import FeedbackItemFactory

    group = world.objects["ug_group"]
    zola = HealthCentreFactory(federation=world.federation_a, name="MSP Zola")
    abel = HealthCentreFactory(federation=world.federation_a, name="MSP Abel")
    FeedbackItemFactory(group=group, text="Deux MSP le disent", centres=[zola, abel])
    FeedbackItemFactory(group=group, text="Personne en particulier", centres=[])
    html = _client(world.users["staff_a"]).get(
        reverse("usergroups:group", kwargs={"federation_slug": "alpha", "pk": group.pk})
    )
    flat = " ".join(html.content.decode().split())
    assert 'Deux MSP le disent</p> <p class="muted">MSP Abel, MSP Zola ·' in flat
    assert 'Personne en particulier</p> <p class="muted">Aucune MSP précisée ·' in flat


def test_the_home_page_lists_the_next_sessions_of_the_person_s_groups(world) -> None:
    """The home panel shows the three next sessions the person may see, soonest first, with
    their group; past sessions and other MSPs' groups are not there."""
    from django.utils import formats

    group = world.objects["ug_group"]
    later = [
        GroupSessionFactory(group=group, starts_at=timezone.now() + timedelta(days=d))
        for d in (20, 30, 40)
    ]
    elsewhere = UserGroupFactory(
        federation=world.federation_a, software=world.software_x, name="Groupe d'une autre MSP"
    )
    elsewhere.centres.set([HealthCentreFactory(federation=world.federation_a)])
    GroupSessionFactory(group=elsewhere, starts_at=timezone.now() + timedelta(days=1))
    home = _client(world.users["member_a"]).get(reverse("federations:home", args=["alpha"]))
    panel = next(p for p in home.context["panels"] if "upcoming" in p.context)
    future = world.objects["ug_future"]
    assert [s["pk"] for s in panel.context["upcoming"]] == [future.pk, later[0].pk, later[1].pk]
    html = home.content.decode()
    url = reverse("usergroups:session", args=["alpha", future.pk])
    when = formats.date_format(timezone.localtime(future.starts_at), "j F Y à H:i")
    assert f'<a href="{url}">{when}</a> — {group.name}' in html
    assert "Groupe d'une autre MSP" not in html


def test_feedback_cards_are_written_as_the_template_wrote_them_escaped() -> None:
    """The ``{% feedback_items %}`` tag writes what the former per-item template wrote (same
    elements, same text once spaces are folded), escaping every value and keeping line breaks."""
    from django.template import Context, Template

    former = Template(
        '<div class="card feedback-item kind-{{ item.kind }}">'
        '<p><span class="badge {{ item.badge }}">{{ item.kind_label }}</span> '
        '<span class="badge">{{ item.theme }}</span> '
        '{% if item.profession %}<span class="muted">{{ item.profession }}</span>{% endif %}</p>'
        "<p>{{ item.text|linebreaksbr }}</p>"
        '<p class="muted">{{ item.centres }} · {{ item.reported_on }}'
        "{% if item.merged %} · {{ item.merged }}{% endif %}</p></div>"
    )
    tag = Template("{% load usergroups_tags %}{% feedback_items items %}")
    items = [
        {
            "kind": "need",
            "badge": "warn",
            "kind_label": "Besoin",
            "theme": "Facturation",
            "profession": "Infirmier",
            "text": "Le <script>alert('x')</script> & \"guillemets\"\r\nligne 2\rligne 3",
            "centres": "MSP <Abel>, MSP d'Ys",
            "reported_on": "3 décembre 2026",
            "merged": "regroupé dans un besoin",
        },
        {
            "kind": "tip",
            "badge": "ok",
            "kind_label": "Astuce",
            "theme": "Formation",
            "profession": "",
            "text": "Former un super-utilisateur",
            "centres": "Aucune MSP précisée",
            "reported_on": "1 janvier 2026",
            "merged": "",
        },
    ]

    def folded(html: str) -> str:
        return re.sub(r">\s+<", "><", " ".join(html.split()))

    written = tag.render(Context({"items": items}))
    assert folded(written) == folded(
        "".join(former.render(Context({"item": item})) for item in items)
    )
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;" in written
    assert "&quot;guillemets&quot;<br>ligne 2<br>ligne 3</p>" in written
