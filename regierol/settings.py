"""Settings of the regierol portal, read from environment variables through
`applications.core.env` (every variable is listed in README.md, "Configuration")."""

import datetime
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from applications.core.env import env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Django's admin with the beheer site as its default site, at /beheer/.
    "applications.beheer.apps.BeheerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files as static files of this site (no CDN) for /api/docs/.
    "drf_spectacular_sidecar",
    # The domain, lowest first: each app may import only the ones above it in this list
    # (import-linter checks it; see [tool.importlinter] in pyproject.toml).
    "django_q",
    "applications.core",
    "applications.berichten",
    "applications.accounts",
    "applications.audit",
    "applications.besturen",
    "applications.oproepen",
    "applications.aanvragen",
    "applications.beoordeling",
    "applications.uitvoering",
    "applications.overzichten",
    "applications.opendata",
    "applications.api",
    "applications.beheer",
]

MIDDLEWARE = [
    # First: times every request with all the middleware below (`/metrics`).
    "applications.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "applications.accounts.middleware.SessieInactiefMiddleware",
    "applications.accounts.middleware.TweestapsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "applications.audit.middleware.AuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regierol.urls"
WSGI_APPLICATION = "regierol.wsgi.application"
ASGI_APPLICATION = "regierol.asgi.application"

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
                "applications.accounts.context_processors.roles",
                "applications.beheer.context_processors.onderhoudsmelding",
            ],
        },
    },
]

# PostgreSQL in production and in the tests (DATABASE_URL=postgres://...); a SQLite file is only the
# zero-setup default of `make run`.
# Each process keeps in its memory what is computed per version (an aanvraag's pages, its
# completeness, a call's members: aanvragen.versietellers); the keys change with the data, so a
# full cache forgets the least recently used third. Django's default of 300 entries would hold
# the pages of a few dozen regisseurs; the 2,000 here take some 20 to 100 MB per process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("REGIEROL_CACHE_ITEMS", 2000)},
        # What is kept per version changes its key with every change of what it shows, so a
        # day only frees memory of versions nobody asks for any more. Everything else in the
        # cache says how long it is kept (the OIDC documents, the maintenance message).
        "TIMEOUT": 24 * 60 * 60,
    }
}

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo's SQLite file is shared by the server and the worker. Every transaction takes the
    # write lock when it starts and waits up to 20 s for it, so two requests writing at once (a
    # double click on "Indienen") queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    # django-axes's lockout, plus a limit per address (applications.accounts.backends).
    "applications.accounts.backends.LoginBlokkade",
    "django.contrib.auth.backends.ModelBackend",
]
# The e-mail address (USERNAME_FIELD) is unique when present, by a constraint that leaves empty
# addresses out (people logging in through ACM/IDM may have none); Django's check asks for a
# plain unique field.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# A session ends 8 hours after login or after an hour without a request (both checked by
# applications.accounts.middleware), or when the browser closes. Sessions live in the database,
# so every app server sees them.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
REGIEROL_SESSIE_INACTIEF_MINUTEN = env_int("REGIEROL_SESSIE_INACTIEF_MINUTEN", 60)

