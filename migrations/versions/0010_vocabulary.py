"""vocabulary in one place: CHECK constraints on every state and kind, roles as a set, the
supervisor as a relation

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

Roles: a user holds a set of roles, one ``user_role`` row each (CHECK ``ck_user_role_role``).
Each account keeps the role it had and, since every account is a learner, also gets
``peserta``; the column ``user.role`` is then dropped. The downgrade gives each account back
its one role, the highest it holds (admin, hr, instructor, peserta).

Supervisor: ``user.supervisor_id`` names the account of the user's atasan langsung (PP
30/2019, PermenPANRB 6/2022): nullable, set to NULL when that account is deleted, never the
user itself (CHECK ``ck_user_supervisor_not_self``).

Revision ID: 0010
Revises: 0012
Create Date: 2026-11-30 22:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0012"
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

ROLES = ("peserta", "instructor", "hr", "admin")
LEARNER = "peserta"


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
    _roles_as_a_set(conn)
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supervisor_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_user_supervisor_id_user"), "user",
                                    ["supervisor_id"], ["id"], ondelete="SET NULL")
        batch_op.create_check_constraint(op.f("ck_user_supervisor_not_self"),
                                         "supervisor_id <> id")


def _roles_as_a_set(conn) -> None:
    op.create_table(
        "user_role",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(_condition("role", ROLES), name=op.f("ck_user_role_role")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_user_role_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_role")),
    )
    user = sa.table("user", sa.column("id", sa.Integer), sa.column("role", sa.String))
    user_role = sa.table("user_role", sa.column("user_id", sa.Integer),
                         sa.column("role", sa.String))
    rows = []
    for user_id, role in conn.execute(sa.select(user.c.id, user.c.role)).all():
        held = {LEARNER} | ({role} if role in ROLES else set())
        if role not in ROLES:
            raise RuntimeError(f"user {user_id} has the role {role!r}, not one of {ROLES}")
        rows.extend({"user_id": user_id, "role": r} for r in sorted(held))
    if rows:
        conn.execute(sa.insert(user_role), rows)
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("role")


def _one_role_each(conn) -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), nullable=False,
                                      server_default=LEARNER))
    user = sa.table("user", sa.column("id", sa.Integer), sa.column("role", sa.String))
    user_role = sa.table("user_role", sa.column("user_id", sa.Integer),
                         sa.column("role", sa.String))
    held: dict[int, set[str]] = {}
    for user_id, role in conn.execute(sa.select(user_role.c.user_id, user_role.c.role)).all():
        held.setdefault(user_id, set()).add(role)
    for user_id, roles in held.items():
        highest = max(roles, key=ROLES.index)
        if highest != LEARNER:
            conn.execute(sa.update(user).where(user.c.id == user_id).values(role=highest))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column("role", server_default=None)
    op.drop_table("user_role")


def downgrade():
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_supervisor_not_self"), type_="check")
        batch_op.drop_constraint(op.f("fk_user_supervisor_id_user"), type_="foreignkey")
        batch_op.drop_column("supervisor_id")
    _one_role_each(conn)
    for table, columns in reversed(list(_tables().items())):
        rebuilds_attempt = sqlite and table == "attempt"
        if rebuilds_attempt:
            _drop_open_attempt_index()
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, _values in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
        if rebuilds_attempt:
            _create_open_attempt_index()
