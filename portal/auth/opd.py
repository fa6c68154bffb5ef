"""Look-ups on the list of OPDs (unit kerja) seeded by migration 0002."""

from __future__ import annotations

import sqlalchemy as sa

from portal.auth.models import Opd
from portal.extensions import db


def active_opds() -> list[Opd]:
    """Active OPDs ordered by name (case-insensitive), for select boxes."""
    return list(db.session.scalars(
        sa.select(Opd).where(Opd.is_active.is_(True)).order_by(sa.func.lower(Opd.name))
    ))


def get_active_opd(opd_id: int | None) -> Opd | None:
    """The active OPD with this id, or ``None`` when it does not exist or is inactive."""
    if opd_id is None:
        return None
    opd = db.session.get(Opd, opd_id)
    return opd if opd is not None and opd.is_active else None


def find_opd(name_or_code: str) -> Opd | None:
    """The OPD whose code or name equals ``name_or_code`` (case-insensitive), or ``None``."""
    key = name_or_code.strip().lower()
    return db.session.scalars(
        sa.select(Opd).where(sa.or_(sa.func.lower(Opd.code) == key,
                                    sa.func.lower(Opd.name) == key))
    ).first()
