# Cap SI — production image: gunicorn (web), Celery worker and beat all run from it.
# Build: docker compose build   (see docker-compose.yml)

# --- Build stage: compile the locked dependencies into a virtualenv --------------------------
FROM python:3.13-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.lock pyproject.toml /build/
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --require-hashes -r /build/requirements.lock

# --- Runtime stage --------------------------------------------------------------------------
FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.prod \
    CAPSI_VAR_DIR=/var/lib/capsi
# WeasyPrint needs Pango (with HarfBuzz and fontconfig); psycopg uses libpq; msgfmt compiles
# the translations. The PDFs use the DejaVu fonts shipped in static/fonts; fonts-dejavu-core is
# only fontconfig's fallback.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
      fonts-dejavu-core shared-mime-info libpq5 gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin capsi
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=capsi:capsi . /app
# Translations and static files are built into the image (the settings module refuses to load
# without a secret key and a database URL: throw-away values, nothing connects at build time).
RUN DJANGO_SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_hex(32))") \
    DATABASE_URL=postgres://build@localhost:5432/build \
    sh -c "python manage.py compilemessages -v0 --ignore=.venv \
        && python manage.py collectstatic --noinput -v0" \
 && mkdir -p /var/lib/capsi/private /var/lib/capsi/beat \
 && chown -R capsi:capsi /var/lib/capsi /app
USER capsi
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
