"""``flask users ...`` and ``flask demo setup``."""

import sqlalchemy as sa

from portal import create_app
from portal.auth.models import User
from portal.auth.nip import parse_nip
from portal.auth.services import authenticate
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from portal.timeutil import utcnow
from tests.factories import user_count


def users(db):
    return {u.email: u for u in db.session.scalars(sa.select(User))}


def test_users_create_with_password(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--role", "admin", "--email", "Operator@Jambiprov.go.id",
        "--name", "Ahmad Fauzi", "--nip", "19881104 201403 1 004",
        "--password", "operator-2026"])
    assert result.exit_code == 0, result.output
    assert ("Created account operator@jambiprov.go.id, NIP 19881104 201403 1 004 with roles "
            "admin, peserta.") in result.output
    user = users(db)["operator@jambiprov.go.id"]
    assert (user.roles, user.full_name, user.nip) == ({"admin", "peserta"}, "Ahmad Fauzi",
                                                      "198811042014031004")
    assert authenticate("operator@jambiprov.go.id", "operator-2026", utcnow()) is user


def test_users_create_prompts_for_the_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "hr", "--email", "hr@jambiprov.go.id",
              "--name", "Dewi Kartika Sari"],
        input="rahasia-bkd-2026\nrahasia-bkd-2026\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    user = users(db)["hr@jambiprov.go.id"]
    assert user.nip is None and user.roles == {"hr", "peserta"}
    assert authenticate("hr@jambiprov.go.id", "rahasia-bkd-2026", utcnow()) is user


def test_users_create_refuses_a_bad_nip(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--role", "peserta", "--email", "a@jambiprov.go.id",
        "--name", "A", "--nip", "198602312015051001", "--password", "sepuluh-huruf"])
    assert result.exit_code != 0
    assert "birth date" in result.output
    assert user_count() == 0


def test_users_create_refuses_duplicates_short_passwords_and_bad_emails(app, db, make_user):
    make_user(email="siti@jambiprov.go.id")
    runner = app.test_cli_runner()
    base = ["users", "create", "--role", "peserta", "--name", "Siti"]
    duplicate = runner.invoke(args=[*base, "--email", "SITI@jambiprov.go.id",
                                    "--password", "sepuluh-huruf"])
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.output
    short = runner.invoke(args=[*base, "--email", "new@jambiprov.go.id", "--password", "short"])
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
    bad_email = runner.invoke(args=[*base, "--email", "no-at-sign", "--password", "sepuluh-huruf"])
    assert bad_email.exit_code == 1
    assert "not an email address" in bad_email.output
    bad_role = runner.invoke(args=["users", "create", "--role", "boss", "--name", "X",
                                   "--email", "x@jambiprov.go.id", "--password", "sepuluh-huruf"])
    assert bad_role.exit_code == 2
    assert user_count() == 1


def test_users_add_and_remove_role(app, db, make_user):
    user = make_user(email="siti@jambiprov.go.id")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "add-role", "Siti@jambiprov.go.id", "instructor"])
    assert result.exit_code == 0, result.output
    assert "roles instructor, peserta" in result.output
    db.session.expire_all()
    assert user.roles == {"instructor", "peserta"}
    removed = runner.invoke(args=["users", "remove-role", user.email, "peserta"])
    assert removed.exit_code == 0, removed.output
    db.session.expire_all()
    assert user.roles == {"instructor"} and user.has_role("instructor")
    missing = runner.invoke(args=["users", "add-role", "nobody@jambiprov.go.id", "hr"])
    assert missing.exit_code == 1
    assert "No account" in missing.output
    assert runner.invoke(args=["users", "add-role", user.email, "boss"]).exit_code == 2
    assert runner.invoke(args=["users", "set-role", user.email, "hr"]).exit_code == 2


