"""audit log of administrative changes

- audit_event: who (actor, with a label that outlives the account), what (action), on what
  (target kind and id), the values before and after (JSON), when (UTC) and from which client
  address.

Only a new table: nothing existing is copied or dropped.

Revision ID: 0013
Revises: 0008
Create Date: 2026-11-30 22:40:00
"""
from alembic import op
import sqlalchemy as sa

import portal.timeutil


revision = '0013'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_label', sa.String(length=320), nullable=False),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('target_kind', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.String(length=40), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.Column('at', portal.timeutil.UTCDateTime(), nullable=False),
        sa.Column('client_address', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user.id'],
                                name=op.f('fk_audit_event_actor_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))
    op.drop_table('audit_event')
