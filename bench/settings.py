"""Settings of the benchmark's gunicorn: production's, plus the trivial views, no collectstatic."""

from config.settings.prod import *  # noqa: F403
from config.settings.prod import STORAGES

ROOT_URLCONF = "bench.urls"
# Pages link their static files through the finders (no manifest to build before a run).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
