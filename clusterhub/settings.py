"""Settings for clusterhub, read from the environment.

DEBUG defaults to off; `make run` turns it on. Production is the same code with
CLUSTERHUB_SECRET_KEY, CLUSTERHUB_ALLOWED_HOSTS and (optionally) DATABASE_URL set.
"""

from pathlib import Path

import dj_database_url
import plotly

from clusterhub.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("CLUSTERHUB_DEBUG", False)
# The "django-insecure-" prefix makes `check --deploy` fail when production forgets the key.
SECRET_KEY = env_str("CLUSTERHUB_SECRET_KEY") or (
    "django-insecure-development-key-" + "do-not-use-in-production-0123456789abcdef"
)
ALLOWED_HOSTS = env_list("CLUSTERHUB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CLUSTERHUB_CSRF_TRUSTED_ORIGINS", [])

# The region preset loaded by `manage.py load_region` and `make run`.
CLUSTERHUB_REGION_PRESET = env_str(
    "CLUSTERHUB_REGION_PRESET", str(BASE_DIR / "presets" / "emilia-romagna" / "region.yaml")
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "clusterhub.core",
    "clusterhub.regions",
    "clusterhub.people",
    "clusterhub.registry",
    "clusterhub.projects",
    "clusterhub.matchmaking",
    "clusterhub.monitoring",
    "clusterhub.contributions",
    "clusterhub.trends",
    "clusterhub.events",
    "clusterhub.opportunities",
    "clusterhub.engagement",
    "clusterhub.digest",
    "clusterhub.assessment",
    "clusterhub.agenda",
    "clusterhub.audit",
    "clusterhub.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clusterhub.audit.context.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clusterhub.core.access.AccessPolicyMiddleware",
    "clusterhub.core.ratelimit.RateLimitMiddleware",
    "clusterhub.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "clusterhub.urls"
WSGI_APPLICATION = "clusterhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "clusterhub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusterhub.core.context_processors.platform",
                "clusterhub.core.pagecache.csrf",
            ],
        },
    },
]

# SQLite by default, tuned for concurrent use; PostgreSQL when DATABASE_URL is set.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("CLUSTERHUB_SQLITE_PATH", str(BASE_DIR / "var" / "clusterhub.sqlite3")),
            # Opening a connection costs about 2 ms (functions, pragmas): keep it per thread.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-64000;"
                ),
            },
        }
    }

# Abuse limits (clusterhub/core/ratelimit.py, docs/operations.md): "count/window", "" = off.
# The counters are files every server process shares; the directory is made on first use.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Copies of public pages for anonymous visitors, per process (clusterhub/core/pagecache.py).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "clusterhub-pages",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("CLUSTERHUB_RATELIMIT_DIR", str(BASE_DIR / "var" / "ratelimit")),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
CLUSTERHUB_RATE_LIMITS = {
    "login_account": env_str("CLUSTERHUB_LIMIT_LOGIN_ACCOUNT", "10/15m"),
    "login_ip": env_str("CLUSTERHUB_LIMIT_LOGIN_IP", "50/15m"),
    "password_reset_address": env_str("CLUSTERHUB_LIMIT_PASSWORD_RESET_ADDRESS", "5/h"),
    "password_reset_ip": env_str("CLUSTERHUB_LIMIT_PASSWORD_RESET_IP", "20/h"),
    "write": env_str("CLUSTERHUB_LIMIT_WRITES", "120/m"),
    "export": env_str("CLUSTERHUB_LIMIT_EXPORTS", "30/m"),
}
# Behind a TLS proxy that sets the client's address in a header, e.g. "HTTP_X_REAL_IP".
CLUSTERHUB_CLIENT_IP_HEADER = env_str("CLUSTERHUB_CLIENT_IP_HEADER", "")
# Serve anonymous visitors copies of the directory and profiles (clusterhub/core/pagecache.py).
CLUSTERHUB_PAGE_CACHE = env_bool("CLUSTERHUB_PAGE_CACHE", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.Person"
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("it", "Italiano")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Chart library served from the installed plotly package: no CDN, nothing vendored twice.
STATICFILES_DIRS = [
    BASE_DIR / "clusterhub" / "static",
    ("vendor/plotly", Path(plotly.__file__).parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Compressed copies after `collectstatic`; plain files from the finders before.
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
# Uploads above this size are written to disk and then refused by the import form.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CLUSTERHUB_IMPORT_MAX_BYTES = env_int("CLUSTERHUB_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# Where the matchmaking search index is saved (rebuilt from the database when missing).
CLUSTERHUB_INDEX_DIR = Path(env_str("CLUSTERHUB_INDEX_DIR", str(BASE_DIR / "var" / "index")))

EMAIL_BACKEND = env_str(
    "CLUSTERHUB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("CLUSTERHUB_FROM_EMAIL", "clusterhub@localhost")

TASKS = {
    "default": {
        "BACKEND": env_str("CLUSTERHUB_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security: safe defaults everywhere, HTTPS-only cookies and HSTS when not in DEBUG.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("CLUSTERHUB_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("CLUSTERHUB_SECURE_COOKIES", True)
    # Usually the TLS proxy redirects; set it when Django itself must.
    SECURE_SSL_REDIRECT = env_bool("CLUSTERHUB_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("CLUSTERHUB_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CLUSTERHUB_LOG_LEVEL", "INFO")},
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

WHITENOISE_USE_FINDERS = True
