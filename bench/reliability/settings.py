"""Production settings for the run's gunicorn, worker and the run itself, with two changes.

- Pages link their static files through the finders: building the compressed manifest
  (`collectstatic`) takes minutes on a small machine, and the run fetches no static file.
- Beat's periodic jobs (SLA scan, dashboards, reminders, auto-close, retention, old mail) run
  every minute instead of every 5 minutes to once a day, so that each runs several times in
  each worker incarnation of a 10-minute run and the worker's memory is judged with all of its
  work in the mix. The outbox sweep keeps OUTBOX_SWEEP_SECONDS.
"""

from config.settings.prod import *  # noqa: F403
from config.settings.prod import CELERY_BEAT_SCHEDULE, STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_BEAT_SCHEDULE = {
    name: entry | {"schedule": min(float(entry["schedule"]), 60.0)}
    for name, entry in CELERY_BEAT_SCHEDULE.items()
}
