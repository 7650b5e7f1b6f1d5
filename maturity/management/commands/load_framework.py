"""Load a maturity framework file (YAML), or every file shipped in maturity/data/."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from maturity import reference


class Command(BaseCommand):
    help = (
        "Charge un référentiel de maturité depuis un fichier YAML "
        "(ou tous ceux de maturity/data/). "
        "Atomique et idempotent ; une erreur nomme le fichier et la ligne."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "files", nargs="*", help="Fichiers YAML (défaut : maturity/data/*.yaml)"
        )

    def handle(self, *args, files: list[str], **options) -> None:  # noqa: ANN002, ANN003
        if files:
            from django.db import transaction

            with transaction.atomic():
                for path in files:
                    reference.load_file(path, self.stdout)
        else:
            reference.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Référentiels de maturité à jour."))
