"""Configuration: every setting comes from the environment, with a sane default."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key() -> str:
    """A key generated once and kept in the instance folder, so sessions survive restarts
    and every worker process signs with the same key."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def default_public_base_url(environ=os.environ) -> str:
    """Where the app is reached, for links in e-mails and the calendar: PUBLIC_BASE_URL, else
    the local address on PORT (as `PORT=5101 make run` serves it), else port 5000."""
    if environ.get("PUBLIC_BASE_URL"):
        return environ["PUBLIC_BASE_URL"].rstrip("/")
    return f"http://127.0.0.1:{environ.get('PORT') or '5000'}"


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'indsatsteam.db'}"


NEMLOGIN_LOA = "https://data.gov.dk/concept/core/nsis/loa"
NEMLOGIN_CVR_CLAIM = "https://data.gov.dk/model/core/eid/professional/cvr"
NEMLOGIN_UUID_CLAIM = "https://data.gov.dk/model/core/eid/professional/uuid/persistent"


def oidc_settings(environ=os.environ) -> dict[str, dict]:
    """OIDC_TILBUD_* (MitID Erhverv via NemLog-in) and OIDC_STAFF_* (the staff IdP), with
    NemLog-in's claim names as the tilbud defaults. A provider without issuer, client id or
    secret is left out (no button)."""
    defaults = {
        "tilbud": {"SCOPES": "openid email profile nemlogin",
                   "ACR_VALUES": f"{NEMLOGIN_LOA}/Substantial",
                   "MIN_ACR": f"{NEMLOGIN_LOA}/Substantial",
                   "CVR_CLAIM": NEMLOGIN_CVR_CLAIM, "SUBJECT_CLAIM": NEMLOGIN_UUID_CLAIM,
                   "LABEL": "Log ind med MitID Erhverv"},
        "staff": {"SCOPES": "openid email profile roles", "ACR_VALUES": "", "MIN_ACR": "",
                  "ROLE_CLAIM": "roles",
                  "ROLE_MAP": "konsulent=consultant,leder=manager,admin=admin",
                  "SUBJECT_CLAIM": "sub", "LABEL": "Log ind som medarbejder"},
    }
    result = {}
    for name, values in defaults.items():
        prefix = f"OIDC_{name.upper()}_"
        settings = {key: environ.get(prefix + key, default) for key, default in values.items()}
        for key in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"):
            settings[key] = environ.get(prefix + key, "")
        if settings["ISSUER"] and settings["CLIENT_ID"] and settings["CLIENT_SECRET"]:
            result[name] = settings
    return result


