"""quiz results mean what they say: review policy, option order, late answers, one open
attempt, the grade that completed the course

- quiz.shuffle_options (default true) and quiz.review_policy (null: the kind's default);
- attempt.option_order, attempt.late_answers and attempt.late_at;
- enrolment.final_grade, filled for completed enrolments from the post-test score frozen in
  their certificate, so pages show what the certificate says;
- at most one in-progress attempt per enrolment and quiz, as a partial unique index; extra
  open attempts left by double clicks are first marked ``abandoned`` (the one holding
  answers, else the newest, stays open).

Every change is an ADD COLUMN or an index, which SQLite does in place: no table is copied
and dropped, since dropping a table whose rows others reference would, with foreign keys
enforced, cascade-delete those rows (attempts, questions). The downgrade drops the columns
in place too (SQLite 3.35+).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00
"""
from alembic import op
import sqlalchemy as sa

import portal.timeutil

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN = "in_progress"
ABANDONED = "abandoned"


def _close_duplicate_open_attempts(conn) -> None:
    attempt = sa.table("attempt", sa.column("id", sa.Integer), sa.column("enrolment_id"),
                       sa.column("quiz_id"), sa.column("number", sa.Integer),
                       sa.column("state", sa.String), sa.column("answers", sa.JSON))
    rows = conn.execute(
        sa.select(attempt.c.id, attempt.c.enrolment_id, attempt.c.quiz_id, attempt.c.number,
                  attempt.c.answers)
        .where(attempt.c.state == OPEN)
        .order_by(attempt.c.enrolment_id, attempt.c.quiz_id, attempt.c.number)
    ).all()
    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault((row.enrolment_id, row.quiz_id), []).append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        keep = max(group, key=lambda r: (bool(r.answers), r.number))
        for row in group:
            if row.id != keep.id:
                conn.execute(sa.update(attempt).where(attempt.c.id == row.id)
                             .values(state=ABANDONED))


def _parse_printed_score(text) -> float | None:
    """``"86,67"`` (the certificate's printed score) -> 86.67."""
    if not isinstance(text, str) or not text.strip():
        return None
    cleaned = text.strip().rstrip("%").strip().replace(".", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _fill_final_grades(conn) -> None:
    certificate = sa.table("certificate", sa.column("enrolment_id", sa.Integer),
                           sa.column("snapshot", sa.JSON))
    enrolment = sa.table("enrolment", sa.column("id", sa.Integer),
                         sa.column("completed_at"), sa.column("final_grade", sa.Float))
    rows = conn.execute(
        sa.select(certificate.c.enrolment_id, certificate.c.snapshot)
        .select_from(certificate.join(enrolment, enrolment.c.id == certificate.c.enrolment_id))
        .where(enrolment.c.completed_at.is_not(None))
    ).all()
    for enrolment_id, snapshot in rows:
        grade = _parse_printed_score((snapshot or {}).get("posttest_score"))
        if grade is not None:
            conn.execute(sa.update(enrolment).where(enrolment.c.id == enrolment_id)
                         .values(final_grade=grade))


def upgrade():
    with op.batch_alter_table("quiz", schema=None) as batch_op:
        # a constant default ("1": true on both databases) keeps SQLite's ADD COLUMN in place
        batch_op.add_column(sa.Column("shuffle_options", sa.Boolean(), nullable=False,
                                      server_default="1"))
        batch_op.add_column(sa.Column("review_policy", sa.JSON(), nullable=True))

    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("final_grade", sa.Float(), nullable=True))

    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("option_order", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("late_answers", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("late_at", portal.timeutil.UTCDateTime(),
                                      nullable=True))

    conn = op.get_bind()
    _close_duplicate_open_attempts(conn)
    _fill_final_grades(conn)

    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index("uq_attempt_one_open", ["enrolment_id", "quiz_id"], unique=True,
                              sqlite_where=sa.text("state = 'in_progress'"),
                              postgresql_where=sa.text("state = 'in_progress'"))


def downgrade():
    # recreate="never": drop the columns in place rather than copy the tables (see above)
    with op.batch_alter_table("attempt", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("uq_attempt_one_open")
        batch_op.drop_column("late_at")
        batch_op.drop_column("late_answers")
        batch_op.drop_column("option_order")

    attempt = sa.table("attempt", sa.column("state", sa.String))
    op.get_bind().execute(sa.update(attempt).where(attempt.c.state == ABANDONED)
                          .values(state=OPEN))

    with op.batch_alter_table("enrolment", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("final_grade")

    with op.batch_alter_table("quiz", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("review_policy")
        batch_op.drop_column("shuffle_options")
