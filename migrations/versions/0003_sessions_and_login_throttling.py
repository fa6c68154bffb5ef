"""sessions and login throttling: a per-account session version; the login lock columns go

Every login session carries the account's session_version; logout, a password change or
reset and deactivation increment it (portal.auth.services.end_all_sessions), so a copied
session cookie stops working everywhere at once.

Failed logins are now throttled per account and per client in Flask-Limiter's storage
(portal.auth.throttle), so user.failed_logins and user.locked_until are dropped: the lock
they kept could be renewed by anyone forever and showed which accounts exist. A downgrade
brings them back empty (no account locked).

Revision ID: 0003
Revises: 0006
Create Date: 2026-11-30 19:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(),
                                      server_default=sa.text("0"), nullable=False))
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("locked_until")


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        # UTCDateTime (portal.timeutil) stores a plain DateTime
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(),
                                      server_default=sa.text("0"), nullable=False))
        batch_op.drop_column("session_version")
