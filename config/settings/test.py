"""Test settings: the same as base, with a fast password hasher and a throw-away var dir."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
_TMP = Path(tempfile.mkdtemp(prefix="capsi-test-"))
VAR_DIR = _TMP
# A real Celery worker started by a test (tests/workers.py) shares the test's private files.
MEDIA_ROOT = Path(os.environ.get("CAPSI_TEST_MEDIA_ROOT") or _TMP / "private")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not DATABASE_URL:  # noqa: F405
    DATABASES["default"]["NAME"] = _TMP / "test.sqlite3"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test-db.sqlite3")}  # noqa: F405
# ... and the test database pytest-django created (PostgreSQL name or SQLite file path).
if os.environ.get("CAPSI_TEST_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["CAPSI_TEST_DATABASE_NAME"]  # noqa: F405
# Tasks run in-process unless a test starts a real worker (tests/workers.py), even when a broker
# is configured, so that the suite behaves the same on both CI runs.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS}  # noqa: F405

CAPSI_ENVIRONMENT = "test"

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
