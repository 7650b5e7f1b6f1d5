"""Sign-in, sign-out, password reset and rules, throttling and session lifetime."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from federations.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/login/"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def sign_in(client: Client, email: str, password: str = PASSWORD):  # noqa: ANN201
    return client.post(LOGIN, {"login": email, "password": password})


def is_signed_in(client: Client) -> bool:
    response = client.get(reverse("accounts:profile"))
    return response.status_code == 200


def test_sign_in_with_email_lands_on_the_role_home_and_is_audited(world) -> None:
    client = Client()
    response = sign_in(client, "CHARLIE@alpha.test")  # e-mail is case-insensitive
    assert response.status_code == 302
    assert client.get(response["Location"]).url == "/alpha/"
    event = AuditEvent.objects.get(verb="sign_in", actor=world.users["coordinator_a"])
    assert event.federation == world.federation_a
    # The staff of the federation sees it in the journal, labelled in French.
    staff = Client()
    staff.force_login(world.users["staff_a"])
    journal = staff.get(reverse("federations:audit", args=["alpha"])).content.decode()
    assert "Connexion" in journal and "charlie@alpha.test" in journal


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(world) -> None:
    client = Client()
    response = sign_in(client, "charlie@alpha.test", "not the password")
    assert response.status_code == 200
    assert not is_signed_in(client)
    assert "mot de passe sont incorrects" in response.content.decode()


def test_nobody_signs_up_alone(client) -> None:
    response = client.get("/comptes/signup/")
    assert response.status_code == 200
    assert "inscriptions sont actuellement fermées" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1]


def test_logout_ends_the_session_on_the_server(world) -> None:
    client = Client()
    sign_in(client, "charlie@alpha.test")
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=session_key).exists()
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    # Replaying the old cookie (a stolen copy) gets nothing.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert not is_signed_in(thief)


def test_password_reset_by_email_then_sign_in_with_the_new_password(world) -> None:
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": "charlie@alpha.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["charlie@alpha.test"]
    assert message.subject.startswith("[Cap SI]")
    link = re.search(r"http://testserver(/comptes/password/reset/key/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]  # allauth moves the key into the session
    new_password = "un cerf-volant bleu au-dessus de Fruges"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    fresh = Client()
    assert sign_in(fresh, "charlie@alpha.test", PASSWORD).status_code == 200  # old one is dead
    assert sign_in(fresh, "charlie@alpha.test", new_password).status_code == 302
    assert is_signed_in(fresh)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_nothing(world) -> None:
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": "nobody@nowhere.test"})
    assert response.status_code == 302  # same answer as for a known address
    assert not any("/password/reset/key/" in m.body for m in mail.outbox)


def test_malformed_email_in_password_reset_is_shown_on_the_field(client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "pas-une-adresse"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert 'id="id_email_error"' in page
    assert len(mail.outbox) == 0


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("court1", False),  # too short
        ("qwertyuiop12", False),  # 12 characters but on the common-passwords list
        ("123456789012345", False),  # only digits
        ("une phrase de passe longue et facile à retenir", True),
    ],
)
def test_password_rules_on_password_change(world, password: str, accepted: bool) -> None:
    client = Client()
    sign_in(client, "charlie@alpha.test")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": password, "password2": password},
    )
    user = world.users["coordinator_a"]
    user.refresh_from_db()
    assert user.check_password(password) is accepted
    if not accepted:
        assert response.status_code == 200
        assert 'id="id_password1_error"' in response.content.decode()


def test_password_change_ends_every_other_session(world) -> None:
    laptop, phone = Client(), Client()
    sign_in(laptop, "charlie@alpha.test")
    sign_in(phone, "charlie@alpha.test")
    assert is_signed_in(phone)
    new_password = "le marché de Laventie ouvre le jeudi"
    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert not is_signed_in(laptop)  # the session that changed it is closed too


def test_repeated_failures_cool_off_then_the_account_works_again(world) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client = Client()
        for _ in range(5):
            assert sign_in(client, "charlie@alpha.test", "wrong guess").status_code == 200
        # Even the right password is refused during the cool-off…
        response = sign_in(client, "charlie@alpha.test")
        assert response.status_code in (200, 429)
        assert "Trop de tentatives de connexion" in response.content.decode()
        assert not is_signed_in(client)
        # …another account is not affected…
        other = Client()
        assert sign_in(other, "dana@alpha.test").status_code == 302
        # …and after the cool-off the owner gets in: never a permanent lock.
        clock.shift(timedelta(minutes=6))
        assert sign_in(client, "charlie@alpha.test").status_code == 302
        assert is_signed_in(client)


def test_session_ends_after_30_minutes_idle(world) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client = Client()
        sign_in(client, "charlie@alpha.test")
        clock.shift(timedelta(minutes=29))
        assert is_signed_in(client)  # activity renews the idle timer
        clock.shift(timedelta(minutes=29))
        assert is_signed_in(client)
        clock.shift(timedelta(minutes=31))
        response = client.get("/alpha/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_session_ends_after_12_hours_even_when_active(world) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client = Client()
        sign_in(client, "charlie@alpha.test")
        for _ in range(11 * 3):  # a request every 20 minutes for 11 hours
            clock.shift(timedelta(minutes=20))
            assert is_signed_in(client)
        clock.shift(timedelta(minutes=61))  # 12 h 01 after sign-in, 21 min after the last page
        assert not is_signed_in(client)


def test_reading_pages_does_not_write_the_session_on_every_request(world) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes(client: Client) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/alpha/").status_code == 200
        return sum(
            1
            for q in queries.captured_queries
            if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")
        )

    with time_machine.travel(T0, tick=False) as clock:
        client = Client()
        sign_in(client, "charlie@alpha.test")
        clock.shift(timedelta(seconds=70))
        assert session_writes(client) == 1  # renewed: over a minute since the last renewal
        for _ in range(5):
            clock.shift(timedelta(seconds=10))
            assert session_writes(client) == 0  # within the minute: nothing written
        clock.shift(timedelta(seconds=20))
        assert session_writes(client) == 1
