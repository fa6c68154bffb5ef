"""competency catalogue and training needs analysis

- competency (PermenPANRB 38/2017: managerial M.01-M.08 and socio-cultural SK.01 Perekat
  Bangsa seeded here from portal/competencies/catalogue_data.py, technical ones added by
  admins per agency and jabatan) and competency_level (five levels with indicators);
- course_competency: the competencies a course addresses, with an optional target level,
  filled here from each course's ``competencies`` list (written at import from then on);
- needs_survey, survey_rating (self and supervisor ratings), needs_discussion (interviews
  and focus group discussions).

Only new tables: nothing existing is copied or dropped.

Revision ID: 0012
Revises: 0004
Create Date: 2026-11-30 22:06:29
"""
import json

from alembic import op
import sqlalchemy as sa

import portal.timeutil


revision = '0012'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('jabatan', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_competency_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency')),
    sa.UniqueConstraint('code', name=op.f('uq_competency_code'))
    )
    op.create_table('course_competency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('competency_code', sa.String(length=20), nullable=False),
    sa.Column('target_level', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_competency_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_competency')),
    sa.UniqueConstraint('course_id', 'competency_code', name=op.f('uq_course_competency_course_id_competency_code'))
    )
    with op.batch_alter_table('course_competency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_competency_competency_code'), ['competency_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_competency_course_id'), ['course_id'], unique=False)

    op.create_table('competency_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['competency_id'], ['competency.id'], name=op.f('fk_competency_level_competency_id_competency'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_level')),
    sa.UniqueConstraint('competency_id', 'level', name=op.f('uq_competency_level_competency_id_level'))
    )
    op.create_table('needs_survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=250), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.Column('closes_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.Column('agency_ids', sa.JSON(), nullable=False),
    sa.Column('opd_ids', sa.JSON(), nullable=False),
    sa.Column('jabatan', sa.JSON(), nullable=False),
    sa.Column('competency_codes', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_needs_survey_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs_survey')),
    sa.UniqueConstraint('public_id', name=op.f('uq_needs_survey_public_id'))
    )
    op.create_table('needs_discussion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('facilitator', sa.String(length=200), nullable=False),
    sa.Column('participant_count', sa.Integer(), nullable=False),
    sa.Column('participant_groups', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('notes_html', sa.Text(), nullable=False),
    sa.Column('competency_codes', sa.JSON(), nullable=False),
    sa.Column('created_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['needs_survey.id'], name=op.f('fk_needs_discussion_survey_id_needs_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs_discussion'))
    )
    with op.batch_alter_table('needs_discussion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_discussion_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    sa.Column('competency_code', sa.String(length=20), nullable=False),
    sa.Column('rater_kind', sa.String(length=12), nullable=False),
    sa.Column('rater_user_id', sa.Integer(), nullable=False),
    sa.Column('importance', sa.Integer(), nullable=True),
    sa.Column('proficiency', sa.Integer(), nullable=False),
    sa.Column('updated_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rater_user_id'], ['user.id'], name=op.f('fk_survey_rating_rater_user_id_user')),
    sa.ForeignKeyConstraint(['respondent_id'], ['user.id'], name=op.f('fk_survey_rating_respondent_id_user')),
    sa.ForeignKeyConstraint(['survey_id'], ['needs_survey.id'], name=op.f('fk_survey_rating_survey_id_needs_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_rating')),
    sa.UniqueConstraint('survey_id', 'respondent_id', 'competency_code', 'rater_kind', name=op.f('uq_survey_rating_survey_id_respondent_id_competency_code_rater_kind'))
    )
    with op.batch_alter_table('survey_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_rating_respondent_id'), ['respondent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_rating_survey_id'), ['survey_id'], unique=False)

    _seed(op.get_bind())


def _seed(conn) -> None:
    """The regulation's competencies and levels, and the links of the courses already
    imported (by their ``competencies`` codes, without a target level)."""
    from portal.competencies.catalogue_data import COMPETENCIES, SOURCE

    competency = sa.table(
        "competency", sa.column("id", sa.Integer), sa.column("code", sa.String),
        sa.column("kind", sa.String), sa.column("name", sa.String),
        sa.column("definition", sa.Text), sa.column("jabatan", sa.String),
        sa.column("source", sa.String), sa.column("is_active", sa.Boolean),
        sa.column("created_at", portal.timeutil.UTCDateTime()))
    level = sa.table(
        "competency_level", sa.column("competency_id", sa.Integer),
        sa.column("level", sa.Integer), sa.column("description", sa.Text),
        sa.column("indicators", sa.JSON))
    now = portal.timeutil.utcnow()
    for code, kind, name, definition, levels in COMPETENCIES:
        conn.execute(competency.insert().values(
            code=code, kind=kind, name=name, definition=definition, jabatan="",
            source=SOURCE, is_active=True, created_at=now))
        competency_id = conn.scalar(sa.select(competency.c.id).where(competency.c.code == code))
        conn.execute(level.insert(), [
            {"competency_id": competency_id, "level": number, "description": description,
             "indicators": indicators}
            for number, (description, indicators) in enumerate(levels, start=1)])
    course = sa.table("course", sa.column("id", sa.Integer), sa.column("competencies", sa.JSON))
    link = sa.table("course_competency", sa.column("course_id", sa.Integer),
                    sa.column("competency_code", sa.String))
    for course_id, codes in conn.execute(sa.select(course.c.id, course.c.competencies)).all():
        if isinstance(codes, str):
            codes = json.loads(codes)
        unique = list(dict.fromkeys(str(c).strip() for c in codes or [] if str(c).strip()))
        if unique:
            conn.execute(link.insert(), [{"course_id": course_id, "competency_code": c[:20]}
                                         for c in unique])


def downgrade():
    with op.batch_alter_table('survey_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_rating_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_rating_respondent_id'))

    op.drop_table('survey_rating')
    with op.batch_alter_table('needs_discussion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needs_discussion_survey_id'))

    op.drop_table('needs_discussion')
    op.drop_table('needs_survey')
    op.drop_table('competency_level')
    with op.batch_alter_table('course_competency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_competency_course_id'))
        batch_op.drop_index(batch_op.f('ix_course_competency_competency_code'))

    op.drop_table('course_competency')
    op.drop_table('competency')
