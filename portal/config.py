"""Settings read from the environment.

Every setting has an environment variable of the same name. Secrets never have a usable
default in production: ``SECRET_KEY`` (long and not a known value) and ``PUBLIC_BASE_URL``
must be set unless ``PORTAL_ENV`` is ``development`` or ``testing``. A bad setting raises
:class:`ConfigError`, whose message is one line saying what to set.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent

#: The values ``PORTAL_ENV`` accepts; anything else is a mistake, not production.
ENVIRONMENTS = ("production", "development", "testing")

#: ``PUBLIC_BASE_URL`` when it is unset in development and testing: the address of
#: ``flask run`` with its defaults (``make run`` sets the setting to the address it serves).
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"

#: Shortest ``SECRET_KEY`` accepted in production, in characters. ``secrets.token_hex(32)``
#: gives 64; 32 random hex characters are 128 bits, above the 112-bit minimum security
#: strength of NIST SP 800-131A.
MIN_SECRET_KEY_LENGTH = 32

#: Fewest distinct characters in a production ``SECRET_KEY`` (``aaaa...``, ``changeme`` x 4
#: and the like are long but guessable).
MIN_SECRET_KEY_DISTINCT = 8

#: Keys that are public: the development fallback, the test suite's, placeholders, and the
#: sample output of ``secrets.token_hex()`` printed in Flask's documentation (copied into many
#: real apps). Refused in production whatever their length (compared case-insensitively).
KNOWN_SECRET_KEYS = frozenset({
    "192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf",
    "dev-only-insecure-key", "test-secret-key", "changeme", "change-me", "change_me",
    "secret", "secret-key", "secret_key", "your-secret-key", "your_secret_key",
    "dev", "development", "devkey", "default", "password", "flask-secret-key",
    "please-change-me", "replace-me", "insecure", "super-secret-key", "supersecret",
})

GENERATE_KEY_HINT = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


class ConfigError(RuntimeError):
    """Raised by :func:`load_config` when a required setting is missing or invalid.

    ``str(error)`` is one line naming every bad setting and what to set instead.
    """


def _int(name: str, default: int, minimum: int = 0) -> int:
    """The whole number in environment variable ``name`` (``default`` when unset or empty).

    Raises:
        ConfigError: not a whole number, or below ``minimum``.
    """
    raw = (os.environ.get(name) or "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from exc
    if value < minimum:
        raise ConfigError(f"{name} must be {minimum} or more, got {raw!r}.")
    return value


def parse_database_url(raw: str) -> str:
    """Check ``DATABASE_URL`` and give SQLAlchemy's form of it: ``postgres://`` and
    ``postgresql://`` use the psycopg 3 driver (``postgresql+psycopg://``).

    Raises:
        ConfigError: not a URL SQLAlchemy can read, a bad port, or a database other than
            SQLite or PostgreSQL (the two the portal runs on). The password is never part
            of the message.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    value = raw.strip()
    if value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value[len("postgres://"):]
    elif value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    example = ("e.g. postgresql+psycopg://portal:PASSWORD@127.0.0.1:5432/portal or "
               "sqlite:////srv/portal/portal.sqlite3")
    try:
        url = make_url(value)
        url.port  # noqa: B018  (a port that is not a number fails here)
        backend = url.get_backend_name()
    except (ArgumentError, ValueError) as exc:
        shown = value.split("@", 1)[-1] if "@" in value else value
        raise ConfigError(f"DATABASE_URL is not a database address ({example}); got one "
                          f"ending in {shown!r}.") from exc
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL must be a PostgreSQL or SQLite address ({example}), "
                          f"got a {backend!r} one.")
    if backend == "postgresql" and not url.host and not url.query.get("host"):
        raise ConfigError(f"DATABASE_URL names no PostgreSQL host ({example}).")
    return value


def check_ratelimit_storage(raw: str) -> str:
    """Check ``RATELIMIT_STORAGE_URI`` (Flask-Limiter's storage): ``memory://`` or a URI
    whose scheme the ``limits`` library knows (``redis://host:6379/0``, ...).

    Raises:
        ConfigError: no scheme, or one ``limits`` does not know.
    """
    from limits.storage import SCHEMES

    value = raw.strip()
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in SCHEMES or scheme.startswith("async+"):
        raise ConfigError(f"RATELIMIT_STORAGE_URI must be memory:// or a storage address "
                          f"such as redis://127.0.0.1:6379/0, got {value.split('@')[-1]!r}.")
    return value


