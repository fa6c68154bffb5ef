"""Look-ups on agencies (instansi) and their units (OPD, unit kerja), seeded by migrations
0002 (the province's units) and 0005 (the agencies and the kabupaten/kota units).

Lists hold active rows only, in the order an admin sets (``position``, then name); a unit
counts as active only when its agency is active too.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.auth.models import Agency, Opd
from portal.extensions import db


def active_agencies() -> list[Agency]:
    """Active agencies by ``position``, then name: the province first, then the kabupaten,
    then the kota (as seeded)."""
    return list(db.session.scalars(
        sa.select(Agency).where(Agency.is_active.is_(True))
        .order_by(Agency.position, sa.func.lower(Agency.name))
    ))


def get_active_agency(agency_id: int | None) -> Agency | None:
    """The active agency with this id, or ``None`` (no id, no such agency, inactive)."""
    if agency_id is None:
        return None
    agency = db.session.get(Agency, agency_id)
    return agency if agency is not None and agency.is_active else None


def active_opds(agency_id: int | None = None) -> list[Opd]:
    """Active units of active agencies, grouped by agency (in :func:`active_agencies`
    order), then by ``position`` and name; only those of ``agency_id`` when given."""
    query = (sa.select(Opd).join(Opd.agency)
             .where(Opd.is_active.is_(True), Agency.is_active.is_(True))
             .order_by(Agency.position, sa.func.lower(Agency.name), Opd.position,
                       sa.func.lower(Opd.name)))
    if agency_id is not None:
        query = query.where(Opd.agency_id == agency_id)
    return list(db.session.scalars(query))


def get_active_opd(opd_id: int | None) -> Opd | None:
    """The active unit (of an active agency) with this id, or ``None``."""
    if opd_id is None:
        return None
    opd = db.session.get(Opd, opd_id)
    if opd is None or not opd.is_active or not opd.agency.is_active:
        return None
    return opd


def find_opd(name_or_code: str, agency_code: str | None = None) -> Opd | None:
    """The unit whose code or name equals ``name_or_code`` (case-insensitive), in the agency
    with code ``agency_code`` (e.g. ``"15.05"``; default: the province, ``"15"``), or
    ``None``."""
    key = name_or_code.strip().lower()
    return db.session.scalars(
        sa.select(Opd).join(Opd.agency)
        .where(Agency.code == (agency_code or PROVINCE_CODE),
               sa.or_(sa.func.lower(Opd.code) == key, sa.func.lower(Opd.name) == key))
    ).first()


PROVINCE_CODE = "15"
"""Kemendagri code of Provinsi Jambi, the code of its government's agency row."""
