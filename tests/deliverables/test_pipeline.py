"""The pipeline in the embedded default (tasks in-process): statuses, failures with their reason,
retries with back-off, idempotence, the sweeper."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from deliverables import services
from deliverables.models import Deliverable, DeliverableStatus
from deliverables.tasks import backoff, render_deliverable, sweep_stale
from tests.deliverables.kinds import SAMPLE_KIND  # noqa: F401  (registers tests.sample)
from tests.factories import FederationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():  # noqa: ANN201
    return FederationFactory()


@pytest.fixture
def request_pdf(federation, django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """Request a deliverable and run what is sent after the commit (the task, in-process)."""

    def request(title: str = "Rapport", **params) -> Deliverable:  # noqa: ANN003
        with django_capture_on_commit_callbacks(execute=True):
            deliverable = services.deliverable_request(
                actor=None, kind="tests.sample", title=title, federation=federation, params=params
            )
        deliverable.refresh_from_db()
        return deliverable

    return request


def test_ready_at_once_with_one_file(request_pdf) -> None:  # noqa: ANN001
    deliverable = request_pdf(body="contenu du rapport")
    assert deliverable.status == DeliverableStatus.READY
    assert deliverable.pages == 1 and deliverable.attempts == 1
    assert deliverable.error == ""
    assert services.deliverable_files(deliverable.pk) == [deliverable.file.name]
    assert deliverable.file.name == f"deliverables/{deliverable.pk}/exemple.pdf"


def test_task_is_sent_only_after_commit(federation, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        deliverable = services.deliverable_request(
            actor=None, kind="tests.sample", title="Rapport", federation=federation
        )
    assert len(callbacks) == 1
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.QUEUED  # nothing ran inside the transaction


def test_running_the_task_twice_yields_one_file(request_pdf) -> None:  # noqa: ANN001
    deliverable = request_pdf()
    first_name = deliverable.file.name
    render_deliverable.apply(args=[str(deliverable.pk)])
    render_deliverable.apply(args=[str(deliverable.pk)])
    deliverable.refresh_from_db()
    assert deliverable.attempts == 1
    assert deliverable.file.name == first_name
    assert services.deliverable_files(deliverable.pk) == [first_name]


def test_leftover_of_an_interrupted_attempt_is_replaced(federation) -> None:  # noqa: ANN001
    deliverable = Deliverable.objects.create(
        federation=federation, kind="tests.sample", title="Rapport", status="rendering"
    )
    default_storage.save(f"deliverables/{deliverable.pk}/exemple.pdf", ContentFile(b"partial"))
    default_storage.save(f"deliverables/{deliverable.pk}/autre.pdf", ContentFile(b"partial"))
    render_deliverable.apply(args=[str(deliverable.pk)])
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.READY
    assert services.deliverable_files(deliverable.pk) == [
        f"deliverables/{deliverable.pk}/exemple.pdf"
    ]
    with deliverable.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_template_error_fails_at_once_with_reason_and_nothing_else_is_affected(
    request_pdf,  # noqa: ANN001
) -> None:
    good_before = request_pdf(title="Avant")
    broken = request_pdf(title="Cassé", template="tests/broken.html")
    good_after = request_pdf(title="Après")
    assert broken.status == DeliverableStatus.FAILED
    assert broken.error.startswith("Erreur dans le gabarit")
    assert "endif" in broken.error
    assert broken.attempts == 1  # a template error is not retried
    assert services.deliverable_files(broken.pk) == []
    for deliverable in (good_before, good_after):
        deliverable.refresh_from_db()
        assert deliverable.status == DeliverableStatus.READY


def test_missing_template_fails_with_its_name(request_pdf) -> None:  # noqa: ANN001
    deliverable = request_pdf(template="tests/absent.html")
    assert deliverable.status == DeliverableStatus.FAILED
    assert deliverable.error == "Gabarit introuvable : tests/absent.html"


def test_missing_font_fails_with_the_file_name(request_pdf) -> None:  # noqa: ANN001
    deliverable = request_pdf(template="tests/missing_font.html")
    assert deliverable.status == DeliverableStatus.FAILED
    assert deliverable.error == "Fichier statique introuvable : fonts/Absente.ttf"
    assert deliverable.attempts == 1


def test_shipped_font_missing_from_static_files_fails(request_pdf, settings, tmp_path) -> None:  # noqa: ANN001
    empty_static = tmp_path / "static"
    empty_static.mkdir()
    settings.STATICFILES_DIRS = [empty_static]
    settings.STATIC_ROOT = tmp_path / "collected"  # nothing collected either
    deliverable = request_pdf()
    assert deliverable.status == DeliverableStatus.FAILED
    assert "fonts/DejaVuSans.ttf" in deliverable.error
    assert "fonts/DejaVuSans-Bold.ttf" in deliverable.error


def test_unknown_kind_is_refused_and_nothing_is_created(federation) -> None:  # noqa: ANN001
    with pytest.raises(LookupError, match="inconnu"):
        services.deliverable_request(
            actor=None, kind="tests.nope", title="Rapport", federation=federation
        )
    assert not Deliverable.objects.exists()


def test_kind_no_longer_registered_fails_with_reason(federation) -> None:  # noqa: ANN001
    deliverable = Deliverable.objects.create(federation=federation, kind="old.kind", title="Ancien")
    render_deliverable.apply(args=[str(deliverable.pk)])
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.FAILED
    assert deliverable.error == "Type de livrable inconnu : old.kind"


def test_transient_error_is_retried_until_it_works(request_pdf) -> None:  # noqa: ANN001
    deliverable = request_pdf(fail_until=3)  # attempts 1 and 2 raise OSError
    assert deliverable.status == DeliverableStatus.READY
    assert deliverable.attempts == 3
    assert deliverable.error == ""
    assert services.deliverable_files(deliverable.pk) == [deliverable.file.name]


def test_transient_error_fails_after_the_last_retry(request_pdf, settings) -> None:  # noqa: ANN001
    settings.CAPSI_DELIVERABLE_MAX_RETRIES = 2
    deliverable = request_pdf(fail_until=10)
    assert deliverable.status == DeliverableStatus.FAILED
    assert deliverable.attempts == 3  # first try + 2 retries
    assert deliverable.error == "Erreur inattendue : OSError: disque momentanément indisponible"


def test_backoff_is_exponential_and_capped(settings) -> None:  # noqa: ANN001
    settings.CAPSI_DELIVERABLE_RETRY_BACKOFF = 10
    settings.CAPSI_DELIVERABLE_RETRY_BACKOFF_MAX = 300
    assert [backoff(n) for n in range(7)] == [10, 20, 40, 80, 160, 300, 300]


def test_render_task_is_late_acked_and_rejected_on_worker_loss() -> None:
    assert render_deliverable.acks_late is True
    assert render_deliverable.reject_on_worker_lost is True
    from config.celery import app

    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_a_render_interrupted_too_many_times_is_given_up(federation, settings) -> None:  # noqa: ANN001
    settings.CAPSI_DELIVERABLE_MAX_ATTEMPTS = 3
    deliverable = Deliverable.objects.create(
        federation=federation, kind="tests.sample", title="Rapport", status="rendering", attempts=3
    )
    render_deliverable.apply(args=[str(deliverable.pk)])
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.FAILED
    assert deliverable.error == "Abandon après 3 tentatives interrompues."


def test_failed_deliverable_is_not_rendered_by_a_late_message(federation) -> None:  # noqa: ANN001
    deliverable = Deliverable.objects.create(
        federation=federation, kind="tests.sample", title="Rapport", status="failed", error="x"
    )
    render_deliverable.apply(args=[str(deliverable.pk)])
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.FAILED
    assert deliverable.attempts == 0


def test_retry_queues_again_and_renders(request_pdf, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    deliverable = request_pdf(fail_until=99)
    assert deliverable.status == DeliverableStatus.FAILED
    deliverable.params = {}
    deliverable.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.deliverable_retry(actor=None, deliverable=deliverable)
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.READY
    assert deliverable.attempts == 1 and deliverable.error == ""


def test_sweeper_requeues_only_stale_queued_or_rendering(
    federation,  # noqa: ANN001
    settings,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    settings.CAPSI_DELIVERABLE_STALE_SECONDS = 600
    old = timezone.now() - timedelta(seconds=601)

    def make(status: str, updated_at) -> Deliverable:  # noqa: ANN001
        deliverable = Deliverable.objects.create(
            federation=federation, kind="tests.sample", title=status, status=status
        )
        Deliverable.objects.filter(pk=deliverable.pk).update(updated_at=updated_at)
        return deliverable

    stale_queued = make("queued", old)
    stale_rendering = make("rendering", old)
    fresh_queued = make("queued", timezone.now())
    old_failed = make("failed", old)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stale.apply().get() == 2
    for deliverable, expected in [
        (stale_queued, "ready"),
        (stale_rendering, "ready"),
        (fresh_queued, "queued"),
        (old_failed, "failed"),
    ]:
        deliverable.refresh_from_db()
        assert deliverable.status == expected, deliverable.title
