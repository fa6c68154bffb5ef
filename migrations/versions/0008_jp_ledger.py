"""the JP ledger: one frozen row per credited completion

- table jp_credit (see portal/ledger/models.py): person, course, course version (none yet),
  enrolment, certificate, JP, minutes per JP, minutes, result, credited_on (WIB date) and
  year, source, reverses_id, created_at; at most one 'completion' row per enrolment (a
  partial unique index);
- every completed enrolment becomes a 'completion' row with the JP it was completed with:
  the JP its certificate printed (the snapshot), or the course's JP now for a completion
  without a certificate; credited_on is the date of completed_at in the portal's time
  zone (WIB); minutes per JP from the MINUTES_PER_JP setting by the course's delivery mode
  (45 without a setting); result is the enrolment's final grade.

A new table only: no existing table is copied or dropped.

Revision ID: 0008
Revises: 0010
Create Date: 2026-11-30 22:30:00
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

import portal.timeutil

revision = "0008"
down_revision = "0010"
branch_labels = None
depends_on = None

COMPLETION = "completion"


def _settings() -> tuple[dict, str]:
    """``(MINUTES_PER_JP, PORTAL_TIMEZONE)`` of the app running the migration."""
    try:
        from flask import current_app

        config = current_app.config
        return dict(config.get("MINUTES_PER_JP") or {}), \
            config.get("PORTAL_TIMEZONE") or "Asia/Jakarta"
    except RuntimeError:  # no app context
        return {}, "Asia/Jakarta"


def _snapshot_jp(snapshot):
    value = (snapshot or {}).get("jp") if isinstance(snapshot, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _fill_credits(conn) -> None:
    enrolment = sa.table(
        "enrolment", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
        sa.column("course_id", sa.Integer),
        sa.column("completed_at", portal.timeutil.UTCDateTime()),
        sa.column("final_grade", sa.Float))
    course = sa.table("course", sa.column("id", sa.Integer), sa.column("jp", sa.Integer),
                      sa.column("mode", sa.String))
    certificate = sa.table("certificate", sa.column("id", sa.Integer),
                           sa.column("enrolment_id", sa.Integer),
                           sa.column("snapshot", sa.JSON))
    credit = sa.table(
        "jp_credit", sa.column("user_id", sa.Integer), sa.column("course_id", sa.Integer),
        sa.column("enrolment_id", sa.Integer), sa.column("certificate_id", sa.Integer),
        sa.column("jp", sa.Integer), sa.column("minutes_per_jp", sa.Integer),
        sa.column("minutes", sa.Integer), sa.column("result", sa.Float),
        sa.column("credited_on", sa.Date), sa.column("year", sa.Integer),
        sa.column("source", sa.String),
        sa.column("created_at", portal.timeutil.UTCDateTime()))
    minutes_per_jp, tz = _settings()
    zone = ZoneInfo(tz)
    now = datetime.now(timezone.utc)
    rows = conn.execute(
        sa.select(enrolment.c.id, enrolment.c.user_id, enrolment.c.course_id,
                  enrolment.c.completed_at, enrolment.c.final_grade, course.c.jp,
                  course.c.mode, certificate.c.id.label("certificate_id"),
                  certificate.c.snapshot)
        .select_from(enrolment.join(course, course.c.id == enrolment.c.course_id)
                     .outerjoin(certificate, certificate.c.enrolment_id == enrolment.c.id))
        .where(enrolment.c.completed_at.is_not(None))
        .order_by(enrolment.c.id)
    ).all()
    values = []
    for row in rows:
        jp = _snapshot_jp(row.snapshot) if row.certificate_id is not None else None
        jp = int(row.jp) if jp is None else jp
        per_jp = int(minutes_per_jp.get(row.mode or "") or 45)
        credited_on = row.completed_at.astimezone(zone).date()
        values.append({
            "user_id": row.user_id, "course_id": row.course_id, "enrolment_id": row.id,
            "certificate_id": row.certificate_id, "jp": jp, "minutes_per_jp": per_jp,
            "minutes": jp * per_jp, "result": row.final_grade, "credited_on": credited_on,
            "year": credited_on.year, "source": COMPLETION, "created_at": now,
        })
    if values:
        conn.execute(sa.insert(credit), values)


def upgrade():
    op.create_table(
        "jp_credit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("course_version_id", sa.Integer(), nullable=True),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.Column("minutes_per_jp", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("result", sa.Float(), nullable=True),
        sa.Column("credited_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.timeutil.UTCDateTime(), nullable=False),
        sa.CheckConstraint("source IN ('completion', 'classroom', 'import', 'manual')",
                           name="ck_jp_credit_source"),
        sa.CheckConstraint("minutes = jp * minutes_per_jp", name="ck_jp_credit_minutes"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificate.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["reverses_id"], ["jp_credit.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_jp_credit_user_year", "jp_credit", ["user_id", "year"])
    op.create_index("uq_jp_credit_one_completion", "jp_credit", ["enrolment_id"], unique=True,
                    sqlite_where=sa.text("source = 'completion'"),
                    postgresql_where=sa.text("source = 'completion'"))
    _fill_credits(op.get_bind())


def downgrade():
    op.drop_index("uq_jp_credit_one_completion", table_name="jp_credit")
    op.drop_index("ix_jp_credit_user_year", table_name="jp_credit")
    op.drop_table("jp_credit")