# Lockout (django-axes): after REGIEROL_LOGIN_POGINGEN failures for one account from one address,
# that account is refused from that address for REGIEROL_LOGIN_BLOKKADE_MINUTEN.
AXES_FAILURE_LIMIT = env_int("REGIEROL_LOGIN_POGINGEN", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("REGIEROL_LOGIN_BLOKKADE_MINUTEN", 15))
# Different accounts with failed logins from one address before that address is locked out.
REGIEROL_LOGIN_ACCOUNTS_PER_ADRES = env_int("REGIEROL_LOGIN_ACCOUNTS_PER_ADRES", 20)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "applications.accounts.tweestaps.axes_gebruikersnaam"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "applications.accounts.tweestaps.geblokkeerd"
AXES_SENSITIVE_PARAMETERS = ["password", "token", "otp_token"]
# Behind REGIEROL_PROXIES reverse proxies (load balancer, nginx), the client's address is the
# entry that many places from the right of X-Forwarded-For; with none, the connection's
# (applications.core.clientip, used by the lockout and the audit log).
REGIEROL_PROXIES = env_int("REGIEROL_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "applications.core.clientip.client_ip"

# The bearer token Prometheus sends to /metrics; empty: /metrics answers 404 to everyone.
REGIEROL_METRICS_TOKEN = env_str("REGIEROL_METRICS_TOKEN", "")

# Two-step login (TOTP, django-otp) for WSE reviewers and beheerders
# (applications.accounts.tweestaps).
# On by default with debug off (`check --deploy` warns when it is switched off there);
# `make run`'s demo (debug on) offers it without requiring it.
REGIEROL_TWEESTAPS_VERPLICHT = env_bool("REGIEROL_TWEESTAPS_VERPLICHT", not DEBUG)
OTP_TOTP_ISSUER = "Regierol WSE"

# Login through OpenID Connect: ACM/IDM, the Flemish government's identity service
# (applications.accounts.oidc, applications.besturen.aanmelding; README "Aanmelden met ACM/IDM").
# Off while OIDC_ISSUER or OIDC_CLIENT_ID is empty; then only the password login is offered.
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
# The claim with the roles, values "Rolnaam:ORGCODE"; its scope is asked too.
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM", "regierol_rol_3d")
OIDC_SCOPES = env_str("OIDC_SCOPES", f"openid profile vo {OIDC_ROLE_CLAIM}").split()
# How the portal proves itself at the token endpoint: client_secret_basic or client_secret_post.
OIDC_TOKEN_AUTH_METHOD = env_str("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic")
# The provider's discovery document and keys are kept this many seconds (a token signed with an
# unknown key fetches the keys again at once).
OIDC_DISCOVERY_SECONDEN = env_int("OIDC_DISCOVERY_SECONDEN", 3600)
# Clock skew accepted on a token's exp, iat and nbf.
OIDC_KLOKSPELING_SECONDEN = env_int("OIDC_KLOKSPELING_SECONDEN", 60)
# The role names in the role claim (as registered at ACM/IDM) and what they mean in the portal.
OIDC_ROL_REGISSEUR = env_str("OIDC_ROL_REGISSEUR", "RegierolRegisseur")
OIDC_ROL_BEOORDELAAR = env_str("OIDC_ROL_BEOORDELAAR", "RegierolBeoordelaar")
OIDC_ROL_BEHEERDER = env_str("OIDC_ROL_BEHEERDER", "RegierolBeheerder")
# The organisation codes (OVO codes) of WSE: only a beoordelaar or beheerder role for one of these
# counts. Empty: nobody becomes WSE staff through ACM/IDM.
OIDC_WSE_ORGCODES = [code.upper() for code in env_list("OIDC_WSE_ORGCODES", "")]
# A regisseur role with a bestuur's KBO number gives the verbanden that bestuur leads (trekker);
# on, also those it is a member of.
OIDC_LEDEN_ZIJN_REGISSEUR = env_bool("OIDC_LEDEN_ZIJN_REGISSEUR", False)
# The values of the ID token's `acr` (assurance level) that count as two-factor: WSE staff
# logging in through ACM/IDM at one of these levels are not asked for the portal's own code.
# Empty: always asked. Take the values from ACM/IDM's documentation for the portal's level.
OIDC_ACR_STERK = env_list("OIDC_ACR_STERK", "")
# Off: only WSE staff and beheerders may still log in with a password (regisseurs use ACM/IDM).
REGIEROL_WACHTWOORD_VOOR_REGISSEURS = env_bool("REGIEROL_WACHTWOORD_VOOR_REGISSEURS", True)

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env_path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles")
# Hashed, compressed file names (after `collectstatic`) in production; plain names for debug and
# the test suite, which serve straight from static/.
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Uploaded attachments and sealed PDFs. Private: never served by URL, only through views that check
# the user (see applications.aanvragen.views.editing.bijlage_download).
PRIVATE_MEDIA_ROOT = env_path("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
# With several app servers behind a load balancer, the files go to S3-compatible object storage
# (django-storages): set REGIEROL_S3_BUCKET. The bucket stays private; files still pass through the
# views that check the user.
REGIEROL_S3_BUCKET = env_str("REGIEROL_S3_BUCKET", "")
PRIVATE_STORAGE: dict[str, object] = (
    {
        "BACKEND": "applications.core.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": REGIEROL_S3_BUCKET,
            "endpoint_url": env_str("REGIEROL_S3_ENDPOINT_URL") or None,
            "region_name": env_str("REGIEROL_S3_REGION") or None,
            "access_key": env_str("REGIEROL_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("REGIEROL_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("REGIEROL_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if REGIEROL_S3_BUCKET
    else {
        "BACKEND": "applications.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    }
)
STORAGES = {
    "default": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds the worker waits for the mail server before it counts an attempt as failed.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Attempts at one e-mail before it shows "mislukt" (waiting 1, 2, 4... minutes in between: 8
# attempts span about two hours); a beheerder can then try it again from /beheer/.
BERICHTEN_MAX_POGINGEN = env_int("REGIEROL_MAIL_POGINGEN", 8)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "regierol-portaal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address where WSE receives a copy of every submission.
WSE_EMAIL = env_str("WSE_EMAIL", "")
# Who signs decision letters on behalf of the department (name and function); the reviewer who
# recorded the decision is not named in the letter.
REGIEROL_ONDERTEKENAAR_NAAM = env_str("REGIEROL_ONDERTEKENAAR_NAAM", "")
REGIEROL_ONDERTEKENAAR_FUNCTIE = env_str("REGIEROL_ONDERTEKENAAR_FUNCTIE", "")
# The public pages (/contact/, /privacy/, /toegankelijkheid/): whom to ask about personal data
# (WSE's data protection officer; by default WSE_EMAIL), and the date of the accessibility
# statement (the last time it was checked against the portal, as 2026-12-03).
REGIEROL_PRIVACY_EMAIL = env_str("REGIEROL_PRIVACY_EMAIL", "") or WSE_EMAIL
REGIEROL_TOEGANKELIJKHEID_DATUM = datetime.date.fromisoformat(
    env_str("REGIEROL_TOEGANKELIJKHEID_DATUM", "2026-12-03")
)
# Absolute address of the portal, used in links in e-mails; by default the development server's on
# PORT (as `make run` serves it).
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")
# The check of an uploaded PDF (applications.aanvragen.uploads, .pdf_controle) gives up, refusing
# the file, past this much unpacked data in all, this many parts of the document walked (a 40-page
# PDF has some 4,500, a 1,500-page one of 6 MB 107,000) or this many seconds. It runs in a child
# process held to this much memory (address space) and a CPU time limit; off
# (REGIEROL_PDF_CONTROLE_APART=0), or on Windows, it runs in the worker with the counted limits
# only.
REGIEROL_PDF_CONTROLE_MAX_MB = env_int("REGIEROL_PDF_CONTROLE_MAX_MB", 50)
REGIEROL_PDF_CONTROLE_MAX_ONDERDELEN = env_int("REGIEROL_PDF_CONTROLE_MAX_ONDERDELEN", 500_000)
REGIEROL_PDF_CONTROLE_SECONDEN = env_int("REGIEROL_PDF_CONTROLE_SECONDEN", 10)
REGIEROL_PDF_CONTROLE_GEHEUGEN_MB = env_int("REGIEROL_PDF_CONTROLE_GEHEUGEN_MB", 512)
REGIEROL_PDF_CONTROLE_APART = env_bool("REGIEROL_PDF_CONTROLE_APART", True)
# Draft PDFs (applications.aanvragen.concept_pdf): how many are made at once in all (one per user),
# and how many seconds a request waits for a slot before it answers "wordt aangemaakt".
REGIEROL_PDF_GELIJKTIJDIG = env_int("REGIEROL_PDF_GELIJKTIJDIG", 2)
REGIEROL_PDF_WACHTTIJD = env_int("REGIEROL_PDF_WACHTTIJD", 8)
# How many days the link in an invitation e-mail stays valid (applications.beheer.services).
REGIEROL_UITNODIGING_DAGEN = env_int("REGIEROL_UITNODIGING_DAGEN", 7)
if REGIEROL_UITNODIGING_DAGEN < 1:
    raise ImproperlyConfigured("REGIEROL_UITNODIGING_DAGEN must be at least 1.")

# The worker (`manage.py qcluster`, django-q2): e-mail and scheduled jobs, queued in the database
# itself (no broker to run). `make run` starts one beside the server; production runs it as a
# second service (README).
Q_CLUSTER = {
    "name": "regierol",
    "orm": "default",
    "workers": env_int(
        "REGIEROL_WORKERS", 1 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 2
    ),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 3,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 1000,
    "poll": 1,
    "label": "Wachtrij",
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# HTTPS only with debug off (`make check-deploy` checks these). The TLS proxy in front sets
# X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's health check and Prometheus ask each app server directly, over HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from this site, no
# inline script or style, no framing, forms only to this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
if OIDC_ISSUER:
    # Logging out after a login through ACM/IDM is a form POST answered by a redirect to the
    # provider's logout (applications.accounts.views.Afmelden); browsers check form-action on
    # that redirect too. ACM/IDM serves it on the issuer's origin.
    _issuer = urlsplit(OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_issuer.scheme}://{_issuer.netloc}"
    )

# The read-only API (applications/api): tokens only (no session, so no CSRF), JSON only, a scope
# per endpoint, a rate limit per token counted in the log of calls, pages of 50.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["applications.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["applications.api.permissions.HeeftScope"],
    "DEFAULT_THROTTLE_CLASSES": ["applications.api.throttling.PerTokenThrottle"],
    "DEFAULT_PAGINATION_CLASS": "applications.api.pagination.Paginering",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Regierol-portaal API",
    "DESCRIPTION": (
        "Alleen lezen: oproepen, beleidsprioriteiten, regieverbanden met hun leden, aanvragen "
        "(status, gevraagde en toegekende bedragen, acties per jaar en prioriteit), "
        "beslissingen, opvolgmomenten en betalingen (toegekend nu, betaald, openstaand en terug "
        "te vorderen per jaar, met elke boeking). Toegang met een API-sleutel "
        "(Authorization: Bearer rr_...)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"AanvraagStatusEnum": "applications.aanvragen.statuses.AanvraagStatus"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
        # WARNING whatever DJANGO_LOG_LEVEL says: the PDF upload check (aanvragen.pdf_controle)
        # reads pypdf's warning that it read past a MemoryError, and then refuses the file.
        "pypdf": {"level": "WARNING"},
    },
}
