"""Template tags of the projects app."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from config.display import row_url

register = template.Library()

#: The planning sections of a project: (section, URL name, link text).
PLANNING_SECTIONS = [
    ("overview", "projects:planning", _("Vue d'ensemble")),
    ("meetings", "projects:meetings", _("Réunion d'information")),
    ("survey", "projects:survey", _("État des lieux")),
    ("needs", "projects:needs", _("Cahier des charges")),
    ("demos", "projects:demos", _("Démonstrations")),
    ("facilitators", "projects:project_facilitators", _("Facilitateurs")),
    ("deployment", "projects:deployment", _("Déploiement")),
    ("training", "projects:training", _("Formation et usage")),
    ("vendor_requests", "projects:vendor_requests", _("Demandes à l'éditeur")),
    ("aci", "projects:aci", _("Enjeu ACI")),
]


@lru_cache(maxsize=1024)
def _section_urls(slug: str, prefix: str, urlconf: str | None) -> list:
    """``project pk -> URL`` of each section for a federation: reversed once per process (the
    URLs of a project only differ by its number)."""
    return [
        row_url(name, varying="project_pk", federation_slug=slug)
        for _section, name, _text in PLANNING_SECTIONS
    ]


@register.simple_tag(takes_context=True)
def planning_links(context) -> list[tuple[str, str, bool]]:  # noqa: ANN001
    """``(URL, text, is the current section)`` of each planning section of ``project``."""
    project, section = context["project"], context.get("section")
    urls = _section_urls(context["federation"].slug, get_script_prefix(), get_urlconf())
    return [
        # Our own messages, shown as the {% translate %} of a template shows them (unescaped).
        (url(project.pk), mark_safe(str(text)), code == section)  # noqa: S308
        for url, (code, _name, text) in zip(urls, PLANNING_SECTIONS, strict=True)
    ]
