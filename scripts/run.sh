#!/usr/bin/env bash
# `make run`: the app on the embedded default (SQLite, Celery on the filesystem broker),
# demo data loaded. With DATABASE_URL / REDIS_URL set it uses PostgreSQL / Redis instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
BIN=.venv/bin

mkdir -p var/broker/queue var/broker/processed var/broker/control var/media
$BIN/python manage.py migrate --noinput
$BIN/python manage.py seed_demo

# One worker with embedded beat (the periodic jobs); stopped when the web server stops.
$BIN/celery -A config worker --beat --schedule var/celerybeat-schedule \
  --concurrency 1 --loglevel INFO >var/celery.log 2>&1 &
CELERY_PID=$!
trap 'kill "$CELERY_PID" 2>/dev/null || true; wait "$CELERY_PID" 2>/dev/null || true' EXIT INT TERM

echo
echo "Business Porvoo service desk is running:"
echo "  portal (entrepreneurs):      $SITE_URL/"
echo "  workspace (handlers):        $SITE_URL/staff/   (log-ins above)"
echo "  admin (service manager):     $SITE_URL/admin/"
echo "  API:                         $SITE_URL/api/docs/   (schema: $SITE_URL/api/schema/)"
echo "  Open311 GeoReport v2:        $SITE_URL/open311/v2/discovery.json"
echo "  Celery worker + beat log: var/celery.log   (Ctrl-C stops both)"
echo
$BIN/python manage.py runserver "$HOST:$PORT"