def test_users_set_and_clear_supervisor(app, db, make_user):
    staff = make_user(full_name="Siti Rahmawati")
    boss = make_user(full_name="Hendra Saputra", name_suffix="M.Si.")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "set-supervisor", staff.nip, boss.nip])
    assert result.exit_code == 0, result.output
    assert "Hendra Saputra, M.Si." in result.output
    db.session.expire_all()
    assert staff.supervisor_id == boss.id and staff.supervisor is boss
    own = runner.invoke(args=["users", "set-supervisor", staff.nip, staff.nip])
    assert own.exit_code == 1 and "own supervisor" in own.output
    unknown = runner.invoke(args=["users", "set-supervisor", staff.nip, "199001012015011999"])
    assert unknown.exit_code == 1 and "No account" in unknown.output
    db.session.expire_all()
    assert staff.supervisor_id == boss.id
    cleared = runner.invoke(args=["users", "clear-supervisor", staff.nip])
    assert cleared.exit_code == 0, cleared.output
    db.session.expire_all()
    assert staff.supervisor_id is None


def test_demo_setup_creates_one_account_per_role(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "setup"])
    assert result.exit_code == 0, result.output
    demo_emails = {account.email for account in DEMO_ACCOUNTS}
    accounts = {e: u for e, u in users(db).items() if e in demo_emails}
    assert sorted(sorted(u.roles) for u in accounts.values()) == [
        ["admin", "peserta"], ["hr", "peserta"], ["instructor", "peserta"], ["peserta"],
        ["peserta"]]
    rina = accounts["rina.marlina@example.com"]
    assert rina.display_name == "Rina Marlina, S.E."
    assert rina.opd.name == "Dinas Komunikasi dan Informatika"
    assert rina.roles == {"peserta"}
    assert rina.opd.agency.name == "Pemerintah Provinsi Jambi"
    sri = accounts["sri.wahyuni@example.com"]
    assert (sri.opd.name, sri.opd.agency.name) == ("Dinas Pendidikan",
                                                   "Pemerintah Kabupaten Muaro Jambi")
    assert parse_nip(sri.nip).kind == "PPPK"
    for account in DEMO_ACCOUNTS:
        user = accounts[account.email]
        assert parse_nip(user.nip).value == user.nip
        assert user.opd is not None
        assert authenticate(user.nip, DEMO_PASSWORD, utcnow()) is user
    assert "open http://portal.test\n" in result.output  # PUBLIC_BASE_URL, the served address
    for account in DEMO_ACCOUNTS:
        assert account.email in result.output
        assert f"{account.nip[:8]} {account.nip[8:14]}" in result.output
        assert account.role.value in result.output
    assert DEMO_PASSWORD in result.output


def test_demo_setup_twice_changes_nothing(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "setup"]).exit_code == 0
    before = {email: (u.id, u.password_hash, u.roles, u.created_at)
              for email, u in users(db).items()}
    again = runner.invoke(args=["demo", "setup"])
    assert again.exit_code == 0, again.output
    db.session.expire_all()
    after = {email: (u.id, u.password_hash, u.roles, u.created_at)
             for email, u in users(db).items()}
    assert after == before
    assert "left unchanged" in again.output


def test_demo_setup_leaves_an_existing_nip_alone(app, db, make_user):
    make_user(nip=DEMO_ACCOUNTS[0].nip, email="real.person@jambiprov.go.id")
    result = app.test_cli_runner().invoke(args=["demo", "setup"])
    assert result.exit_code == 0, result.output
    assert "nip-taken" in result.output
    assert DEMO_ACCOUNTS[0].email not in users(db)
    # the real person, the other demo accounts, and the needs survey's 30 ASN and 2 supervisors
    assert user_count() == len(DEMO_ACCOUNTS) + 32


def test_demo_setup_refuses_in_production(app_config):
    production = create_app({**app_config, "PORTAL_ENV": "production"})
    with production.app_context():
        result = production.test_cli_runner().invoke(args=["demo", "setup"])
        assert result.exit_code == 1
        assert "PORTAL_ENV" in result.output
        assert user_count() == 0
        from portal.extensions import db

        db.session.remove()
        db.engine.dispose()
