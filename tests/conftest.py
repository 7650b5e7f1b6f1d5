from __future__ import annotations

import pytest

from tests.workers import celery_worker, celery_workers  # noqa: F401  (real Celery workers)
from tests.world import World, build_world


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):  # noqa: ANN001, ANN202
    from django.core.cache import cache

    cache.clear()  # nothing cached by one test (figures, rate limits) leaks into the next
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def world(db) -> World:  # noqa: ANN001
    return build_world()
