"""Agencies (instansi) and their units as admins keep them: created, renamed, deactivated and
reactivated, each audited; a deactivated unit cannot be chosen at registration."""

from __future__ import annotations

import sqlalchemy as sa

from portal.audit.models import AuditEvent
from portal.auth.models import Agency, Opd, User
from tests.factories import NEW_PASSWORD


def actions(db):
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def province(db) -> Agency:
    return db.session.scalars(sa.select(Agency).where(Agency.code == "15")).one()


def test_an_agency_is_created_renamed_and_deactivated_with_audit_rows(db, admin_client):
    response = admin_client.post("/admin/agencies", data={
        "code": "15.99", "name": "Pemerintah  Kabupaten Baru", "kind": "kabupaten"})
    assert response.status_code == 302
    agency = db.session.scalars(sa.select(Agency).where(Agency.code == "15.99")).one()
    assert agency.name == "Pemerintah Kabupaten Baru" and agency.is_active
    assert response.headers["Location"] == f"/admin/agencies/{agency.id}"
    admin_client.post(f"/admin/agencies/{agency.id}/rename",
                      data={"name": "Pemerintah Kabupaten Pemekaran"})
    admin_client.post(f"/admin/agencies/{agency.id}/active", data={"active": "0"})
    assert agency.name == "Pemerintah Kabupaten Pemekaran" and not agency.is_active
    assert actions(db) == ["agency.create", "agency.rename", "agency.deactivate"]
    page = admin_client.get("/admin/agencies").get_data(as_text=True)
    assert "Pemerintah Kabupaten Pemekaran" in page and "Deactivated" in page
    admin_client.post(f"/admin/agencies/{agency.id}/active", data={"active": "1"})
    assert agency.is_active and actions(db)[-1] == "agency.reactivate"


def test_a_duplicate_agency_code_is_refused_keeping_what_was_typed(db, admin_client):
    response = admin_client.post("/admin/agencies", data={
        "code": "15.01", "name": "Kerinci Lagi", "kind": "kabupaten"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Another entry already has this code." in page and 'value="Kerinci Lagi"' in page
    assert actions(db) == []


def test_a_unit_is_added_renamed_and_deactivated_then_not_offered_at_registration(
        db, admin_client, client):
    agency = province(db)
    response = admin_client.post(f"/admin/agencies/{agency.id}", data={
        "code": "uptd-baru", "name": "Dinas Pemuda dan Olahraga"})
    assert response.status_code == 302
    unit = db.session.scalars(sa.select(Opd).where(Opd.agency_id == agency.id,
                                                   Opd.code == "UPTD-BARU")).one()
    page = admin_client.get(f"/admin/agencies/{agency.id}").get_data(as_text=True)
    assert "Dinas Pemuda dan Olahraga" in page
    admin_client.post(f"/admin/units/{unit.id}/rename",
                      data={"name": "Dinas Kepemudaan dan Olahraga"})
    assert unit.name == "Dinas Kepemudaan dan Olahraga"
    admin_client.post(f"/admin/units/{unit.id}/active", data={"active": "0"})
    assert not unit.is_active
    assert actions(db) == ["unit.create", "unit.rename", "unit.deactivate"]
    audit = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "unit.rename")).one()
    assert audit.before == {"name": "Dinas Pemuda dan Olahraga"}
    assert audit.after == {"name": "Dinas Kepemudaan dan Olahraga"}

    anonymous = admin_client.application.test_client()
    form = anonymous.get("/register").get_data(as_text=True)
    assert f'value="{unit.id}"' not in form
    response = anonymous.post("/register", data={
        "nip": "19900314 201503 2 001", "full_name": "Rina Marlina",
        "email": "rina@jambiprov.go.id", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "pangkat_golongan": "Penata Muda Tk. I, III/b", "jabatan": "Pranata Komputer",
        "opd_id": str(unit.id)})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.email == "rina@jambiprov.go.id")) == 0


def test_a_blank_rename_keeps_the_old_name(db, admin_client):
    agency = province(db)
    response = admin_client.post(f"/admin/agencies/{agency.id}/rename", data={"name": "  "})
    assert response.status_code == 422
    assert agency.name == "Pemerintah Provinsi Jambi" and actions(db) == []


def test_a_bad_state_is_refused(db, admin_client):
    agency = province(db)
    assert admin_client.post(f"/admin/agencies/{agency.id}/active",
                             data={"active": "maybe"}).status_code == 400
    assert agency.is_active and actions(db) == []


def test_a_blank_unit_name_is_refused_keeping_the_old_one(db, admin_client):
    unit = db.session.scalars(sa.select(Opd).order_by(Opd.id)).first()
    old = unit.name
    response = admin_client.post(f"/admin/units/{unit.id}/rename", data={"name": ""})
    assert response.status_code == 422
    assert "Enter the name." in response.get_data(as_text=True)
    assert unit.name == old and actions(db) == []
