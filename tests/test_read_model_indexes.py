"""Migration 0009's indexes, and SQLite's journal settings for file databases."""

from __future__ import annotations

import sqlalchemy as sa


def test_the_read_models_indexes_exist(db):
    inspector = sa.inspect(db.engine)
    names = {table: {ix["name"] for ix in inspector.get_indexes(table)}
             for table in ("enrolment", "quiz", "certificate")}
    assert "ix_enrolment_course_id" in names["enrolment"]
    assert "ix_quiz_course_id_kind" in names["quiz"]
    assert "ix_certificate_issued_at_id" in names["certificate"]
    if db.engine.dialect.name == "postgresql":
        # pg_trgm is on this machine's server; the migration would continue without it
        trigram = set(db.session.scalars(sa.text(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'certificate' "
            "AND indexdef LIKE '%gin_trgm_ops%'")))
        assert trigram == {"ix_certificate_number_trgm", "ix_certificate_holder_name_trgm",
                           "ix_certificate_holder_nip_trgm"}


def test_a_sqlite_file_runs_in_wal_mode_with_synchronous_normal(tmp_path):
    import portal.sqlite  # noqa: F401  (registers the connect event)

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_an_in_memory_sqlite_keeps_its_journal(tmp_path):
    import portal.sqlite  # noqa: F401

    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "memory"
    engine.dispose()
