"""content identity, immutable question versions, one row per answered question

- question_version: every current question becomes its version 1 (its content moves off
  the question row), with random option ids (the old ``o1``, ``o2``, ... told the file
  order); attempts' responses and option orders are rewritten to the new ids;
- question.key and module.key (stable keys written in the files): left empty here; the
  first ``flask content import`` claims each row ONCE, a module by its slug and a question
  by its position (portal/courses/importer.py), and writes the file's key into it;
  module.body_md (the Markdown source, filled by the next import that changes a module);
- question.current_version_id; the unique (quiz, position) becomes unique (quiz, key);
- course_version: one version 1 per course (its current hash); enrolment.course_version_id
  pins every enrolment to it;
- attempt_answer: one row per question of each attempt (slot = its place in
  ``question_ids``), with the version shown, the option order, the response, the mark and
  the late response from the attempt's JSON columns, which are then dropped. Scores are
  not touched.

On SQLite the altered tables are rebuilt by batch mode with foreign keys off
(migrations/env.py), so no row pointing at them is lost.

Revision ID: 0007
Revises: 0011
Create Date: 2026-11-30 22:00:00
"""
from __future__ import annotations

import hashlib
import json
import secrets

from alembic import op
import sqlalchemy as sa

import portal.timeutil

revision = "0007"
down_revision = "0011"
branch_labels = None
depends_on = None


def _hashed_data(data):
    data = dict(data or {})
    if "options" in data:
        data["options"] = [{"html": o.get("html", ""), "correct": bool(o.get("correct"))}
                           for o in data.get("options") or []]
    return data


def _content_hash(qtype, prompt_html, explanation_html, data, points) -> str:
    """A frozen copy of portal.quizzes.versions.content_hash at this revision."""
    payload = {"qtype": qtype, "prompt_html": prompt_html or "",
               "explanation_html": explanation_html or "", "data": _hashed_data(data),
               "points": float(points)}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json(value):
    if isinstance(value, (str, bytes)):
        return json.loads(value)
    return value


def _map_response(response, ids: dict):
    if ids and isinstance(response, list):
        return [ids.get(str(v), v) for v in response]
    if ids and isinstance(response, str) and response in ids:
        return [ids[response]]
    return response


QTYPE_CHECK = "qtype IN ('single', 'multiple', 'short')"
"""The question types of migration 0010's CHECK constraint."""


