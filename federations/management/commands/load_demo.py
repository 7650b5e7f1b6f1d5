"""Load the demo data of every app (after the reference data). Refuses to run in production."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from federations.permissions import APPS_WITH_RULES


class Command(BaseCommand):
    help = "Charge les données de démonstration (jamais en production)."

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        if settings.CAPSI_ENVIRONMENT == "production":
            raise CommandError("Les données de démonstration ne se chargent pas en production.")
        ctx: dict = {}
        with transaction.atomic():
            for app in APPS_WITH_RULES:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.load(ctx)
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {ctx['password']}) :")
        for role, where, email in ctx["accounts"]:
            self.stdout.write(f"  {role:<42} {where:<22} {email}")
