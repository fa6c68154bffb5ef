"""module openings and minimum study time

A module can be marked done only after its page was served to the learner, and, when a
minimum study time applies, only that long after the first opening (issue 5, "JP without
study"). ``module_visit`` records the first opening per enrolment and module;
``module.min_minutes`` holds the author's minimum (front matter ``min_minutes``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 19:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.timeutil


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('module_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('first_opened_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_module_visit_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_module_visit_module_id_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_visit')),
    sa.UniqueConstraint('enrolment_id', 'module_id', name=op.f('uq_module_visit_enrolment_id_module_id'))
    )
    with op.batch_alter_table('module', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_minutes', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('module', schema=None) as batch_op:
        batch_op.drop_column('min_minutes')

    op.drop_table('module_visit')
