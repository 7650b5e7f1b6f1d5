from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only by ``config.settings.bench``: the floor view's template."""

    name = "bench"
    verbose_name = "Banc de charge"
