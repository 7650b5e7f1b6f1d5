"""A misconfigured environment stops the process with one clear line, not a stack trace."""

from __future__ import annotations

import sys

from django.core.exceptions import ImproperlyConfigured


def check_settings_or_exit() -> None:
    """Load the settings now; on a configuration error print its message and exit(1)."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Configuration invalide : {exc}\n")
        sys.exit(1)
