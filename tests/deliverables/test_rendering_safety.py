"""WeasyPrint may fetch nothing but the app's static files, and uses the fonts shipped."""

from __future__ import annotations

import io
import socket
import threading
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from deliverables import services
from deliverables.models import DeliverableStatus
from deliverables.rendering import StaticOnlyURLFetcher, render_html, render_pdf
from tests.deliverables.kinds import SAMPLE_KIND  # noqa: F401  (registers tests.sample)


class Listener:
    """A real TCP server on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.settimeout(1)
            try:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():  # noqa: ANN201
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def secret(tmp_path: Path) -> dict[str, str]:
    token = f"SECRET-CAPSI-{uuid.uuid4().hex}"
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(f"mot de passe {token}\n")
    # A stylesheet outside the static files: if it were loaded, the token would be printed.
    stylesheet = tmp_path / "secret.css"
    stylesheet.write_text(f'h1::after {{ content: " {token}"; }}')
    return {"token": token, "file": secret_file.as_uri(), "stylesheet": stylesheet.as_uri()}


def context(listener: Listener, secret: dict[str, str]) -> dict[str, str]:
    return {
        "title": "Document piégé",
        "image_url": f"http://127.0.0.1:{listener.port}/logo.png",
        "file_url": secret["file"],
        "stylesheet_url": secret["stylesheet"],
    }


def embedded_files(pdf: bytes) -> list[bytes]:
    """Every file embedded in the PDF: document attachments and file-attachment annotations
    (WeasyPrint turns ``<a rel="attachment">`` into the latter)."""
    reader = PdfReader(io.BytesIO(pdf))
    files = [data for values in reader.attachments.values() for data in values]
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            spec = annot.get_object().get("/FS")
            if spec is not None:
                files.append(spec.get_object()["/EF"]["/F"].get_object().get_data())
    return files


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    """Text without whitespace (a long token may be wrapped over two lines)."""
    return "".join(text.split())


def test_default_weasyprint_fetcher_would_leak(listener, secret) -> None:  # noqa: ANN001
    """Control: the hostile template does reach the listener and embed the file when WeasyPrint
    runs with its default fetcher, so the test below can fail."""
    html = render_html("tests/hostile.html", context(listener, secret))
    pdf = HTML(string=html, base_url="file:///").write_pdf()
    assert listener.connections >= 1
    assert any(secret["token"].encode() in data for data in embedded_files(pdf))
    assert secret["token"] in squeezed(pdf_text(pdf))  # the stylesheet was applied


def test_our_fetcher_fetches_nothing_outside_static_files(listener, secret) -> None:  # noqa: ANN001
    fetcher = StaticOnlyURLFetcher()
    pdf, pages = render_pdf("tests/hostile.html", context(listener, secret), fetcher=fetcher)
    assert pages == 1
    assert listener.connections == 0
    assert secret["token"].encode() not in pdf
    assert embedded_files(pdf) == []
    text = pdf_text(pdf)
    assert "Document piégé" in text and "Fin du document." in text
    assert secret["token"] not in squeezed(text)
    assert set(fetcher.refused) == {
        f"http://127.0.0.1:{listener.port}/logo.png",
        secret["file"],
        secret["stylesheet"],
    }


@pytest.mark.django_db
def test_through_the_pipeline_the_hostile_document_is_ready_without_the_secret(
    listener,  # noqa: ANN001
    secret,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        deliverable = services.deliverable_request(
            actor=None,
            kind="tests.sample",
            title="Document piégé",
            params={"template": "tests/hostile.html", **context(listener, secret)},
        )
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.READY
    with deliverable.file.open("rb") as fh:
        pdf = fh.read()
    assert listener.connections == 0
    assert secret["token"].encode() not in pdf
    assert secret["token"] not in squeezed(pdf_text(pdf))


@pytest.mark.parametrize(
    "url",
    [
        "file:///static/../config/settings/base.py",
        "file:///static/fonts/../../config/settings/base.py",
        "file:///etc/passwd",
        "http://127.0.0.1/static/fonts/DejaVuSans.ttf",
        "https://example.org/font.ttf",
        "file://evil.example/static/fonts/DejaVuSans.ttf",
    ],
)
def test_fetcher_refuses_traversal_and_remote_urls(url: str) -> None:
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(ValueError, match="refusée"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_pdf_embeds_the_shipped_dejavu_fonts() -> None:
    fetcher = StaticOnlyURLFetcher()
    pdf, _pages = render_pdf(
        "tests/sample.html", {"title": "Polices", "body": "Été, œuvre"}, fetcher=fetcher
    )
    assert {"fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"} <= set(fetcher.fetched)
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold"}
    assert "Été, œuvre" in pdf_text(pdf)


def test_pdf_fonts_are_found_under_the_hashed_names_of_production(settings, tmp_path) -> None:  # noqa: ANN001
    """In production ``{% static %}`` gives the manifest's hashed names (DejaVuSans.<hash>.ttf),
    which only exist in the collected static files: the PDF must still get its fonts."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    fetcher = StaticOnlyURLFetcher()
    pdf, _pages = render_pdf(
        "tests/sample.html", {"title": "Polices", "body": "Été"}, fetcher=fetcher
    )
    hashed = [name for name in fetcher.fetched if name.startswith("fonts/DejaVuSans.")]
    assert hashed and hashed[0] != "fonts/DejaVuSans.ttf"  # the hashed name was asked for
    assert "Été" in pdf_text(pdf)
