"""Talking to the server under test: sign-in through the real login form, one plain request (status
and queries of a page), and wrk runs parsed from the line ``bench/wrk.lua`` prints."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
JSON_LINE = "BENCH_JSON "


class WrkOutputError(ValueError):
    """wrk printed no summary line (crashed, or the script was not loaded)."""


def parse_wrk(stdout: str) -> dict:
    """The figures of one wrk run from its output (the line printed by ``wrk.lua``'s ``done``):
    requests, throughput, latency percentiles in ms, and the failures (non-2xx answers and
    socket errors)."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith(JSON_LINE)), None)
    if line is None:
        raise WrkOutputError("no BENCH_JSON line in wrk's output:\n" + stdout[-2000:])
    raw = json.loads(line[len(JSON_LINE) :])
    duration = raw["duration_us"] / 1e6
    lat = raw["latency_us"]
    errors = raw["errors"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    statuses = sorted({int(s) for s in raw.get("statuses", "").split()})
    requests = raw["requests"]
    return {
        "requests": requests,
        "duration_s": round(duration, 3),
        "rps": round(requests / duration, 2) if duration else 0.0,
        "p50_ms": round(lat["p50"] / 1000, 2),
        "p90_ms": round(lat["p90"] / 1000, 2),
        "p95_ms": round(lat["p95"] / 1000, 2),
        "p99_ms": round(lat["p99"] / 1000, 2),
        "mean_ms": round(lat["mean"] / 1000, 2),
        "max_ms": round(lat["max"] / 1000, 2),
        "non2xx": raw["non2xx"],
        "statuses": statuses,
        "socket_errors": socket_errors,
        "timeouts": errors["timeout"],
        "ok": requests > 0 and raw["non2xx"] == 0 and socket_errors == 0,
    }


def run_wrk(
    url: str,
    *,
    clients: int,
    duration: int,
    credentials_file: Path | None,
    threads: int = 2,
    timeout_s: int = 10,
) -> dict:
    command = [
        "wrk",
        f"-t{min(threads, clients)}",
        f"-c{clients}",
        f"-d{duration}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(WRK_SCRIPT),
        url,
    ]
    if credentials_file is not None:
        command += ["--", str(credentials_file)]
    done = subprocess.run(  # noqa: S603 - fixed command, our own URL
        command, capture_output=True, text=True, timeout=duration + 60
    )
    if done.returncode != 0:
        raise WrkOutputError(f"wrk exited with {done.returncode}: {done.stderr.strip()}")
    result = parse_wrk(done.stdout)
    result["clients"] = clients
    return result


# --- one request at a time (stdlib http.client: no extra dependency) --------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str]
    seconds: float


def fetch(
    host: str,
    port: int,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    form: dict[str, str] | None = None,
    timeout: float = 60,
) -> Answer:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    all_headers = dict(headers or {})
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    jar: dict[str, str] = {}
    for value in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(value)
        for key, morsel in parsed.items():
            jar[key] = morsel.value
    return Answer(
        status=response.status,
        headers={k.lower(): v for k, v in response.getheaders()},
        body=data,
        cookies=jar,
        seconds=elapsed,
    )


class SignInError(RuntimeError):
    pass


LOGIN_PATH = "/comptes/login/"


def sign_in(host: str, port: int, email: str, password: str) -> dict[str, str]:
    """Sign in through the login form as a browser does (CSRF cookie and token, POST) and return
    the cookies of the signed-in session."""
    page = fetch(host, port, LOGIN_PATH)
    if page.status != 200:
        raise SignInError(f"GET {LOGIN_PATH} answered {page.status}")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if not match or "csrftoken" not in page.cookies:
        raise SignInError("no CSRF token on the login page")
    cookies = {"csrftoken": page.cookies["csrftoken"]}
    answer = fetch(
        host,
        port,
        LOGIN_PATH,
        method="POST",
        cookies=cookies,
        headers={"Referer": f"http://{host}:{port}{LOGIN_PATH}"},
        form={
            "csrfmiddlewaretoken": match.group(1).decode(),
            "login": email,
            "password": password,
        },
    )
    if answer.status != 302 or "sessionid" not in answer.cookies:
        raise SignInError(f"sign-in of {email} failed (HTTP {answer.status})")
    cookies.update(answer.cookies)
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())
