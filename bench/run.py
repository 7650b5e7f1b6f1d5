"""The load benchmark of issue #7: ``make bench`` (national scale), ``make bench SCALE=0.1``.

1. Prepares the benchmark's own PostgreSQL database ``capsi_bench_<scale>`` (refuses any other):
   creates and marks it, migrates, generates the national dataset once (a later run reuses it;
   a dataset made by an older generator is made again).
2. Serves the site with gunicorn on 127.0.0.1 (``config.settings.bench``), signs in the
   generated accounts of each role through the login form, and drives each page and API list
   with wrk at 8 then 32 concurrent clients, a fixed time each; the floor view
   (``/_banc/plancher/``) is measured the same way at the start of each pass.
3. Times the synthesis PDF of the largest synthesis through a real Celery worker.
4. Writes ``bench/results/<scale>.json`` and regenerates ``BENCHMARKS.md`` from every result file.

Options come from the command line or the environment (the Makefile passes ``SCALE``,
``BENCH_DURATION``…); ``python -m bench --help`` lists them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from . import database, load, report
from .database import Marker, Refused, Target

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
REPORT = ROOT / "BENCHMARKS.md"
VAR = ROOT / "var" / "bench"
PY = sys.executable
HOST = "127.0.0.1"
FLOOR_PATH = "/_banc/plancher/"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "")
    return value if value.strip() else default


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=float(_env("SCALE", "1")))
    p.add_argument("--seed", type=int, default=int(_env("BENCH_SEED", "1")))
    p.add_argument(
        "--duration",
        type=int,
        default=int(_env("BENCH_DURATION", "8")),
        help="seconds of load per page and number of clients",
    )
    p.add_argument("--clients", default=_env("BENCH_CLIENTS", "8,32"))
    p.add_argument(
        "--workers",
        type=int,
        default=int(_env("BENCH_WORKERS", "3")),
        help="gunicorn sync workers (production runs 3)",
    )
    p.add_argument(
        "--sessions",
        type=int,
        default=int(_env("BENCH_SESSIONS", "4")),
        help="signed-in sessions per account, used in turn",
    )
    p.add_argument("--port", type=int, default=int(_env("BENCH_PORT", "8765")))
    p.add_argument(
        "--database-url",
        default=_env("BENCH_DATABASE_URL", database.DEFAULT_SERVER),
        help="PostgreSQL server (with a path: the database) of the run",
    )
    p.add_argument(
        "--only",
        default=_env("BENCH_ONLY", ""),
        help="comma-separated page key prefixes (development)",
    )
    p.add_argument(
        "--quiet-wait",
        type=int,
        default=int(_env("BENCH_QUIET_WAIT", "0")),
        help="before each run, wait up to this many seconds for other processes to leave the "
        "CPUs (shared machine)",
    )
    p.add_argument("--no-pdf", action="store_true", default=_env("BENCH_NO_PDF", "") == "1")
    p.add_argument(
        "--fresh",
        action="store_true",
        default=_env("BENCH_FRESH", "") == "1",
        help="generate the dataset again",
    )
    p.add_argument(
        "--no-save", action="store_true", help="do not write the result file nor BENCHMARKS.md"
    )
    opts = p.parse_args(argv)
    opts.clients = [int(c) for c in str(opts.clients).split(",") if c.strip()]
    return opts


# --- database ----------------------------------------------------------------------------------


def bench_env(target: Target) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        CAPSI_BENCH_DATABASE_URL=target.url,
        REDIS_URL=_env("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
        PYTHONUNBUFFERED="1",
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> None:
    subprocess.run(  # noqa: S603 - fixed command
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def prepare_database(target: Target, opts: argparse.Namespace, env: dict[str, str]) -> dict:
    """Create/mark/migrate/generate as needed; returns {"seconds": generation time or None}."""
    fingerprint = database.generator_fingerprint()
    scale = f"{opts.scale:g}"
    exists, comment = database.inspect(target)
    if exists:
        marker = database.check_existing(target.name, comment, scale=opts.scale, seed=opts.seed)
        if opts.fresh or (marker.state == "ready" and marker.generator != fingerprint):
            why = "asked for" if opts.fresh else "the generator changed since it was made"
            log(f"dropping {target.name}: a fresh dataset is {why}")
            database.drop(target, scale=opts.scale, seed=opts.seed)
            exists = False
    if not exists:
        log(f"creating database {target.name}")
        database.create(target, Marker(opts.seed, scale, fingerprint, "created"))
        marker = Marker(opts.seed, scale, fingerprint, "created")
    database.tune(target)
    log("migrating")
    manage(env, "migrate", "--noinput", "-v0")
    if marker.state == "ready":
        log(f"dataset of scale {scale} already in {target.name}: reused")
        return {"seconds": None}
    log(f"generating the national dataset at scale {scale} (seed {opts.seed})")
    started = time.monotonic()
    manage(env, "generate_national", "--seed", str(opts.seed), "--scale", scale)
    seconds = time.monotonic() - started
    database.set_marker(target, Marker(opts.seed, scale, fingerprint, "ready"))
    log("VACUUM ANALYZE (fresh statistics for the planner, as a live database has)")
    database.vacuum_analyze(target)
    return {"seconds": round(seconds, 1)}


def collectstatic(env: dict[str, str]) -> None:
    """Static files as production serves them (hashed, compressed); skipped when ``static/`` has
    not changed since the last run (compressing everything takes half a minute)."""
    files = sorted(p for p in (ROOT / "static").rglob("*") if p.is_file())
    stamp = ",".join(f"{p.relative_to(ROOT)}:{p.stat().st_mtime_ns}" for p in files)
    stamp_file = VAR / "static.stamp"
    manifest = VAR / "static" / "staticfiles.json"
    if manifest.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    log("collecting static files")
    manage(env, "collectstatic", "--noinput", "-v0")
    stamp_file.write_text(stamp)


# --- processes ---------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(c) for c in text.split()]
    except OSError:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(stat.parent.name))
        return found


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def system_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    return total - idle, total


#: Share of the CPUs used by others under which the machine counts as quiet (``--quiet-wait``).
QUIET_PCT = 10.0


def machine_busy(window: float) -> float:
    """Share of the machine's CPU used over ``window`` seconds (in percent)."""
    busy0, total0 = system_ticks()
    time.sleep(window)
    busy1, total1 = system_ticks()
    return round(100 * (busy1 - busy0) / max(1, total1 - total0), 1)


