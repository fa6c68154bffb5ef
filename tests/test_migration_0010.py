"""Migration 0010 on a database filled at 0004 (SQLite and PostgreSQL via
``TEST_DATABASE_URL``): every account keeps its role and becomes a learner too, the column
``user.role`` is gone, states and kinds are checked, and nothing else changes."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.factories import ROOT
from tests.test_migrations_keep_data import KEPT, _fill, _rows

ROLES = {1: "peserta", 2: "hr", 3: "instructor", 4: "admin"}


def _more_users(conn) -> None:
    opd = conn.scalar(sa.text("SELECT min(id) FROM opd"))
    for uid, nip in ((3, "197805122003121002"), (4, "198811042014031004")):
        conn.execute(sa.text(
            'INSERT INTO "user" (id, nip, email, password_hash, name_prefix, full_name, '
            "name_suffix, pangkat_golongan, jabatan, opd_id, role, is_active_account, "
            "session_version, created_at) VALUES (:id, :nip, :email, 'x', '', 'N', '', '', '', "
            ":opd, :role, :active, 0, '2026-11-02 01:00:00')"),
            {"id": uid, "nip": nip, "email": f"{uid}@jambiprov.go.id", "opd": opd,
             "role": ROLES[uid], "active": True})


def test_upgrading_from_0004_keeps_roles_as_sets_and_loses_nothing(app_config):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.extensions import db

    directory = str(ROOT / "migrations")
    application = create_app(app_config)
    with application.app_context():
        try:
            downgrade(directory=directory, revision="0002")
            with db.engine.begin() as conn:
                _fill(conn)
            upgrade(directory=directory, revision="0004")
            with db.engine.begin() as conn:
                _more_users(conn)
            with db.engine.connect() as conn:
                before = _rows(conn)

            upgrade(directory=directory)

            with db.engine.connect() as conn:
                assert _rows(conn) == before
                held = conn.execute(sa.text(
                    "SELECT user_id, role FROM user_role ORDER BY user_id, role")).all()
                columns = {c["name"] for c in sa.inspect(conn).get_columns("user")}
            assert sorted(held) == sorted({(uid, "peserta") for uid in ROLES}
                                          | set(ROLES.items()))
            assert "role" not in columns and "supervisor_id" in columns
            for sql in ("UPDATE quiz SET kind = 'exam'",
                        "INSERT INTO user_role (user_id, role) VALUES (1, 'boss')",
                        'UPDATE "user" SET supervisor_id = id'):
                try:
                    with db.engine.begin() as conn:
                        conn.execute(sa.text(sql))
                except IntegrityError:
                    continue
                raise AssertionError(f"accepted: {sql}")

            downgrade(directory=directory, revision="0004")
            with db.engine.connect() as conn:
                assert _rows(conn) == before
                back = dict(conn.execute(sa.text('SELECT id, role FROM "user"')).all())
            assert back == ROLES
        finally:
            db.session.remove()
            db.engine.dispose()
