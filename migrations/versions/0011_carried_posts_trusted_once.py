"""carried posts trusted once: a server-side record of each post carried across a login,
and when an attempt's answers were last saved

- carried_post: one row per post that arrived after its session had ended (the account, the
  URL, the arrival time, a random nonce named in the signed login field, when a login used
  it); portal.auth.reauth trusts the arrival time only from here, once, for the newest post of
  an account and URL;
- attempt.answers_saved_at: when answers were last saved in time, so a carried post never
  replaces answers saved after it arrived. Existing attempts keep it empty.

Both are a CREATE TABLE and an ADD COLUMN, done in place on SQLite.

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-30 22:30:00
"""
from alembic import op
import sqlalchemy as sa

import portal.timeutil

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "carried_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("arrived_at", portal.timeutil.UTCDateTime(), nullable=False),
        sa.Column("used_at", portal.timeutil.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nonce"),
    )
    op.create_index(op.f("ix_carried_post_user_id"), "carried_post", ["user_id"],
                    unique=False)
    op.add_column("attempt", sa.Column("answers_saved_at", portal.timeutil.UTCDateTime(),
                                       nullable=True))


def downgrade():
    op.drop_column("attempt", "answers_saved_at")
    op.drop_index(op.f("ix_carried_post_user_id"), table_name="carried_post")
    op.drop_table("carried_post")
