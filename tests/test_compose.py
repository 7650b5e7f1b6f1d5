"""docker-compose.yml describes production. No Docker engine runs here, so this test parses it
and checks that every service points at something that exists in the project."""

from __future__ import annotations

import ast
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def command(service: str) -> list[str]:
    value = SERVICES[service]["command"]
    return shlex.split(value) if isinstance(value, str) else list(value)


def module_file(dotted: str) -> Path:
    spec = importlib.util.find_spec(dotted)
    assert spec is not None and spec.origin, f"{dotted} is not importable"
    path = Path(spec.origin)
    assert path.is_relative_to(ROOT), f"{dotted} is not a module of the project"
    return path


def top_level_names(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def test_the_five_production_services_exist() -> None:
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(SERVICES)


@pytest.mark.parametrize("service", ["web", "worker", "beat", "postgres", "redis"])
def test_long_running_services_have_a_health_check(service: str) -> None:
    check = SERVICES[service]["healthcheck"]
    assert check["test"] and check["interval"] and check["retries"]


def test_web_runs_gunicorn_on_the_project_wsgi_application() -> None:
    cmd = command("web")
    assert cmd[0] == "gunicorn"
    assert importlib.util.find_spec("gunicorn") is not None
    target = next(arg for arg in cmd[1:] if not arg.startswith("-"))
    module, _, attribute = target.partition(":")
    assert "application" in top_level_names(module_file(module))
    assert attribute == "application"


@pytest.mark.parametrize(("service", "sub"), [("worker", "worker"), ("beat", "beat")])
def test_celery_services_use_the_project_celery_app(service: str, sub: str) -> None:
    cmd = command(service)
    assert cmd[:2] == ["celery", "-A"]
    app_module = cmd[2]
    assert cmd[3] == sub
    # ``celery -A config`` finds the app as ``config.celery_app`` / ``config.celery.app``.
    assert "celery_app" in top_level_names(module_file(app_module))
    assert "app" in top_level_names(module_file(f"{app_module}.celery"))
    from config import celery_app

    assert celery_app.main == "capsi"


def test_beat_schedule_names_registered_tasks() -> None:
    from django.apps import apps
    from django.conf import settings

    from config import celery_app

    for app_config in apps.get_app_configs():  # what the worker's autodiscovery imports
        if importlib.util.find_spec(f"{app_config.name}.tasks"):
            importlib.import_module(f"{app_config.name}.tasks")
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks, entry["task"]


def test_settings_module_and_environment_exist() -> None:
    for service in ("web", "worker", "beat", "migrate"):
        env = SERVICES[service]["environment"]
        module_file(env["DJANGO_SETTINGS_MODULE"])
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert "${DJANGO_SECRET_KEY:?" in env["DJANGO_SECRET_KEY"]  # no default secret
    assert int(SERVICES["worker"]["environment"]["CELERY_VISIBILITY_TIMEOUT"]) > int(
        SERVICES["worker"]["environment"]["CELERY_TASK_TIME_LIMIT"]
    )


def test_migrate_service_runs_existing_management_commands() -> None:
    script = command("migrate")[-1]
    commands = re.findall(r"manage\.py (\w+)", script)
    assert commands == ["migrate", "load_reference"]
    assert set(commands) <= set(get_commands())


def test_volumes_persist_database_and_private_files() -> None:
    declared = set(COMPOSE["volumes"])
    used = {
        volume.split(":", 1)[0]
        for service in SERVICES.values()
        for volume in service.get("volumes", [])
    }
    assert used <= declared
    assert "postgres-data:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    for service in ("web", "worker"):
        assert "private-files:/var/lib/capsi/private" in SERVICES[service]["volumes"]
        assert SERVICES[service]["environment"]["CAPSI_VAR_DIR"] == "/var/lib/capsi"


def test_app_services_wait_for_healthy_dependencies() -> None:
    for service in ("web", "worker"):
        depends = SERVICES[service]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_services_build_from_the_dockerfile() -> None:
    for service in ("web", "worker", "beat", "migrate"):
        build = SERVICES[service]["build"]
        assert (ROOT / build["context"] / build["dockerfile"]).is_file()


def test_dockerfile_references_existing_files() -> None:
    assert re.search(r"^FROM python:3\.13-slim\b", DOCKERFILE, re.M)
    for line in re.findall(r"^COPY (?!--from)(.+)$", DOCKERFILE, re.M):
        sources = [part for part in line.split()[:-1] if not part.startswith("--")]
        for source in sources:
            assert (ROOT / source).exists(), source
    assert "pip install --require-hashes -r /build/requirements.lock" in DOCKERFILE
    assert "collectstatic --noinput" in DOCKERFILE
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core", "libpq5"):
        assert package in DOCKERFILE
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert users and users[-1] not in ("root", "0")
    cmd = re.search(r"^CMD (.+)$", DOCKERFILE, re.M).group(1)
    assert "config.wsgi:application" in cmd
    for static_file in ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"):
        assert (ROOT / "static" / static_file).is_file()


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "var", ".env"):
        assert entry in ignored
    for needed in ("requirements.lock", "manage.py", "static", "config"):
        assert needed not in ignored


def test_postgres_plans_for_ssd_as_the_benchmark_does() -> None:
    """Production's PostgreSQL gets the planner settings the benchmark measured with."""
    from bench.database import PLANNER_SETTINGS

    cmd = command("postgres")
    assert cmd[0] == "postgres"
    settings = dict(arg.split("=", 1) for arg in cmd[1:] if arg != "-c")
    assert settings == PLANNER_SETTINGS
