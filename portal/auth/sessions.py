"""Login sessions that end on the server.

A login session lives in Flask's signed session cookie. Besides Flask-Login's ``_user_id``
it carries a *stamp*:

- ``_sid``: a random session identifier, new at every login. Logging in also clears the
  session (only the language choice survives), so nothing set before the login, such as a
  planted CSRF token, carries over (session fixation).
- ``_ver``: the account's ``session_version`` at login.
  :func:`portal.auth.services.end_all_sessions` increments it, which ends every session of
  the account at once, wherever its cookie was copied to: logout, a password change or
  reset, and deactivation call it.
- ``_auth_at``: when the user logged in, UTC epoch seconds. The session ends
  ``SESSION_MAX_HOURS`` after it, however active (absolute lifetime).
- ``_seen_at``: the last request, UTC epoch seconds, refreshed at most once a minute
  (:data:`SEEN_RESOLUTION_SECONDS`) so the cookie is not rewritten on every response. The
  session ends ``SESSION_IDLE_MINUTES`` after it (idle timeout).

The stamp is checked by Flask-Login's user loader, so on every request that reads
``current_user``. Nothing about the client's address or browser is part of it: a phone that
moves from Wi-Fi to mobile data keeps its session. The defaults are 2 hours idle and 12 hours
at most: OWASP ASVS 4.0.3 requirement 3.3.2 asks for both limits (its level 2 suggests 30
minutes idle, too short for a learner reading an hour-long module without a request); losing
a session loses no work (see :mod:`portal.auth.reauth`).

Times come from :func:`portal.timeutil.utcnow`, the portal's one clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, MutableMapping
from datetime import datetime, timedelta

from flask import current_app, g, session
from flask_login import login_user, logout_user
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.extensions import db
from portal.request_boundary import parse_id
from portal.timeutil import utcnow

STAMP_KEYS = ("_sid", "_ver", "_auth_at", "_seen_at")
"""Session keys of the stamp (see the module docstring)."""

LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds", *STAMP_KEYS)
"""Every session key that belongs to a login; removed when the session ends."""

KEPT_ACROSS_LOGIN = ("locale",)
"""Session keys that survive logging in and out (the language chosen before logging in)."""

SEEN_RESOLUTION_SECONDS = 60
"""``_seen_at`` is rewritten only when it is at least this many seconds old."""

END_REASONS = ("no_account", "deactivated", "ended", "idle", "expired")
"""Why :func:`end_reason` refuses a session: the account is gone; it was deactivated; its
sessions were ended (or the cookie carries no valid stamp); it was idle too long; it reached
its absolute lifetime."""


def check_settings(config) -> None:
    """Raise :class:`portal.config.ConfigError` unless ``SESSION_IDLE_MINUTES`` and
    ``SESSION_MAX_HOURS`` are at least 1."""
    from portal.config import ConfigError

    for name in ("SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS"):
        if int(config[name]) < 1:
            raise ConfigError(f"{name} must be 1 or more, got {config[name]!r}")


def stamp_for(user: User, now: datetime) -> dict[str, object]:
    """A fresh stamp for a session of ``user`` that starts at ``now`` (aware UTC).

    Returns:
        ``{"_sid": 32 hex characters, "_ver": user.session_version, "_auth_at": epoch
        seconds, "_seen_at": epoch seconds}``.
    """
    moment = int(now.timestamp())
    return {"_sid": secrets.token_hex(16), "_ver": user.session_version or 0,
            "_auth_at": moment, "_seen_at": moment}


def end_reason(stamp: Mapping[str, object], user: User | None, now: datetime, *,
               idle: timedelta, lifetime: timedelta) -> str | None:
    """Why the session with ``stamp`` may no longer act as ``user`` at ``now``, or None.

    Args:
        stamp: the session (a mapping holding the :data:`STAMP_KEYS`).
        user: the account the session names, None if it does not exist.
        now: aware UTC.
        idle: the idle timeout (``SESSION_IDLE_MINUTES``).
        lifetime: the absolute lifetime (``SESSION_MAX_HOURS``).

    Returns:
        One of :data:`END_REASONS`, or None while the session is valid. A clock that went
        back (another app server slightly behind) does not end a session.
    """
    if user is None:
        return "no_account"
    if not user.is_active_account:
        return "deactivated"
    version, auth_at, seen_at = stamp.get("_ver"), stamp.get("_auth_at"), stamp.get("_seen_at")
    if not (isinstance(version, int) and isinstance(auth_at, int) and isinstance(seen_at, int)
            and stamp.get("_sid")):
        return "ended"
    if version != (user.session_version or 0):
        return "ended"
    moment = now.timestamp()
    if moment - auth_at > lifetime.total_seconds():
        return "expired"
    if moment - seen_at > idle.total_seconds():
        return "idle"
    return None


def idle_timeout() -> timedelta:
    """The idle timeout of this app (setting ``SESSION_IDLE_MINUTES``)."""
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def lifetime() -> timedelta:
    """The absolute session lifetime of this app (setting ``SESSION_MAX_HOURS``)."""
    return timedelta(hours=current_app.config["SESSION_MAX_HOURS"])


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the account of this session, if its stamp still holds.

    A session that no longer holds is ended on the spot (its login keys are removed) and
    the reason is kept in ``g.session_end_reason`` for the login page's message (and the
    account in ``g.session_end_user_id``, so a post carried across the login is only applied
    for the same account: :mod:`portal.auth.reauth`). A valid
    session's ``_seen_at`` moves forward (at most once a minute).

    This also covers Flask-Login's remember cookie: it carries no stamp, so it can never
    revive a session (the portal sets none).
    """
    # The roles come in the same statement: every page's menu asks for them.
    number = parse_id(user_id)
    user = (db.session.get(User, number, options=[joinedload(User.role_rows)])
            if number is not None else None)
    now = utcnow()
    reason = end_reason(session, user, now, idle=idle_timeout(), lifetime=lifetime())
    if reason is not None:
        g.session_end_reason = reason
        g.session_end_user_id = user.id if user is not None else None
        clear_login(session)
        return None
    moment = int(now.timestamp())
    if moment - int(session["_seen_at"]) >= SEEN_RESOLUTION_SECONDS:
        session["_seen_at"] = moment
    return user


def session_end_reason() -> str | None:
    """Why this request's session ended (one of :data:`END_REASONS`), or None if it did
    not end during this request."""
    return g.get("session_end_reason")


def session_end_user_id() -> int | None:
    """The account whose session ended during this request, if it still exists."""
    return g.get("session_end_user_id")


def clear_login(store: MutableMapping[str, object]) -> None:
    """Remove every login key (:data:`LOGIN_KEYS`) from a session, keeping the rest."""
    for key in LOGIN_KEYS:
        store.pop(key, None)


def start(user: User, now: datetime) -> bool:
    """Log ``user`` in with a new session: everything from before is dropped except the
    language choice, then Flask-Login's keys and a fresh stamp are set.

    Args:
        user: the authenticated account.
        now: aware UTC, the start of the absolute lifetime.

    Returns:
        False (and nothing logged in) for a deactivated account, as Flask-Login does.
    """
    if not user.is_active_account:
        return False
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)
    login_user(user)
    session.pop("_id", None)  # Flask-Login's hash of address and browser: not used here
    session.update(stamp_for(user, now))
    return True


def stop() -> None:
    """End this request's session (after :func:`portal.auth.services.end_all_sessions`):
    Flask-Login logs out, and everything but the language choice is dropped."""
    logout_user()
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)
