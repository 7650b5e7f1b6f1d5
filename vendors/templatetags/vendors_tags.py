from functools import lru_cache

from django import template
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from federations.professions import Profession

register = template.Library()


@register.filter
def get_item(mapping, key):  # noqa: ANN001, ANN201
    return mapping.get(key) if mapping else None


@lru_cache(maxsize=8)
def _labels(language: str | None) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Professions' labels and the rating criteria (key, escaped label), translated once per
    language rather than on every row."""
    from vendors.models import RATING_CRITERIA

    professions = {value: str(label) for value, label in Profession.choices}
    criteria = tuple((key, conditional_escape(label)) for key, label in RATING_CRITERIA)
    return professions, criteria


@register.filter
def profession_label(code):  # noqa: ANN001, ANN201
    return _labels(get_language())[0].get(code, code)


@register.filter
def get_attr(obj, name):  # noqa: ANN001, ANN201
    return getattr(obj, name, None)


@register.simple_tag
def grid_rows(rows) -> str:  # noqa: ANN001
    """The rows of a section of the comparison grid: the criterion (a row where the products
    differ is marked ``diff-row``, and says so to screen readers), then per product its value
    and, when known, where it comes from. Written here rather than by loops in the template
    (about 50 rows of four cells per comparison)."""
    esc = conditional_escape
    different = esc(_("(différent)"))
    lines = []
    for row in rows:
        css = ' class="diff"' if row.differs else ""
        cells = "".join(
            f"<td{css}>{esc(cell)}"
            + (f'<br><small class="muted">{esc(note)}</small>' if note else "")
            + "</td>"
            for cell, note in row.items
        )
        if row.differs:
            head = (
                f'<tr class="diff-row"><th scope="row">{esc(row.label)} '
                f'<span class="visually-hidden">{different}</span></th>'
            )
        else:
            head = f'<tr><th scope="row">{esc(row.label)}</th>'
        lines.append(f"{head}{cells}</tr>")
    return mark_safe("\n".join(lines))  # noqa: S308 - every value is escaped


@register.simple_tag
def rating_scores(rating) -> str:  # noqa: ANN001
    """ "Ergonomie : <strong>4</strong> · Facturation : <strong>3</strong> · …" for a peer
    rating: written here rather than by a loop in the template (the moderation queue shows 25
    ratings of six criteria)."""
    return mark_safe(  # noqa: S308 - every value is escaped
        " · ".join(
            f"{label} : <strong>{conditional_escape(rating[key])}</strong>"
            for key, label in _labels(get_language())[1]
        )
    )


@register.simple_tag
def catalogue_rows(rows, min_ratings: int) -> str:  # noqa: ANN001
    """The rows of the catalogue's table (entries decorated by the page: ``detail_url``,
    ``adoption``, ``rating_text``): product and version, vendor, label badge with its
    referential and date, perimeter, adoption in the federation and nationally, peer ratings;
    every cell labelled for the narrow layout (``data-label``). Written here rather than by a
    loop in the template (25 rows of seven cells)."""
    esc = conditional_escape
    l_software, l_vendor, l_label = esc(_("Logiciel")), esc(_("Éditeur")), esc(_("Label"))
    l_perimeter, l_ratings = esc(_("Périmètre")), esc(_("Avis des pairs"))
    l_federation, l_national = esc(_("MSP de la fédération")), esc(_("MSP (national)"))
    no_label, msp_and_cds = esc(_("aucun label")), esc(_("maisons et centres de santé"))
    cds_only = esc(_("centres de santé uniquement"))
    cds_only = f'<span class="badge warn">{cds_only}</span>'
    too_few = esc(_("moins de %(n)s avis") % {"n": min_ratings})
    too_few = f'<span class="muted">{too_few}</span>'
    lines = []
    for s in rows:
        version = f' <span class="muted">{esc(s.version)}</span>' if s.version else ""
        if s.label_badge:
            label = (
                f'<span class="badge {esc(s.label_badge)}">{esc(s.label_text)}</span>\n'
                f'        <span class="muted">{esc(s.label_meta)}</span>'
            )
        else:
            label = f'<span class="badge">{no_label}</span>'
        lr = s.current_label
        perimeter = "" if lr is None else cds_only if lr.perimeter == "cds" else msp_and_cds
        lines.append(
            "<tr>"
            f'<td data-label="{l_software}"><a href="{esc(s.detail_url)}">{esc(s.name)}</a>'
            f"{version}</td>"
            f'<td data-label="{l_vendor}">{esc(s.vendor.name)}</td>'
            f'<td data-label="{l_label}">{label}</td>'
            f'<td data-label="{l_perimeter}">{perimeter}</td>'
            f'<td class="num" data-label="{l_federation}">'
            f"{esc(formats.localize(s.adoption.federation))}</td>"
            f'<td class="num" data-label="{l_national}">'
            f"{esc(formats.localize(s.adoption.national))}</td>"
            f'<td data-label="{l_ratings}">{esc(s.rating_text) if s.rating_text else too_few}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value is escaped
