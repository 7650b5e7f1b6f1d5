"""Status page, htmx polling, checked and logged downloads, retry from the page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from deliverables import services
from deliverables.models import Deliverable, DeliverableStatus, DownloadLog
from federations.models import AuditEvent


def login(client, world, role: str):  # noqa: ANN001, ANN201
    client.force_login(world.users[role])
    return client


def test_embedded_default_page_reads_ready_at_once(
    client,  # noqa: ANN001
    world,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        deliverable = services.deliverable_request(
            actor=world.users["staff_a"],
            kind="tests.sample",
            title="Cahier des charges",
            federation=world.federation_a,
        )
    response = login(client, world, "staff_a").get(
        reverse("deliverables:detail", args=[deliverable.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="ready"' in html and "Prêt" in html
    assert reverse("deliverables:download", args=[deliverable.pk]) in html
    assert "Généré le " in html
    assert "hx-trigger" not in html  # nothing to poll


@pytest.mark.parametrize("status", ["queued", "rendering"])
def test_status_partial_polls_while_not_finished(client, world, status) -> None:  # noqa: ANN001
    deliverable = Deliverable.objects.create(
        federation=world.federation_a, kind="tests.sample", title="En cours", status=status
    )
    url = reverse("deliverables:detail", args=[deliverable.pk])
    login(client, world, "staff_a")
    page = client.get(url).content.decode()
    assert "<h1>En cours</h1>" in page
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="deliverable-status"')
    assert "<h1>" not in partial
    assert 'hx-trigger="every 2s"' in partial
    assert "se met à jour toute seule" in partial


def test_failed_page_shows_reason_and_retry_form(client, world) -> None:  # noqa: ANN001
    failed = world.objects["deliverable_failed"]
    html = (
        login(client, world, "staff_a")
        .get(reverse("deliverables:detail", args=[failed.pk]))
        .content.decode()
    )
    assert "Échec" in html
    assert "La génération a échoué : TemplateSyntaxError: exemple" in html
    assert f'action="{reverse("deliverables:retry", args=[failed.pk])}"' in html
    assert 'method="post"' in html


def test_retry_from_the_page(client, world, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    failed = world.objects["deliverable_failed"]
    login(client, world, "staff_a")
    assert client.get(reverse("deliverables:retry", args=[failed.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deliverables:retry", args=[failed.pk]))
    assert response.status_code == 302
    assert response.url == reverse("deliverables:detail", args=[failed.pk])
    failed.refresh_from_db()
    assert failed.status == DeliverableStatus.READY and failed.error == ""
    assert 'data-status="ready"' in client.get(response.url).content.decode()


def test_retry_by_someone_not_allowed_is_404_and_changes_nothing(client, world) -> None:  # noqa: ANN001
    failed = world.objects["deliverable_failed"]
    for role in ("staff_b", "member_a", "vendor_x"):
        login(client, world, role)
        assert client.post(reverse("deliverables:retry", args=[failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.status == DeliverableStatus.FAILED


def test_download_is_checked_logged_and_audited(client, world) -> None:  # noqa: ANN001
    ready = world.objects["deliverable_ready"]
    response = login(client, world, "staff_a").get(
        reverse("deliverables:download", args=[ready.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="exemple.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    log = DownloadLog.objects.get()
    assert log.deliverable == ready and log.user == world.users["staff_a"]
    event = AuditEvent.objects.get(verb="deliverable_downloaded")
    assert event.federation == world.federation_a
    assert event.actor == world.users["staff_a"]
    assert event.data == {"deliverable": str(ready.pk)}


@pytest.mark.parametrize("role", ["member_a", "coordinator_a", "staff_b", "vendor_x", "operator"])
def test_download_without_rights_is_404_and_not_logged(client, world, role) -> None:  # noqa: ANN001
    ready = world.objects["deliverable_ready"]
    response = login(client, world, role).get(reverse("deliverables:download", args=[ready.pk]))
    assert response.status_code == 404
    assert not DownloadLog.objects.exists()
    assert not AuditEvent.objects.filter(verb="deliverable_downloaded").exists()


def test_download_of_a_deliverable_not_ready_is_404(client, world) -> None:  # noqa: ANN001
    failed = world.objects["deliverable_failed"]
    response = login(client, world, "staff_a").get(
        reverse("deliverables:download", args=[failed.pk])
    )
    assert response.status_code == 404
    assert not DownloadLog.objects.exists()


def test_anonymous_is_sent_to_login(client, world) -> None:  # noqa: ANN001
    ready = world.objects["deliverable_ready"]
    response = client.get(reverse("deliverables:download", args=[ready.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_files_are_stored_outside_the_web_root(client, world) -> None:  # noqa: ANN001
    ready = world.objects["deliverable_ready"]
    path = ready.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert all(not path.startswith(str(d)) for d in settings.STATICFILES_DIRS)
    login(client, world, "staff_a")
    for url in (f"/media/{ready.file.name}", f"/private/{ready.file.name}", f"/{ready.file.name}"):
        assert client.get(url).status_code == 404, url


def test_base_settings_keep_private_files_under_the_var_dir() -> None:
    from config.settings import base

    assert base.MEDIA_ROOT == base.VAR_DIR / "private"
    assert base.STORAGES["default"]["OPTIONS"] == {
        "location": str(base.VAR_DIR / "private"),
        "base_url": None,
    }
    assert base.MEDIA_ROOT != base.STATIC_ROOT


def test_queued_after_a_transient_error_says_it_will_try_again(client, world) -> None:  # noqa: ANN001
    deliverable = Deliverable.objects.create(
        federation=world.federation_a,
        kind="tests.sample",
        title="Nouvelle tentative",
        status="queued",
        error="Erreur inattendue : OSError: disque plein",
    )
    html = (
        login(client, world, "staff_a")
        .get(reverse("deliverables:detail", args=[deliverable.pk]))
        .content.decode()
    )
    assert (
        "Une nouvelle tentative est prévue après cette erreur : "
        "Erreur inattendue : OSError: disque plein"
    ) in html
    assert 'hx-trigger="every 2s"' in html
