"""One-time password-reset links that an admin makes and hands over to the account's owner.

A link is ``PUBLIC_BASE_URL`` + ``/password-reset/<token>``, never built from the request's
``Host`` header (a forged header would otherwise make a link to another host). The token is
signed with ``SECRET_KEY`` (itsdangerous, salt :data:`SALT`) and carries the account id and a
fingerprint of the account's password hash, so it:

- expires :data:`DEFAULT_HOURS` after it was made (the app config key
  ``PASSWORD_RESET_HOURS``, given to ``create_app``, overrides it; it is not read from the
  environment);
- works once: setting the password changes the hash, which the next use no longer matches;
- dies with any other password change (by the owner, a command, or another link);
- is used only by the form's POST: opening the link (as mail scanners do) changes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.audit.services import record
from portal.auth import services as accounts
from portal.auth.models import User
from portal.errors import DomainError
from portal.extensions import db

SALT = "portal.password-reset"
"""The itsdangerous salt of reset tokens (no other token verifies as one)."""
DEFAULT_HOURS = 72
"""How long a link works when ``PASSWORD_RESET_HOURS`` is not set, in hours."""


class ResetError(DomainError):
    """A reset link that does not work. ``code`` is ``expired`` (older than its lifetime)
    or ``invalid`` (altered, already used, superseded by a password change, or the account
    is gone or deactivated)."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:24]


def lifetime_hours() -> int:
    """Hours a link works (config ``PASSWORD_RESET_HOURS``, else :data:`DEFAULT_HOURS`)."""
    return int(current_app.config.get("PASSWORD_RESET_HOURS", DEFAULT_HOURS))


def make_link(user: User, *, actor: User, now: datetime, client: str | None) -> str:
    """A reset link for ``user`` (an absolute URL on ``PUBLIC_BASE_URL``); audited as
    ``user.reset_link`` (the link itself is not stored)."""
    token = _serializer().dumps({"u": user.id, "p": _fingerprint(user)})
    record(actor=actor, action="user.reset_link", target_kind="user", target_id=user.id,
           before=None, after={"hours": lifetime_hours()}, now=now, client=client)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return base + url_for("reset.reset_password", token=token, _external=False)


def user_for(token: str) -> User:
    """The account a token resets, if the token still works.

    Raises:
        ResetError: ``expired`` or ``invalid`` (see the class).
    """
    try:
        data = _serializer().loads(token, max_age=lifetime_hours() * 3600)
    except SignatureExpired as exc:
        raise ResetError("expired") from exc
    except BadSignature as exc:
        raise ResetError("invalid") from exc
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active_account or data.get("p") != _fingerprint(user):
        raise ResetError("invalid")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set the password of the token's account (which ends its sessions and the token).

    Raises:
        ResetError: as :func:`user_for`.
        portal.auth.services.AccountError: ``password_too_short`` (field ``password``).
    """
    user = user_for(token)
    accounts.set_password(user, new_password)
    return user
