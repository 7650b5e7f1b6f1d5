"""Profile the benchmark's pages in one process, on the benchmark's database (development aid).

    .venv/bin/python -m bench.profile [--scale 1] [--only staff.,vendor.version] [-n 30]
                                      [--cprofile] [--sort tottime] [--top 40]

Each page is requested through Django's whole stack (the WSGI handler, every middleware, the
signed-in session in Redis) with the test client: once to warm up, then ``-n`` times. It prints
the median and minimum time of a request, the median CPU time of this process (Python only,
steadier than wall time on a busy machine), how much of the median went to rendering templates and
to the ORM (building, running and reading queries; queries run while rendering count in both),
the queries and their database time, and with ``--cprofile`` the functions where the time goes.
``--sql`` prints each query of one request with its database time. The database must have been
prepared by ``make bench`` first. Timings here are hints for finding causes; the figures of
record come from ``make bench``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

from . import database


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    p.add_argument("--scale", type=float, default=float(os.environ.get("SCALE", "1") or 1))
    p.add_argument("--only", default="", help="comma-separated page key prefixes")
    p.add_argument("-n", type=int, default=30, help="timed requests per page")
    p.add_argument("--cprofile", action="store_true")
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--sql", action="store_true", help="print the queries of one request")
    p.add_argument("--database-url", default=database.DEFAULT_SERVER)
    opts = p.parse_args(argv)

    target = database.resolve(opts.database_url, opts.scale)
    database.check_name(target.name)
    exists, comment = database.inspect(target)
    marker = database.parse_marker(comment) if exists else None
    if marker is None or marker.state != "ready":
        print(f"bench.profile: {target.name} holds no dataset: run `make bench` first.")
        return 2
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        CAPSI_BENCH_DATABASE_URL=target.url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from accounts.models import User

    from . import pages as pages_module
    from .middleware import _Counter
    from .run import api_tokens

    spent = _install_timers()
    plan = pages_module.build_plan()
    prefixes = tuple(x.strip() for x in opts.only.split(",") if x.strip())
    selected = [pg for pg in plan.pages if not prefixes or pg.key.startswith(prefixes)]
    tokens = api_tokens(sorted({pg.account for pg in selected if pg.api}))
    clients: dict[str, Client] = {}

    def client_for(page) -> Client:  # noqa: ANN001
        if page.account not in clients:
            c = Client(HTTP_HOST="127.0.0.1")
            if page.api:
                c.defaults["HTTP_AUTHORIZATION"] = f"Token {tokens[page.account]}"
            else:
                c.force_login(User.objects.get(email=page.account))
            clients[page.account] = c
        return clients[page.account]

    print(
        f"{'page':<24} {'status':>6} {'median':>7} {'min':>6} {'cpu':>6} {'render':>7} {'orm':>6} "
        f"{'queries':>7} {'db ms':>6}   (ms)"
    )
    for page in selected:
        c = client_for(page)
        response = c.get(page.path)
        times, cpus, renders, orms = [], [], [], []
        counter = _Counter()
        log: list[tuple[float, str]] = []
        with connection.execute_wrapper(_Logger(log) if opts.sql else counter):
            response = c.get(page.path)
        queries, db_ms = counter.count, counter.seconds * 1000
        if opts.sql:
            queries, db_ms = len(log), sum(ms for ms, _ in log)
        profiler = cProfile.Profile() if opts.cprofile else None
        for _ in range(opts.n):
            spent.update(render=0.0, orm=0.0)
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            c.get(page.path)
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu_started) * 1000)
            renders.append(spent["render"] * 1000)
            orms.append(spent["orm"] * 1000)
        median = statistics.median
        print(
            f"{page.key:<24} {response.status_code:>6} {median(times):>7.1f} {min(times):>6.1f} "
            f"{median(cpus):>6.1f} "
            f"{median(renders):>7.1f} {median(orms):>6.1f} {queries:>7} {db_ms:>6.1f}",
            flush=True,
        )
        for ms, sql in log:
            print(f"    {ms:6.2f} ms  {sql[:300]}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(opts.sort).print_stats(opts.top)
            print(out.getvalue())
    return 0


class _Logger:
    def __init__(self, log: list) -> None:
        self.log = log

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001, ANN204
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.log.append(((time.perf_counter() - started) * 1000, sql % tuple(params or ())))


def _install_timers() -> dict[str, float]:
    """Accumulate the time of the outermost template render and of the outermost ORM query."""
    from django.db.models.sql import compiler
    from django.template import base

    spent = {"render": 0.0, "orm": 0.0}

    def timed(func, key):  # noqa: ANN001, ANN202
        depth = [0]

        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            depth[0] += 1
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent[key] += time.perf_counter() - started

        return wrapper

    base.Template.render = timed(base.Template.render, "render")
    compiler.SQLCompiler.execute_sql = timed(compiler.SQLCompiler.execute_sql, "orm")
    return spent


if __name__ == "__main__":
    sys.exit(main())
