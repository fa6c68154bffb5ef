"""Throttling of password guesses, per account and per client, on Flask-Limiter's storage.

Two places check a typed password: the login form and the current-password field of
``/profile/password``. Every failed check counts in three moving windows (Flask-Limiter's
``moving-window`` strategy), each a setting:

- ``LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT`` (default ``5 per 15 minutes``): one account from one
  client. This is the one a user who forgot the password meets, and the one that stops a
  single attacker; it never blocks the same account on another client, so nobody can keep
  an admin or HR account locked by guessing from their own machine (the fixed 15-minute
  lock this replaces could be renewed by anyone, forever).
- ``LOGIN_LIMIT_PER_ACCOUNT`` (default ``30 per hour``): one account from all clients
  together, against guessing spread over many addresses. Only such an attack reaches it.
- ``LOGIN_LIMIT_PER_CLIENT`` (default ``100 per 15 minutes``): one client, any accounts,
  against trying one password on many accounts. Generous, since a whole office (a few
  hundred staff) may share one NAT address: on a Monday morning a tenth of 300 staff
  mistyping twice is 60 failures, well under it; a spray over many accounts still meets it
  after 100 tries.

A browser that has logged in to the account before (a device cookie,
:mod:`portal.auth.devices`) counts instead in one window of its own, that device and
account (limit ``LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT``): guesses from elsewhere, or from
others behind the same address, never lock it out (OWASP device cookies).

Registration (``/register``) counts every post per client in ``REGISTER_LIMIT_PER_CLIENT``
(default ``60 per hour``: an office registering together fits; a script creating accounts
does not).

"Account" is what identifies it: at login the identifier as typed and normalized (a NIP
without spaces, an email in lower case), for a password change the account itself. Login
keys depend only on what was typed, never on whether such an account exists, so an unknown
identifier is throttled exactly like a real one and the answer reveals nothing (the NIP and
the email of one account count as two identifiers). "Client" is the client address
(``request.remote_addr``; from ``X-Forwarded-For`` only through trusted proxies, see
``TRUSTED_PROXY_COUNT``).

While a window is full the check is refused before the password is looked at, even a right
one, until the oldest failure in it leaves the window; then one more try is allowed. A
successful login empties its account-and-client window.

Storage: ``RATELIMIT_STORAGE_URI`` (Flask-Limiter's setting), e.g. ``redis://host:6379/0``
so that several app servers count together; ``memory://`` (the default) counts per process.
Keys are HMAC-SHA256 digests made with ``SECRET_KEY``, so no NIP, email or address is
stored in the limiter's storage, and installations sharing one Redis do not mix. If the
storage fails (Redis down), counting goes on in this process's memory and the failure is
logged: an outage neither locks everybody out nor lifts throttling.

The windows run on the storage's clock (``time.time()``), not :func:`portal.timeutil.utcnow`;
both are the system clock, which the tests move with time-machine.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter, RateLimiter

from portal.auth.nip import normalize_nip
from portal.extensions import limiter

_fallback = MovingWindowRateLimiter(MemoryStorage())


@dataclass(frozen=True)
class Throttle:
    """The windows one check counts in, each ``(limit, key)``; ``cleared`` is the window a
    success empties (None: none). A password check from an untrusted client: one account
    from one client (cleared), the account from all clients, the client for all accounts;
    from a trusted device: that device and account only."""

    windows: tuple[tuple[RateLimitItem, str], ...]
    cleared: tuple[RateLimitItem, str] | None = None


SETTINGS = ("LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT", "LOGIN_LIMIT_PER_ACCOUNT",
            "LOGIN_LIMIT_PER_CLIENT", "REGISTER_LIMIT_PER_CLIENT")
"""The settings holding the limits, as rate strings."""


def check_settings(config) -> None:
    """Raise :class:`portal.config.ConfigError` unless the limits (:data:`SETTINGS`)
    are valid rate strings (e.g. ``5 per 15 minutes``, ``30/hour``)."""
    from portal.config import ConfigError

    for name in SETTINGS:
        try:
            parse(str(config[name]))
        except ValueError as exc:
            raise ConfigError(f"{name} must be a rate such as '5 per 15 minutes', got "
                              f"{config[name]!r}") from exc


def normalize_identifier(identifier: str) -> str:
    """A login identifier as it is counted: an email lowercased, anything else with the
    spaces, dots and dashes people type inside a NIP removed."""
    raw = (identifier or "").strip()
    return raw.lower() if "@" in raw else normalize_nip(raw)


def _key(*parts: str) -> str:
    secret = str(current_app.secret_key).encode("utf-8")
    digest = hmac.new(secret, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{current_app.config.get('RATELIMIT_KEY_PREFIX', '')}pw/{digest[:40]}"


def _generation_item() -> RateLimitItem:
    """The counter of unlocks of one account (:func:`unlock`): kept a day, longer than any
    sensible window, so a count never falls back to a value that revives an old window."""
    return parse("1000000 per day")


def _generation(scope: str, account: str) -> int:
    """How many times the account was unlocked (part of its account-and-client keys)."""
    item = _generation_item()
    stats = _call("get_window_stats", item, _key(scope, "unlocks", account))
    return item.amount - stats.remaining


def _throttle(scope: str, account: str, client: str) -> Throttle:
    config = current_app.config
    generation = str(_generation(scope, account))
    own = (parse(config["LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT"]),
           _key(scope, "account+client", account, client, generation))
    return Throttle(
        windows=(own,
                 (parse(config["LOGIN_LIMIT_PER_ACCOUNT"]), _key(scope, "account", account)),
                 (parse(config["LOGIN_LIMIT_PER_CLIENT"]), _key(scope, "client", client))),
        cleared=own)


def for_login(identifier: str, client: str | None, device: str | None = None) -> Throttle:
    """The windows of a login with ``identifier`` (as typed) from address ``client``;
    ``device`` is the nonce of a device cookie trusted for that identifier
    (:func:`portal.auth.devices.trusted_nonce`), which replaces them all by the window of
    that device and account."""
    account = normalize_identifier(identifier)
    if device:
        own = (parse(current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT"]),
               _key("login", "device+account", account, device,
                    str(_generation("login", account))))
        return Throttle(windows=(own,), cleared=own)
    return _throttle("login", account, client or "")


def for_registration(client: str | None) -> Throttle:
    """The window of registration posts from address ``client``
    (``REGISTER_LIMIT_PER_CLIENT``); every post counts (:func:`record_failure`)."""
    return Throttle(windows=((parse(current_app.config["REGISTER_LIMIT_PER_CLIENT"]),
                              _key("register", "client", client or "")),))


def for_password_change(user_id: int, client: str | None) -> Throttle:
    """The windows of a current-password check by account ``user_id`` from ``client``."""
    return _throttle("password", str(user_id), client or "")


def _call(method: str, *args):
    try:
        strategy: RateLimiter = limiter.limiter
        return getattr(strategy, method)(*args)
    except Exception:  # noqa: BLE001  (any storage failure: count in memory instead)
        current_app.logger.exception("Rate-limit storage failed; counting in memory")
        return getattr(_fallback, method)(*args)


def retry_at(throttle: Throttle) -> datetime | None:
    """When the next check is allowed (aware UTC) if one of the windows is full, else None."""
    full = [(item, key) for item, key in throttle.windows if not _call("test", item, key)]
    if not full:
        return None
    reset = max(_call("get_window_stats", item, key).reset_time for item, key in full)
    return datetime.fromtimestamp(reset, timezone.utc)


def record_failure(throttle: Throttle) -> None:
    """Count one failed password check in every window."""
    for item, key in throttle.windows:
        _call("hit", item, key)


def clear_account(throttle: Throttle) -> None:
    """Empty the account-and-client (or device-and-account) window after a successful
    login. The account's window over all clients stays: a login must not wipe out what a
    spread attack counted."""
    if throttle.cleared is not None:
        item, key = throttle.cleared
        _call("clear", item, key)


def unlock(identifiers: list[str], user_id: int) -> None:
    """Lift the throttling of one account (an admin's unlock): its windows over all clients
    are emptied, for each login identifier (its NIP and email, as typed at login) and for its
    password changes, and its windows per client are left behind by moving the account to a
    new generation of keys (the clients are not known, their keys are digests). The windows
    per client, which count other accounts too, stay.

    Args:
        identifiers: the account's NIP and email (None or empty ones are skipped).
        user_id: the account's id (its password-change windows).
    """
    accounts = [("login", normalize_identifier(i)) for i in identifiers if i]
    accounts.append(("password", str(user_id)))
    for scope, account in accounts:
        _call("clear", parse(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]),
              _key(scope, "account", account))
        _call("hit", _generation_item(), _key(scope, "unlocks", account))


def account_locked(identifiers: list[str], user_id: int) -> bool:
    """True if a window over all clients of the account is full (for its NIP or email, or
    its password changes). A window of one client is not seen here: its key holds the
    client's address."""
    config = current_app.config
    keys = [_key("login", "account", normalize_identifier(i)) for i in identifiers if i]
    keys.append(_key("password", "account", str(user_id)))
    item = parse(config["LOGIN_LIMIT_PER_ACCOUNT"])
    return any(not _call("test", item, key) for key in keys)
