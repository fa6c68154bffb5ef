"""vocabulary in one place: CHECK constraints on every state and kind

Every column that holds a state or a kind gets a named CHECK constraint listing the values
the portal's enums allow (``ck_<table>_<column>``), so a misspelt value is refused by the
database, whichever code writes it:

- agency.kind (AgencyKind), course.competency_type (CompetencyType), course.mode
  (DeliveryMode), quiz.kind (QuizKind), quiz.grading (Grading), question.qtype
  (QuestionType), attempt.state (AttemptState), certificate.status (CertificateStatus),
  certificate_access.action (AccessAction).

The allowed values are written out here, as they were when this revision was made. Rows
holding a value outside them stop the upgrade with a message naming them, before anything
is changed. On SQLite the tables are rebuilt (batch mode; migrations/env.py keeps foreign
keys off meanwhile); the partial unique index on open attempts is dropped and made again
around the rebuild of ``attempt`` so it stays partial.

Revision ID: 0010
Revises: 0004
Create Date: 2026-11-30 22:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0004"
branch_labels = None
depends_on = None

#: (table, column) -> allowed values.
CHECKS = {
    ("agency", "kind"): ("provinsi", "kabupaten", "kota"),
    ("course", "competency_type"): ("teknis", "manajerial", "sosial_kultural"),
    ("course", "mode"): ("e-learning", "klasikal", "blended"),
    ("quiz", "kind"): ("pretest", "posttest", "practice"),
    ("quiz", "grading"): ("highest", "average", "first", "last"),
    ("question", "qtype"): ("single", "multiple", "short"),
    ("attempt", "state"): ("in_progress", "finished", "overdue", "abandoned"),
    ("certificate", "status"): ("valid", "revoked"),
    ("certificate_access", "action"): ("view_detail", "download_pdf", "listed_in_search"),
}

OPEN_ATTEMPT_INDEX = "uq_attempt_one_open"


def _condition(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _refuse_unknown_values(conn) -> None:
    problems = []
    for (table, column), values in CHECKS.items():
        found = conn.execute(
            sa.select(sa.column(column)).select_from(sa.table(table))
            .where(sa.column(column).is_not(None), sa.column(column).not_in(values))
            .distinct()
        ).scalars().all()
        if found:
            problems.append(f"{table}.{column}: {sorted(found)!r} (allowed: {list(values)})")
    if problems:
        raise RuntimeError("values outside the portal's vocabulary; correct them first:\n"
                           + "\n".join(problems))


def _drop_open_attempt_index() -> None:
    op.drop_index(OPEN_ATTEMPT_INDEX, table_name="attempt")


def _create_open_attempt_index() -> None:
    op.create_index(OPEN_ATTEMPT_INDEX, "attempt", ["enrolment_id", "quiz_id"], unique=True,
                    sqlite_where=sa.text("state = 'in_progress'"),
                    postgresql_where=sa.text("state = 'in_progress'"))


def _tables() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    tables: dict[str, list] = {}
    for (table, column), values in CHECKS.items():
        tables.setdefault(table, []).append((column, values))
    return tables


def upgrade():
    conn = op.get_bind()
    _refuse_unknown_values(conn)
    sqlite = conn.dialect.name == "sqlite"
    for table, columns in _tables().items():
        rebuilds_attempt = sqlite and table == "attempt"
        if rebuilds_attempt:
            _drop_open_attempt_index()
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns:
                batch_op.create_check_constraint(op.f(f"ck_{table}_{column}"),
                                                 _condition(column, values))
        if rebuilds_attempt:
            _create_open_attempt_index()


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in reversed(list(_tables().items())):
        rebuilds_attempt = sqlite and table == "attempt"
        if rebuilds_attempt:
            _drop_open_attempt_index()
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _values in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
        if rebuilds_attempt:
            _create_open_attempt_index()
