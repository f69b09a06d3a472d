# starkeRegion: one image for the web server and the task worker (`manage.py run_huey`).
# Build: docker build -t starkeregion .   Run: see compose.yaml and the README.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir starkeregion accounts regions organisations listings \
 && /venv/bin/pip install . \
 && /venv/bin/pip uninstall --yes starkeregion
COPY . .
# Hashed, compressed static files; the values below exist only for this build step.
RUN SECRET_KEY=build-only-not-a-secret-0123456789-0123456789-0123456789 \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    /venv/bin/python manage.py collectstatic --noinput \
 && /venv/bin/python -m compileall -q /app /venv

FROM python:3.11-slim
# gunicorn listens on every interface of the container (its default elsewhere is 127.0.0.1).
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    PORT=8000 GUNICORN_HOST=0.0.0.0 MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private
# WeasyPrint (the agreements' PDFs) lays out text with Pango; DejaVu is the documents' font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app app \
 && mkdir -p /data/media /data/private && chown app /data/media /data/private
COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER app
EXPOSE 8000
VOLUME ["/data/media", "/data/private"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=4).status != 200)"]
CMD ["gunicorn", "--config", "python:starkeregion.gunicorn_config", "starkeregion.wsgi"]
