"""Production: differs from base only by environment variables, and refuses unsafe values."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, SECRET_KEY, env_bool, env_int, env_list, env_str

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG doit être désactivé en production.")
if SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY doit être défini en production (au moins 50 caractères aléatoires)."
    )
if not env_str("DATABASE_URL", ""):
    raise ImproperlyConfigured(
        "La variable d'environnement DATABASE_URL est obligatoire en production "
        "(par exemple postgres://capsi:…@db:5432/capsi)."
    )
# No default host in production: the operator names the site's domain(s).
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "La variable d'environnement DJANGO_ALLOWED_HOSTS est obligatoire en production "
        "(noms de domaine du site, séparés par des virgules)."
    )

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LOGGING["root"]["level"] = env_str("DJANGO_LOG_LEVEL", "INFO")  # noqa: F405

CAPSI_ENVIRONMENT = "production"
