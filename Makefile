# Cap SI — the two commands of the README are `make run` and `make test`; both are idempotent.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv setup lint format check-migrations check-deploy messages check-messages \
        compilemessages worker beat clean bench

$(STAMP): requirements.lock pyproject.toml
	@PYTHON_BIN=$$(PYTHON="$(PYTHON)" scripts/find_python.sh) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then \
		rm -rf $(VENV); echo "Creating $(VENV) with $$PYTHON_BIN"; $$PYTHON_BIN -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $(STAMP)

venv: $(STAMP)

compilemessages: venv
	@scripts/messages.sh compile

setup: venv compilemessages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_reference
	$(PY) manage.py load_demo

## Run the site with demo data at http://127.0.0.1:8000
run: setup
	@echo "Cap SI: http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite (PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set)
test: venv compilemessages
	$(PY) -m pytest $(PYTEST_ARGS)

## Load benchmark of issue #7 on PostgreSQL (not a test): make bench [SCALE=0.1] [BENCH_DURATION=8]
## serves the site with gunicorn, drives every role's pages with wrk, writes BENCHMARKS.md
SCALE ?= 1
bench: venv compilemessages
	@command -v wrk >/dev/null || { \
		sudo_cmd=(); [ "$$(id -u)" = 0 ] || sudo_cmd=(sudo); \
		echo "apt-get install wrk"; \
		DEBIAN_FRONTEND=noninteractive "$${sudo_cmd[@]}" apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive "$${sudo_cmd[@]}" apt-get install -y -qq \
			--no-install-recommends wrk >/dev/null; }
	SCALE=$(SCALE) $(PY) -m bench

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: venv
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: venv
	DJANGO_SETTINGS_MODULE=config.settings.prod \
	DJANGO_SECRET_KEY=ci-check-deploy-$$(printf 'x%.0s' {1..60}) \
	DATABASE_URL=postgres://capsi@127.0.0.1:5432/capsi \
	DJANGO_ALLOWED_HOSTS=capsi.example.org EMAIL_HOST=smtp.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

messages: venv
	scripts/messages.sh update

check-messages: venv
	scripts/messages.sh check

worker: venv
	$(VENV)/bin/celery -A config worker --loglevel=info --concurrency=2

beat: venv
	$(VENV)/bin/celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) var
