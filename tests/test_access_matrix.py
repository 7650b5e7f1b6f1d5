"""Every URL of the project, requested by every role, answers as the declared policy says."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.policy import Rule
from tests.world import APPS, ROLES, ROLES_A, ROLES_B, World

OUR_MODULES = (
    "config.",
    "federations.",
    "projects.",
    "maturity.",
    "vendors.",
    "usergroups.",
    "deliverables.",
    "accounts.",
    "drf_spectacular.",
)


def _load_policy() -> dict[str, Rule]:
    policy: dict[str, Rule] = {}
    for app in APPS:
        try:
            module = import_module(f"tests.{app}.policy")
        except ModuleNotFoundError:
            continue
        for name, rule in module.POLICY.items():
            assert name not in policy, f"{name} est déclaré deux fois dans la politique d'accès"
            policy[name] = rule
    return policy


POLICY = _load_policy()


def _walk(patterns, namespace: str = "") -> list[tuple[str, str]]:  # noqa: ANN001
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}{p.namespace}:"
            found.extend(_walk(p.url_patterns, ns))
        elif isinstance(p, URLPattern):
            callback = p.callback
            module = getattr(callback, "__module__", "") or ""
            view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            if view_class is not None:
                module = view_class.__module__
            if not module.startswith(OUR_MODULES) or namespace.startswith("admin"):
                continue
            if module.startswith("drf_spectacular") and p.name != "api-schema":
                continue
            found.append((f"{namespace}{p.name}", module))
    return found


def our_url_names() -> list[str]:
    return sorted({name for name, _ in _walk(get_resolver().url_patterns)})


def test_every_view_is_declared_in_the_policy() -> None:
    names = our_url_names()
    unnamed = [n for n in names if n.endswith("None")]
    assert not unnamed, f"Des vues n'ont pas de nom d'URL : {unnamed}"
    missing = [n for n in names if n not in POLICY]
    assert not missing, f"Vues absentes de la politique d'accès : {missing}"
    stale = [n for n in POLICY if n not in names]
    assert not stale, f"La politique déclare des URL qui n'existent plus : {stale}"


def _request(client: Client, rule: Rule, url: str, world: World):  # noqa: ANN202
    data = rule.data(world) if rule.data else {}
    if rule.method == "get":
        return client.get(url, data)
    method = getattr(client, rule.method)
    if rule.json:
        return method(url, data=data, content_type="application/json")
    return method(url, data)


def _is_login_redirect(response) -> bool:  # noqa: ANN001
    return response.status_code == 302 and "/comptes/login/" in response.get("Location", "")


def _check(role: str, rule: Rule, response, *, expected) -> str | None:  # noqa: ANN001
    code = response.status_code
    if expected == "allowed":
        if code >= 500 or code in (401, 403, 404, 405) or _is_login_redirect(response):
            return f"{role}: attendu autorisé, obtenu {code}"
    elif expected == "login":
        ok = code in (401, 403) if rule.api else _is_login_redirect(response)
        if not ok:
            return f"{role}: attendu renvoi vers la connexion, obtenu {code}"
    elif expected == "denied":
        if code not in (403, 404):
            return f"{role}: attendu 403 ou 404, obtenu {code}"
    elif code != expected:
        return f"{role}: attendu {expected}, obtenu {code}"
    return None


def _expected(role: str, rule: Rule):  # noqa: ANN202
    if role in rule.deny:
        return rule.deny[role]
    if role in rule.allow:
        return "allowed"
    if role == "anonymous":
        return "login"
    if rule.tenant and role not in ROLES_A:
        return 404
    return "denied"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(POLICY))
def test_access_matrix(url_name: str, world: World) -> None:
    rule = POLICY[url_name]
    kwargs = dict(rule.kwargs(world))
    if rule.tenant:
        kwargs["federation_slug"] = world.federation_a.slug
    url = reverse(url_name, kwargs=kwargs)
    failures = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        with transaction.atomic():
            response = _request(client, rule, url, world)
            transaction.set_rollback(True)
        problem = _check(role, rule, response, expected=_expected(role, rule))
        if problem:
            failures.append(problem)
    foreign_ids = rule.foreign_ids if rule.foreign_ids is not None else bool(rule.kwargs(world))
    if rule.tenant and foreign_ids:
        # Someone of federation B asks for A's objects under B's own slug: 404, never data.
        foreign_url = reverse(
            url_name, kwargs={**kwargs, "federation_slug": world.federation_b.slug}
        )
        for role in sorted(ROLES_B):
            client = Client()
            client.force_login(world.users[role])
            with transaction.atomic():
                response = _request(client, rule, foreign_url, world)
                transaction.set_rollback(True)
            # Same role in B as its counterpart in A: must not find A's object (404). A role
            # that lacks the permission anyway may be stopped earlier (403): no data either.
            counterpart = role.removesuffix("_b") + "_a"
            accepted = (404,) if counterpart in rule.allow else (403, 404)
            if response.status_code not in accepted:
                failures.append(
                    f"{role} sur {foreign_url}: attendu {accepted}, obtenu {response.status_code}"
                )
    assert not failures, f"{url_name} ({url}) :\n" + "\n".join(failures)


@pytest.mark.django_db
def test_unknown_federation_answers_404(world: World) -> None:
    client = Client()
    client.force_login(world.users["staff_a"])
    assert client.get("/federation-inconnue/").status_code == 404
    assert client.get("/federation-inconnue/msp/").status_code == 404
    assert client.get("/api/v1/federations/federation-inconnue/msp/").status_code == 404
