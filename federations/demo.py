"""Demo federations, MSPs and people (see data/demo.yaml). Idempotent."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from vendors.models import Vendor

from .models import Federation, HealthCentre, Membership

DEMO_FILE = Path(__file__).parent / "data" / "demo.yaml"


def read_demo() -> dict:
    with DEMO_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _user(email: str, password: str, first_name: str, last_name: str, **extra):  # noqa: ANN003, ANN202
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **extra}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return user


def load(ctx: dict) -> None:
    data = read_demo()
    password = data["password"]
    accounts = ctx.setdefault("accounts", [])
    for fed_data in data["federations"]:
        federation, _ = Federation.objects.update_or_create(
            slug=fed_data["slug"],
            defaults={
                "name": fed_data["name"],
                "region": fed_data["region"],
                "holiday_zone": fed_data["holiday_zone"],
            },
        )
        centres = {}
        for c in fed_data["centres"]:
            centre, _ = HealthCentre.objects.update_or_create(
                federation=federation,
                name=c["name"],
                defaults={
                    "city": c["city"],
                    "professionals_count": c["professionals"],
                    "sites_count": c["sites"],
                },
            )
            centres[c["name"]] = centre
        for p in fed_data["people"]:
            user = _user(p["email"], password, p["first_name"], p["last_name"])
            membership, _ = Membership.objects.update_or_create(
                user=user,
                federation=federation,
                defaults={
                    "role": p["role"],
                    "health_centre": centres.get(p.get("centre")),
                    "profession": p.get("profession", ""),
                },
            )
            if p.get("assigned"):
                membership.assigned_centres.set([centres[n] for n in p["assigned"]])
            accounts.append((membership.get_role_display(), federation.name, p["email"]))
    for v in data["vendor_users"]:
        vendor, _ = Vendor.objects.get_or_create(
            slug=v["vendor"], defaults={"name": v["vendor_name"]}
        )
        _user(v["email"], password, v["first_name"], v["last_name"], vendor=vendor)
        accounts.append(("Éditeur", vendor.name, v["email"]))
    for o in data["operators"]:
        user = _user(
            o["email"], password, o["first_name"], o["last_name"], is_staff=True, is_superuser=True
        )
        accounts.append(("Opérateur de la plateforme", "—", user.email))
    ctx["password"] = password
    ctx["demo"] = data


def slug_of(name: str) -> str:
    return slugify(name)
