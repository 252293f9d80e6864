"""The test suite: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (CI), else SQLite."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-secret-" + "x" * 40
DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test gets an empty cache (tests/conftest.py clears it); never a shared Redis here.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
SITE_URL = "https://business.example.test"
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
# Static files come from the finders: no collectstatic before tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Generous in tests; the throttling test sets its own rate.
SUBMIT_THROTTLE_RATE = "10000/minute"
PORTAL_RATE_LIMIT = "10000/m"  # the rate-limit tests set their own
