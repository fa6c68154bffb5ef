"""The audit log's table."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """One administrative change.

    ``actor_id`` is the account that made it (None once that account is deleted, when
    ``actor_label`` still names it); ``action`` a dotted name such as ``user.deactivate``
    (see :data:`portal.audit.services.ACTIONS`); ``target_kind`` and ``target_id`` name what
    changed (``user`` and ``42``); ``before`` and ``after`` hold the changed values as JSON
    objects (None when nothing existed before, e.g. a created agency); ``at`` is aware UTC;
    ``client_address`` is the client's address as the portal saw it (``request.remote_addr``).
    Rows are only ever added.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(320), default="")
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target_kind: Mapped[str] = mapped_column(sa.String(40))
    target_id: Mapped[str] = mapped_column(sa.String(40))
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    client_address: Mapped[str] = mapped_column(sa.String(64), default="")

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"
