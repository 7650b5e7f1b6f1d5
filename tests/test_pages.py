"""Every page of the access-matrix world, as every role allowed to see it, is served under the
Content-Security-Policy with no inline script, no style attribute, and nothing loaded from
another host."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import POLICY
from tests.world import World

#: Attributes through which a page makes the browser fetch something.
RESOURCE_ATTRS = {"src", "srcset", "poster", "data", "action", "formaction", "background"}


class PageAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append("<script> sans src (script en ligne)")
        if tag == "style":
            self.problems.append("<style> en ligne")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"attribut style= sur <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"gestionnaire en ligne {name}= sur <{tag}>")
            loads = name in RESOURCE_ATTRS or (tag == "link" and name == "href")
            if loads and value and _is_foreign(value):
                self.problems.append(f"<{tag} {name}={value!r}> vient d'un autre site")


def _is_foreign(url: str) -> bool:
    for part in url.split(","):
        part = part.strip().split(" ")[0]
        if re.match(r"^(https?:)?//", part) and urlsplit(part).hostname not in (
            "testserver",
            None,
        ):
            return True
    return False


def audit_page(response) -> list[str]:  # noqa: ANN001
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    if "script-src 'self'" not in csp or "default-src 'self'" not in csp:
        problems.append(f"en-tête CSP absent ou trop large : {csp!r}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"CSP permissive : {csp!r}")
    parser = PageAudit()
    parser.feed(response.content.decode())
    problems.extend(parser.problems)
    for url in re.findall(r"url\(\s*['\"]?(https?:)?//", response.content.decode()):
        problems.append(f"url() vers un autre site : {url}")
    return problems


def is_html(response) -> bool:  # noqa: ANN001
    return response.headers.get("Content-Type", "").startswith("text/html")


@pytest.mark.django_db
def test_every_page_of_every_role_passes_the_csp_audit(world: World) -> None:
    failures: list[str] = []
    checked = 0
    pages = {name: rule for name, rule in POLICY.items() if not rule.api and rule.method == "get"}
    clients: dict[str, Client] = {}
    for name, rule in sorted(pages.items()):
        kwargs = dict(rule.kwargs(world))
        if rule.tenant:
            kwargs["federation_slug"] = world.federation_a.slug
        url = reverse(name, kwargs=kwargs)
        for role in sorted(rule.allow):
            if role not in clients:
                clients[role] = Client()
                if role != "anonymous":
                    clients[role].force_login(world.users[role])
            response = clients[role].get(url, follow=True)
            if response.status_code != 200 or not is_html(response):
                continue
            checked += 1
            failures.extend(f"{name} ({role}) : {p}" for p in audit_page(response))
    assert checked >= len(pages)  # every page was really looked at, at least once
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_account_and_error_pages_pass_the_csp_audit(world: World) -> None:
    anonymous = Client()
    member = Client()
    member.force_login(world.users["member_a"])
    pages = [
        (anonymous, "/comptes/login/"),
        (anonymous, "/comptes/password/reset/"),
        (anonymous, "/comptes/signup/"),
        (anonymous, f"/invitation/{world.objects['invitation'].token}/"),
        (member, "/comptes/password/change/"),
        (member, "/comptes/2fa/"),
        (member, "/comptes/mon-compte/"),
        (member, "/comptes/acces-api/"),
        (member, "/n-existe-pas/"),
        (member, "/alpha/personnes/"),  # 403
    ]
    failures = []
    for client, url in pages:
        response = client.get(url)
        assert is_html(response), url
        failures.extend(f"{url} : {p}" for p in audit_page(response))
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_the_totp_set_up_page_passes_the_csp_audit(world: World) -> None:
    from tests.factories import PASSWORD

    client = Client()
    client.post("/comptes/login/", {"login": "dana@alpha.test", "password": PASSWORD})
    response = client.get("/comptes/2fa/totp/activate/", follow=True)
    if "/reauthenticate/" in response.redirect_chain[-1][0]:
        client.post(response.redirect_chain[-1][0], {"password": PASSWORD})
        response = client.get("/comptes/2fa/totp/activate/")
    assert response.status_code == 200
    assert 'class="qr-code"' in response.content.decode()
    assert audit_page(response) == []


def test_the_audit_catches_what_it_should() -> None:
    class Fake:
        headers = {
            "Content-Security-Policy": "default-src 'self'; script-src 'self'",
            "Content-Type": "text/html",
        }
        content = (
            b'<script>alert(1)</script><p style="color:red">x</p>'
            b'<img src="https://cdn.example.org/a.png"><a href="https://example.org">ok</a>'
        )

    problems = audit_page(Fake())
    assert len(problems) == 3, problems


@pytest.mark.django_db
def test_favicon_is_served(client) -> None:  # noqa: ANN001
    response = client.get("/favicon.ico")
    assert response.status_code == 200
