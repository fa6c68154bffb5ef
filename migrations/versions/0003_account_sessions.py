"""account sessions: a per-account session version that ends every login session at once

Every login session carries the account's session_version; logout, a password change or
reset and deactivation increment it (portal.auth.services.end_all_sessions), so a copied
session cookie stops working everywhere at once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 19:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(),
                                      server_default=sa.text("0"), nullable=False))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
