"""Migration 0013 adds the audit log beside existing data and removes it again."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import ROOT


def test_0013_adds_audit_event_keeping_accounts_and_goes_back(app_config):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.extensions import db

    directory = str(ROOT / "migrations")
    application = create_app(app_config)
    with application.app_context():
        try:
            downgrade(directory=directory, revision="0010")
            assert "audit_event" not in sa.inspect(db.engine).get_table_names()
            with db.engine.begin() as conn:
                conn.execute(sa.text(
                    "INSERT INTO \"user\" (email, password_hash, name_prefix, full_name, "
                    "name_suffix, pangkat_golongan, jabatan, is_active_account, "
                    "session_version, created_at) VALUES ('a@b.id', 'x', '', 'Siti', '', '', "
                    "'', :yes, 0, '2026-11-29 03:00:00')"), {"yes": True})
            upgrade(directory=directory, revision="0013")
            with db.engine.begin() as conn:
                user_id = conn.scalar(sa.text("SELECT id FROM \"user\" WHERE email = 'a@b.id'"))
                conn.execute(sa.text(
                    "INSERT INTO audit_event (actor_id, actor_label, action, target_kind, "
                    "target_id, at, client_address) VALUES (:u, 'Siti', 'user.unlock', "
                    "'user', '1', '2026-11-29 03:00:00', '')"), {"u": user_id})
                assert conn.scalar(sa.text("SELECT count(*) FROM audit_event")) == 1
            downgrade(directory=directory, revision="0010")
            assert "audit_event" not in sa.inspect(db.engine).get_table_names()
            with db.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT count(*) FROM \"user\"")) == 1
        finally:
            db.session.remove()
            db.engine.dispose()
