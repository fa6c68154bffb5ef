"""What admins do to accounts: search, profile and NIP corrections, roles, deactivation,
unlocking; and the counts of the admin's landing page.

Plain functions; they flush, never commit, and write one audit row per change
(:func:`portal.audit.services.record`) in the same transaction. Errors are
:class:`portal.auth.services.AccountError` (codes as there, plus ``own_account``: an admin
may not deactivate their own account or take their own admin role) and
:class:`portal.auth.nip.InvalidNip`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.audit.services import record
from portal.auth import services as accounts, throttle
from portal.auth.models import Agency, Opd, Role, User, UserRole
from portal.auth.nip import parse_nip
from portal.auth.services import AccountError
from portal.certificates.models import Certificate
from portal.courses.models import Course
from portal.extensions import db
from portal.pagination import ResultPage
from portal.progress.models import Enrolment
from portal.timeutil import UTC, WIB

PROFILE_FIELDS = ("email", "name_prefix", "full_name", "name_suffix", "pangkat_golongan",
                  "jabatan", "opd_id")
"""The account fields an admin edits on the profile form (audited before and after)."""


@dataclass(frozen=True)
class Counts:
    """The figures of the admin's landing page: accounts, active learners (a learner with an
    enrolment not completed, on an active account), courses, and certificates issued in
    the current WIB year (``year``)."""

    users: int
    active_learners: int
    courses: int
    certificates_this_year: int
    year: int


def landing_counts(now: datetime) -> Counts:
    """The :class:`Counts` at ``now`` (aware UTC); four SQL statements."""
    year = now.astimezone(WIB).year
    start = datetime(year, 1, 1, tzinfo=WIB).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=WIB).astimezone(UTC)
    return Counts(
        users=db.session.scalar(sa.select(sa.func.count(User.id))) or 0,
        active_learners=db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Enrolment.user_id)))
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.completed_at.is_(None), User.is_active_account.is_(True))) or 0,
        courses=db.session.scalar(sa.select(sa.func.count(Course.id))) or 0,
        certificates_this_year=db.session.scalar(
            sa.select(sa.func.count(Certificate.id))
            .where(Certificate.issued_at >= start, Certificate.issued_at < end)) or 0,
        year=year)


# --- search -------------------------------------------------------------------------------

@dataclass(frozen=True)
class UserFilter:
    """What the account list searches for; empty fields do not filter.

    ``text`` matches part of the name, NIP (spaces ignored) or email; ``agency_id`` and
    ``opd_id`` the account's unit; ``role`` one :class:`Role` value; ``status`` is
    ``active`` or ``inactive`` (deactivated).
    """

    text: str = ""
    agency_id: int | None = None
    opd_id: int | None = None
    role: str = ""
    status: str = ""


def search_users(filters: UserFilter, *, page: int = 1, per_page: int = 30) -> ResultPage:
    """Accounts matching ``filters`` by name, one page of ``per_page``, each with its unit,
    agency and roles loaded: three SQL statements whatever the page size (a count, the
    page with unit and agency joined, the roles of the page)."""
    query = sa.select(User)
    text = filters.text.strip().lower()
    if text:
        pattern = f"%{text}%"
        digits = "".join(ch for ch in text if ch.isdigit())
        conditions = [sa.func.lower(User.full_name).like(pattern),
                      sa.func.lower(User.email).like(pattern)]
        if digits and len(digits) == len(text.replace(" ", "").replace(".", "")):
            conditions.append(User.nip.like(f"%{digits}%"))
        query = query.where(sa.or_(*conditions))
    if filters.opd_id is not None:
        query = query.where(User.opd_id == filters.opd_id)
    if filters.agency_id is not None:
        query = query.where(User.opd_id.in_(
            sa.select(Opd.id).where(Opd.agency_id == filters.agency_id)))
    if filters.role:
        query = query.where(User.id.in_(
            sa.select(UserRole.user_id).where(UserRole.role == filters.role)))
    if filters.status == "active":
        query = query.where(User.is_active_account.is_(True))
    elif filters.status == "inactive":
        query = query.where(User.is_active_account.is_(False))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    items = list(db.session.scalars(
        query.options(joinedload(User.opd).joinedload(Opd.agency),
                      selectinload(User.role_rows))
        .order_by(sa.func.lower(User.full_name), User.id)
        .limit(per_page).offset((page - 1) * per_page)).unique())
    return ResultPage(items=items, page=page, per_page=per_page, total=total)


# --- changes ------------------------------------------------------------------------------

def _snapshot(user: User, fields) -> dict:
    return {name: getattr(user, name) for name in fields}


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    changed = [name for name in before if before[name] != after[name]]
    return ({name: before[name] for name in changed}, {name: after[name] for name in changed})


def edit_profile(user: User, *, actor: User, now: datetime, client: str | None,
                 **fields) -> bool:
    """Change the editable parts of ``user`` with the learner's own rules
    (:func:`portal.auth.services.update_profile`, the account's language kept); audited as
    ``user.profile`` with the changed fields only. ``fields`` are those of
    :data:`PROFILE_FIELDS`. Returns False (and writes nothing) when nothing changed.

    Raises:
        AccountError: as :func:`portal.auth.services.update_profile`.
    """
    before = _snapshot(user, PROFILE_FIELDS)
    accounts.update_profile(user, locale=user.locale, **fields)
    old, new = _diff(before, _snapshot(user, PROFILE_FIELDS))
    if not new:
        return False
    record(actor=actor, action="user.profile", target_kind="user", target_id=user.id,
           before=old, after=new, now=now, client=client)
    return True


def correct_nip(user: User, nip: str, reason: str, *, actor: User, now: datetime,
                client: str | None) -> None:
    """Replace the NIP of ``user`` (validated as at registration) for the ``reason`` given;
    audited as ``user.nip`` with the old and new NIP and the reason.

    Raises:
        portal.auth.nip.InvalidNip: the new NIP breaks a rule.
        AccountError: ``duplicate_nip`` (field ``nip``), ``reason_required`` (``reason``).
    """
    reason = (reason or "").strip()
    if not reason:
        raise AccountError("reason_required", "reason")
    value = parse_nip(nip).value
    if accounts.nip_taken(value, exclude=user):
        raise AccountError("duplicate_nip", "nip")
    before = user.nip
    user.nip = value
    db.session.flush()
    record(actor=actor, action="user.nip", target_kind="user", target_id=user.id,
           before={"nip": before}, after={"nip": value, "reason": reason}, now=now,
           client=client)


def set_roles(user: User, roles, *, actor: User, now: datetime, client: str | None) -> bool:
    """Give ``user`` exactly ``roles`` (values of :class:`Role`) through
    :func:`portal.auth.services.add_role` and ``remove_role``; audited as ``user.roles`` with
    the sorted role lists. Returns False (nothing written) when nothing changed.

    Raises:
        AccountError: ``unknown_role``; ``own_account`` (field ``roles``) when ``actor`` would
            take their own admin role (the portal must keep an admin who can give it back).
    """
    wanted = {Role(accounts._role_value(r)) for r in roles}
    held = set(user.roles)
    if user.id == actor.id and Role.ADMIN in held and Role.ADMIN not in wanted:
        raise AccountError("own_account", "roles")
    if wanted == held:
        return False
    for role in sorted(wanted - held):
        accounts.add_role(user, role)
    for role in sorted(held - wanted):
        accounts.remove_role(user, role)
    record(actor=actor, action="user.roles", target_kind="user", target_id=user.id,
           before={"roles": sorted(r.value for r in held)},
           after={"roles": sorted(r.value for r in wanted)}, now=now, client=client)
    return True


def set_active(user: User, active: bool, *, actor: User, now: datetime,
               client: str | None) -> bool:
    """Reactivate or deactivate ``user`` (:func:`portal.auth.services.set_active`:
    deactivation ends every session of the account at once); audited as
    ``user.deactivate`` or ``user.reactivate``. Returns False when already so.

    Raises:
        AccountError: ``own_account`` when ``actor`` deactivates their own account.
    """
    if not active and user.id == actor.id:
        raise AccountError("own_account")
    if user.is_active_account == bool(active):
        return False
    accounts.set_active(user, active)
    record(actor=actor, action="user.reactivate" if active else "user.deactivate",
           target_kind="user", target_id=user.id, before={"active": not active},
           after={"active": bool(active)}, now=now, client=client)
    return True


def is_locked(user: User) -> bool:
    """True if password checks for ``user`` are throttled on every client
    (:func:`portal.auth.throttle.account_locked`)."""
    return throttle.account_locked([user.nip, user.email], user.id)


def unlock(user: User, *, actor: User, now: datetime, client: str | None) -> None:
    """Lift the throttling of password checks for ``user``
    (:func:`portal.auth.throttle.unlock`); audited as ``user.unlock``. The throttle's
    storage is not transactional: the unlock holds even if the request later fails."""
    locked = is_locked(user)
    throttle.unlock([user.nip, user.email], user.id)
    record(actor=actor, action="user.unlock", target_kind="user", target_id=user.id,
           before={"locked": locked}, after={"locked": False}, now=now, client=client)


def agencies_for_filter() -> list[Agency]:
    """Every agency (active or not) by position and name, for the account filter."""
    return list(db.session.scalars(
        sa.select(Agency).order_by(Agency.position, sa.func.lower(Agency.name))))
