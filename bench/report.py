"""``BENCHMARKS.md`` from the result files of the runs (``bench/results/<scale>.json``).

The targets of issue #7 are checked here, as benchmark figures (not timed tests):
- every page's p95 under 150 ms at 8 clients;
- every page's throughput at least a quarter of the floor's (same number of clients);
- the synthesis PDF of 200 needs in under 5 seconds and 400 MB;
- the memory of a web worker stable over the run;
- and, with both scales, latency and queries per request flat as the data grows tenfold.
The section "What changed to meet the targets" is kept as it is when the file is regenerated.
"""

from __future__ import annotations

import json
from pathlib import Path

P95_TARGET_MS = 150.0
FLOOR_RATIO_TARGET = 0.25
PDF_NEEDS = 200
PDF_SECONDS = 5.0
PDF_MB = 400.0
#: A worker's RSS may grow this much from the end of the first pass (every worker has served
#: every page by then) to the end of the run.
MEMORY_GROWTH_PCT = 10.0
#: "Flat" from 1/10 to full scale: the same queries (a couple more at most, e.g. one more page
#: of pagination links) and a p95 at most 1.5 times (plus 5 ms of noise for the fastest pages).
FLAT_QUERIES_SLACK = 2
FLAT_P95_FACTOR = 1.5
FLAT_P95_SLACK_MS = 5.0

KEPT_SECTION = "## What changed to meet the targets"
KEPT_DEFAULT = (
    "_To be filled by the lead: the changes (indexes, query fixes, caching…) made to meet the "
    "targets, with the figures before and after._\n"
)


# --- checks ------------------------------------------------------------------------------------


def floor_rps(result: dict, clients: int) -> float | None:
    run = (result.get("floor") or {}).get(str(clients))
    return run["rps"] if run and run.get("ok") else None


def page_verdict(result: dict, page: dict, clients: int) -> list[str]:
    """The targets this page misses at this number of clients ([] = all met)."""
    run = (page.get("runs") or {}).get(str(clients))
    if page.get("error"):
        return [f"failed: {page['error']}"]
    if not run:
        return ["not measured"]
    if not run.get("ok"):
        return [_failure(run)]
    misses = []
    if clients == 8 and run["p95_ms"] >= P95_TARGET_MS:
        misses.append(f"p95 ≥ {P95_TARGET_MS:g} ms")
    floor = floor_rps(result, clients)
    if floor and run["rps"] < FLOOR_RATIO_TARGET * floor:
        misses.append("throughput < ¼ floor")
    return misses


def _failure(run: dict) -> str:
    parts = []
    if run.get("non2xx"):
        codes = ", ".join(str(s) for s in run.get("statuses") or [])
        parts.append(f"{run['non2xx']} non-2xx ({codes})")
    if run.get("socket_errors"):
        parts.append(f"{run['socket_errors']} socket errors ({run.get('timeouts', 0)} timeouts)")
    if not run.get("requests"):
        parts.append("no request completed")
    return "failed: " + "; ".join(parts or ["unknown"])


def pdf_verdict(pdf: dict | None) -> str:
    if not pdf:
        return "not measured"
    if pdf.get("error"):
        return f"failed: {pdf['error']}"
    misses = []
    if pdf["seconds"] >= PDF_SECONDS:
        misses.append(f"{pdf['seconds']:.1f} s ≥ {PDF_SECONDS:g} s")
    if pdf["peak_rss_mb"] >= PDF_MB:
        misses.append(f"{pdf['peak_rss_mb']:.0f} MB ≥ {PDF_MB:g} MB")
    if misses:
        return "**missed**: " + ", ".join(misses)
    if pdf["needs"] < PDF_NEEDS:
        return (
            f"met for {pdf['needs']} needs (fewer than the {PDF_NEEDS} of the target: not a proof "
            "for 200)"
        )
    return "ok"


def memory_verdict(memory: dict | None) -> tuple[bool | None, str]:
    if not memory or not memory.get("workers"):
        return None, "not measured"
    worst = max(memory["workers"], key=lambda w: w.get("growth_pct", 0))
    if worst.get("growth_pct", 0) > MEMORY_GROWTH_PCT:
        return False, (
            f"**missed**: worker {worst['pid']} grew {worst['growth_pct']:.1f} % after the first "
            f"pass (limit {MEMORY_GROWTH_PCT:g} %)"
        )
    return True, f"ok (largest growth after the first pass: {worst.get('growth_pct', 0):.1f} %)"


