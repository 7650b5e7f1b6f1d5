"""Settings and environments: production refuses unsafe or missing values with a clear message;
the embedded SQLite default takes concurrent writers; demo data never reaches production; the
Makefile, its Python finder and the README hold together."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from federations.models import AuditEvent

ROOT = Path(__file__).resolve().parent.parent
GOOD_PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DJANGO_SECRET_KEY": "k" * 30 + "-production-secret-for-the-test-" + "z" * 20,
    "DATABASE_URL": "postgres://capsi@127.0.0.1:5432/capsi",
    "DJANGO_ALLOWED_HOSTS": "capsi.example.org",
}


def run_manage(env_changes: dict[str, str | None], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env["CAPSI_VAR_DIR"] = str(Path(os.environ.get("TMPDIR", "/tmp")) / "capsi-settings-test")
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY doit être défini en production"),
        ({"DJANGO_SECRET_KEY": "trop-court"}, "DJANGO_SECRET_KEY doit être défini en production"),
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG doit être désactivé en production"),
        ({"DJANGO_DEBUG": "peut-être"}, "DJANGO_DEBUG='peut-être' n'est pas un booléen"),
        ({"DATABASE_URL": None}, "DATABASE_URL est obligatoire en production"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS est obligatoire en production"),
    ],
)
def test_production_refuses_to_start_with_a_clear_message(change, message) -> None:  # noqa: ANN001
    result = run_manage({**GOOD_PROD_ENV, **change}, "check")
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.startswith("Configuration invalide :")
    assert "Traceback" not in result.stderr


def test_production_with_its_variables_passes_the_deploy_checks() -> None:
    result = run_manage(
        {**GOOD_PROD_ENV, "EMAIL_HOST": "smtp.example.org"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr


def test_wsgi_application_also_refuses_a_bad_production_environment() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({**GOOD_PROD_ENV, "DJANGO_DEBUG": "1"})
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "DJANGO_DEBUG doit être désactivé" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "console.EmailBackend"),
        ({"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "2525"}, "smtp.EmailBackend"),
    ],
)
def test_mail_goes_to_the_console_by_default_and_to_smtp_when_configured(env, backend) -> None:  # noqa: ANN001
    result = run_manage(
        {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "EMAIL_HOST": None, **env},
        "shell",
        "-c",
        "from django.conf import settings; m = settings.MAILERS['default'];"
        "print(m['BACKEND'], m.get('OPTIONS', {}).get('port'))",
    )
    assert result.returncode == 0, result.stderr
    assert backend in result.stdout
    if env:
        assert "2525" in result.stdout


def test_a_server_error_shows_no_stack_trace(rf) -> None:  # noqa: ANN001
    from config.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Une erreur est survenue" in body
    assert "Traceback" not in body and "File " not in body


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fail_with_database_is_locked() -> None:
    """Threads each run read-then-write transactions at the same time: on SQLite this is what
    fails with "database is locked" unless transactions are IMMEDIATE (WAL lets readers go on);
    on PostgreSQL the same load must pass too."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(25):
                with transaction.atomic():
                    seen = AuditEvent.objects.filter(verb="concurrency").count()
                    AuditEvent.objects.create(
                        verb="concurrency", target=f"{n}-{i}", data={"seen": seen}
                    )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert AuditEvent.objects.filter(verb="concurrency").count() == 100


@pytest.mark.django_db
def test_demo_data_is_refused_in_production(settings) -> None:  # noqa: ANN001
    settings.CAPSI_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="pas en production"):
        call_command("load_demo")
    from federations.models import Federation

    assert not Federation.objects.filter(slug="femasnord").exists()


def test_readme_lists_exactly_the_demo_accounts() -> None:
    demo = yaml.safe_load((ROOT / "federations/data/demo.yaml").read_text(encoding="utf-8"))
    expected = {p["email"] for f in demo["federations"] for p in f["people"]}
    expected |= {v["email"] for v in demo["vendor_users"]}
    expected |= {o["email"] for o in demo["operators"]}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Demo accounts", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\|.*\| `([^`]+@[^`]+)` \|$", section, re.MULTILINE))
    assert listed == expected
    assert f"**`{demo['password']}`**" in section


def test_python_finder_fails_clearly_without_python() -> None:
    # env -i empties the environment: no PATH entry, no HOME, so no pyenv either.
    result = subprocess.run(
        ["env", "-i", "PATH=/nonexistent", "/bin/bash", "scripts/find_python.sh"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "needs Python 3.12 or newer" in result.stderr
    assert result.stdout == ""


def test_python_finder_finds_a_recent_python() -> None:
    result = subprocess.run(
        ["bash", "scripts/find_python.sh"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    version = subprocess.run(
        [result.stdout.strip(), "-c", "import sys; print(sys.version_info[:2] >= (3, 12))"],
        capture_output=True,
        text=True,
    )
    assert version.stdout.strip() == "True"


def test_makefile_uses_only_scripts_that_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for script in re.findall(r"(scripts/[\w./-]+)", makefile):
        assert (ROOT / script).exists(), script
    for target in ("run:", "test:", "setup:"):
        assert re.search(rf"^{target}", makefile, re.MULTILINE), target
