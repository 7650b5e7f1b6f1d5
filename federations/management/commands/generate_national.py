"""Generate the national-scale dataset (17 federations, 2,500 MSPs, 50,000 members…) for query
budgets and the load benchmark. Deterministic from ``--seed``; refuses production settings and a
database that already holds a generated dataset."""

from __future__ import annotations

import time
from dataclasses import fields, replace

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from federations.models import Federation
from federations.national import BENCH_PASSWORD, SizeError, Sizes, generate


class Command(BaseCommand):
    help = (
        "Génère le jeu de données national (17 fédérations, 2 500 MSP, 50 000 membres…) pour les "
        "budgets de requêtes et le banc de charge. Jamais en production."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--seed", type=int, default=1, help="graine (même graine, mêmes données)"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="facteur appliqué aux tailles nationales (0.1 = un dixième)",
        )
        for f in fields(Sizes):
            parser.add_argument(
                f"--{f.name.replace('_', '-')}",
                type=int,
                default=None,
                help=f"{Sizes.LABELS[f.name]} (défaut : taille nationale × échelle)",
            )

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        if settings.CAPSI_ENVIRONMENT == "production":
            raise CommandError("Le jeu de données national ne se génère jamais en production.")
        try:
            sizes = Sizes().scaled(options["scale"])
            overrides = {
                f.name: options[f.name] for f in fields(Sizes) if options[f.name] is not None
            }
            sizes = replace(sizes, **overrides)
            sizes.validate()
        except SizeError as exc:
            raise CommandError(str(exc))
        if Federation.objects.filter(slug__startswith="nat").exists():
            raise CommandError(
                "Cette base contient déjà un jeu de données national (fédérations « nat… ») : "
                "partez d'une base vide."
            )
        call_command("load_reference", stdout=self.stdout)
        started = time.monotonic()
        with transaction.atomic():
            ctx = generate(sizes=sizes, seed=options["seed"], log=self.stdout.write)
        # Fresh planner statistics: right after a bulk load the tables look empty to the
        # planner, which then picks nested loops over thousands of rows (25 ms instead of 0.5).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Jeu de données national généré en {elapsed:.0f} s"))
        self.stdout.write(f"(graine {options['seed']}) :")
        for label, n in sorted(ctx.counts.items(), key=lambda item: str(item[0])):
            self.stdout.write(f"  {str(label):<45} {n:>10,}".replace(",", "\u202f"))
        self.stdout.write("")
        self.stdout.write(f"Comptes du banc (mot de passe : {BENCH_PASSWORD}) :")
        for role, where, email in ctx.accounts:
            self.stdout.write(f"  {role:<42} {where[:40]:<40} {email}")