def engine_options(url: str, environ=os.environ) -> dict:
    """SQLAlchemy's engine options for `url` (SQLALCHEMY_ENGINE_OPTIONS), from the environment.

    Every checkout pings the connection first (`pool_pre_ping`), so a connection the database
    dropped (a restart, a failover, an idle timeout) is replaced instead of failing a request:
    after a database restart a worker fails at most the requests that were running, and goes
    on without a restart of the app. Connections are replaced after DB_POOL_RECYCLE seconds.
    Each process keeps DB_POOL_SIZE connections (+ DB_MAX_OVERFLOW at peaks): with gunicorn's
    sync workers one request at a time uses one, so (size + overflow) × workers × hosts must
    stay under PostgreSQL's max_connections. On PostgreSQL a statement is cancelled after
    DB_STATEMENT_TIMEOUT_MS (0 turns that off), so a runaway query cannot hold a worker."""
    options: dict = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        return options  # one file, no server: SQLAlchemy's own pool for SQLite is right
    options.update(
        pool_size=int(environ.get("DB_POOL_SIZE", "5")),
        max_overflow=int(environ.get("DB_MAX_OVERFLOW", "10")),
        pool_recycle=int(environ.get("DB_POOL_RECYCLE", "1800")),
        pool_timeout=int(environ.get("DB_POOL_TIMEOUT", "30")),
    )
    timeout_ms = int(environ.get("DB_STATEMENT_TIMEOUT_MS", "30000"))
    if url.startswith("postgresql") and timeout_ms > 0:
        options["connect_args"] = {"options": f"-c statement_timeout={timeout_ms}"}
    return options


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or default_database_url()
    # SQLALCHEMY_ENGINE_OPTIONS: engine_options() for the URL, set in create_app()

    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # A session ends after this much inactivity (0 turns that off); the page warns this many
    # minutes before.
    SESSION_IDLE_MINUTES = float(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_WARNING_MINUTES = float(os.environ.get("SESSION_WARNING_MINUTES", "5"))
    # A login lasts at most this many hours, however active (0 turns that off); "Husk mig"
    # keeps a browser logged in for REMEMBER_DAYS with a token replaced at every use.
    SESSION_ABSOLUTE_HOURS = float(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    REMEMBER_DAYS = int(os.environ.get("REMEMBER_DAYS", "30"))
    # The manager dashboard's figures are kept this many seconds per filter combination
    # (in the shared cache below); the page says when they were computed. 0 computes on
    # every request.
    DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "60"))
    # The tilbud measures its indicators again this many months after the forløb ended.
    FOLLOW_UP_MONTHS = int(os.environ.get("FOLLOW_UP_MONTHS", "6"))
    # Shared state of several workers and hosts: with REDIS_URL (redis://host:6379/0) the
    # cache (Flask-Caching) and the rate limits (Flask-Limiter) live in Redis, so every worker
    # on every host sees the same; without it each process keeps its own in memory.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    CACHE_TYPE = "RedisCache" if REDIS_URL else "SimpleCache"
    CACHE_REDIS_URL = REDIS_URL
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "indsatsteam:")
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_THRESHOLD = 500  # SimpleCache only: entries kept per process

    # Base URL used in e-mails and the calendar (links must work outside a request).
    PUBLIC_BASE_URL = default_public_base_url()

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)  # STARTTLS (port 587), certificate checked
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)  # implicit TLS (port 465), certificate checked
    # A CA bundle for a mail server with an internal CA (else the system's trusted CAs).
    MAIL_CA_FILE = os.environ.get("MAIL_CA_FILE") or None
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Indsatsteamet <noreply@indsatsteam.example.dk>")
    # "smtp" sends for real; "log" writes the mail to the log (development without a server).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")

    # Login throttling (indsatsteam/auth/throttle.py). Failed logins per IP address (an IPv6
    # address counts by its /64) within the window; then that address waits for the window.
    LOGIN_MAX_ATTEMPTS_PER_IP = int(os.environ.get("LOGIN_MAX_ATTEMPTS_PER_IP", "20"))
    LOGIN_WINDOW_SECONDS = int(os.environ.get("LOGIN_WINDOW_SECONDS", "900"))
    # Per account and address: this many free failures, then a delay that doubles from the
    # base up to the cap before the next try from that address. Other addresses are not slowed.
    LOGIN_FREE_FAILURES = int(os.environ.get("LOGIN_FREE_FAILURES", "3"))
    LOGIN_DELAY_BASE_SECONDS = int(os.environ.get("LOGIN_DELAY_BASE_SECONDS", "2"))
    LOGIN_DELAY_MAX_SECONDS = int(os.environ.get("LOGIN_DELAY_MAX_SECONDS", "300"))
    # Failures on one account from all addresses within the window (an attack from many
    # addresses); beyond it only browsers where the account logged in before may try.
    LOGIN_MAX_ATTEMPTS_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_ATTEMPTS_PER_ACCOUNT", "100"))
    # Where the counters live: "database" (works across workers and hosts).
    RATE_LIMIT_STORAGE = os.environ.get("RATE_LIMIT_STORAGE", "database")
    # The other abuse-prone requests (indsatsteam/rate_limits.py, Flask-Limiter): limits in its
    # notation ("5 per minute;20 per hour"), counted in Redis with REDIS_URL (all hosts share
    # them), else in each process. RATELIMIT_ENABLED=0 switches them off.
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "indsatsteam:") + "limits"
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis away: count in the process until it answers again, rather than refusing.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    LIMIT_REGISTRATION = os.environ.get("LIMIT_REGISTRATION", "5 per minute;20 per hour")
    LIMIT_FORGOT_PASSWORD = os.environ.get("LIMIT_FORGOT_PASSWORD", "5 per minute;20 per hour")
    LIMIT_INVITATION_RESEND = os.environ.get("LIMIT_INVITATION_RESEND", "10 per minute;50 per hour")
    LIMIT_CONFIRMATION_RESEND = os.environ.get("LIMIT_CONFIRMATION_RESEND", "5 per hour")
    # A calendar app polls a feed a few times an hour; many feeds come from one calendar server.
    LIMIT_CALENDAR_FEED = os.environ.get("LIMIT_CALENDAR_FEED", "30 per hour")
    LIMIT_CALENDAR_FEED_PER_ADDRESS = os.environ.get("LIMIT_CALENDAR_FEED_PER_ADDRESS",
                                                     "1000 per hour")
    # Confirmation, reset and invitation e-mails to one address per hour.
    MAIL_MAX_PER_ADDRESS_PER_HOUR = int(os.environ.get("MAIL_MAX_PER_ADDRESS_PER_HOUR", "3"))
    # How often the scheduler sends queued account e-mails (seconds).
    MAIL_QUEUE_SECONDS = int(os.environ.get("MAIL_QUEUE_SECONDS", "15"))
    # How many reverse proxies stand in front of the app (1 for gunicorn behind nginx). The
    # client's address is then read from X-Forwarded-For; without it every request seems to
    # come from the proxy, and the per-IP limit above would lock out everybody at once.
    # Keep 0 without a proxy, or clients could forge their address.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # Notification e-mail: a failed send is retried after the base delay, doubling each time
    # up to the cap, and marked failed (shown to admins) after the maximum number of attempts.
    # A row left "sending" longer than the claim timeout (a crashed sender) is sent again.
    NOTIFICATION_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "300"))
    NOTIFICATION_RETRY_MAX_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_MAX_SECONDS",
                                                        str(6 * 3600)))
    NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "8"))
    NOTIFICATION_CLAIM_TIMEOUT_SECONDS = int(os.environ.get("NOTIFICATION_CLAIM_TIMEOUT_SECONDS",
                                                            "600"))

    # Reminders: the scheduler sweeps every REMINDER_SWEEP_MINUTES; a sweep also sends what
    # fell due in the last REMINDER_LOOKBACK_DAYS (downtime) and is still true; the daily
    # digest goes out at DIGEST_HOUR:00 Danish time.
    REMINDER_SWEEP_MINUTES = int(os.environ.get("REMINDER_SWEEP_MINUTES", "5"))
    REMINDER_LOOKBACK_DAYS = int(os.environ.get("REMINDER_LOOKBACK_DAYS", "3"))
    DIGEST_HOUR = int(os.environ.get("DIGEST_HOUR", "7"))

    # Attachments: at most this many MB a file; stored in the database ("database", the
    # only store so far) in chunks of FILE_CHUNK_KB, so no process holds a whole file.
    MAX_ATTACHMENT_MB = int(os.environ.get("MAX_ATTACHMENT_MB", "20"))
    FILE_STORAGE = os.environ.get("FILE_STORAGE", "database")
    FILE_CHUNK_KB = int(os.environ.get("FILE_CHUNK_KB", "1024"))

    EMAIL_TOKEN_MAX_AGE_SECONDS = int(os.environ.get("EMAIL_TOKEN_MAX_AGE_SECONDS", str(3 * 86400)))
    RESET_TOKEN_MAX_AGE_SECONDS = int(os.environ.get("RESET_TOKEN_MAX_AGE_SECONDS", "3600"))
    # Staff invitations: the link to set a first password works this long (seconds), once.
    INVITE_MAX_AGE = int(os.environ.get("INVITE_MAX_AGE", str(7 * 86400)))

    # Login (README "Log ind"). PASSWORD_LOGIN: who may log in with a password:
    # "tilbud,staff", "staff" or "off". The OpenID providers below each show their button
    # only when their issuer, client id and secret are set.
    PASSWORD_LOGIN = os.environ.get("PASSWORD_LOGIN", "tilbud,staff")
    OIDC_PROVIDERS = oidc_settings()
    # How far the clocks of the provider and the app may disagree (iat/exp, seconds).
    OIDC_LEEWAY_SECONDS = int(os.environ.get("OIDC_LEEWAY_SECONDS", "120"))
    # The local test provider `make run` starts (scripts/oidc_provider/server.mjs).
    OIDC_DEV_PORT = int(os.environ.get("OIDC_DEV_PORT", "9400"))


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    MAIL_BACKEND = "memory"
    PUBLIC_BASE_URL = "http://localhost"
    # Off (0): many tests move the frozen clock by days between requests of one login.
    # tests/test_session_timeout.py and the browser tests switch it on.
    SESSION_IDLE_MINUTES = 0
    SESSION_ABSOLUTE_HOURS = 0  # the same; tests/test_sessions.py switches it on
    # Off: tests change data between requests and expect the figures to follow.
    DASHBOARD_CACHE_SECONDS = 0
    # In the process, whatever the environment says; tests/test_shared_cache.py uses Redis.
    REDIS_URL = None
    CACHE_TYPE = "SimpleCache"
    CACHE_REDIS_URL = None
    # Off: the suite registers and resets far more often than a person;
    # tests/test_rate_limits.py switches them on in apps of its own.
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    # Cheap hashing keeps the suite fast; the algorithm is the same as in production.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


