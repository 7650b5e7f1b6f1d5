"""Load benchmark (``make bench``, ``bench/``): production-like (DEBUG off, real password hasher,
compressed static files served by whitenoise, Redis cache, a real Celery worker) but plain http
on 127.0.0.1, on the benchmark's own PostgreSQL database only.

Differences from production, each for the benchmark's sake:
- no TLS redirect, HSTS or secure cookies (the load generator speaks http to 127.0.0.1);
- the login rate limit is raised (the harness signs in a few dozen sessions at once);
- a first middleware adds ``X-Bench-Queries`` (SQL queries of the request) to every response;
- the URLconf ``bench.urls`` adds the floor view ``/_banc/plancher/`` to the site's URLs.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ACCOUNT_RATE_LIMITS,
    BASE_DIR,
    INSTALLED_APPS,
    LOGGING,
    MIDDLEWARE,
    POSTGRES_OPTIONS,
    env_str,
)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "bench-only-" + "k" * 60)

#: The benchmark's database: its name must start with ``capsi_bench`` (the harness also checks
#: the marker it leaves on the database before it writes anything).
BENCH_DATABASE_URL = env_str("CAPSI_BENCH_DATABASE_URL", "")
if not BENCH_DATABASE_URL:
    raise ImproperlyConfigured(
        "CAPSI_BENCH_DATABASE_URL est obligatoire avec config.settings.bench "
        "(lancez le banc avec `make bench`)."
    )
_db = dj_database_url.parse(BENCH_DATABASE_URL, conn_max_age=600)
if _db.get("ENGINE") != "django.db.backends.postgresql" or not str(_db.get("NAME", "")).startswith(
    "capsi_bench"
):
    raise ImproperlyConfigured(
        "Le banc ne tourne que sur sa propre base PostgreSQL capsi_bench… "
        f"(reçu : {_db.get('NAME')})."
    )
_db["OPTIONS"] = {**POSTGRES_OPTIONS, **_db.get("OPTIONS", {})}
DATABASES = {"default": _db}

VAR_DIR = BASE_DIR / "var" / "bench"
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "private"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env_str("CAPSI_BENCH_UNHASHED_STATIC", "") == "1":
    # Only for the benchmark's PDF worker, and only when the PDF failed with the production
    # storage: the PDF fetcher looks static files up with the finders, which do not know the
    # hashed names of the manifest storage (see BENCHMARKS.md). Same files, unhashed names.
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Redis: database 8 for the cache and the sessions, 9 for the broker (the test runs use others).
# The harness passes REDIS_URL so that base.py already configures what production does with Redis.
REDIS_URL = env_str("REDIS_URL", "") or "redis://127.0.0.1:6379/8"
CACHES = {
    "default": {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Both benchmark databases (one tenth, national) share this Redis database: what is
        # kept for ids of one dataset must never be read for the other's.
        "KEY_PREFIX": _db["NAME"],
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as in production with Redis
CELERY_BROKER_URL = env_str("CAPSI_BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")
CELERY_TASK_ALWAYS_EAGER = False
#: A queue of its own: no message of another run or of the tests reaches the benchmark's worker.
CELERY_TASK_DEFAULT_QUEUE = "capsi-bench"

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "10000/m/ip"}

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"

LOGGING["root"]["level"] = env_str("DJANGO_LOG_LEVEL", "WARNING")

#: Not "production": the dataset generator refuses production.
CAPSI_ENVIRONMENT = "benchmark"