#: Mean CPU share used by other processes between runs above which figures are flagged.
OTHERS_CPU_WARN_PCT = 10.0


def busy_warning(result: dict) -> str:
    """A warning when something else was using the machine during the run."""
    loads = result.get("loadavg") or {}
    others = (loads.get("others_cpu_pct") or {}).get("mean")
    if others is not None and others > OTHERS_CPU_WARN_PCT:
        return (
            f" — **other processes used {others:g} % of the CPUs between runs: figures are "
            "pessimistic, run again on a quiet machine**."
        )
    cores = (result.get("machine") or {}).get("cores") or 1
    before = loads.get("at start")
    if others is None and before is not None and before > cores / 2:
        return (
            f" — **the machine was busy before the run (load {before:g} on {cores} cores): "
            "figures are pessimistic, run again on a quiet machine**."
        )
    return ""


def _load_line(result: dict) -> str:
    loads = result.get("loadavg") or {}
    text = "- **Machine load**: 1-minute load average " + ", ".join(
        f"{k} {v:g}" for k, v in loads.items() if not isinstance(v, dict)
    )
    others = loads.get("others_cpu_pct")
    if others:
        text += (
            f"; CPU used by other processes while the benchmark was idle between runs: mean "
            f"{others['mean']:g} %, max {others['max']:g} % ({others['samples']} samples)"
        )
    return text + (busy_warning(result) or ".")


def machine_text(result: dict) -> str:
    m = result.get("machine") or {}
    return f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores"


def other_machine(small: dict, full: dict) -> str:
    """A sentence when the two runs were not made on the same kind of machine (their latencies
    then say nothing about how cost grows), else ""."""
    if machine_text(small) == machine_text(full):
        return ""
    return (
        f"the one-tenth run was made on another machine ({machine_text(small)}) than the "
        f"national run ({machine_text(full)}): run both on the same machine before reading "
        "their latencies side by side"
    )


def growth_rows(small: dict, full: dict, clients: int = 8) -> list[dict]:
    """Per page present in both runs: p95 and queries at 1/10 and at full scale, flat or not."""
    by_key = {p["key"]: p for p in small.get("pages", [])}
    rows = []
    for page in full.get("pages", []):
        other = by_key.get(page["key"])
        if other is None:
            continue
        a = (other.get("runs") or {}).get(str(clients))
        b = (page.get("runs") or {}).get(str(clients))
        qa, qb = other.get("queries"), page.get("queries")
        p95_small = a["p95_ms"] if a and a.get("ok") else None
        p95_full = b["p95_ms"] if b and b.get("ok") else None
        row = {
            "key": page["key"],
            "label": page["label"],
            "role": page["role"],
            "p95_small": p95_small,
            "p95_full": p95_full,
            "q_small": qa,
            "q_full": qb,
            "alone_small": other.get("single_ms"),
            "alone_full": page.get("single_ms"),
        }
        problems = []
        if qa is not None and qb is not None and qb > qa + FLAT_QUERIES_SLACK:
            problems.append(f"queries {qa} → {qb}")
        if p95_small is None or p95_full is None:
            problems.append("not measured at both scales")
        elif p95_full > FLAT_P95_FACTOR * p95_small + FLAT_P95_SLACK_MS:
            problems.append(f"p95 ×{p95_full / p95_small:.1f}")
        row["problems"] = problems
        rows.append(row)
    return rows


# --- rendering ---------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _scale_name(result: dict) -> str:
    scale = float(result["scale"])
    if scale == 1:
        return "national scale (1)"
    if scale == 0.1:
        return "one tenth (0.1)"
    return f"scale {scale:g}"