def upgrade():
    conn = op.get_bind()
    now = portal.timeutil.utcnow()

    op.create_table(
        "question_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("qtype", sa.String(length=20), nullable=False),
        sa.Column("prompt_md", sa.Text(), nullable=True),
        sa.Column("prompt_html", sa.Text(), nullable=False),
        sa.Column("explanation_md", sa.Text(), nullable=True),
        sa.Column("explanation_html", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", portal.timeutil.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"],
                                name=op.f("fk_question_version_question_id_question"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_version")),
        sa.UniqueConstraint("question_id", "number",
                            name=op.f("uq_question_version_question_id_number")),
        # The question type moves here from question (its CHECK of migration 0010 with it).
        sa.CheckConstraint(QTYPE_CHECK, name=op.f("ck_question_version_qtype")),
    )
    op.create_index(op.f("ix_question_version_question_id"), "question_version",
                    ["question_id"], unique=False)
    op.create_table(
        "course_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("imported_at", portal.timeutil.UTCDateTime(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"],
                                name=op.f("fk_course_version_course_id_course"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_version")),
        sa.UniqueConstraint("course_id", "number",
                            name=op.f("uq_course_version_course_id_number")),
    )
    op.create_table(
        "attempt_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("option_order", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("response", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("mark", sa.Float(), nullable=True),
        sa.Column("saved_at", portal.timeutil.UTCDateTime(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("late_response", sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempt.id"],
                                name=op.f("fk_attempt_answer_attempt_id_attempt"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"],
                                name=op.f("fk_attempt_answer_question_id_question"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_version_id"], ["question_version.id"],
                                name=op.f("fk_attempt_answer_question_version_id_question_version"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_answer")),
        sa.UniqueConstraint("attempt_id", "slot", name=op.f("uq_attempt_answer_attempt_id_slot")),
        sa.UniqueConstraint("attempt_id", "question_id",
                            name=op.f("uq_attempt_answer_attempt_id_question_id")),
    )
    op.create_index(op.f("ix_attempt_answer_question_version_id"), "attempt_answer",
                    ["question_version_id"], unique=False)

    # Version 1 of every question, with random option ids.
    question = sa.table("question", sa.column("id", sa.Integer), sa.column("qtype"),
                        sa.column("prompt_html"), sa.column("explanation_html"),
                        sa.column("data", sa.JSON), sa.column("points", sa.Float))
    version = sa.table("question_version", *(sa.column(c) for c in (
        "id", "question_id", "number", "qtype", "prompt_md", "prompt_html", "explanation_md",
        "explanation_html", "content_hash")), sa.column("data", sa.JSON),
        sa.column("points", sa.Float), sa.column("created_at", portal.timeutil.UTCDateTime()))
    option_ids: dict[int, dict[str, str]] = {}
    version_of: dict[int, int] = {}
    rng = secrets.SystemRandom()
    for row in conn.execute(sa.select(question).order_by(question.c.id)).all():
        data = _json(row.data) or {}
        ids = {}
        if isinstance(data.get("options"), list):
            used: set[str] = set()
            options = []
            for option in data["options"]:
                while True:
                    new_id = "%08x" % rng.getrandbits(32)
                    if new_id not in used:
                        used.add(new_id)
                        break
                ids[str(option.get("id"))] = new_id
                options.append({**option, "id": new_id})
            data = {**data, "options": options}
        option_ids[row.id] = ids
        conn.execute(sa.insert(version).values(
            question_id=row.id, number=1, qtype=row.qtype, prompt_md=None,
            prompt_html=row.prompt_html, explanation_md=None,
            explanation_html=row.explanation_html or "", data=data, points=row.points,
            content_hash=_content_hash(row.qtype, row.prompt_html, row.explanation_html,
                                       data, row.points),
            created_at=now))
        version_of[row.id] = conn.scalar(
            sa.select(version.c.id).where(version.c.question_id == row.id))

    # One row per question of each attempt.
    attempt = sa.table("attempt", sa.column("id", sa.Integer),
                       *(sa.column(c, sa.JSON) for c in ("question_ids", "option_order",
                                                          "answers", "marks",
                                                          "late_answers")))
    answer = sa.table("attempt_answer", *(sa.column(c) for c in (
        "attempt_id", "slot", "question_id", "question_version_id", "mark", "revision")),
        *(sa.column(c, sa.JSON(none_as_null=True)) for c in ("option_order", "response",
                                                             "late_response")))
    for row in conn.execute(sa.select(attempt).order_by(attempt.c.id)).all():
        answers = _json(row.answers) or {}
        marks = _json(row.marks) or {}
        orders = _json(row.option_order) or {}
        late = _json(row.late_answers) or {}
        slot = 0
        for qid in _json(row.question_ids) or []:
            qid = int(qid)
            if qid not in version_of:
                continue
            slot += 1
            key = str(qid)
            ids = option_ids[qid]
            order = orders.get(key)
            response = _map_response(answers.get(key), ids)
            conn.execute(sa.insert(answer).values(
                attempt_id=row.id, slot=slot, question_id=qid,
                question_version_id=version_of[qid],
                option_order=[ids.get(str(o), o) for o in order] if order else None,
                response=response, mark=marks.get(key),
                late_response=_map_response(late.get(key), ids),
                revision=1 if response is not None else 0))

    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("key", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("current_version_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_question_current_version_id_question_version"),
                                 "question_version", ["current_version_id"], ["id"],
                                 ondelete="SET NULL")
        batch.drop_constraint("uq_question_quiz_id_position", type_="unique")
        batch.create_unique_constraint(op.f("uq_question_quiz_id_key"), ["quiz_id", "key"])
        batch.drop_constraint(op.f("ck_question_qtype"), type_="check")
        for column in ("qtype", "prompt_html", "explanation_html", "data", "points"):
            batch.drop_column(column)
    conn.execute(sa.text(
        "UPDATE question SET current_version_id = (SELECT v.id FROM question_version v "
        "WHERE v.question_id = question.id AND v.number = 1)"))

    with op.batch_alter_table("module") as batch:
        batch.add_column(sa.Column("body_md", sa.Text(), nullable=True))
        batch.add_column(sa.Column("key", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(op.f("uq_module_course_id_key"), ["course_id", "key"])

    with op.batch_alter_table("attempt") as batch:
        for column in ("question_ids", "option_order", "answers", "marks", "late_answers"):
            batch.drop_column(column)

    conn.execute(sa.text(
        "INSERT INTO course_version (course_id, number, content_hash, imported_at, report) "
        "SELECT id, 1, content_hash, imported_at, '{}' FROM course"))
    with op.batch_alter_table("enrolment") as batch:
        batch.add_column(sa.Column("course_version_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_enrolment_course_version_id_course_version"),
                                 "course_version", ["course_version_id"], ["id"],
                                 ondelete="SET NULL")
    conn.execute(sa.text(
        "UPDATE enrolment SET course_version_id = (SELECT v.id FROM course_version v "
        "WHERE v.course_id = enrolment.course_id AND v.number = 1)"))


def downgrade():
    """Back to 0004: the current version's content returns to the question row and the
    rows to the attempt's JSON columns (option ids stay the new random ones); keys,
    versions and course versions are dropped."""
    conn = op.get_bind()
    with op.batch_alter_table("enrolment") as batch:
        batch.drop_constraint("fk_enrolment_course_version_id_course_version",
                              type_="foreignkey")
        batch.drop_column("course_version_id")

    with op.batch_alter_table("attempt") as batch:
        batch.add_column(sa.Column("question_ids", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("option_order", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("answers", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("marks", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("late_answers", sa.JSON(), nullable=True))
    attempt = sa.table("attempt", sa.column("id", sa.Integer), sa.column("late_at"),
                       *(sa.column(c, sa.JSON) for c in ("question_ids", "option_order",
                                                          "answers", "marks",
                                                          "late_answers")))
    rows = conn.execute(sa.text(
        "SELECT attempt_id, question_id, option_order, response, mark, late_response "
        "FROM attempt_answer ORDER BY attempt_id, slot")).all()
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.attempt_id, []).append(row)
    for attempt_row in conn.execute(sa.select(attempt.c.id, attempt.c.late_at)).all():
        mine = grouped.get(attempt_row.id, [])
        conn.execute(sa.update(attempt).where(attempt.c.id == attempt_row.id).values(
            question_ids=[r.question_id for r in mine],
            option_order={str(r.question_id): _json(r.option_order) for r in mine
                          if r.option_order is not None},
            answers={str(r.question_id): _json(r.response) for r in mine
                     if r.response is not None},
            marks={str(r.question_id): r.mark for r in mine if r.mark is not None},
            late_answers=({str(r.question_id): _json(r.late_response) for r in mine
                           if r.late_response is not None}
                          if attempt_row.late_at is not None else None)))
    with op.batch_alter_table("attempt") as batch:
        for column in ("question_ids", "answers", "marks"):
            batch.alter_column(column, existing_type=sa.JSON(), nullable=False)

    with op.batch_alter_table("module") as batch:
        batch.drop_constraint("uq_module_course_id_key", type_="unique")
        batch.drop_column("key")
        batch.drop_column("body_md")

    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("qtype", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("prompt_html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("explanation_html", sa.Text(), nullable=True))
        batch.add_column(sa.Column("data", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("points", sa.Float(), nullable=True))
    for column in ("qtype", "prompt_html", "explanation_html", "data", "points"):
        conn.execute(sa.text(
            f"UPDATE question SET {column} = (SELECT v.{column} FROM question_version v "
            "WHERE v.id = question.current_version_id)"))
    # Keep the (quiz, position) rule satisfiable: archived questions sharing a position
    # with a current one move after the quiz's last position.
    with op.batch_alter_table("question") as batch:
        batch.drop_constraint("fk_question_current_version_id_question_version",
                              type_="foreignkey")
        batch.drop_constraint("uq_question_quiz_id_key", type_="unique")
        batch.drop_column("current_version_id")
        batch.drop_column("key")
        for column, kind in (("qtype", sa.String(length=20)), ("prompt_html", sa.Text()),
                             ("explanation_html", sa.Text()), ("data", sa.JSON()),
                             ("points", sa.Float())):
            batch.alter_column(column, existing_type=kind, nullable=False)
        batch.create_check_constraint(op.f("ck_question_qtype"), QTYPE_CHECK)
    dupes = conn.execute(sa.text(
        "SELECT id, quiz_id FROM question q WHERE EXISTS (SELECT 1 FROM question o "
        "WHERE o.quiz_id = q.quiz_id AND o.position = q.position AND o.id < q.id) "
        "ORDER BY id")).all()
    for row in dupes:
        top = conn.scalar(sa.text("SELECT max(position) FROM question WHERE quiz_id = :q"),
                          {"q": row.quiz_id})
        conn.execute(sa.text("UPDATE question SET position = :p WHERE id = :id"),
                     {"p": top + 1, "id": row.id})
    with op.batch_alter_table("question") as batch:
        batch.create_unique_constraint("uq_question_quiz_id_position", ["quiz_id", "position"])

    op.drop_index(op.f("ix_attempt_answer_question_version_id"), table_name="attempt_answer")
    op.drop_table("attempt_answer")
    op.drop_table("course_version")
    op.drop_index(op.f("ix_question_version_question_id"), table_name="question_version")
    op.drop_table("question_version")
