"""Writing and searching the audit log.

:func:`record` is the one way a row is written: callers pass the change's before and after
values and flush it with the change itself, so both commit (or roll back) together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.pagination import ResultPage
from portal.timeutil import UTC, WIB

ACTIONS = (
    "user.profile", "user.nip", "user.roles", "user.deactivate", "user.reactivate",
    "user.unlock", "user.reset_link", "agency.create", "agency.rename", "agency.deactivate", "agency.reactivate",
    "unit.create", "unit.rename", "unit.deactivate", "unit.reactivate",
)
"""Every action written by the portal, as stored in ``audit_event.action``."""


def record(*, actor: User | None, action: str, target_kind: str, target_id: object,
           before: dict | None, after: dict | None, now: datetime,
           client: str | None = None) -> AuditEvent:
    """Add one audit row (flushed, not committed: it commits with the change it describes).

    Args:
        actor: who made the change (None for a command run on the server).
        action: one of :data:`ACTIONS`.
        target_kind, target_id: what changed, e.g. ``"user"`` and ``42``.
        before, after: the changed values (JSON-serialisable dicts), or None.
        now: aware UTC.
        client: the client's address (``request.remote_addr``), if any.

    Raises:
        ValueError: ``action`` is not one of :data:`ACTIONS`.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    label = ""
    if actor is not None:
        label = actor.display_name + (f" ({actor.email})" if actor.email else "")
    event = AuditEvent(actor_id=actor.id if actor is not None else None, actor_label=label,
                       action=action, target_kind=target_kind, target_id=str(target_id),
                       before=before, after=after, at=now, client_address=client or "")
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page searches for; empty fields do not filter.

    ``actor`` matches part of the actor's name or email (case-insensitive); ``action`` one
    of :data:`ACTIONS`; ``target_kind`` and ``target_id`` exactly; ``date_from`` and
    ``date_to`` are calendar days in WIB, both included.
    """

    actor: str = ""
    action: str = ""
    target_kind: str = ""
    target_id: str = ""
    date_from: date | None = None
    date_to: date | None = None




def wib_day_start(day: date) -> datetime:
    """The first moment (aware UTC) of the WIB calendar day ``day``."""
    return datetime.combine(day, time(0), tzinfo=WIB).astimezone(UTC)


def search(filters: AuditFilter, *, page: int = 1, per_page: int = 50) -> ResultPage:
    """Audit rows matching ``filters``, newest first, one page of ``per_page``; two SQL
    statements (a count and the page, the actor joined)."""
    query = sa.select(AuditEvent)
    if filters.actor:
        pattern = f"%{filters.actor.strip().lower()}%"
        query = query.where(sa.func.lower(AuditEvent.actor_label).like(pattern))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.target_kind:
        query = query.where(AuditEvent.target_kind == filters.target_kind)
    if filters.target_id:
        query = query.where(AuditEvent.target_id == filters.target_id.strip())
    if filters.date_from:
        query = query.where(AuditEvent.at >= wib_day_start(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < wib_day_start(filters.date_to + timedelta(days=1)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    page = max(1, page)
    items = list(db.session.scalars(
        query.options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    return ResultPage(items=items, page=page, per_page=per_page, total=total or 0)
