"""Account rules in portal.auth.services, with an injected clock (throttling of wrong
passwords: test_auth_throttle.py)."""

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from portal.auth import services
from portal.auth.models import Role
from portal.auth.nip import InvalidNip
from portal.auth.services import AccountError, AuthError, authenticate
from portal.config import load_config
from tests.factories import DEFAULT_PASSWORD

T0 = datetime(2026, 11, 29, 1, 0, tzinfo=timezone.utc)   # 08.00 WIB


def fail(user_or_identifier, now, password="wrong-password"):
    identifier = getattr(user_or_identifier, "email", user_or_identifier)
    with pytest.raises(AuthError) as caught:
        authenticate(identifier, password, now)
    return caught.value


def test_right_password_by_email_or_nip(make_user):
    user = make_user(email="siti@jambiprov.go.id")
    assert authenticate("siti@jambiprov.go.id", DEFAULT_PASSWORD, T0) is user
    assert authenticate("  SITI@Jambiprov.go.id ", DEFAULT_PASSWORD, T0) is user
    grouped = f"{user.nip[0:8]} {user.nip[8:14]} {user.nip[14]} {user.nip[15:]}"
    assert authenticate(grouped, DEFAULT_PASSWORD, T0) is user
    assert user.last_login_at == T0


def test_wrong_password_is_bad_credentials_and_changes_nothing(make_user):
    user = make_user()
    assert fail(user, T0).code == "bad_credentials"
    assert user.last_login_at is None


def test_unknown_account_gets_the_same_answer_after_the_same_hash_work(make_user, monkeypatch):
    make_user()
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash",
                        lambda h, p: calls.append(h) or real(h, p))
    unknown_email = fail("nobody@jambiprov.go.id", T0)
    unknown_nip = fail("199001012015011999", T0)
    assert unknown_email.code == unknown_nip.code == "bad_credentials"
    assert len(calls) == 2  # a dummy hash was checked each time
    assert all(h.startswith("pbkdf2:sha256:1$") for h in calls)  # the configured method
    assert fail("not an identifier", T0).code == "bad_credentials"


def test_inactive_account_is_refused_only_with_the_right_password(make_user):
    user = make_user(is_active_account=False)
    assert fail(user, T0).code == "bad_credentials"
    assert fail(user, T0, password=DEFAULT_PASSWORD).code == "inactive"
    assert user.last_login_at is None


def test_create_user_normalizes_and_hashes(db, opd):
    user = services.create_user(email=" Rina@Example.COM ", password="sepuluh-huruf",
                                full_name=" Rina Marlina ", nip="19900314 201503 2 001",
                                name_suffix="S.E.", opd_id=opd.id)
    assert user.email == "rina@example.com"
    assert user.nip == "199003142015032001"
    assert user.full_name == "Rina Marlina"
    assert user.roles == {"peserta"}
    assert user.password_hash.startswith("pbkdf2:sha256:1$")  # the configured method
    assert "sepuluh-huruf" not in user.password_hash


@pytest.mark.parametrize("changes, code", [
    ({"nip": "19860926 201505 1 001"}, "duplicate_nip"),
    ({"email": "SITI@jambiprov.go.id"}, "duplicate_email"),
    ({"password": "short"}, "password_too_short"),
    ({"opd_id": 999999}, "unknown_opd"),
    ({"role": "superuser"}, "unknown_role"),
])
def test_create_user_refusals(make_user, changes, code):
    make_user(nip="198609262015051001", email="siti@jambiprov.go.id")
    fields = {"email": "new@jambiprov.go.id", "password": "sepuluh-huruf",
              "full_name": "Baru", "nip": "199003142015032001", **changes}
    with pytest.raises(AccountError) as caught:
        services.create_user(**fields)
    assert caught.value.code == code


def test_create_user_refuses_an_inactive_opd(db, opd):
    opd.is_active = False
    db.session.flush()
    with pytest.raises(AccountError) as caught:
        services.create_user(email="a@jambiprov.go.id", password="sepuluh-huruf",
                             full_name="A", opd_id=opd.id)
    assert caught.value.field == "opd_id"


