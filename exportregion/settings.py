"""One settings module for every environment, driven by environment variables.

Defaults are safe for a fresh checkout (SQLite and an embedded broker under var/);
production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL, CACHE_URL.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from awards.task_names import SEND_JURY_REMINDERS
from stats.task_names import SWEEP_STALE_BATCHES, SYNC_DUE_SUBSCRIPTIONS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("EXPORTREGION_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-exportregion-0123456789abcdefghijklmnop"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # Only for its static files: the API docs page (/api/v1/docs) then serves Swagger UI from our own
    # origin with no inline script, as the Content-Security-Policy requires (not from a CDN).
    "ninja",
    "regions",
    "stats",
    "awards",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "exportregion.middleware.RequestIdMiddleware",
    "exportregion.middleware.ApiJsonErrorMiddleware",
    "exportregion.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "exportregion.middleware.UserContextMiddleware",
    "exportregion.middleware.PrivatePagesMiddleware",
    "exportregion.middleware.ControlCharacterGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "exportregion.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "exportregion.urls"
WSGI_APPLICATION = "exportregion.wsgi.application"

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
                "exportregion.context_processors.site",
                "awards.context_processors.open_round",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'exportregion.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real worker process sees the test database too; one per test run.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A restarted PostgreSQL must not leave dead persistent connections behind.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=3)
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://exportregion")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "exportregion.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(socket_connect_timeout=1, socket_timeout=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

def _static_file_headers(headers: dict, path: str, url: str) -> None:
    from exportregion.middleware import static_file_headers

    static_file_headers(headers, path, url)


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers
# Uploaded statistics files: outside the static root and never served by any URL.
MEDIA_ROOT = Path(env.str("UPLOAD_ROOT", default=str(VAR_DIR / "uploads")))
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery: the ImportBatch row is the ledger, the broker only the doorbell.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="exportregion")
# An upload must never hang on a dead broker: fail fast, the sweep sends it later.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 3
IMPORT_TIMEOUT_SECONDS = env.int("IMPORT_TIMEOUT_SECONDS", default=600)
# A file that stops the worker (killed for memory, past the hard time limit) is tried this often, then fails.
IMPORT_MAX_ATTEMPTS = env.int("IMPORT_MAX_ATTEMPTS", default=3)
# The task is told to stop at IMPORT_TIMEOUT_SECONDS (the batch fails with a clear message) and killed
# 30 s later, before the broker's visibility_timeout (+60 s) would deliver it again.
CELERY_TASK_SOFT_TIME_LIMIT = IMPORT_TIMEOUT_SECONDS
CELERY_TASK_TIME_LIMIT = IMPORT_TIMEOUT_SECONDS + 30
# Each pool child may map at most this much (RLIMIT_AS, set in exportregion.celery): past it the import
# gets a MemoryError, not the machine's OOM killer. A child past half of it is replaced after its task.
WORKER_MEMORY_LIMIT_MB = env.int("WORKER_MEMORY_LIMIT_MB", default=4096)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = WORKER_MEMORY_LIMIT_MB * 1024 // 2  # KiB
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = Path(env.str("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "broker")))
    (_queue_dir / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.05,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": IMPORT_TIMEOUT_SECONDS + 60,
        # kombu restores unacked messages of dead workers this often.
        "unacked_restore_interval": 10,
        "socket_connect_timeout": 3,
    }
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-import-batches": {
        "task": SWEEP_STALE_BATCHES,
        "schedule": env.float("SWEEP_INTERVAL_SECONDS", default=30.0),
    },
    # Reminders before a jury's scoring deadline; each is sent once per juror, so the interval only
    # decides how soon after a reminder falls due it goes out.
    "send-jury-reminders": {
        "task": SEND_JURY_REMINDERS,
        "schedule": env.float("JURY_REMINDER_INTERVAL_SECONDS", default=3600.0),
    },
    # Queues a run of each table subscription that is due; the interval only decides how soon after it
    # falls due a run starts (stats.subscriptions).
    "sync-due-subscriptions": {
        "task": SYNC_DUE_SUBSCRIPTIONS,
        "schedule": env.float("SUBSCRIPTION_CHECK_INTERVAL_SECONDS", default=600.0),
    },
}

# Table subscriptions (stats.subscriptions): the only hosts fetched from, over HTTPS unless DEBUG is on.
STATISTICS_API_HOSTS = [host.lower() for host in env.list("STATISTICS_API_HOSTS", default=["api.scb.se"])]
STATISTICS_API_TIMEOUT_SECONDS = env.float("STATISTICS_API_TIMEOUT_SECONDS", default=30.0)
STATISTICS_API_MAX_BYTES = env.int("STATISTICS_API_MAX_BYTES", default=UPLOAD_MAX_BYTES)
# The database limits its callers (SCB: 30 queries per 10 s): a 429 or 5xx answer is tried again this many
# times in all, after its Retry-After or a wait doubling from STATISTICS_API_BACKOFF_SECONDS.
STATISTICS_API_ATTEMPTS = env.int("STATISTICS_API_ATTEMPTS", default=4)
STATISTICS_API_BACKOFF_SECONDS = env.float("STATISTICS_API_BACKOFF_SECONDS", default=10.0)
STATISTICS_API_MAX_WAIT_SECONDS = env.float("STATISTICS_API_MAX_WAIT_SECONDS", default=120.0)

# E-mail (password reset, the jury's reminders): printed on the console unless an SMTP host is given.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)  # port 465
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=not EMAIL_USE_SSL)  # STARTTLS, port 587
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Exportregion <noreply@exportregion.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the site, for links in e-mails (which have no request to take the host from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# HTTPS behind a proxy: switched on by the environment.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)  # proxies in front of gunicorn that append to X-Forwarded-For

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "exportregion.login_attempts.OwnFailuresResetHandler"  # a success forgives only its own failures
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Failures count per user name (from any address) and per client address (the real one behind the proxy,
# see client_ip): either reaching the limit locks.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "exportregion.middleware.client_ip"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# HTTPS only by default in production; SECURE_SSL_REDIRECT=0 where TLS ends elsewhere or for local plain HTTP.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health probe speaks plain HTTP to the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Plain lines for people in development, JSON lines for the log collector in production.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "exportregion.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "exportregion.logging.JsonFormatter"},
        "text": {"()": "exportregion.logging.TextFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
# Celery workers keep the JSON log lines above (with batch_id and task_id) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
IMPORT_STALE_SECONDS = env.int("IMPORT_STALE_SECONDS", default=120)