class ProductionConfig(Config):
    ENV_NAME = "production"
    DEBUG = False


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 10


def check_secret_key(key: str | None) -> None:
    """Production refuses a missing or guessable key: at least 32 characters, and not a
    repetition of a few (a hex string of 32 random bytes has 64 characters from 16)."""
    hint = "Lav en med: python3 -c 'import secrets; print(secrets.token_hex(32))'"
    if not key:
        raise RuntimeError(f"SECRET_KEY skal være sat i produktion. {hint}")
    if len(key.encode()) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_DISTINCT:
        raise RuntimeError(f"SECRET_KEY er for kort eller for ensformig (mindst "
                           f"{MIN_SECRET_KEY_LENGTH} tilfældige tegn). {hint}")


def load_config(name: str | None = None) -> type[Config]:
    # Unset means production: development (DEBUG, insecure cookies, links in the log) must be
    # asked for, as the Makefile does for `make run`.
    name = name or os.environ.get("INDSATSTEAM_ENV") or "production"
    if name not in CONFIGS:
        raise RuntimeError(f"INDSATSTEAM_ENV={name!r} er ukendt; brug {', '.join(CONFIGS)}.")
    config = CONFIGS[name]
    if name == "production":
        check_secret_key(config.SECRET_KEY)
    elif not config.SECRET_KEY:
        config.SECRET_KEY = _dev_secret_key()
    return config
