"""The one settings module. Everything that differs between installs comes from the environment.

PRONGSAI_DATA_DIR  where the SQLite file, uploads, generated fonts and the secret key live
DATABASE_URL       e.g. postgres://user:pass@host/db (default: SQLite in the data directory)
REDIS_URL          (or CACHE_URL) redis://host:6379/0 puts the cache (the complaint rate limits) in Redis; default:
                   the database cache, table prongsai_cache (`prongsai createcachetable`). See docs/setup.md, "Cache"
SECRET_KEY         (or SECRET_KEY_FILE) default: generated once into the data directory
DEBUG              "1"/"true" to turn on; off by default
ALLOWED_HOSTS      comma-separated; default localhost names
PRONGSAI_MAX_UPLOAD_MB  the largest evidence file accepted, in MB (default 20)
EMAIL_BACKEND      default: the console backend (mails printed to the server's output); EMAIL_HOST, EMAIL_PORT,
                   EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS for SMTP; DEFAULT_FROM_EMAIL the sender
AXES_ENABLED       login rate limit (django-axes), on by default; AXES_FAILURE_LIMIT (5) failed logins per
                   username and IP address lock that pair out for AXES_COOLOFF_MINUTES (15);
                   AXES_PROXY_COUNT: the number of reverse proxies in front of the app (they set X-Forwarded-For)
PRONGSAI_COMPLAINT_KEYS  complaint encryption keys "lookup:<hex>,<id>:<hex>,..." (newest data key first); else
                   the key file PRONGSAI_COMPLAINT_KEYS_FILE (default: complaint-keys in the data directory, made
                   with mode 0600 on first use). See docs/complaints.md. PRONGSAI_COMPLAINT_FILES_DIR: the
                   sealed attachments; PRONGSAI_COMPLAINT_MAX_FILE_MB (10), PRONGSAI_COMPLAINT_MAX_FILES (5);
                   PRONGSAI_COMPLAINT_SUBMIT_LIMIT (10 new complaints per address per hour),
                   PRONGSAI_COMPLAINT_CODE_LIMIT (10 wrong receipt codes per address per 15 minutes);
                   PRONGSAI_COMPLAINT_RETENTION_DAYS (1095): default days from closure to shredding identity
SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD,
SECURE_PROXY_SSL_HEADER  HTTPS settings for production (off by default); PRONGSAI_SESSION_HOURS (8) idle hours
                   before a staff session ends, unless the user's agencies set fewer
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def _default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "prongsai"


DATA_DIR = Path(os.environ.get("PRONGSAI_DATA_DIR") or _default_data_dir()).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if os.environ.get("SECRET_KEY_FILE"):
        return Path(os.environ["SECRET_KEY_FILE"]).read_text().strip()
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "prongsai.agencies",
    "prongsai.accounts",
    "prongsai.audit",
    "prongsai.framework",
    "prongsai.assessments",
    "prongsai.measures",
    "prongsai.memos",
    "prongsai.yearfile",
    "prongsai.reports",
    "prongsai.web",
    "prongsai.workspace",
    "prongsai.oit",
    "prongsai.api",
    "prongsai.portal",
    "prongsai.complaints",
    "prongsai.jobs",
    "prongsai.search",
    "prongsai.onboarding",
    "prongsai.oversight",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # after CSP and auth: idle-session expiry per agency, no-store on staff pages and the API, file CSP
    "prongsai.web.security.SecurityMiddleware",
    "prongsai.api.middleware.ApiJsonErrorsMiddleware",  # every error under /api/v1/ as JSON
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the Thai lock-out page
]

ROOT_URLCONF = "prongsai.urls"
WSGI_APPLICATION = "prongsai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prongsai.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'prongsai.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Tests use a file too (one per test process), not Django's shared in-memory database: there,
    # parallel requests (the register's concurrency test) fail at once with "table is locked" instead of
    # waiting for their turn as they do on a file.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

# Cache: shared by every worker and host (the complaint pages' rate limits count in it; docs/setup.md, "Cache").
# The database cache by default (prongsai.lib.cache: Django's, with an atomic incr; its table is made by
# `prongsai createcachetable`, which scripts/run runs after migrate); Redis when REDIS_URL or CACHE_URL
# is a redis:// (rediss://, unix://) URL. CACHE_URL=db:// (or db://TABLE) asks for the database cache.


def _cache_setting() -> dict:
    url = (os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "").strip()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "prongsai",
            # A Redis that does not answer fails the request in seconds instead of holding the worker.
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    if url in ("", "db://", "database://") or url.startswith(("db://", "database://")):
        table = url.split("://", 1)[1] if "://" in url else ""
        return {
            "BACKEND": "prongsai.lib.cache.DatabaseCache", "LOCATION": table or "prongsai_cache",
            "KEY_PREFIX": "prongsai",
            # Django culls a third of the table past MAX_ENTRIES; far above what a day's counters need.
            "OPTIONS": {"MAX_ENTRIES": 500_000},
        }
    raise ImproperlyConfigured(f"CACHE_URL must be a redis://, rediss://, unix:// or db:// URL, not {url!r}")


CACHES = {"default": _cache_setting()}
PRONGSAI_RATELIMIT_CACHE = "default"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:agency_list"
LOGOUT_REDIRECT_URL = "web:agency_list"

# Login rate limit (django-axes, state in the database so every gunicorn worker sees it). The first
# backend only refuses locked-out logins; see prongsai.accounts.backends for logins without a request.
AUTHENTICATION_BACKENDS = [
    "prongsai.accounts.backends.LoginRateLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failed attempts are kept (until the cool-off ends); successful logins are not
AXES_LOCKOUT_CALLABLE = "prongsai.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "prongsai.accounts.backends.client_ip"
PRONGSAI_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)  # read by client_ip

# E-mail (invitations, reminders): printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "Prongsai <prongsai@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS in production (docs/setup.md "In production"): all off by default, for `make run` on http://.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients' requests).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Staff sessions end after this many hours without activity; an agency may set its own
# (Agency.session_hours; the shortest of a user's agencies applies: prongsai.web.security).
PRONGSAI_SESSION_HOURS = env_int("PRONGSAI_SESSION_HOURS", 8)
SESSION_COOKIE_AGE = PRONGSAI_SESSION_HOURS * 3600

# Content-Security-Policy on every page (django-csp): scripts only from this site, no inline script;
# inline <style> blocks only with the response's nonce ({{ request.csp_nonce }}); style="" attributes
# are allowed (the report renderer sizes text and tables with them; they cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Uploaded evidence files: at most this many MB each (checked by content too: measures.services).
# Files go to MEDIA_ROOT, which is never served directly (the workspace's download view checks access).
PRONGSAI_MAX_UPLOAD_MB = int(os.environ.get("PRONGSAI_MAX_UPLOAD_MB") or 20)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads stream to a temporary file, not memory
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the non-file part of a request body
FILE_UPLOAD_PERMISSIONS = 0o640

# Where generated fonts (the TH Sarabun-compatible build) are kept; see prongsai.reports.fonts.
PRONGSAI_FONT_DIR = Path(os.environ.get("PRONGSAI_FONT_DIR") or DATA_DIR / "fonts")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Complaints (prongsai.complaints; docs/complaints.md): keys, sealed attachments, limits, retention.
PRONGSAI_COMPLAINT_KEYS = os.environ.get("PRONGSAI_COMPLAINT_KEYS", "")
PRONGSAI_COMPLAINT_KEYS_FILE = Path(os.environ.get("PRONGSAI_COMPLAINT_KEYS_FILE") or DATA_DIR / "complaint-keys")
PRONGSAI_COMPLAINT_FILES_DIR = Path(os.environ.get("PRONGSAI_COMPLAINT_FILES_DIR") or DATA_DIR / "complaint-files")
PRONGSAI_COMPLAINT_MAX_FILE_MB = env_int("PRONGSAI_COMPLAINT_MAX_FILE_MB", 10)
PRONGSAI_COMPLAINT_MAX_FILES = env_int("PRONGSAI_COMPLAINT_MAX_FILES", 5)
PRONGSAI_COMPLAINT_SUBMIT_LIMIT = env_int("PRONGSAI_COMPLAINT_SUBMIT_LIMIT", 10)
PRONGSAI_COMPLAINT_CODE_LIMIT = env_int("PRONGSAI_COMPLAINT_CODE_LIMIT", 10)
PRONGSAI_COMPLAINT_RETENTION_DAYS = env_int("PRONGSAI_COMPLAINT_RETENTION_DAYS", 1095)

# The OIT link checker refuses loopback and private addresses unless this is on (docs/oit.md).
PRONGSAI_LINKCHECK_ALLOW_PRIVATE = env_bool("PRONGSAI_LINKCHECK_ALLOW_PRIVATE", False)
