"""What admins do to agencies (instansi) and their units (unit kerja): create, rename,
deactivate and reactivate, each audited (:func:`portal.audit.services.record`).

Deactivating hides an agency or unit from the lists new choices come from (registration, the
profile: :mod:`portal.auth.opd`); accounts already in it keep it. Nothing is deleted, so
certificates and reports keep their names. Functions flush, never commit, and raise
:class:`AgencyError`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from portal.audit.services import record
from portal.auth.models import Agency, AgencyKind, Opd, User
from portal.errors import DomainError
from portal.extensions import db


class AgencyError(DomainError):
    """A refused change to an agency or unit. ``code`` is ``duplicate_code`` (field
    ``code``: another agency, or another unit of the same agency, has it), ``empty``
    (the field ``field`` is blank) or ``unknown_kind`` (field ``kind``)."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code, field=field)


def all_agencies() -> list[Agency]:
    """Every agency, active or not, by ``position`` then name."""
    return list(db.session.scalars(
        sa.select(Agency).order_by(Agency.position, sa.func.lower(Agency.name))))


def units_of(agency: Agency) -> list[Opd]:
    """Every unit of ``agency``, active or not, by ``position`` then name."""
    return list(db.session.scalars(
        sa.select(Opd).where(Opd.agency_id == agency.id)
        .order_by(Opd.position, sa.func.lower(Opd.name))))


def _required(value: str | None, field: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise AgencyError("empty", field)
    return text


def create_agency(*, code: str, name: str, kind: str, actor: User, now: datetime,
                  client: str | None) -> Agency:
    """Add an active agency, listed after the others. ``code`` is its Kemendagri region
    code (e.g. ``15.09``); ``kind`` an :class:`AgencyKind` value. Audited as
    ``agency.create``.

    Raises:
        AgencyError: ``empty``, ``unknown_kind``, ``duplicate_code``.
    """
    code, name = _required(code, "code"), _required(name, "name")
    if kind not in {k.value for k in AgencyKind}:
        raise AgencyError("unknown_kind", "kind")
    if db.session.scalar(sa.select(Agency.id).where(Agency.code == code)) is not None:
        raise AgencyError("duplicate_code", "code")
    position = (db.session.scalar(sa.select(sa.func.max(Agency.position))) or 0) + 1
    agency = Agency(code=code, name=name, kind=kind, position=position, is_active=True)
    db.session.add(agency)
    db.session.flush()
    record(actor=actor, action="agency.create", target_kind="agency", target_id=agency.id,
           before=None, after={"code": code, "name": name, "kind": kind}, now=now,
           client=client)
    return agency


def rename_agency(agency: Agency, name: str, *, actor: User, now: datetime,
                  client: str | None) -> bool:
    """Rename ``agency``; audited as ``agency.rename``. False when the name is unchanged.

    Raises:
        AgencyError: ``empty`` (field ``name``).
    """
    name = _required(name, "name")
    if name == agency.name:
        return False
    before, agency.name = agency.name, name
    db.session.flush()
    record(actor=actor, action="agency.rename", target_kind="agency", target_id=agency.id,
           before={"name": before}, after={"name": name}, now=now, client=client)
    return True


def set_agency_active(agency: Agency, active: bool, *, actor: User, now: datetime,
                      client: str | None) -> bool:
    """Deactivate or reactivate ``agency`` (its units drop out of the lists with it);
    audited as ``agency.deactivate`` or ``agency.reactivate``. False when already so."""
    if agency.is_active == bool(active):
        return False
    agency.is_active = bool(active)
    db.session.flush()
    record(actor=actor, action="agency.reactivate" if active else "agency.deactivate",
           target_kind="agency", target_id=agency.id, before={"active": not active},
           after={"active": bool(active)}, now=now, client=client)
    return True


def create_unit(agency: Agency, *, code: str, name: str, actor: User, now: datetime,
                client: str | None) -> Opd:
    """Add an active unit to ``agency``, listed after its others; ``code`` unique within
    the agency. Audited as ``unit.create``.

    Raises:
        AgencyError: ``empty``, ``duplicate_code``.
    """
    code, name = _required(code, "code").upper(), _required(name, "name")
    if db.session.scalar(sa.select(Opd.id).where(
            Opd.agency_id == agency.id, Opd.code == code)) is not None:
        raise AgencyError("duplicate_code", "code")
    position = (db.session.scalar(
        sa.select(sa.func.max(Opd.position)).where(Opd.agency_id == agency.id)) or 0) + 1
    unit = Opd(agency_id=agency.id, code=code, name=name, position=position, is_active=True)
    db.session.add(unit)
    db.session.flush()
    record(actor=actor, action="unit.create", target_kind="unit", target_id=unit.id,
           before=None, after={"agency": agency.code, "code": code, "name": name}, now=now,
           client=client)
    return unit


def rename_unit(unit: Opd, name: str, *, actor: User, now: datetime,
                client: str | None) -> bool:
    """Rename ``unit``; audited as ``unit.rename``. False when the name is unchanged.

    Raises:
        AgencyError: ``empty`` (field ``name``).
    """
    name = _required(name, "name")
    if name == unit.name:
        return False
    before, unit.name = unit.name, name
    db.session.flush()
    record(actor=actor, action="unit.rename", target_kind="unit", target_id=unit.id,
           before={"name": before}, after={"name": name}, now=now, client=client)
    return True


def set_unit_active(unit: Opd, active: bool, *, actor: User, now: datetime,
                    client: str | None) -> bool:
    """Deactivate or reactivate ``unit``: a deactivated unit cannot be chosen at
    registration any more. Audited as ``unit.deactivate`` or ``unit.reactivate``; False
    when already so."""
    if unit.is_active == bool(active):
        return False
    unit.is_active = bool(active)
    db.session.flush()
    record(actor=actor, action="unit.reactivate" if active else "unit.deactivate",
           target_kind="unit", target_id=unit.id, before={"active": not active},
           after={"active": bool(active)}, now=now, client=client)
    return True
