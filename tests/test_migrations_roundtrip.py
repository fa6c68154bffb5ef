"""The migrations go down to an empty schema and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import ROOT


def test_downgrade_to_base_then_upgrade_again(app_config):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import downgrade, upgrade

    from portal.models import include_object

    from portal import create_app
    from portal.extensions import db

    directory = str(ROOT / "migrations")
    application = create_app(app_config)   # the per-test database, already at head
    with application.app_context():
        try:
            downgrade(directory=directory, revision="base")
            tables = set(sa.inspect(db.engine).get_table_names())
            assert tables <= {"alembic_version"}, tables

            upgrade(directory=directory)
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"include_object": include_object})
                assert compare_metadata(context, db.metadata) == []
                opds = conn.scalar(sa.text("SELECT count(*) FROM opd"))
            assert opds >= 30
        finally:
            db.session.remove()
            db.engine.dispose()
