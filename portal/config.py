"""Settings read from the environment.

Every setting has an environment variable of the same name. Secrets never have a usable
default in production: ``SECRET_KEY`` must be set unless ``PORTAL_ENV`` is ``development``
or ``testing``.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised by :func:`load_config` when a required setting is missing or invalid."""


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def load_config(instance_path: str) -> dict:
    """Build the Flask config mapping from the environment.

    Args:
        instance_path: the app's instance folder; the default SQLite database lives there.

    Returns:
        A dict of Flask config keys.

    Raises:
        ConfigError: ``SECRET_KEY`` is missing outside development/testing, or a number is
            malformed.
    """
    env = os.environ.get("PORTAL_ENV", "production")
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if env in ("development", "testing"):
            secret = "dev-only-insecure-key"
        else:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random string "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set PORTAL_ENV=development for a local demo."
            )
    default_db = "sqlite:///" + str(Path(instance_path) / "portal.sqlite3")
    database_url = os.environ.get("DATABASE_URL") or default_db
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CONTENT_DIR": os.environ.get("CONTENT_DIR") or str(BASE_DIR / "content"),
        # Display time zone. Storage is always UTC.
        "PORTAL_TIMEZONE": os.environ.get("PORTAL_TIMEZONE", "Asia/Jakarta"),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("PORTAL_TIMEZONE", "Asia/Jakarta"),
        "PORTAL_LOCALES": ["id", "en"],
        # Failed password checks allowed in a moving window (portal.auth.throttle): one
        # account from one client, one account from all clients, one client for all
        # accounts. Counted in Flask-Limiter's storage: Redis (redis://host:6379/0) so that
        # several app servers count together, else memory.
        "LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "30 per hour"),
        "LOGIN_LIMIT_PER_CLIENT": os.environ.get("LOGIN_LIMIT_PER_CLIENT", "20 per 15 minutes"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        # Login sessions end after this many minutes without a request, and this many hours
        # after the login however active (OWASP ASVS 4.0.3, 3.3.2, level 2).
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _int("SESSION_MAX_HOURS", 12),
        # Seconds of network slack allowed after a quiz deadline before a submission is late.
        "QUIZ_GRACE_SECONDS": _int("QUIZ_GRACE_SECONDS", 30),
        # Minutes in one JP, per delivery mode (common practice: 45).
        "MINUTES_PER_JP": {
            "e-learning": _int("MINUTES_PER_JP_ELEARNING", 45),
            "klasikal": _int("MINUTES_PER_JP_KLASIKAL", 45),
            "blended": _int("MINUTES_PER_JP_BLENDED", 45),
        },
        # Certificate issuer and signatory, frozen into every certificate at issue time.
        "CERT_ISSUER": os.environ.get(
            "CERT_ISSUER",
            "Badan Pengembangan Sumber Daya Manusia Provinsi Jambi",
        ),
        "CERT_NUMBER_PREFIX": os.environ.get("CERT_NUMBER_PREFIX", "BPSDM-JBI"),
        "CERT_SIGNATORY_NAME": os.environ.get("CERT_SIGNATORY_NAME", "Kepala BPSDM Provinsi Jambi"),
        "CERT_SIGNATORY_TITLE": os.environ.get(
            "CERT_SIGNATORY_TITLE",
            "Kepala Badan Pengembangan Sumber Daya Manusia Provinsi Jambi",
        ),
        "CERT_SIGNATORY_NIP": os.environ.get("CERT_SIGNATORY_NIP", ""),
        "CERT_CITY": os.environ.get("CERT_CITY", "Jambi"),
        # Absolute base URL printed in QR codes (e.g. https://portal.example.go.id). When
        # empty, the URL of the current request is used.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
        "WTF_CSRF_TIME_LIMIT": _int("WTF_CSRF_TIME_LIMIT", 8 * 3600),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure (HTTPS-only) when PUBLIC_BASE_URL is https: see portal.request_boundary.
        "SESSION_COOKIE_SECURE": False,
        # Reverse proxies in front of the portal whose X-Forwarded-For is trusted (0: none).
        "TRUSTED_PROXY_COUNT": _int("TRUSTED_PROXY_COUNT", 0),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }
