"""Production: everything from the environment; refuses to start without a secret key.

Behind a TLS-terminating proxy that sets X-Forwarded-Proto. `manage.py check --deploy` passes
with these defaults (tests/test_security.py runs it); each can be turned off by environment
where the proxy already does the same (e.g. SECURE_SSL_REDIRECT=false).
"""

from .base import *  # noqa: F403
from .base import DATABASES, conn_max_age, env

SECRET_KEY = env("SECRET_KEY")
DEBUG = False
# Each web process keeps its database connection for a minute (a new one costs 8-11 ms of CPU
# a request, docs/PERFORMANCE.md); checked before reuse (base.py's CONN_HEALTH_CHECKS).
DATABASES["default"]["CONN_MAX_AGE"] = conn_max_age(60)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# HSTS: a year, for the subdomains too, and asking to be preloaded (porvoo.fi serves HTTPS only;
# set SECURE_HSTS_INCLUDE_SUBDOMAINS=false if a subdomain still needs plain HTTP).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
