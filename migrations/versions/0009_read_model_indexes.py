"""indexes for the read models and the searches; trigram indexes on PostgreSQL

- enrolment(course_id): the teaching overview reads a page of courses' enrolments;
- quiz(course_id, kind): every learner page finds a course's pre- and post-test;
- certificate(issued_at, id): the HR register lists newest first, a page at a time;
- on PostgreSQL, pg_trgm GIN indexes for the register's "contains" search on
  lower(number), lower(holder_name) and holder_nip. The extension is created when the
  server offers it (CREATE EXTENSION IF NOT EXISTS pg_trgm); when it does not, or the
  role may not create it, the migration says so and continues without those indexes
  (the search still works, scanning the table).

SQLite gets the plain indexes only: its case-insensitive search uses the portal's own
lower() (portal/sqlite.py), which an index cannot be built on.

Revision ID: 0009
Revises: 0013
Create Date: 2026-11-30 22:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0013"
branch_labels = None
depends_on = None

TRIGRAM_INDEXES = {
    "ix_certificate_number_trgm": "lower(number)",
    "ix_certificate_holder_name_trgm": "lower(holder_name)",
    "ix_certificate_holder_nip_trgm": "holder_nip",
}


def _trigram_available(conn) -> bool:
    """Create pg_trgm if the server has it; True when it is installed afterwards."""
    available = conn.execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar()
    if not available:
        print("0009: the PostgreSQL server has no pg_trgm extension; the certificate "
              "search works without trigram indexes (install postgresql-contrib to add them)")
        return False
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        print(f"0009: pg_trgm could not be created ({error.orig}); the certificate search "
              "works without trigram indexes")
        return False
    return True


def upgrade():
    op.create_index("ix_enrolment_course_id", "enrolment", ["course_id"])
    op.create_index("ix_quiz_course_id_kind", "quiz", ["course_id", "kind"])
    op.create_index("ix_certificate_issued_at_id", "certificate", ["issued_at", "id"])
    conn = op.get_bind()
    if conn.dialect.name == "postgresql" and _trigram_available(conn):
        for name, expression in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON certificate "
                       f"USING gin ({expression} gin_trgm_ops)")


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_certificate_issued_at_id", table_name="certificate")
    op.drop_index("ix_quiz_course_id_kind", table_name="quiz")
    op.drop_index("ix_enrolment_course_id", table_name="enrolment")
