"""Device cookies: a browser that has logged in to an account is trusted for that account's
password throttling (OWASP, "Slow down online guessing attacks with device cookies").

Many offices reach the portal through one NAT address, so the per-account and per-client
windows of :mod:`portal.auth.throttle` can be filled by guesses (or typos) from anywhere,
locking real users out. After a successful login the browser gets :data:`COOKIE`: a signed
value (itsdangerous, ``SECRET_KEY``) holding a random device nonce and keyed digests of the
identifiers of the accounts that logged in on it (the typed one, the account's NIP and
email; HMAC-SHA256, so the cookie holds no NIP or email). A login from that browser to one of
those accounts counts its failures in a window of its own (this device and account, limit
``LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT``) instead of the account's and the client's windows, so
an attack on the account from elsewhere does not lock it out, and guessing with a stolen
cookie is still slowed down. The cookie lasts :data:`MAX_AGE_DAYS` days, keeps the newest
:data:`MAX_ACCOUNTS` accounts (a shared office computer), HttpOnly, SameSite=Lax, Secure
when the session cookie is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.auth import bp

COOKIE = "portal_device"
"""Name of the device cookie."""

MAX_AGE_DAYS = 365
"""How long a device stays trusted after its last successful login (days)."""

MAX_ACCOUNTS = 10
"""Accounts (identifiers) one device cookie remembers, newest kept."""

_SALT = "portal.auth.devices"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def account_digest(identifier: str) -> str:
    """The keyed digest a device cookie holds for a normalized login identifier."""
    secret = str(current_app.secret_key).encode("utf-8")
    return hmac.new(secret, f"device\x1f{identifier}".encode("utf-8"),
                    hashlib.sha256).hexdigest()[:32]


def _read() -> tuple[str, list[str]] | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_DAYS * 24 * 3600)
        nonce, accounts = str(data["n"]), [str(a) for a in data["a"]]
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return nonce, accounts


def trusted_nonce(identifier: str) -> str | None:
    """This browser's device nonce when its cookie is valid and names the normalized login
    ``identifier``, else None."""
    read = _read()
    if read is None:
        return None
    nonce, accounts = read
    return nonce if account_digest(identifier) in accounts else None


def remember(identifiers: list[str]) -> None:
    """After a successful login: trust this browser for the normalized ``identifiers`` (the
    cookie is written with this response, keeping its nonce if it had a valid one)."""
    read = _read()
    nonce, accounts = read if read is not None else (secrets.token_urlsafe(16), [])
    for identifier in identifiers:
        if not identifier:
            continue
        digest = account_digest(identifier)
        if digest in accounts:
            accounts.remove(digest)
        accounts.append(digest)
    g.device_cookie = _serializer().dumps({"n": nonce, "a": accounts[-MAX_ACCOUNTS:]})


@bp.after_app_request
def _write_device_cookie(response):
    value = g.get("device_cookie")
    if value is not None:
        response.set_cookie(COOKIE, value, max_age=MAX_AGE_DAYS * 24 * 3600, httponly=True,
                            samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
