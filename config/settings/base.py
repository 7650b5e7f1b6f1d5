"""Settings shared by every environment. Everything comes from the environment; the embedded
default (SQLite, tasks run in-process, mail on the console) needs no variable at all."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("CAPSI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-insecure-capsi-secret-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "federations",
    "deliverables",
    "vendors",
    "projects",
    "maturity",
    "usergroups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "federations.middleware.MandatoryTwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "federations.context_processors.tenancy",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
#: PostgreSQL (psycopg 3): parameters bound on the server, and a statement run five times on a
#: connection is prepared there, so that PostgreSQL plans it once per connection instead of on
#: every run (planning a page's joins cost more than running them: ``BENCHMARKS.md``). Not for a
#: pooler in transaction mode (PgBouncer), which production does not use (``docker-compose.yml``).
POSTGRES_OPTIONS = {"server_side_binding": True, "prepare_threshold": 5}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["OPTIONS"] = {
            **POSTGRES_OPTIONS,
            **DATABASES["default"].get("OPTIONS", {}),
        }
else:
    # Embedded default: SQLite in WAL mode with IMMEDIATE transactions so that concurrent
    # writers wait for the lock (busy timeout) instead of failing with "database is locked".
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "capsi.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling of logins, reference data) --------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "config.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "capsi_cache",
        }
    }

# Sessions are kept in the database and read through the cache (Redis in production): a page
# view then costs no session query. Without Redis the cache is a database table: same cost.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cap SI] "
# Repeated failed logins: a cool-off per account+IP, never a permanent lock.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,20/5m/ip",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cap SI"
MFA_TOTP_TOLERANCE = 1  # accept the previous and next 30-second code (phone clocks drift)

# Sessions end after 30 minutes idle (expiry refreshed on every request) and 12 hours in all
# (enforced by accounts.middleware.SessionLifetimeMiddleware).
# Idle limit + one minute: accounts.middleware renews an active session's expiry at most once
# a minute (not on every request), so a session lasts 30 to 31 minutes after the last request.
SESSION_COOKIE_AGE = env_int("CAPSI_SESSION_IDLE_SECONDS", 30 * 60) + 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CAPSI_SESSION_ABSOLUTE_SECONDS = env_int("CAPSI_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

INVITATION_VALIDITY_DAYS = env_int("CAPSI_INVITATION_VALIDITY_DAYS", 7)

# --- Mail ------------------------------------------------------------------------------------
_EMAIL_HOST = env_str("EMAIL_HOST", "")
if _EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cap SI <ne-pas-repondre@capsi.localhost>")

# --- Internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and private files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded evidence and generated PDFs live outside the web root and are only served by
    # permission-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "private"
# Files served at the site root (favicon.ico), so that browsers and crawlers never get a 404.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Development and tests serve static files straight from the finders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
CAPSI_EVIDENCE_MAX_BYTES = env_int("CAPSI_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

# --- Content Security Policy (Django 6 built-in): nothing from outside, no inline script ---
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous or bad-token call answers 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cap SI API",
    "DESCRIPTION": "API de Cap SI : projets, maturité, catalogue et groupes d'utilisateurs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One name per choice set shared by several serializers (checked by `check --deploy`).
    "ENUM_NAME_OVERRIDES": {
        "LabelLevelEnum": "vendors.models.LabelLevel",
        "UserGroupLevelEnum": "usergroups.models.Level",
        "PositioningLevelEnum": "maturity.models.PositioningLevel",
        "TaskStatusEnum": "projects.models.TaskStatus",
        "StepEnum": "projects.models.Step",
    },
}

# --- Celery ------------------------------------------------------------------------------
# Checked at start-up by deliverables.checks (Django system check + Celery worker_init signal):
# visibility timeout > hard time limit > soft time limit, prefetch 1 with late acknowledgement.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message not acknowledged after this delay (worker killed) is delivered again.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
    # How often a worker looks for such messages (seconds between scans).
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 6),
    # Redis unreachable: a page that queues a PDF waits a few seconds at most, the row stays
    # queued and the sweeper sends it once the broker is back.
    "socket_connect_timeout": env_int("CELERY_BROKER_CONNECT_TIMEOUT", 5),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-deliverables": {
        "task": "deliverables.sweep_stale",
        "schedule": float(env_int("CAPSI_DELIVERABLE_SWEEP_SECONDS", 120)),
    },
    "usergroups-remind-unanswered-needs": {
        "task": "usergroups.remind_unanswered_needs",
        "schedule": crontab(hour=8, minute=0),
    },
}
#: A deliverable left queued or rendering longer than this is sent to the workers again.
CAPSI_DELIVERABLE_STALE_SECONDS = env_int("CAPSI_DELIVERABLE_STALE_SECONDS", 900)
#: Renders that fail for a transient reason are retried with an exponential back-off
#: (base × 2^n seconds, capped) this many times before the deliverable is marked failed.
CAPSI_DELIVERABLE_MAX_RETRIES = env_int("CAPSI_DELIVERABLE_MAX_RETRIES", 4)
CAPSI_DELIVERABLE_RETRY_BACKOFF = env_int("CAPSI_DELIVERABLE_RETRY_BACKOFF", 10)
CAPSI_DELIVERABLE_RETRY_BACKOFF_MAX = env_int("CAPSI_DELIVERABLE_RETRY_BACKOFF_MAX", 300)
#: A deliverable whose render started this many times (workers killed under it) is given up.
CAPSI_DELIVERABLE_MAX_ATTEMPTS = env_int("CAPSI_DELIVERABLE_MAX_ATTEMPTS", 8)
#: Days a need published to a vendor may stay unanswered before the vendor is reminded.
USERGROUPS_ANSWER_REMINDER_DAYS = env_int("CAPSI_USERGROUPS_ANSWER_REMINDER_DAYS", 30)

# --- Logging -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "weasyprint.progress": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

SILENCED_SYSTEM_CHECKS: list[str] = []

#: "development", "test" or "production": commands that write demo data refuse production.
CAPSI_ENVIRONMENT = "development"

REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = ["config.api.IsAuthenticatedWithMfa"]
