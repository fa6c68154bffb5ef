"""The app factory, migrations and cross-cutting behaviour."""

import sqlalchemy as sa


def test_migrations_build_every_model_table(app, db):
    inspector = sa.inspect(db.engine)
    tables = set(inspector.get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migrations_match_the_models(app, db):
    """Autogenerate finds nothing to do: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from portal.models import include_object

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_opd_list_is_seeded(app, db):
    from portal.auth.models import Opd

    names = db.session.scalars(sa.select(Opd.name)).all()
    assert len(names) >= 30
    assert "Badan Pengembangan Sumber Daya Manusia" in names


def test_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok"


def test_security_headers(client):
    response = client.get("/healthz")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_login_fixture_starts_a_session(app, client, make_user, login):
    from flask_login import current_user

    user = make_user()
    login(client, user)
    with client:
        client.get("/healthz")
        assert current_user.is_authenticated
        assert current_user.id == user.id


def test_foreign_keys_are_enforced_on_every_database(app, db):
    """SQLite enforces foreign keys too (portal.sqlite), as PostgreSQL does."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from portal.courses.models import Module

    db.session.add(Module(course_id=987654, slug="x", position=1, title="x", minutes=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
