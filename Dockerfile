# syntax=docker/dockerfile:1
FROM node:20-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# bookworm named, not implied: the system packages below are checked against it.
FROM python:3.11-slim-bookworm AS app
# WeasyPrint (the care-team report's PDF) loads Pango through cffi at run time, and a PDF needs
# at least one font: neither is in the slim image. (Debian bookworm names; libharfbuzz-subset0
# lets WeasyPrint subset fonts with HarfBuzz instead of fontTools.)
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    FORTIFY_HOST=0.0.0.0 FORTIFY_DATA_DIR=/data FORTIFY_FRONTEND_DIST=/app/frontend/dist
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY backend/ backend/
COPY migrations/ migrations/
RUN pip install --no-cache-dir . && useradd --create-home --uid 10001 fortify \
    && mkdir -p /data && chown fortify /data
COPY --from=frontend /src/frontend/dist frontend/dist
USER fortify
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["fortify", "serve"]