def wait_idle(master: int, timeout: float = 120) -> tuple[float, float | None]:
    """Wait until the web workers have finished what the last run left queued (wrk stops at
    its deadline, the workers still serve the requests already accepted): no CPU used by any
    worker over a quarter of a second. Returns the seconds waited and the share of the machine's
    CPU used during that last quiet quarter of a second: by other processes than the benchmark
    (nothing of the benchmark runs then), a measure of how busy the machine is."""
    started = time.monotonic()
    workers = children(master)
    before = cpu_ticks(workers)
    sys_before = system_ticks()
    others = None
    while time.monotonic() - started < timeout:
        time.sleep(0.25)
        now = cpu_ticks(workers)
        sys_now = system_ticks()
        if now == before:
            busy, total = sys_now[0] - sys_before[0], sys_now[1] - sys_before[1]
            others = round(100 * busy / total, 1) if total > 0 else None
            break
        before, sys_before = now, sys_now
    return time.monotonic() - started, others


def memory_kb(pid: int, field: str = "VmRSS") -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


@contextlib.contextmanager
def process(command: list[str], env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - fixed command
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for_server(port: int, proc: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited at start-up:\n" + log_path.read_text()[-3000:])
        with contextlib.suppress(OSError):
            if load.fetch(HOST, port, FLOOR_PATH, timeout=5).status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time:\n" + log_path.read_text()[-3000:])


# --- machine and versions ----------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = memory_kb_total()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram / 1024 / 1024, 1) if ram else None,
        "os": f"{platform.system()} {platform.release()}",
    }


def memory_kb_total() -> int | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    return None


def versions(target: Target) -> dict:
    import django
    import gunicorn
    import weasyprint

    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()  # noqa: S607
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": database.server_version(target),
        "gunicorn": gunicorn.__version__,
        "wrk": wrk[1] if len(wrk) > 1 else "?",
        "weasyprint": weasyprint.__version__,
    }


# --- the run -----------------------------------------------------------------------------------


def api_tokens(emails: list[str]) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    from accounts.models import User

    tokens = {}
    for user in User.objects.filter(email__in=emails):
        token, _ = Token.objects.get_or_create(user=user)
        tokens[user.email] = token.key
    return tokens