def test_create_user_validates_the_nip(db):
    with pytest.raises(InvalidNip):
        services.create_user(email="a@jambiprov.go.id", password="sepuluh-huruf",
                             full_name="A", nip="198602312015051001")


def test_register_peserta_always_makes_a_learner(db, opd):
    user = services.register_peserta(
        nip="199003142015032001", email="r@jambiprov.go.id", password="sepuluh-huruf",
        full_name="Rina", name_prefix="", name_suffix="", pangkat_golongan="Penata, III/c",
        jabatan="Analis", opd_id=opd.id)
    assert user.roles == {Role.PESERTA}


def test_update_profile_keeps_own_email_and_refuses_another(make_user):
    user = make_user(email="siti@jambiprov.go.id")
    make_user(email="budi@jambiprov.go.id")
    fields = dict(full_name="Siti", name_prefix="", name_suffix="", pangkat_golongan="",
                  jabatan="", opd_id=user.opd_id, locale="en")
    services.update_profile(user, email="SITI@jambiprov.go.id", **fields)
    assert user.email == "siti@jambiprov.go.id"
    with pytest.raises(AccountError) as caught:
        services.update_profile(user, email="budi@jambiprov.go.id", **fields)
    assert caught.value.code == "duplicate_email"
    assert user.email == "siti@jambiprov.go.id"


def test_change_password_checks_the_current_one(make_user):
    user = make_user()
    with pytest.raises(AccountError) as caught:
        services.change_password(user, "wrong-password", "baru-sekali-2026")
    assert (caught.value.code, caught.value.field) == ("wrong_password", "current_password")
    with pytest.raises(AccountError):
        services.change_password(user, DEFAULT_PASSWORD, "short")
    services.change_password(user, DEFAULT_PASSWORD, "baru-sekali-2026")
    assert authenticate(user.email, "baru-sekali-2026", T0) is user


def test_roles_are_a_set_every_account_a_learner(db, opd):
    user = services.create_user(email="w@jambiprov.go.id", password="sepuluh-huruf",
                                full_name="Widya", role="instructor")
    assert user.roles == {Role.INSTRUCTOR, Role.PESERTA}
    assert user.has_role("instructor") and user.has_role(Role.PESERTA)
    assert not user.has_role("hr")
    operator = services.create_user(email="o@jambiprov.go.id", password="sepuluh-huruf",
                                    full_name="Operator", role="admin", learner=False)
    assert operator.roles == {Role.ADMIN}
    assert operator.has_role("hr") and operator.has_role("instructor")  # admins pass every check


def test_add_and_remove_role(make_user, db):
    user = make_user()
    assert services.add_role(user, "hr") is True
    assert services.add_role(user, Role.HR) is False
    db.session.commit()
    db.session.expire_all()
    assert user.roles == {"hr", "peserta"} and user.has_role("hr")
    assert services.remove_role(user, "hr") is True
    assert services.remove_role(user, "hr") is False
    db.session.commit()
    db.session.expire_all()
    assert user.roles == {"peserta"} and not user.has_role("hr")
    with pytest.raises(AccountError) as caught:
        services.add_role(user, "boss")
    assert caught.value.code == "unknown_role"


def test_supervisor_is_another_account_and_cleared_when_it_is_deleted(make_user, db):
    staff, boss = make_user(), make_user()
    services.set_supervisor(staff, boss)
    db.session.commit()
    assert staff.supervisor_id == boss.id
    with pytest.raises(AccountError) as caught:
        services.set_supervisor(staff, staff)
    assert (caught.value.code, caught.value.field) == ("own_supervisor", "supervisor")
    db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError):  # the database refuses it too
        with db.engine.begin() as conn:
            conn.execute(sa.text('UPDATE "user" SET supervisor_id = id WHERE id = :id'),
                         {"id": staff.id})
    with db.engine.begin() as conn:
        conn.execute(sa.text('DELETE FROM "user" WHERE id = :id'), {"id": boss.id})
    db.session.expire_all()
    assert staff.supervisor_id is None


def test_production_hashes_with_scrypt_outside_the_test_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert load_config(str(tmp_path))["PASSWORD_HASH_METHOD"] == "scrypt"
    assert services.hash_password("a password").startswith("scrypt:")  # no app: the default
