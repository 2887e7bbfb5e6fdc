# The portal's image: runtime packages only (requirements.lock; the tools and tests are in
# requirements-dev.lock), run as an unprivileged user. Every package comes from the registries.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN groupadd --system --gid 10001 portail \
    && useradd --system --uid 10001 --gid portail --home-dir /app --no-create-home portail
# WeasyPrint (the accusés de réception in PDF) needs pango and harfbuzz; the fonts are in static/fonts/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput \
    && chown -R portail:portail /app
USER portail
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["python", "deploy/healthcheck.py"]
# Migrations are the `migrate` service's job (docker-compose.yml), never several web processes at once.
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "portal.wsgi:application"]
