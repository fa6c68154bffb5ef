"""Migration 0005 (agencies and their units) on a database that already has users: every
user keeps their unit, which becomes a unit of the provincial agency; on SQLite and
PostgreSQL (``TEST_DATABASE_URL``)."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import ROOT

KABUPATEN_KOTA = {
    "15.04": "Pemerintah Kabupaten Batanghari", "15.08": "Pemerintah Kabupaten Bungo",
    "15.01": "Pemerintah Kabupaten Kerinci", "15.02": "Pemerintah Kabupaten Merangin",
    "15.05": "Pemerintah Kabupaten Muaro Jambi", "15.03": "Pemerintah Kabupaten Sarolangun",
    "15.06": "Pemerintah Kabupaten Tanjung Jabung Barat",
    "15.07": "Pemerintah Kabupaten Tanjung Jabung Timur", "15.09": "Pemerintah Kabupaten Tebo",
    "15.71": "Pemerintah Kota Jambi", "15.72": "Pemerintah Kota Sungai Penuh",
}


def _insert_user(conn, email: str, nip: str, opd_id: int | None) -> None:
    """Insert a learner with the columns the ``user`` table has at the current revision
    (``failed_logins`` exists until migration 0003 drops it)."""
    columns = {c["name"] for c in sa.inspect(conn).get_columns("user")}
    extra = ", failed_logins" if "failed_logins" in columns else ""
    extra_value = ", 0" if extra else ""
    conn.execute(sa.text(
        'INSERT INTO "user" (nip, email, password_hash, name_prefix, full_name, name_suffix, '
        f"pangkat_golongan, jabatan, opd_id, role, is_active_account{extra}, "
        "created_at) VALUES (:nip, :email, 'x', '', 'Siti', '', '', '', :opd, 'peserta', "
        f":active{extra_value}, :created)"),
        {"nip": nip, "email": email, "opd": opd_id, "active": True,
         "created": "2026-11-01 00:00:00"})


def test_upgrading_keeps_every_users_unit_and_adds_the_agencies(app_config):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.extensions import db

    directory = str(ROOT / "migrations")
    application = create_app(app_config)  # the per-test database, at head
    with application.app_context():
        try:
            downgrade(directory=directory, revision="0002")
            with db.engine.begin() as conn:
                assert "agency" not in sa.inspect(conn).get_table_names()
                before = dict(conn.execute(sa.text("SELECT id, name FROM opd")).all())
                assert len(before) == 40
                chosen = sorted(before)[::7]
                for n, opd_id in enumerate(chosen, 1):
                    _insert_user(conn, f"u{n}@jambiprov.go.id", f"1986092620150510{n:02d}",
                                 opd_id)
                _insert_user(conn, "nounit@jambiprov.go.id", "198609262015051099", None)

            upgrade(directory=directory)

            with db.engine.connect() as conn:
                users = conn.execute(sa.text(
                    'SELECT u.email, u.opd_id, o.name, a.code, a.name FROM "user" u '
                    "LEFT JOIN opd o ON o.id = u.opd_id "
                    "LEFT JOIN agency a ON a.id = o.agency_id ORDER BY u.email")).all()
                for email, opd_id, name, agency_code, agency_name in users:
                    if email == "nounit@jambiprov.go.id":
                        assert opd_id is None
                        continue
                    assert opd_id in chosen and name == before[opd_id]
                    assert (agency_code, agency_name) == ("15", "Pemerintah Provinsi Jambi")
                assert len(users) == len(chosen) + 1
                provincial = dict(conn.execute(sa.text(
                    "SELECT o.id, o.name FROM opd o JOIN agency a ON a.id = o.agency_id "
                    "WHERE a.code = '15'")).all())
                assert provincial == before       # the 40 units, same ids, same names
                agencies = dict(conn.execute(sa.text("SELECT code, name FROM agency")).all())
                assert agencies == {"15": "Pemerintah Provinsi Jambi", **KABUPATEN_KOTA}
        finally:
            db.session.remove()
            db.engine.dispose()


def test_downgrading_clears_only_the_units_that_did_not_exist_before(app_config, db):
    """Going back to 0002 removes the kabupaten/kota units; a user of one loses the unit
    (the old schema cannot hold it), a user of a provincial unit keeps it."""
    from flask_migrate import downgrade, upgrade

    from portal.auth.models import Agency, Opd

    directory = str(ROOT / "migrations")
    kerinci = db.session.scalars(sa.select(Opd).join(Agency).where(
        Agency.code == "15.01", Opd.code == "DINKES")).one()
    province = db.session.scalars(sa.select(Opd).join(Agency).where(
        Agency.code == "15", Opd.code == "DINKES")).one()
    db.session.remove()
    downgrade(directory=directory, revision="0004")  # the user table as 0005 left it
    with db.engine.begin() as conn:
        _insert_user(conn, "kab@jambiprov.go.id", "198609262015051001", kerinci.id)
        _insert_user(conn, "prov@jambiprov.go.id", "198609262015051002", province.id)
    db.session.remove()
    downgrade(directory=directory, revision="0002")
    with db.engine.connect() as conn:
        rows = dict(conn.execute(sa.text('SELECT email, opd_id FROM "user"')).all())
        assert rows == {"kab@jambiprov.go.id": None, "prov@jambiprov.go.id": province.id}
        assert conn.scalar(sa.text("SELECT count(*) FROM opd")) == 40
    upgrade(directory=directory)
    db.session.remove()
    db.engine.dispose()
