"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium), never a browser that
a test tool downloads. The site is served by pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CAPSI_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("CAPSI_SCREENSHOTS", "var/screenshots"))

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Les tests navigateur ont besoin de Chromium ({CHROMIUM}) : "
            "apt-get install -y chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:  # noqa: ANN001
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Any request that leaves the live server is a failure: no CDN, no third party.
    outside: list[str] = []

    def watch(request) -> None:  # noqa: ANN001
        url = request.url
        if not (url.startswith(live_server.url) or url.startswith(("data:", "blob:", "about:"))):
            outside.append(url)

    page.on("request", watch)
    # The browser reports what the Content-Security-Policy blocked (inline script or style…).
    blocked: list[str] = []

    def console(message) -> None:  # noqa: ANN001
        if message.type == "error" and "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", console)
    yield page
    context.close()
    assert not outside, f"Requêtes vers l'extérieur : {outside}"
    assert not blocked, f"Bloqué par la CSP : {blocked}"


def login(page, live_server, email: str, password: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server.url}/comptes/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def screenshot(page, name: str) -> None:  # noqa: ANN001
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