def check_timezone(raw: str) -> str:
    """Check ``PORTAL_TIMEZONE``: an IANA time zone name that zoneinfo knows
    (``Asia/Jakarta`` for WIB).

    Raises:
        ConfigError: an unknown or malformed name.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = raw.strip()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ConfigError(f"PORTAL_TIMEZONE must be a time zone name such as Asia/Jakarta "
                          f"(WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT), got "
                          f"{raw!r}.") from exc
    return value


def secret_key_problem(secret: str) -> str | None:
    """Why ``secret`` is not fit to sign production sessions, or None when it is.

    Refused: fewer than :data:`MIN_SECRET_KEY_LENGTH` characters, fewer than
    :data:`MIN_SECRET_KEY_DISTINCT` distinct characters, or one of
    :data:`KNOWN_SECRET_KEYS`. The key itself is never part of the message.
    """
    hint = f"set it to a long random string ({GENERATE_KEY_HINT})"
    if secret.strip().lower() in KNOWN_SECRET_KEYS:
        return f"SECRET_KEY is a publicly known value; {hint}."
    if len(secret) < MIN_SECRET_KEY_LENGTH:
        return (f"SECRET_KEY is too short ({len(secret)} characters, at least "
                f"{MIN_SECRET_KEY_LENGTH}); {hint}.")
    if len(set(secret)) < MIN_SECRET_KEY_DISTINCT:
        return f"SECRET_KEY is too easy to guess (few different characters); {hint}."
    return None


def parse_public_base_url(raw: str) -> str:
    """Check and normalise ``PUBLIC_BASE_URL``: ``scheme://host[:port][/prefix]``.

    The scheme and host are lowercased and a trailing slash dropped, so
    ``HTTPS://Portal.Example.go.id/`` becomes ``https://portal.example.go.id``.

    Raises:
        ConfigError: not an absolute ``http``/``https`` address with a host, or it carries
            a user name, password, query string or fragment, or an invalid port.
    """
    value = raw.strip()
    example = "e.g. https://portal.bpsdm.jambiprov.go.id"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or any(c.isspace() for c in value)):
        raise ConfigError(f"PUBLIC_BASE_URL must be an absolute http:// or https:// address "
                          f"({example}), got {raw!r}.")
    if parts.username is not None or parts.password is not None or parts.query \
            or parts.fragment or value.endswith(("?", "#")):
        raise ConfigError(f"PUBLIC_BASE_URL must be only scheme, host, port and path "
                          f"({example}), got {raw!r}.")
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return f"{parts.scheme.lower()}://{netloc}{parts.path.rstrip('/')}"


def trusted_hosts(public_base_url: str, extra: str | None) -> list[str]:
    """The host names requests may carry (Flask's ``TRUSTED_HOSTS``) in production.

    Args:
        public_base_url: a URL checked by :func:`parse_public_base_url`; its host comes first.
        extra: ``EXTRA_TRUSTED_HOSTS``: more names separated by commas or spaces (a load
            balancer's health check by IP, a second name); a leading dot admits every
            subdomain (werkzeug's rule). Ports are ignored, as werkzeug ignores them.

    Raises:
        ConfigError: an extra entry is an address rather than a host name.
    """
    hosts = [urlsplit(public_base_url).hostname or ""]
    for entry in (extra or "").replace(",", " ").split():
        if "/" in entry or "@" in entry:
            raise ConfigError(f"EXTRA_TRUSTED_HOSTS lists host names only (e.g. "
                              f"portal.jambiprov.go.id, 10.0.0.5), got {entry!r}.")
        name = entry.lower()
        if name not in hosts:
            hosts.append(name)
    return hosts


def _ratio(name: str, default: float) -> float:
    raw = (os.environ.get(name) or "").strip()
    if raw == "":
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number from 0 to 1, got {raw!r}") from exc
    if not 0 <= value <= 1:
        raise ConfigError(f"{name} must be a number from 0 to 1, got {raw!r}")
    return value


def load_config(instance_path: str) -> dict:
    """Build the Flask config mapping from the environment.

    Args:
        instance_path: the app's instance folder; the default SQLite database lives there.

    Returns:
        A dict of Flask config keys. ``PUBLIC_BASE_URL`` is normalised (see
        :func:`parse_public_base_url`); in production ``TRUSTED_HOSTS`` holds its host and
        ``EXTRA_TRUSTED_HOSTS``, so a request with any other ``Host`` header gets a 400.

    Raises:
        ConfigError: ``PORTAL_ENV`` is not one of :data:`ENVIRONMENTS`; in production,
            ``SECRET_KEY`` is missing, short or known (see :func:`secret_key_problem`) or
            ``PUBLIC_BASE_URL`` is missing; ``PUBLIC_BASE_URL`` or ``EXTRA_TRUSTED_HOSTS``
            is malformed; in production ``CERT_SIGNATORY_NIP`` is not an 18-digit NIP;
            ``DATABASE_URL``, ``PORTAL_TIMEZONE`` or ``RATELIMIT_STORAGE_URI`` is malformed
            (:func:`parse_database_url`, :func:`check_timezone`,
            :func:`check_ratelimit_storage`); a number is not a whole number or is negative
            (below 1 for ``SESSION_*``, ``MINUTES_PER_JP_*``, ``WTF_CSRF_TIME_LIMIT``;
            ``MIN_STUDY_RATIO`` outside 0..1). The problems of the secrets, addresses and
            signatory are all named in the one message; a bad number stops at the first.
    """
    env = os.environ.get("PORTAL_ENV") or "production"
    if env not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV must be production, development or testing, "
                          f"got {env!r}.")
    production = env == "production"
    problems: list[str] = []
    secret = os.environ.get("SECRET_KEY") or ""
    if not secret:
        if production:
            problems.append(f"SECRET_KEY is not set; set it to a long random string "
                            f"({GENERATE_KEY_HINT}), or set PORTAL_ENV=development for a "
                            f"local demo.")
        else:
            secret = "dev-only-insecure-key"
    elif production and (problem := secret_key_problem(secret)):
        problems.append(problem)
    public_base_url = ""
    raw_base_url = (os.environ.get("PUBLIC_BASE_URL") or "").strip()
    if raw_base_url:
        try:
            public_base_url = parse_public_base_url(raw_base_url)
        except ConfigError as error:
            problems.append(str(error))
    elif production:
        problems.append("PUBLIC_BASE_URL is not set; set it to the address people open the "
                        "portal at (e.g. https://portal.bpsdm.jambiprov.go.id): certificates "
                        "print it in their QR code and verification link.")
    else:
        public_base_url = DEVELOPMENT_BASE_URL
    hosts = None
    if production and public_base_url:
        try:
            hosts = trusted_hosts(public_base_url, os.environ.get("EXTRA_TRUSTED_HOSTS"))
        except ConfigError as error:
            problems.append(str(error))
    if production and len("".join((os.environ.get("CERT_SIGNATORY_NIP") or "").split())) != 18:
        problems.append("CERT_SIGNATORY_NIP must be the 18-digit NIP of the official who signs "
                        "certificates (CERT_SIGNATORY_NAME); it is printed on every "
                        "certificate.")
    default_db = "sqlite:///" + str(Path(instance_path) / "portal.sqlite3")
    database_url = default_db
    timezone_name = "Asia/Jakarta"
    storage_uri = "memory://"
    checked = {}
    for name, check, raw in (
            ("db", parse_database_url, os.environ.get("DATABASE_URL")),
            ("tz", check_timezone, os.environ.get("PORTAL_TIMEZONE")),
            ("limits", check_ratelimit_storage, os.environ.get("RATELIMIT_STORAGE_URI"))):
        if raw and raw.strip():
            try:
                checked[name] = check(raw)
            except ConfigError as error:
                problems.append(str(error))
    database_url = checked.get("db", database_url)
    timezone_name = checked.get("tz", timezone_name)
    storage_uri = checked.get("limits", storage_uri)
    if problems:
        raise ConfigError(" ".join(problems))
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CONTENT_DIR": os.environ.get("CONTENT_DIR") or str(BASE_DIR / "content"),
        # Display time zone. Storage is always UTC.
        "PORTAL_TIMEZONE": timezone_name,
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": timezone_name,
        "PORTAL_LOCALES": ["id", "en"],
        # Failed password checks allowed in a moving window (portal.auth.throttle): one
        # account from one client, one account from all clients, one client for all
        # accounts. Counted in Flask-Limiter's storage: Redis (redis://host:6379/0) so that
        # several app servers count together, else memory.
        "LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "30 per hour"),
        # Generous per client: a whole office may share one NAT address (the numbers are
        # explained in portal.auth.throttle); browsers that logged in before are trusted
        # by a device cookie (portal.auth.devices).
        "LOGIN_LIMIT_PER_CLIENT": os.environ.get("LOGIN_LIMIT_PER_CLIENT",
                                                 "100 per 15 minutes"),
        "REGISTER_LIMIT_PER_CLIENT": os.environ.get("REGISTER_LIMIT_PER_CLIENT",
                                                    "60 per hour"),
        "RATELIMIT_STORAGE_URI": storage_uri,
        # Login sessions end after this many minutes without a request, and this many hours
        # after the login however active (OWASP ASVS 4.0.3, 3.3.2, asks for an absolute
        # limit and an idle limit). The idle limit is 2 hours, not ASVS level 2's 30
        # minutes: a learner reads one module (up to an hour) without a request, and a
        # quiz page autosaves; ending the session mid-module would only annoy.
        # Werkzeug password hash method. Not read from the environment: production always
        # uses scrypt; only the test suite sets a cheap method.
        "PASSWORD_HASH_METHOD": "scrypt",
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 120, minimum=1),
        "SESSION_MAX_HOURS": _int("SESSION_MAX_HOURS", 12, minimum=1),
        # Seconds of network slack allowed after a quiz deadline before a submission is late.
        "QUIZ_GRACE_SECONDS": _int("QUIZ_GRACE_SECONDS", 30),
        # Minimum study time before a module can be marked done, as a fraction (0..1) of
        # its estimated minutes, counted from its first opening; a module's own
        # min_minutes wins. 0: opening the module is enough (portal/progress/study_time.py).
        "MIN_STUDY_RATIO": _ratio("MIN_STUDY_RATIO", 0.0),
        # Needs-survey figures of a group (a unit, or the whole survey) are shown only from
        # this many respondents, so a small group's answers cannot be told apart.
        "NEEDS_MIN_GROUP_SIZE": _int("NEEDS_MIN_GROUP_SIZE", 5),
        # Minutes in one JP, per delivery mode (common practice: 45); each JP credit stores
        # the figure of its course's mode and the minutes of study it makes (portal/ledger).
        "MINUTES_PER_JP": {
            "e-learning": _int("MINUTES_PER_JP_ELEARNING", 45, minimum=1),
            "klasikal": _int("MINUTES_PER_JP_KLASIKAL", 45, minimum=1),
            "blended": _int("MINUTES_PER_JP_BLENDED", 45, minimum=1),
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
        # Absolute base URL printed in certificates' QR codes and verification links (frozen
        # into each certificate at issue), e.g. https://portal.bpsdm.jambiprov.go.id. Never
        # taken from a request: a Host header is the client's to choose.
        "PUBLIC_BASE_URL": public_base_url,
        # Production answers only requests for these host names (400 otherwise); None
        # (every host) in development and testing.
        "TRUSTED_HOSTS": hosts,
        "WTF_CSRF_TIME_LIMIT": _int("WTF_CSRF_TIME_LIMIT", 8 * 3600, minimum=1),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure (HTTPS-only) when PUBLIC_BASE_URL is https: see portal.request_boundary.
        "SESSION_COOKIE_SECURE": False,
        # Reverse proxies in front of the portal whose X-Forwarded-For is trusted (0: none).
        "TRUSTED_PROXY_COUNT": _int("TRUSTED_PROXY_COUNT", 0),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }
