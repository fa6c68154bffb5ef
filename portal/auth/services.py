"""Account rules: registration, login, profile and password changes, sessions, roles.

Plain functions on model objects and plain data; they flush, never commit, and raise
:class:`AuthError` (login) or :class:`AccountError` (everything else) with a ``code`` that views
turn into translated messages and HTTP status codes.

Passwords are hashed with :func:`werkzeug.security.generate_password_hash` using the
``PASSWORD_HASH_METHOD`` setting (scrypt, Werkzeug's default; the test suite alone sets a cheap
method, since hashing was half its running time).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth.models import Role, User
from portal.auth.nip import normalize_nip, parse_nip
from portal.auth.opd import get_active_opd
from portal.auth.ranks import rank_mismatch
from portal.errors import DomainError
from portal.extensions import db
from portal.printable import normalize_printed, unprintable_characters

MIN_PASSWORD_LENGTH = 10
"""Shortest accepted password, in characters."""


class AuthError(DomainError):
    """A failed login.

    ``code`` is one of:
    - ``bad_credentials``: unknown NIP/email or wrong password (never says which);
    - ``inactive``: right password, but the account was deactivated.
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)


class AccountError(DomainError):
    """A refused change to an account.

    ``code`` is one of ``duplicate_nip``, ``duplicate_email``, ``wrong_password``,
    ``unknown_opd``, ``password_too_short``, ``unknown_role``, ``unprintable`` (a character a
    certificate cannot print, see :mod:`portal.printable`), ``pns_rank_for_pppk`` or
    ``pppk_grade_for_pns`` (a rank of the other kind than the number,
    :func:`portal.auth.ranks.rank_mismatch`); ``field`` names the form field the message
    belongs to.
    """

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code, field=field)


# --- passwords --------------------------------------------------------------------------

DEFAULT_PASSWORD_HASH_METHOD = "scrypt"
"""Werkzeug's default method, used in production (OWASP Password Storage Cheat Sheet)."""


def _hash_method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_PASSWORD_HASH_METHOD)
    return DEFAULT_PASSWORD_HASH_METHOD


def hash_password(password: str) -> str:
    """Hash ``password`` with the ``PASSWORD_HASH_METHOD`` setting (a Werkzeug method string,
    ``scrypt`` unless the test suite sets a cheap one)."""
    return generate_password_hash(password, method=_hash_method())


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no-such-account-placeholder", method=method)


def _check_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same work on a dummy hash and fail."""
    if not password_hash:
        check_password_hash(_dummy_hash(_hash_method()), password)
        return False
    return check_password_hash(password_hash, password)


def _printed(value: str | None, field: str) -> str:
    """``value`` normalized for printing (:func:`portal.printable.normalize_printed`).

    Raises:
        AccountError: ``unprintable`` on ``field`` when a certificate cannot print it.
    """
    text = normalize_printed(value)
    if unprintable_characters(text):
        raise AccountError("unprintable", field)
    return text


def _require_length(password: str, field: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short", field)


# --- look-ups ---------------------------------------------------------------------------

def normalize_email(email: str) -> str:
    """Trim and lowercase an email address (addresses are compared case-insensitively)."""
    return (email or "").strip().lower()


def find_by_identifier(identifier: str) -> User | None:
    """Find the account for a login identifier: a NIP (spaces allowed) or an email address.

    Returns ``None`` when nothing matches.
    """
    raw = (identifier or "").strip()
    if not raw:
        return None
    if "@" in raw:
        return find_by_email(raw)
    nip = normalize_nip(raw)
    if nip.isdigit() and nip.isascii():
        return db.session.scalars(sa.select(User).where(User.nip == nip)).first()
    return None


def find_by_email(email: str) -> User | None:
    """The account with this email address (case-insensitive), or ``None``."""
    return db.session.scalars(
        sa.select(User).where(User.email == normalize_email(email))
    ).first()


def nip_taken(nip: str, exclude: User | None = None) -> bool:
    """True if another account (not ``exclude``) already has this NIP (normalized)."""
    query = sa.select(User.id).where(User.nip == normalize_nip(nip))
    if exclude is not None and exclude.id is not None:
        query = query.where(User.id != exclude.id)
    return db.session.scalars(query).first() is not None


def email_taken(email: str, exclude: User | None = None) -> bool:
    """True if another account (not ``exclude``) already uses this email (case-insensitive)."""
    query = sa.select(User.id).where(User.email == normalize_email(email))
    if exclude is not None and exclude.id is not None:
        query = query.where(User.id != exclude.id)
    return db.session.scalars(query).first() is not None


# --- login ------------------------------------------------------------------------------

def authenticate(identifier: str, password: str, now: datetime) -> User:
    """Check a login: the account for ``identifier`` and its password.

    Unknown identifiers get the same answer as a wrong password, after the same password-hash
    work, so neither the answer nor its timing reveals whether an account exists. Guessing is
    throttled by the caller (:mod:`portal.auth.throttle`), per account and per client.

    Args:
        identifier: a NIP (spaces allowed) or an email address.
        password: the password as typed.
        now: the current time, aware UTC; stored as ``last_login_at`` on success.

    Returns:
        The authenticated :class:`User` (changes flushed, not committed).

    Raises:
        AuthError: ``bad_credentials`` or ``inactive``.
    """
    user = find_by_identifier(identifier)
    if user is None:
        _check_password(None, password)
        raise AuthError("bad_credentials")
    if not _check_password(user.password_hash, password):
        raise AuthError("bad_credentials")
    if not user.is_active_account:
        raise AuthError("inactive")
    user.last_login_at = now
    db.session.flush()
    return user


# --- accounts ---------------------------------------------------------------------------

def create_user(*, email: str, password: str, full_name: str, nip: str | None = None,
                name_prefix: str = "", name_suffix: str = "", pangkat_golongan: str = "",
                jabatan: str = "", opd_id: int | None = None,
                role: Role | str = Role.PESERTA, locale: str | None = None,
                learner: bool = True) -> User:
    """Create an account holding ``role`` (flushed, not committed).

    Every account is a learner: it also holds ``peserta`` unless ``learner`` is False (an
    operator's account that never studies).

    The NIP (or NI PPPK) is validated with :func:`portal.auth.nip.parse_nip` and stored as 18
    digits; the email is stored lowercased; the password is hashed. The printed fields (name
    parts, jabatan) are stored normalized (:func:`portal.printable.normalize_printed`).

    Raises:
        portal.auth.nip.InvalidNip: the NIP breaks a rule.
        AccountError: ``duplicate_nip`` (field ``nip``), ``duplicate_email`` (``email``),
            ``password_too_short`` (``password``), ``unknown_opd`` (``opd_id``: missing or
            inactive OPD), ``unknown_role`` (``role``), ``unprintable`` (the printed field
            with a character a certificate cannot print), ``pns_rank_for_pppk`` or
            ``pppk_grade_for_pns`` (``pangkat_golongan``: a PNS rank for an NI PPPK, a PPPK
            grade for a NIP).
    """
    roles = {Role(_role_value(role))} | ({Role.PESERTA} if learner else set())
    printed = {name: _printed(value, name) for name, value in (
        ("name_prefix", name_prefix), ("full_name", full_name), ("name_suffix", name_suffix),
        ("jabatan", jabatan))}
    value = parse_nip(nip).value if nip else None
    _require_rank_of_kind(pangkat_golongan, value)
    email = normalize_email(email)
    if value and nip_taken(value):
        raise AccountError("duplicate_nip", "nip")
    if email_taken(email):
        raise AccountError("duplicate_email", "email")
    _require_length(password, "password")
    if opd_id is not None and get_active_opd(opd_id) is None:
        raise AccountError("unknown_opd", "opd_id")
    user = User(
        nip=value,
        email=email,
        password_hash=hash_password(password),
        pangkat_golongan=(pangkat_golongan or "").strip(),
        opd_id=opd_id,
        roles=roles,
        **printed,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _require_rank_of_kind(rank: str, nip: str | None) -> None:
    """Raise ``AccountError`` (field ``pangkat_golongan``) when ``rank`` belongs to the other
    kind of civil servant than ``nip`` (:func:`portal.auth.ranks.rank_mismatch`)."""
    code = rank_mismatch(rank, nip)
    if code is not None:
        raise AccountError(code, "pangkat_golongan")


def register_peserta(*, nip: str, email: str, password: str, full_name: str,
                     name_prefix: str, name_suffix: str, pangkat_golongan: str, jabatan: str,
                     opd_id: int, locale: str | None = None) -> User:
    """Self-registration of an ASN learner: always role ``peserta``, NIP required.

    Raises:
        portal.auth.nip.InvalidNip, AccountError: as :func:`create_user`.
    """
    return create_user(nip=nip, email=email, password=password, full_name=full_name,
                       name_prefix=name_prefix, name_suffix=name_suffix,
                       pangkat_golongan=pangkat_golongan, jabatan=jabatan, opd_id=opd_id,
                       role=Role.PESERTA, locale=locale)


def update_profile(user: User, *, email: str, full_name: str, name_prefix: str,
                   name_suffix: str, pangkat_golongan: str, jabatan: str, opd_id: int | None,
                   locale: str | None) -> User:
    """Change the editable parts of an account (the NIP and role are not editable here).

    Raises:
        AccountError: ``duplicate_email`` (field ``email``), ``unknown_opd`` (``opd_id``;
            the user's current OPD stays acceptable even if it was deactivated since),
            ``unprintable`` (a printed field, as :func:`create_user`), or
            ``pns_rank_for_pppk`` / ``pppk_grade_for_pns`` (``pangkat_golongan``: a rank of
            the other kind than the account's NIP or NI PPPK, even one saved earlier).
    """
    printed = {name: _printed(value, name) for name, value in (
        ("name_prefix", name_prefix), ("full_name", full_name), ("name_suffix", name_suffix),
        ("jabatan", jabatan))}
    _require_rank_of_kind(pangkat_golongan, user.nip)
    email = normalize_email(email)
    if email_taken(email, exclude=user):
        raise AccountError("duplicate_email", "email")
    if opd_id is not None and opd_id != user.opd_id and get_active_opd(opd_id) is None:
        raise AccountError("unknown_opd", "opd_id")
    user.email = email
    for name, value in printed.items():
        setattr(user, name, value)
    user.pangkat_golongan = (pangkat_golongan or "").strip()
    user.opd_id = opd_id
    user.locale = locale
    db.session.flush()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Replace the password after checking the current one, and end every session of the
    account (:func:`end_all_sessions`; the caller starts a new one for the device that made
    the change).

    Raises:
        AccountError: ``wrong_password`` (field ``current_password``) or
            ``password_too_short`` (field ``new_password``).
    """
    if not _check_password(user.password_hash, current_password):
        raise AccountError("wrong_password", "current_password")
    _require_length(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)


def set_password(user: User, new_password: str) -> None:
    """Replace the password without checking the old one (a reset by an operator, ``flask
    users set-password``), and end every session of the account.

    Raises:
        AccountError: ``password_too_short`` (field ``password``).
    """
    _require_length(new_password, "password")
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)


# --- sessions ---------------------------------------------------------------------------

def end_all_sessions(user: User) -> None:
    """End every login session of ``user`` at once, on every device, whoever holds a copy
    of the cookie: the account's ``session_version`` goes up by one, and a session stamped
    with another version is refused on its next request (:mod:`portal.auth.sessions`).

    Called by logout, password changes and resets, and deactivation; admin features that
    revoke access call it too. The increment is one ``UPDATE`` (safe under concurrent
    requests); ``user.session_version`` is refreshed. Flushes, never commits.
    """
    db.session.flush()
    db.session.execute(
        sa.update(User).where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False))
    db.session.refresh(user, ["session_version"])


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends its sessions at once.

    A deactivated account cannot log in (:func:`authenticate` raises ``inactive``) and no
    session of it is accepted any more (:func:`portal.auth.sessions.end_reason`).
    """
    user.is_active_account = bool(active)
    if not active:
        end_all_sessions(user)
    db.session.flush()


def add_role(user: User, role: Role | str) -> bool:
    """Give ``user`` the role ``role`` (one of :class:`Role`) beside those it holds; True if
    it was not held before.

    Raises:
        AccountError: ``unknown_role``.
    """
    wanted = Role(_role_value(role))
    added = wanted not in user.roles
    user.roles = user.roles | {wanted}
    db.session.flush()
    return added


def remove_role(user: User, role: Role | str) -> bool:
    """Take the role ``role`` from ``user``; True if it was held. A user may end up with no
    role at all: it can then log in, but reach only the pages every account reaches.

    Raises:
        AccountError: ``unknown_role``.
    """
    unwanted = Role(_role_value(role))
    removed = unwanted in user.roles
    user.roles = user.roles - {unwanted}
    db.session.flush()
    return removed


def set_supervisor(user: User, supervisor: User | None) -> None:
    """Record ``supervisor`` as the atasan langsung (direct supervisor) of ``user``, or none.

    The atasan langsung appraises the civil servant's performance (PP 30/2019 on PNS
    performance appraisal; PermenPANRB 6/2022 on managing ASN performance); evaluation of
    training at work (Kirkpatrick level 3) asks them.

    Raises:
        AccountError: ``own_supervisor`` (field ``supervisor``): ``supervisor`` is ``user``.
    """
    if supervisor is not None and (supervisor is user or supervisor.id == user.id):
        raise AccountError("own_supervisor", "supervisor")
    user.supervisor = supervisor
    db.session.flush()


def _role_value(role: Role | str) -> str:
    try:
        return Role(role).value
    except ValueError as exc:
        raise AccountError("unknown_role", "role") from exc
