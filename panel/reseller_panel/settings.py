"""Settings of the reseller panel, read from environment variables (documented in panel/README.md).

With no variable set, the panel uses the demo database of the checkout (`.demo/panel.sqlite3`), so
`python panel/manage.py ...` works in a demo checkout as it is.
"""
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PANEL_DIR = Path(__file__).resolve().parent.parent
CHECKOUT_DIR = PANEL_DIR.parent
DEMO_DIR = Path(os.environ.get("PANEL_STATE_DIR", CHECKOUT_DIR / ".demo"))


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _secret_key():
    """PANEL_SECRET_KEY, or a key file; a missing key file is generated once (0600) and kept."""
    if os.environ.get("PANEL_SECRET_KEY"):
        return os.environ["PANEL_SECRET_KEY"]
    key_file = Path(os.environ.get("PANEL_SECRET_KEY_FILE", DEMO_DIR / "secret_key"))
    if key_file.exists():
        return key_file.read_text().strip()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def _database():
    engine = os.environ.get("PANEL_DB_ENGINE", "sqlite")
    if engine == "sqlite":
        path = os.environ.get("PANEL_DB_PATH", str(DEMO_DIR / "panel.sqlite3"))
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # The provisioner takes BEGIN IMMEDIATE locks; wait for it instead of failing at once.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        }
    common = {
        "HOST": os.environ.get("PANEL_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("PANEL_DB_PORT", ""),
        "NAME": os.environ.get("PANEL_DB_NAME", "panel"),
        "USER": os.environ.get("PANEL_DB_USER", "panel"),
        "PASSWORD": os.environ.get("PANEL_DB_PASSWORD", ""),
    }
    if engine == "postgresql":
        return {"ENGINE": "django.db.backends.postgresql", **common}
    if engine == "mariadb":
        import pymysql

        pymysql.install_as_MySQLdb()
        # Django checks the client library's version; PyMySQL reports its own, compatible one.
        pymysql.version_info = (2, 2, 1, "final", 0)
        return {
            "ENGINE": "django.db.backends.mysql",
            **common,
            "OPTIONS": {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"},
            # The test database pytest-django creates gets the character set of a real panel database (the
            # server's default may be latin1, where non-Latin usernames could not be stored).
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    raise ImproperlyConfigured(f"PANEL_DB_ENGINE must be sqlite, postgresql or mariadb, not {engine!r}")


SECRET_KEY = _secret_key()
DEBUG = _env_bool("PANEL_DEBUG", False)

# Host validation is done per request against the database (reseller hosts change without a restart):
# see reseller_panel.core.middleware.HostRoutingMiddleware.
ALLOWED_HOSTS = ["*"]

# X-Forwarded-Proto is believed only from PANEL_TRUSTED_PROXIES (default 127.0.0.1 and ::1): ProxyMiddleware
# removes the header from every other peer before Django reads it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Session and CSRF cookies get the Secure flag on https requests (ProxyMiddleware); always HttpOnly sessions.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "login"
# The largest request body the panel reads (a plan's rules as JSON are the largest legitimate form); larger
# ones get 400. The frontends' client_max_body_size (panel_nginx_client_max_body_size) is the same 256 KiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("PANEL_MAX_REQUEST_BODY", 256 * 1024))
# Messages live in the session (no extra cookie to protect).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "reseller_panel.core",
    "reseller_panel.dashboard",
]

MIDDLEWARE = [
    # Outermost: Content-Security-Policy and Permissions-Policy on every response, errors included.
    "reseller_panel.core.middleware.PolicyHeadersMiddleware",
    # Drops X-Forwarded-* unless the peer is a trusted proxy; marks cookies secure on https.
    "reseller_panel.core.middleware.ProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The pages' own static files (CSS), straight from the apps' static directories.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Provider / reseller / unknown host (400), per request, from the database.
    "reseller_panel.core.middleware.HostRoutingMiddleware",
    "reseller_panel.core.middleware.PanelCsrfMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "reseller_panel.urls"
WSGI_APPLICATION = "reseller_panel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
# Usernames are unique per name space (a reseller's end users, or the provider's users), so log-in looks the
# name up in the name space of the request's host.
AUTHENTICATION_BACKENDS = ["reseller_panel.core.auth.NamespaceBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# No collectstatic step: WhiteNoise serves the apps' static directories as they are.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Every response carries these (core.middleware.PolicyHeadersMiddleware). The pages need no inline script or
# style: their CSS is a static file of the panel's own origin.
CONTENT_SECURITY_POLICY = os.environ.get(
    "PANEL_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PERMISSIONS_POLICY = os.environ.get(
    "PANEL_PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()")
# Only for an operator who wants the files collected (collectstatic) to serve them elsewhere; the panel does not
# need it.
STATIC_ROOT = os.environ.get("PANEL_STATIC_ROOT") or None

# Conditional unique constraints are not enforced by MariaDB; the panel and the provisioner check them.
# auth.W004: usernames are unique per name space (core.models.User), which NamespaceBackend handles.
SILENCED_SYSTEM_CHECKS = ["models.W036", "auth.W004"]
