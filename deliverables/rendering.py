"""HTML → PDF with WeasyPrint, fetching nothing but the app's own static files.

WeasyPrint's default fetcher follows any URL (loopback included) and embeds local files; ours
maps ``/static/<path>`` (and ``file:///static/<path>``) to the static files finders (or, for the
hashed names of production, to the collected static files) and refuses
everything else, so a template can neither make the worker call a server nor leak a file.

A refused URL (http, https, a file outside the static files) is left out of the PDF and logged.
A static file that the template asks for but that does not exist (a missing font, a missing
image) is a deployment fault: the render fails with a reason naming the file, so that the
deliverable shows "failed" instead of a PDF silently set in a fallback font."""

from __future__ import annotations

import logging
import os
from urllib.parse import unquote, urlparse

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_PREFIX = "/static/"


class RenderError(Exception):
    """A render that will fail the same way if tried again (not retried)."""


class StaticOnlyURLFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(timeout=2, allowed_protocols={"file", "data"}, allow_redirects=False)
        #: URLs refused because they point outside the static files (never opened).
        self.refused: list[str] = []
        #: Static paths asked for that do not exist.
        self.missing: list[str] = []
        #: Static paths served.
        self.fetched: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:  # noqa: ANN001
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
            path = unquote(parsed.path)
            if path.startswith(STATIC_PREFIX):
                relative = path[len(STATIC_PREFIX) :]
                if relative and ".." not in relative.split("/"):
                    found = finders.find(relative) or _collected(relative)
                    if found:
                        with open(found, "rb") as fh:
                            self.fetched.append(relative)
                            return URLFetcherResponse(url, fh.read())
                    self.missing.append(relative)
                    raise ValueError(f"Fichier statique introuvable : {relative}")
        self.refused.append(url)
        raise ValueError(f"Ressource refusée (seuls les fichiers statiques sont permis) : {url}")


def _collected(relative: str) -> str | None:
    """A file of the collected static files (``STATIC_ROOT``): in production ``{% static %}``
    gives the hashed names of the manifest storage, which only exist there."""
    try:
        path = staticfiles_storage.path(relative)
    except NotImplementedError:
        return None
    return path if os.path.isfile(path) else None


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, context)


def render_pdf(
    template: str, context: dict, *, fetcher: StaticOnlyURLFetcher | None = None
) -> tuple[bytes, int]:
    """Render a template to PDF bytes; returns (pdf, number of pages).

    Raises ``RenderError`` when a static file the template uses (font, image) is missing."""
    html = render_html(template, context)
    fetcher = fetcher or StaticOnlyURLFetcher()
    document = HTML(string=html, base_url="file:///", url_fetcher=fetcher).render()
    if fetcher.missing:
        raise RenderError(
            _("Fichier statique introuvable : %(files)s")
            % {"files": ", ".join(sorted(set(fetcher.missing)))}
        )
    if fetcher.refused:
        logger.warning("PDF %s: refused URLs %s", template, fetcher.refused)
    return document.write_pdf(), len(document.pages)
