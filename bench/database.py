"""The benchmark's own database, and the guard that keeps it away from any other.

The harness only ever writes to a PostgreSQL database whose name starts with ``capsi_bench`` and
that carries its marker (a comment on the database, ``COMMENT ON DATABASE``), which it sets when it
creates the database itself. A database of another name, or one it did not create, is refused
before anything is written: the benchmark never touches ``test`` or a real database.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

NAME_PREFIX = "capsi_bench"
MARKER_PREFIX = "capsi-bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parent.parent


class Refused(Exception):
    """The harness will not run against this database; the message says why, in one line."""


@dataclass(frozen=True)
class Target:
    server: str  # postgres://user@host:port (no database)
    name: str

    @property
    def url(self) -> str:
        return f"{self.server}/{self.name}"


@dataclass(frozen=True)
class Marker:
    seed: int
    scale: str
    generator: str
    state: str  # "created" (empty, being prepared) or "ready" (dataset generated)

    def text(self) -> str:
        return (
            f"{MARKER_PREFIX} seed={self.seed} scale={self.scale} generator={self.generator} "
            f"state={self.state}"
        )


def scale_tag(scale: float) -> str:
    """``1`` → ``"1"``, ``0.1`` → ``"0_1"``: the suffix of the database and result file names."""
    return f"{scale:g}".replace(".", "_").replace("-", "m")


def resolve(url: str | None, scale: float) -> Target:
    """The database the harness will use: ``url`` names the server (``postgres://user@host:port``)
    and, when it has a path, the database itself; otherwise ``capsi_bench_<scale>``."""
    parts = urlsplit(url or DEFAULT_SERVER)
    if parts.scheme not in ("postgres", "postgresql"):
        raise Refused(f"the benchmark runs on PostgreSQL only (got {parts.scheme or url!r}).")
    name = parts.path.strip("/") or f"{NAME_PREFIX}_{scale_tag(scale)}"
    server = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return Target(server=server, name=name)


def check_name(name: str) -> None:
    if not re.fullmatch(rf"{NAME_PREFIX}[a-z0-9_]*", name):
        raise Refused(
            f"refusing database {name!r}: the benchmark only uses its own databases, named "
            f"{NAME_PREFIX}…"
        )


def parse_marker(comment: str | None) -> Marker | None:
    if not comment or not comment.startswith(MARKER_PREFIX + " "):
        return None
    fields = dict(
        item.split("=", 1) for item in comment[len(MARKER_PREFIX) + 1 :].split() if "=" in item
    )
    try:
        return Marker(
            seed=int(fields["seed"]),
            scale=fields["scale"],
            generator=fields.get("generator", ""),
            state=fields["state"],
        )
    except (KeyError, ValueError):
        return None


def check_existing(name: str, comment: str | None, *, scale: float, seed: int) -> Marker:
    """The marker of an existing database, or ``Refused`` when it is not the benchmark's own or
    holds another dataset."""
    check_name(name)
    marker = parse_marker(comment)
    if marker is None:
        raise Refused(
            f"refusing database {name!r}: it exists but was not created by the benchmark (no "
            f"'{MARKER_PREFIX}' marker); drop it or choose another name"
        )
    if marker.scale != f"{scale:g}" or marker.seed != seed:
        raise Refused(
            f"refusing database {name!r}: it holds the dataset of scale {marker.scale} seed "
            f"{marker.seed}, not scale {scale:g} seed {seed}"
        )
    return marker


def generator_fingerprint() -> str:
    """A short hash of the dataset generator's code: a dataset made by an older generator (a
    stage landed since) is generated again."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/national.py")) + [
        ROOT / "federations" / "management" / "commands" / "generate_national.py"
    ]
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --- PostgreSQL side (psycopg, on the server's maintenance database) --------------------------


@contextmanager
def _cursor(target: Target, dbname: str = "postgres") -> Iterator:
    import psycopg

    # Client-side binding: COMMENT ON DATABASE takes no server-side parameter.
    conn = psycopg.connect(
        f"{target.server}/{dbname}", autocommit=True, cursor_factory=psycopg.ClientCursor
    )
    try:
        with conn.cursor() as cur:
            yield cur
    finally:
        conn.close()


def inspect(target: Target) -> tuple[bool, str | None]:
    """(exists, comment) of the database."""
    with _cursor(target) as cur:
        cur.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [target.name],
        )
        row = cur.fetchone()
    return (row is not None, row[0] if row else None)


def _quoted(name: str) -> str:
    check_name(name)  # also makes the identifier safe to interpolate
    return f'"{name}"'


def set_marker(target: Target, marker: Marker) -> None:
    with _cursor(target) as cur:
        cur.execute(f"COMMENT ON DATABASE {_quoted(target.name)} IS %s", [marker.text()])


def create(target: Target, marker: Marker) -> None:
    with _cursor(target) as cur:
        cur.execute(f"CREATE DATABASE {_quoted(target.name)}")
        cur.execute(f"COMMENT ON DATABASE {_quoted(target.name)} IS %s", [marker.text()])


#: PostgreSQL planner settings of the benchmark's database, as production sets them on its server
#: (``docker-compose.yml``): data on SSD, where a random read costs about a sequential one. With
#: the default (4, for spinning disks) the planner scans whole tables for small joins.
PLANNER_SETTINGS = {"random_page_cost": "1.1"}


def tune(target: Target) -> None:
    """Apply ``PLANNER_SETTINGS`` to the benchmark's database (new connections get them)."""
    with _cursor(target) as cur:
        for name, value in PLANNER_SETTINGS.items():
            cur.execute(f"ALTER DATABASE {_quoted(target.name)} SET {name} = {value}")


def drop(target: Target, *, scale: float, seed: int) -> None:
    """Drop a benchmark database; only one that carries the benchmark's marker."""
    exists, comment = inspect(target)
    if not exists:
        return
    check_existing(target.name, comment, scale=scale, seed=seed)
    with _cursor(target) as cur:
        cur.execute(f"DROP DATABASE {_quoted(target.name)} WITH (FORCE)")


def server_version(target: Target) -> str:
    with _cursor(target) as cur:
        cur.execute("SHOW server_version")
        return cur.fetchone()[0]


def vacuum_analyze(target: Target) -> None:
    check_name(target.name)
    with _cursor(target, target.name) as cur:
        cur.execute("VACUUM ANALYZE")
