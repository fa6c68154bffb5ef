"""Accounts as admins manage them: search in a fixed number of statements, profile edits with
the learner's rules, NIP corrections with a reason, roles, deactivation that ends sessions at
once, unlocking; every change audited; stale forms keep what was typed."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.admin.services import UserFilter, search_users
from portal.audit.models import AuditEvent
from portal.auth.models import Opd, User
from portal.extensions import db as _db
from tests.factories import DEFAULT_PASSWORD, first_opd, next_nip, set_english


def events(db, action=None):
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def profile_data(user, **changes):
    data = {"name_prefix": user.name_prefix, "full_name": user.full_name,
            "name_suffix": user.name_suffix, "email": user.email,
            "pangkat_golongan": "Penata Muda Tk. I, III/b", "jabatan": user.jabatan or "Analis",
            "agency_id": str(user.opd.agency_id), "opd_id": str(user.opd_id)}
    data.update(changes)
    return data


# --- search -----------------------------------------------------------------------------------

def test_search_filters_by_text_nip_unit_role_and_status(db, admin, make_user):
    other_unit = db.session.scalars(sa.select(Opd).order_by(Opd.id.desc())).first()
    siti = make_user(full_name="Siti Aminah", email="siti@jambiprov.go.id")
    budi = make_user(role="instructor", full_name="Budi Santoso", opd_id=other_unit.id)
    gone = make_user(full_name="Dewi Lestari")
    gone.is_active_account = False
    db.session.commit()

    def names(**filters):
        return [u.full_name for u in search_users(UserFilter(**filters)).items]

    assert names(text="aminah") == ["Siti Aminah"]
    assert names(text="SITI@JAMBIPROV") == ["Siti Aminah"]
    spaced = f"{budi.nip[:8]} {budi.nip[8:14]} {budi.nip[14]} {budi.nip[15:]}"
    assert names(text=spaced) == ["Budi Santoso"]
    assert names(opd_id=other_unit.id) == ["Budi Santoso"]
    assert names(agency_id=other_unit.agency_id, role="instructor") == ["Budi Santoso"]
    assert names(status="inactive") == ["Dewi Lestari"]
    assert "Dewi Lestari" not in names(status="active")
    assert siti.id and gone.id


@pytest.mark.parametrize("count", [3, 25])
def test_a_page_of_accounts_takes_three_statements_whatever_its_size(app, db, admin_client,
                                                                    make_user, count):
    for number in range(count):
        make_user(role="instructor" if number % 2 else "peserta", full_name=f"Pegawai {number}")
    statements = []

    def count_statement(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and (
                '"user"' in statement or "user_role" in statement or "FROM user" in statement):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        results = search_users(UserFilter())
        assert [u.display_name for u in results.items]  # names, units, agencies, roles:
        assert all(u.opd.agency.name and u.roles for u in results.items)  # all loaded
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count_statement)
    assert len(statements) == 3
    page = admin_client.get("/admin/users?role=instructor").get_data(as_text=True)
    assert f"{count // 2} account" in page


def test_the_list_page_shows_and_links_accounts(admin_client, make_user):
    user = make_user(full_name="<script>alert(1)</script>")
    page = admin_client.get("/admin/users?q=script").get_data(as_text=True)
    assert f'href="/admin/users/{user.id}"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


# --- profile ------------------------------------------------------------------------------------

def test_an_admin_edits_a_profile_and_only_the_changes_are_audited(db, admin_client, admin,
                                                                  make_user):
    user = make_user(full_name="Siti Aminah")
    response = admin_client.post(f"/admin/users/{user.id}", data=profile_data(
        user, email="Siti.Baru@Jambiprov.go.id", jabatan="Analis Kebijakan"),
        environ_base={"REMOTE_ADDR": "10.7.7.7"})
    assert response.status_code == 302
    assert user.email == "siti.baru@jambiprov.go.id" and user.jabatan == "Analis Kebijakan"
    [event] = events(db, "user.profile")
    assert event.actor_id == admin.id and event.target_id == str(user.id)
    assert {"email", "jabatan"} <= set(event.after) <= {"email", "jabatan", "pangkat_golongan"}
    assert "full_name" not in event.after  # unchanged fields are not written
    assert all(event.before[name] != event.after[name] for name in event.after)
    assert event.after["email"] == "siti.baru@jambiprov.go.id"
    assert event.client_address == "10.7.7.7"


def test_a_profile_edit_with_errors_keeps_what_was_typed(db, admin_client, make_user):
    make_user(email="taken@jambiprov.go.id")
    user = make_user()
    response = admin_client.post(f"/admin/users/{user.id}", data=profile_data(
        user, email="taken@jambiprov.go.id", jabatan="Kepala Seksi Baru"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This email address is already used by another account." in page
    assert 'value="Kepala Seksi Baru"' in page
    assert events(db) == []


def test_an_unknown_account_is_404(admin_client):
    assert admin_client.get("/admin/users/99999").status_code == 404


# --- NIP -----------------------------------------------------------------------------------------

def test_a_nip_correction_needs_a_reason_and_is_audited(db, admin_client, make_user):
    user = make_user()
    old, new = user.nip, next_nip()
    refused = admin_client.post(f"/admin/users/{user.id}/nip", data={"nip": new, "reason": ""})
    assert refused.status_code == 422
    assert "Give the reason for the correction." in refused.get_data(as_text=True)
    assert f'value="{new}"' in refused.get_data(as_text=True)
    assert user.nip == old
    done = admin_client.post(f"/admin/users/{user.id}/nip",
                             data={"nip": new, "reason": "SK CPNS shows another NIP"})
    assert done.status_code == 302 and user.nip == new
    [event] = events(db, "user.nip")
    assert event.before == {"nip": old}
    assert event.after == {"nip": new, "reason": "SK CPNS shows another NIP"}


def test_a_nip_correction_refuses_invalid_and_taken_nips(db, admin_client, make_user):
    user, other = make_user(), make_user()
    bad = admin_client.post(f"/admin/users/{user.id}/nip", data={"nip": "123", "reason": "x"})
    assert bad.status_code == 422 and "A NIP / NI PPPK has 18 digits" in bad.get_data(as_text=True)
    taken = admin_client.post(f"/admin/users/{user.id}/nip",
                              data={"nip": other.nip, "reason": "typo"})
    assert taken.status_code == 422
    assert "An account with this NIP / NI PPPK already exists" in taken.get_data(as_text=True)
    assert events(db) == []


# --- roles -----------------------------------------------------------------------------------------

def test_roles_are_added_and_removed_with_an_audit_row(db, admin_client, make_user):
    user = make_user(role="instructor")
    response = admin_client.post(f"/admin/users/{user.id}/roles",
                                 data={"roles": ["peserta", "hr"]})
    assert response.status_code == 302
    assert {r.value for r in user.roles} == {"peserta", "hr"}
    [event] = events(db, "user.roles")
    assert event.before == {"roles": ["instructor", "peserta"]}
    assert event.after == {"roles": ["hr", "peserta"]}
    admin_client.post(f"/admin/users/{user.id}/roles", data={"roles": ["peserta", "hr"]})
    assert len(events(db, "user.roles")) == 1  # nothing changed, nothing written


def test_an_admin_cannot_take_their_own_admin_role(db, admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}/roles", data={"roles": ["peserta"]})
    assert response.status_code == 422
    assert "You cannot do this to your own account." in response.get_data(as_text=True)
    assert "admin" in {r.value for r in admin.roles}


# --- deactivation ------------------------------------------------------------------------------------

def test_deactivation_ends_the_accounts_sessions_at_once(app, db, admin_client, make_user,
                                                        login):
    user = make_user()
    other_device = app.test_client()
    login(other_device, user)
    assert other_device.get("/profile").status_code == 200
    response = admin_client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert user.is_active_account is False
    assert "/login" in other_device.get("/profile").headers["Location"]
    refused = other_device.post("/login", data={"identifier": user.email,
                                                "password": DEFAULT_PASSWORD})
    assert refused.status_code == 403
    [event] = events(db, "user.deactivate")
    assert (event.before, event.after) == ({"active": True}, {"active": False})
    admin_client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    assert user.is_active_account is True
    assert [e.action for e in events(db)] == ["user.deactivate", "user.reactivate"]
    assert other_device.post("/login", data={"identifier": user.email,
                                             "password": DEFAULT_PASSWORD}).status_code == 302


def test_an_admin_cannot_deactivate_their_own_account(db, admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    assert response.status_code == 422 and admin.is_active_account is True


# --- unlock --------------------------------------------------------------------------------------------

def test_unlock_lets_a_throttled_account_log_in_again(db, client, admin, make_user, login):
    user = make_user()
    wrong = {"identifier": user.email, "password": "not-the-password"}
    for _ in range(5):
        assert client.post("/login", data=wrong).status_code == 401
    right = {"identifier": user.email, "password": DEFAULT_PASSWORD}
    assert client.post("/login", data=right).status_code == 429
    admin_device = client.application.test_client()
    login(admin_device, admin)
    set_english(admin_device)
    response = admin_device.post(f"/admin/users/{user.id}/unlock")
    assert response.status_code == 302
    assert client.post("/login", data=right).status_code == 302
    [event] = events(db, "user.unlock")
    assert event.target_id == str(user.id)


def test_a_lock_over_all_clients_shows_and_is_lifted(app, db, admin_client, make_user):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per hour"
    user = make_user()
    for number in range(3):
        admin_client.application.test_client().post(
            "/login", data={"identifier": user.nip, "password": "wrong-password"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{number}"})
    assert "Locked after too many wrong passwords" in admin_client.get(
        f"/admin/users/{user.id}").get_data(as_text=True)
    admin_client.post(f"/admin/users/{user.id}/unlock")
    assert "Locked after too many wrong passwords" not in admin_client.get(
        f"/admin/users/{user.id}").get_data(as_text=True)
    assert events(db, "user.unlock")[0].before == {"locked": True}


# --- CSRF ----------------------------------------------------------------------------------------------

@pytest.fixture
def csrf_app(app_config):
    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_a_stale_form_keeps_what_was_typed_and_changes_nothing(csrf_app, admin, make_user,
                                                               login):
    user = make_user()
    test_client = csrf_app.test_client()
    login(test_client, admin)
    set_english(test_client)
    page = test_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)
    response = test_client.post(f"/admin/users/{user.id}/nip", data={
        "nip": "198609262015051999", "reason": "Salah ketik", "csrf_token": "stale"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form had expired" in body
    assert 'value="198609262015051999"' in body and "Salah ketik" in body
    for url, data in ((f"/admin/users/{user.id}/active", {"active": "0"}),
                      (f"/admin/users/{user.id}/roles", {"roles": ["hr"]}),
                      (f"/admin/users/{user.id}/unlock", {})):
        assert test_client.post(url, data=data).status_code == 400
    with csrf_app.app_context():
        stored = _db.session.get(User, user.id)
        assert stored.is_active_account and stored.nip == user.nip
        assert {r.value for r in stored.roles} == {"peserta"}
        assert _db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0
