"""Settings of the reseller panel, read from environment variables (documented in panel/README.md).

With no variable set, the panel uses the demo database of the checkout (`.demo/panel.sqlite3`), so
`python panel/manage.py ...` works in a demo checkout as it is.
"""
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _load_env_file():
    """PANEL_ENV_FILE: the service's environment file (KEY="value" lines, as the panel role writes them), for
    management commands run outside the service. Variables already in the environment win."""
    path = os.environ.get("PANEL_ENV_FILE")
    if not path:
        return
    for line in Path(path).read_text().splitlines():
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or key.startswith("#"):
            continue
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        os.environ.setdefault(key, value)


_load_env_file()
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
    "django_bootstrap5",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "reseller_panel.core",
    "reseller_panel.dashboard",
    "reseller_panel.api",
]

MIDDLEWARE = [
    # Outermost: Content-Security-Policy and Permissions-Policy on every response, errors included.
    "reseller_panel.core.middleware.PolicyHeadersMiddleware",
    # Drops X-Forwarded-* unless the peer is a trusted proxy; marks cookies secure on https.
    "reseller_panel.core.middleware.ProxyMiddleware",
    # 421 for what the frontend marked misdirected (Host is not the TLS connection's name), before anything else.
    "reseller_panel.core.middleware.MisdirectedRequestMiddleware",
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
    # Last: turns a log-in refused for a locked-out username into the host's branded cool-down page.
    "axes.middleware.AxesMiddleware",
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
                "reseller_panel.core.brand_views.context",
            ]
        },
    }
]

DATABASES = {"default": _database()}
# The reseller API's rate limit counts requests per token in the database every app server shares (a table made
# by migration 0005), so N gunicorn workers on M hosts enforce one limit, with no cache server to run. Django's
# default in-process cache stays the default for anything else.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api_throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "panel_api_throttle",
                     "OPTIONS": {"MAX_ENTRIES": 100000}},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
# Usernames are unique per name space (a reseller's end users, or the provider's users), so log-in looks the
# name up in the name space of the request's host.
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

# Forms and pages are Bootstrap 5, served from the panel's own static files (never a CDN).
BOOTSTRAP5 = {"css_url": None, "javascript_url": None, "set_placeholder": False,
              "field_renderers": {"default": "reseller_panel.core.form_rendering.PanelFieldRenderer"}}

# Log-in throttling (django-axes), on every host and every log-in form (end users, the dashboard, /staff/):
# after 10 failures for one username, further log-ins for it are refused for 15 minutes from the last
# counted failure, the right password included. Failures during the cool-down do not prolong it, so an
# attacker cannot keep the owner out for ever; a successful log-in clears the count.
# axes first: it refuses a locked-out username before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "reseller_panel.core.auth.NamespaceBackend"]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "reseller_panel.core.throttle.username_of"
AXES_LOCKOUT_CALLABLE = "reseller_panel.core.throttle.locked_out"
# ProxyMiddleware has already put the client's address into REMOTE_ADDR (trusted proxies only).
AXES_CLIENT_IP_CALLABLE = "reseller_panel.core.throttle.client_address"
AXES_VERBOSE = False

# E-mail (welcome, set-password links, password reset): the provider's SMTP server, or, without one, files
# in $PANEL_STATE_DIR/mail (the demo). A reseller's own server, when it has one, replaces it for that
# reseller's hosts (reseller_panel.core.mail). The From of every message is the host's brand.
SMTP_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
if os.environ.get("PANEL_SMTP_HOST"):
    _security = os.environ.get("PANEL_SMTP_SECURITY", "starttls")
    if _security not in SMTP_DEFAULT_PORTS:
        raise ImproperlyConfigured("PANEL_SMTP_SECURITY must be starttls, tls or none, not %r" % _security)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["PANEL_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("PANEL_SMTP_PORT") or SMTP_DEFAULT_PORTS[_security])
    EMAIL_HOST_USER = os.environ.get("PANEL_SMTP_USERNAME", "")
    EMAIL_HOST_PASSWORD = os.environ.get("PANEL_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = _security == "starttls"
    EMAIL_USE_SSL = _security == "tls"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("PANEL_MAIL_DIR", str(DEMO_DIR / "mail"))
EMAIL_TIMEOUT = 15
# The sender when a host's brand has no support address.
DEFAULT_FROM_EMAIL = os.environ.get("PANEL_MAIL_FROM", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = 3 * 3600

# `manage.py check --deploy` reports nothing else with these settings; each silenced check is covered elsewhere:
SILENCED_SYSTEM_CHECKS = [
    # Conditional unique constraints are not enforced by MariaDB; the panel and the provisioner check them.
    "models.W036",
    # Usernames are unique per name space (core.models.User), which NamespaceBackend handles.
    "auth.W004",
    # CSRF middleware: PanelCsrfMiddleware (core.middleware) is Django's CsrfViewMiddleware with the provider's
    # and the reseller's https origins (from the database) trusted; the check looks for the class by name.
    "security.W003",
    # HSTS: the frontends' nginx sends Strict-Transport-Security on every https response (one year), and the
    # panel itself is reached over plain http only from them on loopback.
    "security.W004",
    # HTTPS redirect: nginx answers plain http with a 301 to https (except ACME challenges), before the panel.
    "security.W008",
    # Secure session cookie: ProxyMiddleware marks the session and CSRF cookies Secure on every https request;
    # a fixed True would break the health checks and tools that talk to gunicorn over loopback http.
    "security.W012",
    # Throttling by username only, as documented (README, "Log-in throttling"): failures are summed over every
    # address and browser a username is tried from, so rotating those gains nothing; locking by address would
    # lock out every customer behind a shared NAT.
    "axes.W006",
]

# The reseller API (reseller_panel.api, docs/api.md): bearer tokens only (no session, so no CSRF), JSON only,
# numbers read exactly (core.numbers), one error shape, a rate limit per token (PANEL_API_RATE, e.g. 600/min).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["reseller_panel.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["reseller_panel.api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["reseller_panel.api.auth.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": os.environ.get("PANEL_API_RATE", "600/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["reseller_panel.api.parsers.ExactJSONParser"],
    "EXCEPTION_HANDLER": "reseller_panel.api.errors.handle",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Reseller API",
    "DESCRIPTION": "A reseller's own plans, configurations and brand (read and write), its clients and quotes "
                   "(read). Records are addressed by name; see docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/.*api/v1",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "reseller_panel.api.schema.closed_request_bodies"],
}
