"""Real Celery workers for tests: no mock of the broker nor of the worker.

A test that needs background work done the way production does it starts a real
``celery -A config worker`` subprocess against the Redis of the machine, on the same test
database and private files as the test itself::

    import pytest
import redis

    pytestmark = pytest.mark.worker

    def test_reminder_is_sent(celery_worker, world):   # celery_worker needs transactional_db
        remind_later(...)                              # publishes to the worker's queue
        wait_for(lambda: Reminder.objects.filter(sent=True).exists(), timeout=20)

Fixtures (made available to every test by ``tests/conftest.py``):

``celery_worker``
    one started worker (a ``Worker``); the test process publishes its tasks to it.
``celery_workers``
    a ``WorkerPool``: ``celery_workers.start(**options)`` starts a worker (several may run, one
    after the other or together), ``worker.kill()`` SIGKILLs one mid-task, all are stopped at
    the end of the test. ``celery_workers.publishing()`` is already active for the test.

Both use ``transactional_db`` (the worker is another process: it only sees committed rows).

What the worker gets (environment): ``DJANGO_SETTINGS_MODULE=config.settings.test``,
``CELERY_TASK_ALWAYS_EAGER=false``, ``CELERY_BROKER_URL`` (see ``broker_url()``: the
``CAPSI_TEST_BROKER_URL`` or ``CELERY_BROKER_URL`` environment variable, else Redis db 0 on
127.0.0.1 — Redis runs on every dev/CI machine, also in the SQLite run),
``CAPSI_TEST_DATABASE_NAME`` (the test database pytest-django created: the PostgreSQL name
``test_…``, or the SQLite test file path; ``DATABASE_URL`` is inherited), and
``CAPSI_TEST_MEDIA_ROOT`` (the test's ``settings.MEDIA_ROOT``). Each pool uses its own queue
(``capsi-test-<random>``), so workers of concurrent test runs sharing a Redis db never take each
other's messages.

Options of ``start()``: ``include`` (modules the worker imports at start-up, e.g. test-only
deliverable kinds: ``["tests.deliverables.kinds"]``), ``env`` (extra environment, e.g.
``{"CELERY_VISIBILITY_TIMEOUT": "6"}``), ``concurrency`` (default 1, prefork pool as in
production), ``args`` (more command-line options), ``ready_timeout``.

``publishing_to(broker_url, queue)`` is the context manager that points the test process's
Celery app at a broker/queue with eager mode off (also usable alone, e.g. with a dead broker
URL to test "Redis down"). ``wait_for(predicate, timeout)`` polls until true or fails.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"


def broker_url() -> str:
    """The Redis the workers of the tests use."""
    return (
        os.environ.get("CAPSI_TEST_BROKER_URL")
        or os.environ.get("CELERY_BROKER_URL")
        or DEFAULT_BROKER_URL
    )


def wait_for(predicate: Callable[[], object], *, timeout: float, interval: float = 0.2,
             message: str = "condition") -> object:  # fmt: skip
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


def _reset_publisher() -> None:
    """Forget the pooled broker connections of the test process's Celery app."""
    pool = celery_app._pool
    if pool is not None:
        with contextlib.suppress(Exception):
            pool.force_close_all()
    celery_app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        celery_app.__dict__["amqp"]._producer_pool = None
    from kombu import pools

    pools.reset()


@contextlib.contextmanager
def publishing_to(url: str, queue: str) -> Iterator[None]:
    """Make ``task.delay()`` in this process publish to ``url``/``queue`` (eager mode off)."""
    conf = celery_app.conf
    # Publishing uses broker_write_url, which wins over broker_url (and over the
    # CELERY_BROKER_URL environment variable that Celery reads on its own).
    keys = ("broker_write_url", "task_always_eager", "task_default_queue")
    saved = {key: conf.get(key) for key in keys}
    conf.update(broker_write_url=url, task_always_eager=False, task_default_queue=queue)
    _reset_publisher()
    try:
        yield
    finally:
        conf.update(saved)
        _reset_publisher()


class Worker:
    """One ``celery -A config worker`` subprocess (its own process group)."""

    def __init__(self, *, process: subprocess.Popen, log_path: Path, name: str) -> None:
        self.process = process
        self.log_path = log_path
        self.name = name

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: nothing is acknowledged."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        """Warm shutdown (SIGTERM), SIGKILL if it does not stop in time."""
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


class WorkerPool:
    """Starts workers on one queue of one broker, against the test's database and files."""

    def __init__(self, *, tmp_dir: Path, url: str | None = None) -> None:
        self.tmp_dir = tmp_dir
        self.broker_url = url or broker_url()
        self.queue = f"capsi-test-{uuid.uuid4().hex[:12]}"
        self.workers: list[Worker] = []

    def publishing(self) -> contextlib.AbstractContextManager[None]:
        return publishing_to(self.broker_url, self.queue)

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "CELERY_BROKER_URL": self.broker_url,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "CAPSI_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
                "CAPSI_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "PYTHONPATH": os.pathsep.join(
                    p for p in (str(PROJECT_DIR), env.get("PYTHONPATH", "")) if p
                ),
            }
        )
        env.update(extra or {})
        return env

    def start(
        self,
        *,
        include: list[str] | tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        concurrency: int = 1,
        ready_timeout: float = 60,
        wait_ready: bool = True,
        args: list[str] | tuple[str, ...] = (),
    ) -> Worker:
        number = len(self.workers) + 1
        name = f"{self.queue}-{number}"
        ready_file = self.tmp_dir / f"{name}.ready"
        log_path = self.tmp_dir / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=prefork", f"--concurrency={concurrency}",
            "-Q", self.queue, "-n", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel=INFO",
        ]  # fmt: skip
        if include:
            command += ["-I", ",".join(include)]
        command += list(args)
        environment = self.environment({**(env or {}), "CAPSI_WORKER_READY_FILE": str(ready_file)})
        with open(log_path, "wb") as log:
            process = subprocess.Popen(  # noqa: S603 - fixed command, test only
                command,
                cwd=PROJECT_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process=process, log_path=log_path, name=name)
        self.workers.append(worker)
        if wait_ready:
            deadline = time.monotonic() + ready_timeout
            while not ready_file.exists():
                if not worker.alive():
                    raise AssertionError(f"Celery worker exited at start-up:\n{worker.log()}")
                if time.monotonic() > deadline:
                    worker.kill()
                    raise AssertionError(f"Celery worker not ready in time:\n{worker.log()}")
                time.sleep(0.1)
        return worker

    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.broker_url)

    def queued_messages(self) -> int:
        """Messages waiting in this pool's queue on the broker."""
        return self.redis().llen(self.queue)

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()
        with contextlib.suppress(redis.RedisError):
            self.redis().delete(
                self.queue, f"_kombu.binding.{self.queue}", f"_kombu.binding_permanent.{self.queue}"
            )

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}\n{w.log()}" for w in self.workers)


@pytest.fixture
def celery_workers(transactional_db, tmp_path) -> Iterator[WorkerPool]:  # noqa: ANN001
    pool = WorkerPool(tmp_dir=tmp_path)
    try:
        with pool.publishing():
            yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def celery_worker(celery_workers: WorkerPool) -> Worker:
    return celery_workers.start()
