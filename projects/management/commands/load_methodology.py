"""Load the project methodology versions from ``projects/data/methodology/*.yaml`` (or the files
given). Atomic, idempotent; a fault names the file and line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from projects.reference import load_methodologies


class Command(BaseCommand):
    help = "Charge les versions de la méthodologie de projet (fichiers YAML)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("files", nargs="*", help="Fichiers à charger (par défaut : tous).")

    def handle(self, *args, files: list[str], **options) -> None:  # noqa: ANN002, ANN003
        paths = [Path(f) for f in files] or None
        loaded = load_methodologies(paths, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{len(loaded)} méthodologie(s) à jour."))
