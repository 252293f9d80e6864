"""Settings shared by every environment; everything that varies comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is optional; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # OpClass in expression indexes (the trigram index of the queue search) needs its ready().
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "crm",
    "routing",
    "inquiries",
    "notifications",
    "open311",
    "mailin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False


def conn_max_age(default: int) -> int:
    """Seconds a process keeps its database connection: CONN_MAX_AGE, DATABASE_URL's
    ?conn_max_age=, else `default` (here 0: a new connection per request; prod.py: 60)."""
    return env.int("CONN_MAX_AGE", default=DATABASES["default"].get("CONN_MAX_AGE", default))


DATABASES["default"]["CONN_MAX_AGE"] = conn_max_age(0)
# A kept connection is checked (one cheap round trip) before a request reuses it, so a database
# restart costs no failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "crm.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username from this address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff sign-in (workspace and admin) is refused for AXES_COOLOFF_MINUTES after
# AXES_FAILURE_LIMIT failed attempts for one username from one address; a success resets it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "crm.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "crm.security.client_ip"
AXES_VERBOSE = False

# Staff sessions end after a working day, or when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content Security Policy (django-csp): scripts, images and fonts from this site only, never
# inline script or eval. Styles may be inline too: the dashboard's SVG charts (pygal) carry
# their own <style>; a style cannot run code. Nothing may frame the service.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:my-work"
LOGOUT_REDIRECT_URL = "workspace:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis cache, except that a Redis that is down reads as a miss (config/cache.py).
    CACHES = {"default": {"BACKEND": "config.cache.FailOpenRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Business Porvoo <business@porvoo.fi>")
# The right-hand side of Message-IDs; empty: the host of SITE_URL.
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="")

# The outbox (notifications app): how often the sweep runs, how retries back off, when a row
# claimed by a worker that died is taken back (longer than any task may run), when to give up.
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=60)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_CLAIM_TIMEOUT_SECONDS = env.float("OUTBOX_CLAIM_TIMEOUT_SECONDS", default=600)
# Personal data of requests closed this many months ago is anonymised; the numbers stay.
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Staff sign in with a token (kept in the admin) or their workspace session. The token comes
    # first so that a call without either answers 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "inquiries.api.exception_handler",
    # Read at request time by inquiries.api.throttles: reading a request by its tracking token
    # per client address, and the staff API per staff member.
    "DEFAULT_THROTTLE_RATES": {
        "tracking": env("API_TRACKING_THROTTLE_RATE", default="300/hour"),
        "staff": env("API_STAFF_THROTTLE_RATE", default="5000/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Submissions per client address; read by inquiries.api.SubmitThrottle at request time.
SUBMIT_THROTTLE_RATE = env("SUBMIT_THROTTLE_RATE", default="30/hour")
# The number of proxies in front of the app, so the client address is taken from the right hop.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES or None

SPECTACULAR_SETTINGS = {
    "TITLE": "Business Porvoo service desk API",
    "DESCRIPTION": "Requests from companies to the City of Porvoo and its partners. Public: "
    "submit a request, follow it by its tracking token, reply, rate. Staff (a token from the "
    "admin, `Authorization: Token …`, or a workspace session): the queue, one request with its "
    "timeline, its transitions, companies, the dashboard's figures. Errors: 400 "
    '`{"<field>": ["message"]}`; otherwise `{"detail": "message"}`.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate request and response components: read-only fields are never asked for.
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each choice set used in several places.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "inquiries.models.Inquiry.Status",
        "ChannelEnum": "inquiries.models.Inquiry.Channel",
        "CloseReasonEnum": "inquiries.models.Inquiry.CloseReason",
        "LanguageEnum": "crm.models.Language",
        "PriorityEnum": "routing.models.Priority",
        "SlaStateEnum": "inquiries.models.InquiryQuerySet.SLAState",
        "MessageKindEnum": "inquiries.models.Message.Kind",
        "RoutingKindEnum": "inquiries.models.RoutingDecision.Kind",
    },
    "TAGS": [
        {"name": "public", "description": "Anyone: submit, and follow by the tracking token."},
        {"name": "staff", "description": "Handlers and managers: read."},
        {"name": "staff transitions", "description": "Handlers and managers: act."},
    ],
}

# Celery: tasks are acknowledged after they run, and a lost worker process requeues its task.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# A web request never waits for a broker that is down: the outbox sweep sends later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = False
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env("CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
elif CELERY_BROKER_URL.startswith("redis"):
    # visibility_timeout: longer than the longest task and any countdown, or Redis redelivers
    # a running task. max_retries 0: a publisher connects once and fails at once when Redis is
    # down; kombu's default retries for CELERY_BROKER_CONNECTION_TIMEOUT (2 s) per message,
    # even with retry=False, so each mail of a submission held the request 2 s. The worker's
    # own reconnecting is unaffected (it passes its own retry settings).
    # socket_connect_timeout: a Redis host that does not answer at all fails fast too.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "max_retries": 0,
        "socket_connect_timeout": 2,
    }
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS},
    "scan-service-levels": {"task": "inquiries.tasks.scan_service_levels", "schedule": 5 * 60},
    "remind-requesters": {"task": "inquiries.tasks.remind_requesters", "schedule": 15 * 60},
    "close-resolved-inquiries": {
        "task": "inquiries.tasks.close_resolved_inquiries",
        "schedule": 15 * 60,
    },
    "refresh-dashboards": {"task": "inquiries.tasks.refresh_dashboards", "schedule": 5 * 60},
    "anonymise-old-inquiries": {
        "task": "inquiries.tasks.anonymise_old_inquiries",
        "schedule": 24 * 60 * 60,
    },
}

# The manager dashboard serves figures computed at most this long ago (beat refreshes the usual
# views every 5 minutes; a reader may ask for a new computation).
DASHBOARD_SNAPSHOT_SECONDS = env.int("DASHBOARD_SNAPSHOT_SECONDS", default=10 * 60)

# Inbound e-mail (mailin). The service desk's address: mail to it is a new request; each mail
# to a requester has the reply address <local><separator><reference>.<signature>@<domain>,
# which the mail server must deliver (subaddressing) to the gateway or the polled mailbox.
MAILIN_ADDRESS = env("MAILIN_ADDRESS", default="business@porvoo.fi")
MAILIN_SUBADDRESS_SEPARATOR = env("MAILIN_SUBADDRESS_SEPARATOR", default="+")
# Larger messages are refused (SMTP 552) or recorded as too large (IMAP): five 10 MB files.
MAILIN_MAX_BYTES = env.int("MAILIN_MAX_BYTES", default=70 * 1024 * 1024)
# More new requests by e-mail from one address within an hour go to triage (a mail loop).
MAILIN_NEW_REQUESTS_PER_HOUR = env.int("MAILIN_NEW_REQUESTS_PER_HOUR", default=5)
# The gateway accepts connections only from these addresses (the city's mail server); empty: any.
MAILIN_GATEWAY_PEERS = env.list("MAILIN_GATEWAY_PEERS", default=[])
# Received mail keeps its addresses, text and files this long (the requests keep theirs).
MAILIN_KEEP_DAYS = env.int("MAILIN_KEEP_DAYS", default=90)
# A mailbox the poller reads (and may not change); polled only when IMAP_HOST is set.
IMAP_HOST = env("IMAP_HOST", default="")
IMAP_PORT = env.int("IMAP_PORT", default=993)
IMAP_SSL = env.bool("IMAP_SSL", default=True)
IMAP_USER = env("IMAP_USER", default="")
IMAP_PASSWORD = env("IMAP_PASSWORD", default="")
IMAP_FOLDER = env("IMAP_FOLDER", default="INBOX")
IMAP_POLL_SECONDS = env.float("IMAP_POLL_SECONDS", default=60)
IMAP_TIMEOUT = env.float("IMAP_TIMEOUT", default=30)
CELERY_BEAT_SCHEDULE["forget-old-mail"] = {
    "task": "mailin.tasks.forget_old_mail",
    "schedule": 24 * 60 * 60,
}
if IMAP_HOST:
    CELERY_BEAT_SCHEDULE["poll-imap"] = {
        "task": "mailin.tasks.poll_imap",
        "schedule": IMAP_POLL_SECONDS,
    }

# Days after resolution during which the requester may reopen, and after which it closes.
REOPEN_WINDOW_DAYS = 14
# A tracking link stops working this many days after its request closed (at once when withdrawn).
TRACKING_LINK_DAYS_AFTER_CLOSE = env.int("TRACKING_LINK_DAYS_AFTER_CLOSE", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes tells of every sign-in at INFO; its lock-outs (WARNING) still show.
    "loggers": {"axes": {"level": "WARNING"}},
}

# django-ratelimit (portal forms): the counters live in the default cache; if it is down, the
# form still works (an entrepreneur's request matters more than the count): the cache answers
# None instead of raising (config/cache.py), and then this lets the post through.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
PORTAL_RATE_LIMIT = env("PORTAL_RATE_LIMIT", default="20/h")
