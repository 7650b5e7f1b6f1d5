from __future__ import annotations

from datetime import date

from tests.factories import CapabilityFactory, SoftwareFactory
from vendors.models import Fact, LabelRecord


def labelled(slug: str, *, level: str = "standard", perimeter: str = "msp_cds", **kw):  # noqa: ANN003, ANN201
    from vendors.reference import sync_label_level

    software = SoftwareFactory(slug=slug, name=kw.pop("name", slug.title()), **kw)
    LabelRecord.objects.create(
        software=software,
        referential="V2",
        perimeter=perimeter,
        professions=["medecin_generaliste", "infirmier"],
        level=level,
        labelled_on=date(2017, 1, 1),
    )
    sync_label_level(software)
    return software


def fact(software, value: str, *, key: str = "", capability=None, source: str = "declared"):  # noqa: ANN001, ANN201
    return Fact.objects.create(
        software=software,
        key=key,
        capability=capability,
        value=value,
        source=source,
        as_of=date(2026, 9, 1),
    )


def capability(code: str, profession: str = ""):  # noqa: ANN201
    return CapabilityFactory(
        code=code, label=code.replace("-", " ").capitalize(), profession=profession
    )
