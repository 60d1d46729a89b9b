"""Django settings for Posko, read from environment variables.

Everything a deployer sets comes from ``POSKO_*`` variables; per-Polres policy (SLA targets,
templates) lives in the database, not here.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

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
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """POSKO_SECRET_KEY, else a random key kept in the data directory (demo installs)."""
    if key := os.environ.get("POSKO_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
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
    "posko.workbench",
]

MIDDLEWARE = [
    # Webhooks (/hooks/…) go straight to their view, past everything below: see its docstring.
    "posko.channels.webhooks.WebhookFastPath",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "posko.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "posko.core.middleware.SecurityHeadersMiddleware",
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
                "posko.core.context_processors.posko",
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

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("POSKO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

TASKS = {
    "default": {
        "BACKEND": os.environ.get("POSKO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Public-portal abuse limits ("count/period"), per client address.
POSKO_RATE_REPORT = os.environ.get("POSKO_RATE_REPORT", "5/10m")
POSKO_RATE_TRACK = os.environ.get("POSKO_RATE_TRACK", "30/m")
POSKO_RATE_LOGIN = os.environ.get("POSKO_RATE_LOGIN", "5/5m")
POSKO_PHOTO_MAX_BYTES = int(os.environ.get("POSKO_PHOTO_MAX_BYTES", str(5 * 1024 * 1024)))
POSKO_DEFAULT_POLRES = os.environ.get("POSKO_DEFAULT_POLRES", "BLT")
# Number of trusted reverse proxies in front of Posko (0: use the socket's peer address).
POSKO_PROXY_HOPS = int(os.environ.get("POSKO_PROXY_HOPS", "0"))

# Channels (WhatsApp, Meta, Telegram, X, e-mail, SMS). Accounts and their secrets live in the
# database (encrypted with this key, default derived from SECRET_KEY); see docs/kanal/.
POSKO_CHANNEL_KEY = os.environ.get("POSKO_CHANNEL_KEY", "")
POSKO_CHANNEL_HTTP_TIMEOUT = float(os.environ.get("POSKO_CHANNEL_HTTP_TIMEOUT", "15"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("POSKO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
