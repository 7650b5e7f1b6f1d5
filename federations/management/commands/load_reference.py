"""Load every app's national reference data (methodology, maturity framework, catalogue…) from
the versioned files in the repository. Each app exposes ``<app>/reference.py: load(stdout)``;
each loader is atomic and idempotent and names the file and line of any error."""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand

from federations.permissions import APPS_WITH_RULES

ORDER = ("vendors", "projects", "maturity", "usergroups")


class Command(BaseCommand):
    help = "Charge les données de référence nationales de chaque module."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        for app in ORDER:
            assert app in APPS_WITH_RULES
            try:
                module = import_module(f"{app}.reference")
            except ModuleNotFoundError:
                continue
            module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Données de référence à jour."))
