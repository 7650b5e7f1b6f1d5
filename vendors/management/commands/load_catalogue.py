"""Import the labelled-software catalogue, capabilities and label requirements (atomic,
idempotent; a fault names the file and the line and changes nothing)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from vendors import reference


class Command(BaseCommand):
    help = "Importe le catalogue des logiciels labellisés, les capacités et les exigences du label."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--catalogue", type=Path, default=reference.CATALOGUE_FILE)
        parser.add_argument("--capabilities", type=Path, default=reference.CAPABILITIES_FILE)
        parser.add_argument("--dimensions", type=Path, default=reference.DIMENSIONS_FILE)
        parser.add_argument("--requirements", type=Path, default=reference.REQUIREMENTS_FILE)
        parser.add_argument("--coverage", type=Path, default=reference.COVERAGE_FILE)

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        counts = reference.load_all(
            catalogue=options["catalogue"],
            capabilities=options["capabilities"],
            dimensions=options["dimensions"],
            requirements=options["requirements"],
            coverage=options["coverage"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue importé : {counts['software']} logiciels, "
                f"{counts['vendors']} éditeurs, "
                f"{counts['capabilities']} capacités, {counts['requirements']} exigences, "
                f"{counts['coverage']} couvertures explicites."
            )
        )