def sign_in_all(port: int, emails: list[str], sessions: int, workers: int) -> dict[str, list[str]]:
    """``sessions`` signed-in sessions per account. Each account first signs in once alone: the
    first sign-in may rewrite the stored password hash (Django upgrades a hash made with other
    parameters), which ends every other session of the account opened before it."""
    from federations.national import BENCH_PASSWORD

    def one(email: str) -> tuple[str, str]:
        cookies = load.sign_in(HOST, port, email, BENCH_PASSWORD)
        return email, load.cookie_header(cookies)

    out: dict[str, list[str]] = {e: [] for e in emails}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(one, emails))
        for email, header in pool.map(one, [e for e in emails for _ in range(sessions)]):
            out[email].append(header)
    return out


class Memory:
    """RSS of each gunicorn worker, sampled between runs."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.samples: dict[int, list[tuple[str, int]]] = {}

    def sample(self, moment: str) -> None:
        for pid in children(self.master):
            kb = memory_kb(pid)
            if kb:
                self.samples.setdefault(pid, []).append((moment, kb))

    def summary(self) -> dict:
        workers = []
        for pid, samples in sorted(self.samples.items()):
            values = dict(samples)
            start = samples[0][1]
            first = values.get("after pass 1", start)
            end = samples[-1][1]
            workers.append(
                {
                    "pid": pid,
                    "start_mb": round(start / 1024, 1),
                    "after_first_pass_mb": round(first / 1024, 1),
                    "end_mb": round(end / 1024, 1),
                    "max_mb": round(max(kb for _, kb in samples) / 1024, 1),
                    "growth_pct": round((end - first) * 100 / first, 1) if first else 0.0,
                    "samples": len(samples),
                }
            )
        return {"workers": workers}


class Credentials:
    """One file per account for wrk: its signed-in sessions (web pages) or its API token."""

    #: Sessions end after 30 minutes idle: sign in again before a pass after this long.
    MAX_AGE = 20 * 60

    def __init__(self, opts: argparse.Namespace, plan, tokens: dict[str, str]) -> None:  # noqa: ANN001
        self.opts = opts
        self.web = sorted({p.account for p in plan.pages if not p.api})
        self.tokens = tokens
        self.dir = VAR / "credentials"
        self.signed_at = 0.0

    def refresh(self) -> None:
        self.dir.mkdir(exist_ok=True)
        sessions = sign_in_all(self.opts.port, self.web, self.opts.sessions, self.opts.workers)
        for email, headers in sessions.items():
            self.path(False, email).write_text("\n".join(f"Cookie: {h}" for h in headers) + "\n")
        for email, key in self.tokens.items():
            self.path(True, email).write_text(f"Authorization: Token {key}\n")
        self.signed_at = time.monotonic()

    def refresh_if_old(self) -> None:
        if time.monotonic() - self.signed_at > self.MAX_AGE:
            log("signing in again (sessions end after 30 minutes idle)")
            self.refresh()

    def path(self, api: bool, email: str) -> Path:
        return self.dir / f"{'api' if api else 'web'}-{email}.txt"

    def first(self, api: bool, email: str) -> tuple[str, str]:
        name, value = self.path(api, email).read_text().split("\n")[0].split(": ", 1)
        return name, value

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def measure_pages(
    opts: argparse.Namespace, plan, credentials: Credentials, server_pid: int
) -> tuple[list[dict], dict, dict, dict, dict]:
    from django.core.cache import cache

    port = opts.port
    results = []
    for page in plan.pages:
        entry = {**asdict(page), "runs": {}, "error": ""}
        name, value = credentials.first(page.api, page.account)
        try:
            for _ in range(opts.workers):  # warm the workers up (templates, code paths)
                load.fetch(HOST, port, page.path, headers={name: value})
            # Once with an empty shared cache (what a page costs when nothing it may keep in
            # the cache is there yet: the first reader after a change), then as usual.
            cache.clear()
            cold = load.fetch(HOST, port, page.path, headers={name: value})
            answer = load.fetch(HOST, port, page.path, headers={name: value})
        except OSError as exc:
            entry["error"] = f"no answer ({exc})"
        else:
            entry["status"] = answer.status
            entry["bytes"] = len(answer.body)
            entry["queries"] = int(answer.headers.get("x-bench-queries", "0") or 0)
            entry["db_ms"] = float(answer.headers.get("x-bench-db-ms", "0") or 0)
            entry["single_ms"] = round(answer.seconds * 1000, 1)
            entry["cold_ms"] = round(cold.seconds * 1000, 1)
            entry["cold_queries"] = int(cold.headers.get("x-bench-queries", "0") or 0)
            if answer.status != 200:
                entry["error"] = f"HTTP {answer.status} on a single request"
        log(
            f"  {page.key:<24} {entry.get('status', '---')} {entry.get('queries', '-'):>4} queries "
            f"{entry.get('single_ms', 0):>8.1f} ms (empty cache: {entry.get('cold_ms', 0):.1f} ms, "
            f"{entry.get('cold_queries', '-')} queries) {page.path}"
        )
        results.append(entry)
    load.fetch(HOST, port, FLOOR_PATH)  # warm up, as for the pages
    floor_answer = load.fetch(HOST, port, FLOOR_PATH)
    floor_queries = int(floor_answer.headers.get("x-bench-queries", "0") or 0)
    floor_alone_ms = round(floor_answer.seconds * 1000, 1)

    memory = Memory(server_pid)
    memory.sample("start")
    loads = {}
    floor: dict[str, dict] = {}
    others: list[float] = []

    def drain() -> float:
        """Wait for the workers to finish what the last run left queued."""
        waited, _ = wait_idle(server_pid)
        return round(waited, 2)

    def quiet() -> float | None:
        """Just before a run (workers idle): the share of the CPUs other processes use, after
        waiting up to ``--quiet-wait`` seconds for it to fall under QUIET_PCT."""
        _, busy = wait_idle(server_pid)
        if opts.quiet_wait and busy is not None and busy > QUIET_PCT:
            deadline = time.monotonic() + opts.quiet_wait
            while busy > QUIET_PCT and time.monotonic() < deadline:
                busy = machine_busy(1.0)
        if busy is not None:
            others.append(busy)
        return busy

    def floor_run(clients: int) -> dict:
        busy = quiet()
        run = load.run_wrk(
            f"http://{HOST}:{port}{FLOOR_PATH}",
            clients=clients,
            duration=opts.duration,
            credentials_file=None,
        )
        run["others_before_pct"] = busy
        drain()
        return run

    def page_run(entry: dict, clients: int) -> dict:
        busy = quiet()
        run = load.run_wrk(
            f"http://{HOST}:{port}{entry['path']}",
            clients=clients,
            duration=opts.duration,
            credentials_file=credentials.path(entry["api"], entry["account"]),
        )
        run["others_before_pct"] = busy
        run["drain_s"] = drain()
        memory.sample(f"{entry['key']}@{clients}")
        flag = "" if run["ok"] else "  " + report._failure(run)
        if busy is not None and busy > QUIET_PCT:
            flag += f"  (other processes used {busy:g} % of the CPUs just before)"
        log(f"  {entry['key']:<24} {run['rps']:>8.1f} req/s  p95 {run['p95_ms']:>7.1f} ms{flag}")
        return run

    def disturbed(run: dict) -> bool:
        return (run.get("others_before_pct") or 0) > QUIET_PCT

    for n, clients in enumerate(opts.clients, start=1):
        credentials.refresh_if_old()
        log(f"pass {n}: {clients} concurrent clients, {opts.duration} s per page")
        f = floor_run(clients)
        log(f"  {'floor':<24} {f['rps']:>8.1f} req/s  p95 {f['p95_ms']:>7.1f} ms")
        for entry in results:
            if not entry["error"]:
                entry["runs"][str(clients)] = page_run(entry, clients)
        # Runs that started while other processes were using the machine: once more at the end
        # of the pass, kept when the machine was quieter then.
        again = [e for e in results if disturbed(e["runs"].get(str(clients)) or {})]
        if again:
            log(f"  {len(again)} runs disturbed by other processes: once more")
        for entry in again:
            first = entry["runs"][str(clients)]
            retry = page_run(entry, clients)
            if (retry.get("others_before_pct") or 0) < (first.get("others_before_pct") or 0):
                retry["retried_after_others_pct"] = first.get("others_before_pct")
                entry["runs"][str(clients)] = retry
        end = floor_run(clients)
        log(f"  {'floor (end of pass)':<24} {end['rps']:>8.1f} req/s  p95 {end['p95_ms']:>7.1f} ms")
        # The floor of the pass: the mean throughput of its runs at the start and at the end
        # (the machine may have changed in between); latencies of the first run.
        f = {**f, "rps_start": f["rps"], "rps_end": end["rps"]}
        f["rps"] = round((f["rps_start"] + end["rps"]) / 2, 2)
        f["ok"] = f["ok"] and end["ok"]
        floor[str(clients)] = f
        memory.sample(f"after pass {n}")
        loads[f"after {clients} clients"] = round(os.getloadavg()[0], 2)
    if others:
        loads["others_cpu_pct"] = {
            "mean": round(sum(others) / len(others), 1),
            "max": max(others),
            "samples": len(others),
        }
    return (
        results,
        floor,
        {"queries": floor_queries, "alone_ms": floor_alone_ms},
        memory.summary(),
        loads,
    )


def measure_pdf(plan, env: dict[str, str], tag: str) -> dict | None:  # noqa: ANN001
    """The synthesis PDF of the largest synthesis (see ``render_pdf_once``). When the render
    fails because the PDF fetcher cannot find the hashed static files of the production storage,
    the failure is kept in the result and the PDF is rendered again with unhashed static names,
    so that its cost is still measured."""
    if not plan.synthesis_version_id:
        return None
    pdf = render_pdf_once(plan, env, tag)
    if "Fichier statique introuvable" in (pdf.get("error") or ""):
        log(f"  failed with the production static storage: {pdf['error']}")
        log("  again with unhashed static file names (CAPSI_BENCH_UNHASHED_STATIC=1)")
        first_error = pdf["error"]
        pdf = render_pdf_once(plan, {**env, "CAPSI_BENCH_UNHASHED_STATIC": "1"}, tag)
        pdf["production_storage_error"] = first_error
    return pdf


def render_pdf_once(plan, env: dict[str, str], tag: str) -> dict:  # noqa: ANN001
    """The synthesis PDF of the largest synthesis, rendered by a real Celery worker (prefork,
    one child): seconds, pages, and the peak RSS (VmHWM) of the child that rendered it."""
    import redis
    from django.conf import settings
    from django.db import connection

    from accounts.models import User
    from deliverables.models import Deliverable, DeliverableStatus
    from deliverables.services import deliverable_request
    from usergroups.models import SynthesisVersion

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    r = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    r.delete(queue, f"_kombu.binding.{queue}", "unacked", "unacked_index")
    ready_file = VAR / f"celery-{tag}.ready"
    ready_file.unlink(missing_ok=True)
    command = [
        PY,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "-Q",
        queue,
        "-n",
        f"bench-{tag}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=WARNING",
    ]
    log_path = VAR / f"celery-{tag}.log"
    with process(command, {**env, "CAPSI_WORKER_READY_FILE": str(ready_file)}, log_path) as proc:
        deadline = time.monotonic() + 120
        while not ready_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                return {"error": "Celery worker did not start: " + log_path.read_text()[-500:]}
            time.sleep(0.2)
        kids = children(proc.pid)
        before = {pid: memory_kb(pid) for pid in kids}
        version = SynthesisVersion.objects.select_related("synthesis__software").get(
            pk=plan.synthesis_version_id
        )
        actor = User.objects.get(email=plan.synthesis_actor)
        started = time.perf_counter()
        deliverable = deliverable_request(
            actor=actor,
            kind="usergroups.synthesis",
            title=f"Banc : synthèse {version.synthesis.software.name} — version {version.number}",
            federation=version.synthesis.federation,
            object_id=version.pk,
        )
        status = None
        while time.perf_counter() - started < 600:
            status = Deliverable.objects.get(pk=deliverable.pk).status
            if status in (DeliverableStatus.READY, DeliverableStatus.FAILED):
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
        peak = max((memory_kb(pid, "VmHWM") or 0) for pid in children(proc.pid) or kids)
    connection.close()
    deliverable.refresh_from_db()
    needs = version.needs.count()
    if deliverable.status != DeliverableStatus.READY:
        return {"error": f"deliverable {deliverable.status}: {deliverable.error}", "needs": needs}
    pages = deliverable.pages
    with contextlib.suppress(Exception):
        import pypdf

        with deliverable.file.open("rb") as fh:
            pages = len(pypdf.PdfReader(fh).pages)
    return {
        "needs": needs,
        "pages": pages,
        "seconds": round((deliverable.finished_at - deliverable.started_at).total_seconds(), 2),
        "wall_seconds": round(wall, 2),
        "peak_rss_mb": round(peak / 1024, 1),
        "child_start_mb": round(max([v or 0 for v in before.values()] or [0]) / 1024, 1),
        "deliverable": str(deliverable.pk),
    }


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    try:
        target = database.resolve(opts.database_url, opts.scale)
        database.check_name(target.name)
    except Refused as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("bench: wrk is missing (apt-get install wrk; `make bench` does it)", file=sys.stderr)
        return 2
    tag = database.scale_tag(opts.scale)
    load_at_start = round(os.getloadavg()[0], 2)
    started_at = dt.datetime.now(dt.UTC)
    t0 = time.monotonic()
    env = bench_env(target)
    VAR.mkdir(parents=True, exist_ok=True)
    try:
        generation = prepare_database(target, opts, env)
    except Refused as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    collectstatic(env)

    os.environ.update(env)
    for key in ("DATABASE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(key, None)
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from . import pages as pages_module

    cache.clear()  # the benchmark's own Redis database: nothing left from another dataset
    plan = pages_module.build_plan()
    if opts.only:
        prefixes = tuple(p.strip() for p in opts.only.split(",") if p.strip())
        plan.pages = [p for p in plan.pages if p.key.startswith(prefixes)]
    log(f"{len(plan.pages)} pages, {len(plan.accounts())} accounts")
    for note in plan.notes:
        log("note: " + note)
    counts = pages_module.dataset_counts()
    for table, n in counts.items():
        if n == 0:
            plan.notes.append(
                f"{table} is empty in the dataset: the pages that list it are measured empty."
            )
    api_emails = sorted({p.account for p in plan.pages if p.api})
    tokens = api_tokens(api_emails)
    connection.close()

    gunicorn_log = VAR / f"gunicorn-{tag}.log"
    command = [
        str(Path(PY).parent / "gunicorn"),
        "config.wsgi:application",
        f"--bind={HOST}:{opts.port}",
        f"--workers={opts.workers}",
        "--worker-class=sync",
        "--timeout=60",
        "--graceful-timeout=10",
    ]
    with process(command, env, gunicorn_log) as server:
        wait_for_server(opts.port, server, gunicorn_log)
        log(f"gunicorn up (pid {server.pid}, {opts.workers} workers); signing in")
        credentials = Credentials(opts, plan, tokens)
        credentials.refresh()
        log("single requests (status, queries)")
        page_results, floor, floor_alone, memory, loads = measure_pages(
            opts, plan, credentials, server.pid
        )
        credentials.remove()

    pdf = None
    if not opts.no_pdf:
        log("synthesis PDF")
        pdf = measure_pdf(plan, env, tag)
        if pdf:
            log(f"  {json.dumps(pdf)}")

    result = {
        "scale": opts.scale,
        "tag": tag,
        "seed": opts.seed,
        "database": target.name,
        "started_at": started_at.isoformat(timespec="seconds"),
        "wall_seconds": round(time.monotonic() - t0, 1),
        "machine": machine(),
        "versions": versions(target),
        "settings": {
            "workers": opts.workers,
            "worker_class": "sync",
            "duration_s": opts.duration,
            "clients": opts.clients,
            "threads": 2,
            "sessions_per_account": opts.sessions,
            "quiet_wait_s": opts.quiet_wait,
            "only": opts.only,
        },
        "generation": generation,
        "dataset": counts,
        "facts": plan.facts,
        "notes": plan.notes,
        "floor": floor,
        "floor_queries": floor_alone["queries"],
        "floor_alone_ms": floor_alone["alone_ms"],
        "pages": page_results,
        "pdf": pdf,
        "memory": memory,
        "loadavg": {"at start": load_at_start, **loads},
    }
    if opts.no_save:
        print(json.dumps(result, indent=1))
        return 0
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{tag}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    report.write(RESULTS_DIR, REPORT)
    log(f"wrote {out.relative_to(ROOT)} and {REPORT.relative_to(ROOT)}")
    for line in report.summary([result]):
        if line.strip():
            print(line)
    return 0
