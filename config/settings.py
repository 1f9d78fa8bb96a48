"""Settings for every environment, fed by environment variables.

The defaults run on a laptop with nothing installed: SQLite in var/, e-mail to the console and
Celery tasks executed in process. Production switches on PostgreSQL, Redis, SMTP and security by
setting variables (see .env.example), never by a different code path.
"""

import datetime as dt
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
# SQLite database, media and collected static files on a laptop; `make` creates the folder.
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win


def _set(name: str) -> str:
    """A variable's value, where an empty value (`NAME=` in .env) counts as not set."""
    return env.str(name, default="").strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _set("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value, e.g. "
            'python -c "import secrets; print(secrets.token_urlsafe(50))", '
            "or set DEBUG=true on a laptop."
        )
    # Debug mode only (make run); "django-insecure-" makes `check --deploy` flag it.
    SECRET_KEY = "django-insecure-laptop-only-key-set-SECRET_KEY-in-production-0123"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "mail",
    "axes",
    "seminar",
    "topics",
    "submissions",
    "grading",
    "django_celery_beat",  # the beat schedule in the database, edited in the admin
    "reminders",  # reads every app's deadlines: the top floor
    "setup",  # the organizer's setup pages: writes through every app below, imported by none
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files (an SVG opened on its own) carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A signed-in student's dashboard from the cache while it is still true; before the session
    # and authentication middleware, whose checks it makes itself (seminar.dashboard_cache).
    "seminar.dashboard_cache.DashboardCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the visitor's choice (cookie) or their browser's; for a signed-in person
    # their account's (seminar.middleware.AccountLanguageMiddleware, after authentication).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "seminar.middleware.AccountLanguageMiddleware",
    "seminar.actor.ActorMiddleware",  # who acts, for the activity log
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Every input has an accessible name, in formset rows and split date-time fields too.
FORM_RENDERER = "seminar.rendering.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL=postgres://user@host:5432/name switches to PostgreSQL.
DATABASES = {
    "default": env.db_url_config(_set("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two requests cannot both read a free seat and
    # then both write; the timeout makes a waiting writer queue instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "seminar.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# "My seminars": a student with one seminar lands on its dashboard (seminar.views.participant).
LOGIN_REDIRECT_URL = "seminar:mine"
LOGOUT_REDIRECT_URL = "seminar:list"

# Languages: English and German (gettext catalogue in locale/). A signed-in person's language
# is stored on their account (User.language); e-mails go out in the recipient's language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English keeps the British formats the site always had (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = False
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(_set("STATIC_ROOT") or VAR_DIR / "static")  # made by make / collectstatic
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": _set("STATICFILES_BACKEND")
        or "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Source maps are read by developer tools only: collectstatic need not compress them (they
# are half of what it would compress: Bootstrap ships one for every file).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
MEDIA_ROOT = Path(_set("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "media/"

# --- Submissions (the submissions app): private files, upload limits -----------------------
# Students' files are private: never under MEDIA_ROOT/MEDIA_URL, served only by the
# submissions download view. On local disk under var/private/ by default; SUBMISSIONS_STORAGE=s3
# puts them in an S3-compatible bucket (django-storages) that several web servers share.
SUBMISSIONS_STORAGE = _set("SUBMISSIONS_STORAGE") or "filesystem"
if SUBMISSIONS_STORAGE == "s3":
    STORAGES["submissions"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default="submissions"),
            "default_acl": None,  # private unless the bucket policy says otherwise
            "querystring_auth": True,
            "file_overwrite": False,
            # A download larger than this is buffered on disk, not in memory.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
elif SUBMISSIONS_STORAGE == "filesystem":
    STORAGES["submissions"] = {
        "BACKEND": "submissions.storage.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": Path(_set("SUBMISSIONS_ROOT") or VAR_DIR / "private" / "submissions"),
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
else:
    raise environ.ImproperlyConfigured(
        f"SUBMISSIONS_STORAGE must be 'filesystem' or 's3', not {SUBMISSIONS_STORAGE!r}"
    )
# Set to the internal location nginx serves the files from (e.g. "/_private/") and the download
# view answers with X-Accel-Redirect instead of the bytes (local disk only).
SUBMISSIONS_X_ACCEL_PREFIX = env.str("SUBMISSIONS_X_ACCEL_PREFIX", default="")
# Largest upload per kind of file, checked while the upload streams (MiB).
SUBMISSIONS_MAX_PDF_MB = env.int("SUBMISSIONS_MAX_PDF_MB", default=20)
SUBMISSIONS_MAX_ARCHIVE_MB = env.int("SUBMISSIONS_MAX_ARCHIVE_MB", default=100)
# What an archive may hold, read from its listing without extracting it.
SUBMISSIONS_ARCHIVE_MAX_ENTRIES = env.int("SUBMISSIONS_ARCHIVE_MAX_ENTRIES", default=1000)
SUBMISSIONS_ARCHIVE_MAX_UNPACKED_MB = env.int("SUBMISSIONS_ARCHIVE_MAX_UNPACKED_MB", default=500)
# Uploads above this size go to a temporary file, never whole into memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# --- end of the submissions block ------------------------------------------------------------
# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one account, or from
# one address, that account or address is refused for AXES_COOLOFF_MINUTES. Success resets it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field; it holds the e-mail address
AXES_USERNAME_CALLABLE = "seminar.views.accounts.login_username"  # e-mail, any case
AXES_CLIENT_IP_CALLABLE = "seminar.views.accounts.login_address"
AXES_RESET_ON_SUCCESS = True
# Lockouts are lifted by time or by `manage.py axes_reset_username <e-mail>`; not in the admin,
# whose every page must follow the seminar scoping (axes' own admin does not).
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Proxies in front of the site that append to X-Forwarded-For (1 behind one TLS proxy); 0 trusts
# only the connection's address, so that nobody can pick their address by sending the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# The cache: Redis when CACHE_URL or CELERY_BROKER_URL names it, else this process's memory.
# It keeps the public seminar page (seminar/cache.py); nothing in it has to survive a restart.
CACHE_URL = _set("CACHE_URL") or (
    _set("CELERY_BROKER_URL") if _set("CELERY_BROKER_URL").startswith("redis") else ""
)
# Redis down or silent: every cache call gives up after CACHE_TIMEOUT_SECONDS, counts as a miss
# and leaves Redis alone for CACHE_RETRY_SECONDS (seminar/cache_backend.py); pages are rendered
# and sessions read from the database meanwhile.
CACHE_TIMEOUT_SECONDS = float(_set("CACHE_TIMEOUT_SECONDS") or 1)
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "seminar.cache_backend.ReusingRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": _set("CACHE_KEY_PREFIX") or "seminar",
            "OPTIONS": {
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
                "retry_seconds": float(_set("CACHE_RETRY_SECONDS") or 10),
            },
        }
    }
elif CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the cache and written through to the database, so a signed-in page
# costs no session query and a cleared cache logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The longest a cached seminar page is served before it is rendered again, in seconds.
SEMINAR_PAGE_CACHE_SECONDS = env.int("SEMINAR_PAGE_CACHE_SECONDS", default=3600)
# A student's rendered dashboard is kept in the cache while it is true (seminar.dashboard_cache),
# at most this long; DASHBOARD_CACHE=false renders every dashboard afresh.
DASHBOARD_CACHE = env.bool("DASHBOARD_CACHE", default=True)
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=3600)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default; EMAIL_URL=smtp+tls://user:password@host:587 sends for real.
EMAIL_CONFIG = env.email_url_config(_set("EMAIL_URL") or "consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = _set("DEFAULT_FROM_EMAIL") or "Seminar <seminar@example.org>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds an SMTP conversation may stall; well below the claim timeout, so that a live worker
# never loses its claim to another one while it is still talking to the server.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=60)
# The outbox (mail app): a claim left by a dead worker is taken again after this many seconds;
# temporary failures are retried after 2, 4, 8, ... minutes (base doubled each time) until
# EMAIL_MAX_ATTEMPTS attempts were made; then the e-mail is marked failed.
EMAIL_CLAIM_TIMEOUT_SECONDS = env.int("EMAIL_CLAIM_TIMEOUT_SECONDS", default=300)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=6)
EMAIL_RETRY_BASE_SECONDS = env.int("EMAIL_RETRY_BASE_SECONDS", default=120)

# Celery: without a broker, tasks run eagerly in the web process (still after commit).
CELERY_BROKER_URL = _set("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = _set("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"  # in-process; tasks are eager
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# No task's result is read except the health check's: don't store them (nor wait for Redis).
CELERY_TASK_IGNORE_RESULT = True
# A web request that enqueues while Redis is down gives up after about a second; the e-mail
# stays in the outbox and the beat task below sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A Redis that accepts connections but does not answer (a hung server, a dead route) would
# otherwise hold a publishing request for ever: every read gives up after 2 seconds. Workers
# wait for messages in 1-second BRPOPs, well inside it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.3,
    "interval_max": 0.6,
}
CELERY_BEAT_SCHEDULE = {
    "expire-registration-offers": {
        "task": "seminar.tasks.offers_expire_all",
        "schedule": env.int("OFFER_EXPIRY_INTERVAL_SECONDS", default=300),
    },
    "send-due-emails": {"task": "mail.tasks.emails_send_due_task", "schedule": 60},
    "assign-topics-to-late-joiners": {
        "task": "topics.tasks.late_choices_expire_all",
        "schedule": env.int("OFFER_EXPIRY_INTERVAL_SECONDS", default=300),
    },
}

# --- Reminders (the reminders app): beat, workers, the in-process scan ----------------------
# Beat reads its schedule from the database (django-celery-beat), so it is edited in the admin
# (superusers). The reminder scan is the task "reminders-scan", every 5 minutes: an interval,
# never a crontab, so a change of the clocks cannot run it twice or skip it. A migration creates
# it once; the admin owns it from then on. (The entries of CELERY_BEAT_SCHEDULE above are
# written over from these settings whenever beat starts.) Run exactly one beat.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A task whose worker process died is given back to the queue, not dropped (with
# CELERY_TASK_ACKS_LATE above); the outbox's keys and claims keep it from being sent twice.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis hands a task that a killed worker had taken (and never acknowledged) to a worker again
# after this many seconds; it must be longer than the longest task (a scan of every seminar).
# Workers look for such tasks every tenth of it, at most every 10 seconds.
_visibility_timeout = int(_set("CELERY_VISIBILITY_TIMEOUT_SECONDS") or 3600)
CELERY_BROKER_TRANSPORT_OPTIONS |= {
    "visibility_timeout": _visibility_timeout,
    "unacked_restore_interval": min(10, max(1, _visibility_timeout // 10)),
    "unacked_restore_throttle": 1,
}
# The queue this site's tasks go to and its workers read (several sites on one Redis database
# need one each).
CELERY_TASK_DEFAULT_QUEUE = _set("CELERY_TASK_DEFAULT_QUEUE") or "celery"
# Without a broker (make run) nothing runs beat: a page of a seminar then scans that seminar
# for due reminders, at most once per REMINDERS_SCAN_ON_READ_SECONDS; on by default in debug
# mode without a broker. `manage.py send_reminders` runs the same scan at any time.
REMINDERS_SCAN_ON_READ = (
    env.bool("REMINDERS_SCAN_ON_READ")
    if _set("REMINDERS_SCAN_ON_READ")
    else DEBUG and not _set("CELERY_BROKER_URL")
)
REMINDERS_SCAN_ON_READ_SECONDS = int(_set("REMINDERS_SCAN_ON_READ_SECONDS") or 300)
# --- end of the reminders block ----------------------------------------------------------------

# Registration: how long a request waits for the seminar's lock before answering "busy".
REGISTRATION_LOCK_TIMEOUT_SECONDS = env.int("REGISTRATION_LOCK_TIMEOUT_SECONDS", default=5)

# Production security. HTTPS and HSTS are switched on by variables (see .env.example); the
# headers below hold everywhere. The TLS proxy in front sets X-Forwarded-Proto (and replaces
# whatever a client sent), so gunicorn must be reachable from the proxy only.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links to other sites carry no path of ours (which may name a seminar or a submission).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts and styles only from our own static files,
# never inline; nothing from another origin. Bootstrap's CSS draws its icons (checkboxes, the
# menu button, select arrows) as data: SVG images. No page may be framed (frame-ancestors,
# with X-Frame-Options for old browsers); forms post only to the site itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