def _pages_table(result: dict, clients: int) -> list[str]:
    floor = floor_rps(result, clients)
    out = [
        "| Page | Role | req/s | p50 ms | p95 ms | p99 ms | queries | × floor | alone ms (DB) "
        "| empty cache ms (queries) | targets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    fl = (result.get("floor") or {}).get(str(clients))
    if fl:
        span = ""
        if fl.get("rps_end") is not None:
            span = (
                f"; {fl['rps_start']:.0f} at the start of the pass, {fl['rps_end']:.0f} at the end"
            )
        out.append(
            f"| **floor** (50 rows, no sign-in{span}) | — | {fl['rps']:.1f} | "
            f"{_ms(fl['p50_ms'])} | {_ms(fl['p95_ms'])} | {_ms(fl['p99_ms'])} | "
            f"{_dash(result.get('floor_queries'))} | 1.00 | {_ms(result.get('floor_alone_ms'))} | "
            "— | — |"
        )
    disturbed = 0
    for page in result.get("pages", []):
        run = (page.get("runs") or {}).get(str(clients))
        misses = page_verdict(result, page, clients)
        verdict = "ok" if not misses else "**" + "; ".join(misses) + "**"
        name = f"{page['label']} `{page['key']}`"
        if page.get("highlight"):
            name = f"**{page['label']}** `{page['key']}`"
        q = _dash(page.get("queries"))
        alone = "—"
        if page.get("single_ms") is not None:
            alone = f"{_ms(page['single_ms'])} ({_ms(page.get('db_ms'))})"
        cold = "—"
        if page.get("cold_ms") is not None:
            cold = f"{_ms(page['cold_ms'])} ({_dash(page.get('cold_queries'))})"
        if run and run.get("requests"):
            ratio = f"{run['rps'] / floor:.2f}" if floor else "—"
            mark = ""
            if (run.get("others_before_pct") or 0) > OTHERS_CPU_WARN_PCT:
                mark = " †"
                disturbed += 1
            out.append(
                f"| {name} | {page['role']} | {run['rps']:.1f}{mark} | {_ms(run['p50_ms'])} | "
                f"{_ms(run['p95_ms'])} | {_ms(run['p99_ms'])} | {q} | {ratio} | {alone} | "
                f"{cold} | {verdict} |"
            )
        else:
            out.append(
                f"| {name} | {page['role']} | — | — | — | — | {q} | — | {alone} | {cold} | "
                f"{verdict} |"
            )
    if disturbed:
        out += [
            "",
            f"† {disturbed} runs started while other processes used more than "
            f"{OTHERS_CPU_WARN_PCT:g} % of the CPUs (even after waiting, and once more at the end "
            "of the pass): their figures are pessimistic.",
        ]
    return out


def _render_run(result: dict) -> list[str]:
    m = result.get("machine", {})
    v = result.get("versions", {})
    s = result.get("settings", {})
    out = [f"## Run at {_scale_name(result)} — {result.get('started_at', '')[:16]}", ""]
    out += [
        f"- **Machine**: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, "
        f"{m.get('ram_gb', '?')} GB RAM ({m.get('os', '')}). Server, database, load generator "
        "and worker all on this one machine.",
        f"- **Versions**: Python {v.get('python', '?')}, Django {v.get('django', '?')}, "
        f"PostgreSQL {v.get('postgresql', '?')}, gunicorn {v.get('gunicorn', '?')}, "
        f"wrk {v.get('wrk', '?')}, WeasyPrint {v.get('weasyprint', '?')}.",
        f"- **Served by**: gunicorn, {s.get('workers', '?')} sync workers on 127.0.0.1 "
        f"(settings `config.settings.bench`: DEBUG off, Redis cache, compressed static files by "
        f"whitenoise). Each page: wrk `-t{s.get('threads', 2)}`, "
        + ", then ".join(f"{c} clients" for c in s.get("clients", []))
        + f", {s.get('duration_s', '?')} s each; {s.get('sessions_per_account', '?')} signed-in "
        "sessions per account used in turn; API lists with a personal API token.",
        f"- **Dataset**: `generate_national --seed {result.get('seed')} --scale "
        f"{float(result['scale']):g}` in database `{result.get('database')}`"
        + (
            f", generated in {result['generation']['seconds']:.0f} s."
            if (result.get("generation") or {}).get("seconds")
            else " (reused from an earlier run)."
        ),
        f"- **Whole run**: {result.get('wall_seconds', 0) / 60:.1f} min.",
        _load_line(result),
        "",
        "<details><summary>Row counts</summary>",
        "",
        "| table | rows |",
        "|---|---:|",
    ]
    for name, n in (result.get("dataset") or {}).items():
        out.append(f"| {name} | {n:,} |".replace(",", "\u202f"))
    out += ["", "</details>", ""]
    facts = result.get("facts") or {}
    if facts:
        bits = []
        if "largest_campaign" in facts:
            c = facts["largest_campaign"]
            bits.append(
                f"largest campaign #{c['id']} ({c['federation']}, {c['participants']} "
                f"participants, {c['ratings']} ratings, phase {c['phase']})"
            )
        if "largest_synthesis" in facts:
            y = facts["largest_synthesis"]
            bits.append(
                f"largest synthesis #{y['synthesis']} version {y['number']} ({y['needs']} needs, "
                f"{y['federation']})"
            )
        if "comparator" in facts:
            bits.append("comparator: " + ", ".join(facts["comparator"]))
        out += ["Objects picked: " + "; ".join(bits) + ".", ""]
    for clients in s.get("clients", []):
        out += [f"### Pages at {clients} concurrent clients", ""]
        out += _pages_table(result, clients)
        out.append("")
    named = [p for p in result.get("pages", []) if p.get("highlight")]
    if named:
        out += ["### The pages the issue names", ""]
        for page in named:
            run = (page.get("runs") or {}).get("8") or {}
            if page.get("error") or not run.get("ok"):
                out.append(f"- {page['label']}: {'; '.join(page_verdict(result, page, 8))}.")
                continue
            out.append(
                f"- {page['label']} (`{page['path']}`): {_ms(page.get('single_ms'))} ms alone "
                f"({page.get('queries')} queries); at 8 clients {run['rps']:.1f} req/s, p95 "
                f"{_ms(run['p95_ms'])} ms."
            )
        out.append("")
    out += ["### Synthesis PDF (largest synthesis, real Celery worker)", ""]
    pdf = result.get("pdf")
    if pdf and not pdf.get("error"):
        out += [
            "| needs | pages | render s | request → ready s | worker peak RSS MB | target |",
            "|---:|---:|---:|---:|---:|---|",
            f"| {pdf['needs']} | {pdf['pages']} | {pdf['seconds']:.2f} | "
            f"{pdf['wall_seconds']:.2f} | {pdf['peak_rss_mb']:.0f} | {pdf_verdict(pdf)} |",
        ]
    else:
        out.append(pdf_verdict(pdf))
    if pdf and pdf.get("production_storage_error"):
        out += [
            "",
            "**With the production static files storage (hashed names) the PDF failed**: "
            f"“{pdf['production_storage_error']}”. The PDF fetcher "
            "(`deliverables/rendering.py`) looks static files up with the finders, which only "
            "know the unhashed source names; the figures above were measured with a worker "
            "using unhashed static names (same files, same render).",
        ]
    out += ["", "### Web worker memory", ""]
    memory = result.get("memory") or {}
    if memory.get("workers"):
        out += [
            "| worker | after warm-up MB | after first pass MB | end MB | max MB | growth after "
            "first pass |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for w in memory["workers"]:
            out.append(
                f"| {w['pid']} | {w['start_mb']:.0f} | {w['after_first_pass_mb']:.0f} | "
                f"{w['end_mb']:.0f} | {w['max_mb']:.0f} | {w['growth_pct']:.1f} % |"
            )
        out.append("")
    out.append("Stable: " + memory_verdict(memory)[1] + ".")
    notes = result.get("notes") or []
    if notes:
        out += ["", "Notes:", ""] + [f"- {n}" for n in notes]
    out.append("")
    return out


def summary(results: list[dict]) -> list[str]:
    """The targets missed, per run."""
    out = ["## Targets", ""]
    out += [
        f"- p95 under {P95_TARGET_MS:g} ms at 8 clients, every page; throughput at least "
        f"{FLOOR_RATIO_TARGET:g} × the floor's; synthesis PDF of {PDF_NEEDS} needs under "
        f"{PDF_SECONDS:g} s and {PDF_MB:g} MB; web worker memory stable (≤ "
        f"{MEMORY_GROWTH_PCT:g} % growth after the first pass); latency and queries flat from 1/10 "
        "to full scale.",
        "",
    ]
    for result in results:
        groups: dict[str, list[str]] = {}
        for clients in result.get("settings", {}).get("clients", []):
            for page in result.get("pages", []):
                for miss in page_verdict(result, page, clients):
                    where = f"at {clients} clients, {miss}"
                    if miss.startswith("failed"):
                        where = f"at {clients} clients, failed"
                        miss = miss.removeprefix("failed: ")
                        groups.setdefault(where, []).append(f"`{page['key']}` ({miss})")
                    else:
                        groups.setdefault(where, []).append(f"`{page['key']}`")
        missed = [f"{where} ({len(keys)}): {', '.join(keys)}" for where, keys in groups.items()]
        if pdf_verdict(result.get("pdf")).startswith(("**missed", "failed", "not")):
            missed.append("synthesis PDF: " + pdf_verdict(result.get("pdf")))
        if (result.get("pdf") or {}).get("production_storage_error"):
            missed.append(
                "synthesis PDF **fails with the production static storage**: "
                + result["pdf"]["production_storage_error"]
            )
        ok, text = memory_verdict(result.get("memory"))
        if ok is False:
            missed.append("worker memory: " + text)
        if out[-1] != "":
            out.append("")
        head = f"**{_scale_name(result)}**"
        pages = len(result.get("pages", []))
        if missed:
            out.append(f"{head} ({pages} pages) misses:")
            out += [f"  - {m}" for m in missed]
        else:
            out.append(f"{head} ({pages} pages): all targets met.")
    by_scale = {float(r["scale"]): r for r in results}
    if 0.1 in by_scale and 1.0 in by_scale:
        rows = growth_rows(by_scale[0.1], by_scale[1.0])
        bad = [f"`{r['key']}` ({', '.join(r['problems'])})" for r in rows if r["problems"]]
        out.append("")
        elsewhere = other_machine(by_scale[0.1], by_scale[1.0])
        if elsewhere:
            out.append(f"**How cost grows**: not comparable, {elsewhere}.")
        elif bad:
            out.append(
                f"**How cost grows** (1/10 → 1, 8 clients): {len(bad)} of {len(rows)} pages not "
                "flat: " + ", ".join(bad)
            )
        else:
            out.append(f"**How cost grows** (1/10 → 1): all {len(rows)} pages flat.")
    out.append("")
    return out


def _growth_section(small: dict, full: dict) -> list[str]:
    rows = growth_rows(small, full)
    out = [
        "## How cost grows (one tenth → national scale, 8 clients)",
        "",
    ]
    elsewhere = other_machine(small, full)
    if elsewhere:
        out += [f"**Not comparable**: {elsewhere}.", ""]
    out += [
        f"Flat means: queries per request at most {FLAT_QUERIES_SLACK} more, and p95 at most "
        f"{FLAT_P95_FACTOR:g} × (+{FLAT_P95_SLACK_MS:g} ms) as the data grows tenfold. The last "
        "column is the time of one request alone (a single sample: a hint of where the cost "
        "grows, not a target).",
        "",
        "| Page | p95 ms at 1/10 | p95 ms at 1 | queries at 1/10 | queries at 1 | flat | alone ms "
        "at 1/10 → 1 |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        flat = "yes" if not r["problems"] else "**no**: " + ", ".join(r["problems"])
        out.append(
            f"| {r['label']} `{r['key']}` | {_ms(r['p95_small'])} | {_ms(r['p95_full'])} | "
            f"{_dash(r['q_small'])} | {_dash(r['q_full'])} | {flat} | "
            f"{_ms(r['alone_small'])} → {_ms(r['alone_full'])} |"
        )
    sp, fp = small.get("pdf") or {}, full.get("pdf") or {}
    if sp.get("seconds") and fp.get("seconds"):
        out += [
            "",
            f"Synthesis PDF: {sp['needs']} needs in {sp['seconds']:.2f} s / "
            f"{sp['peak_rss_mb']:.0f} MB at 1/10; {fp['needs']} needs in {fp['seconds']:.2f} s / "
            f"{fp['peak_rss_mb']:.0f} MB at full scale.",
        ]
    out.append("")
    return out


def _dash(value: object) -> str:
    return "—" if value is None else str(value)


def render(results: list[dict], kept: str = KEPT_DEFAULT) -> str:
    results = sorted(results, key=lambda r: -float(r["scale"]))
    out = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (national scale) and `make bench SCALE=0.1` (one tenth) from "
        "`bench/results/*.json` (see `bench/run.py`); the section at the end is kept when the "
        "file is generated again.",
        "",
        "## How it is measured",
        "",
        "- The benchmark uses its own PostgreSQL database, `capsi_bench_<scale>`, which it "
        "creates and marks (`COMMENT ON DATABASE`); it refuses any other database. The first run "
        "generates the dataset (`manage.py generate_national --seed 1 --scale <scale>`); later "
        "runs reuse it, and generate it again when the generator's code has changed. The "
        "database gets the planner settings production's server has (`random_page_cost` 1.1: "
        "data on SSD; `docker-compose.yml`).",
        "- The site is served by gunicorn on 127.0.0.1 with 3 sync workers, as in production "
        "(`docker-compose.yml`), with `config.settings.bench` (DEBUG off, real password "
        "hasher, Redis cache, compressed static files by whitenoise, plain http).",
        "- It signs in the generated accounts of each role through the login form (several "
        "sessions per account, used in turn) and drives each page with wrk (`bench/wrk.lua`) at "
        "8 then 32 concurrent clients for a fixed time; any answer that is not a 2xx fails the "
        "page's row. API lists are called with a personal API token. Between two runs it waits "
        "for the workers to finish the requests left queued.",
        "- **Floor**: a bare Django view (`bench/views.py`, only in the benchmark's URLconf) "
        "rendering 50 MSPs from the same database through a template that extends nothing, "
        "anonymous, served by the same workers, measured at the start and at the end of each "
        "pass; each page's throughput is compared with its mean.",
        "- **Queries** per request are counted by a middleware of the benchmark settings on one "
        "request of the page, which also gives “alone ms (DB)”: the time of that one request "
        "with nothing else running, and the part of it spent in the database. Just before it, "
        "one request of the page follows the emptying of the shared cache (Redis): “empty "
        "cache ms (queries)” is what the page costs its first reader after a change, when "
        "nothing it keeps in the cache is there yet (sessions are read from the database then: "
        "one query more). Latencies are wrk's percentiles; throughput is in requests per second.",
        "- **Synthesis PDF**: the largest synthesis version (most needs) rendered through the "
        "real pipeline (`deliverable_request`, a `celery -A config worker --concurrency=1`); "
        "seconds from the deliverable's start to its end, pages, and the peak RSS (VmHWM) of "
        "the worker process that rendered it.",
        "- **Memory**: RSS of each web worker after every run; stable when it grows at most "
        f"{MEMORY_GROWTH_PCT:g} % from the end of the first pass (every worker has served every "
        "page by then) to the end.",
        "- Options (make variables or environment): `SCALE` (1), `BENCH_DURATION` (8 s per run), "
        "`BENCH_CLIENTS` (8,32), `BENCH_WORKERS` (3), `BENCH_SESSIONS` (4 per account), "
        "`BENCH_QUIET_WAIT` (0: seconds to wait before each run for other processes to leave the "
        "CPUs), `BENCH_DATABASE_URL` (postgres://postgres@127.0.0.1:5432), `BENCH_REDIS_URL` "
        "(redis://127.0.0.1:6379/8, emptied at the start of each run), `BENCH_FRESH=1` "
        "(generate again), `BENCH_ONLY` (page key prefixes), `BENCH_NO_PDF=1`. Needs PostgreSQL, "
        "Redis (databases 8 and 9) and wrk (`make bench` installs it with apt-get).",
        "",
    ]
    out += summary(results)
    for result in results:
        out += _render_run(result)
    by_scale = {float(r["scale"]): r for r in results}
    if 0.1 in by_scale and 1.0 in by_scale:
        out += _growth_section(by_scale[0.1], by_scale[1.0])
    out += [KEPT_SECTION, "", kept.strip() + "\n"]
    return "\n".join(out)


def kept_section(existing: str) -> str:
    if KEPT_SECTION not in existing:
        return KEPT_DEFAULT
    rest = existing.split(KEPT_SECTION, 1)[1]
    return rest.strip() + "\n" if rest.strip() else KEPT_DEFAULT


def write(results_dir: Path, target: Path) -> str:
    results = [json.loads(p.read_text()) for p in sorted(results_dir.glob("*.json"))]
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    text = render(results, kept_section(existing))
    target.write_text(text, encoding="utf-8")
    return text
