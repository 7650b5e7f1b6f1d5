"""HTML → PDF with WeasyPrint, fetching nothing but the app's own static files.

WeasyPrint's default fetcher follows any URL (loopback included) and embeds local files; ours
maps ``/static/<path>`` (and ``file:///static/<path>``) to the static files finders and refuses
everything else, so a template can neither make the worker call a server nor leak a file."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "/static/"


class StaticOnlyURLFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(timeout=2, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:  # noqa: ANN001
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
            path = unquote(parsed.path)
            if path.startswith(STATIC_PREFIX):
                relative = path[len(STATIC_PREFIX) :]
                if ".." not in relative.split("/"):
                    found = finders.find(relative)
                    if found:
                        with open(found, "rb") as fh:
                            return URLFetcherResponse(url, fh.read())
        self.refused.append(url)
        raise ValueError(f"Ressource refusée (seuls les fichiers statiques sont permis) : {url}")


def render_pdf(template: str, context: dict) -> tuple[bytes, int]:
    """Render a template to PDF bytes; returns (pdf, number of pages)."""
    html = render_to_string(template, context)
    document = HTML(string=html, base_url="file:///", url_fetcher=StaticOnlyURLFetcher()).render()
    return document.write_pdf(), len(document.pages)
