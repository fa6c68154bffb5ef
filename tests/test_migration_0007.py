"""Migration 0007 on data written before it: every question becomes its version 1 (with
random option ids), every attempt's JSON answers become one row per question, and every
learner's answers, marks, scores, late answers and review stay what they were; an open
attempt is graded on its rows afterwards. On SQLite and PostgreSQL (``TEST_DATABASE_URL``).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa

from tests.conftest import ROOT

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)

SINGLE = {"options": [{"id": "o1", "html": "Ekonomi", "correct": False},
                      {"id": "o2", "html": "Elektronik", "correct": True}]}
SHORT = {"answers": ["20", "20 JP"], "tolerance": None}


def _fill(conn, enrolments: list[int]) -> dict:
    run = lambda sql, **values: conn.execute(sa.text(sql), values)  # noqa: E731
    course = conn.scalar(sa.text("SELECT min(id) FROM course"))
    run("INSERT INTO quiz (id, course_id, slug, kind, title, max_attempts, grading, shuffle, "
        "shuffle_options) VALUES (50, :c, 'pretest', 'pretest', 'Pre', 0, 'highest', :f, :t)",
        c=course, f=False, t=True)
    for qid, position, qtype, prompt, data in ((61, 1, "single", "<p>SPBE?</p>", SINGLE),
                                               (62, 2, "short", "<p>JP?</p>", SHORT)):
        run("INSERT INTO question (id, quiz_id, position, qtype, prompt_html, "
            "explanation_html, data, points, tags, is_archived) VALUES (:id, 50, :p, :q, "
            ":prompt, '<p>Why</p>', :data, 1.0, '[]', :f)", id=qid, p=position, q=qtype,
            prompt=prompt, data=json.dumps(data), f=False)
    t = NOW.replace(tzinfo=None)
    attempts = (
        # shuffled, both right
        (71, enrolments[0], 1, "finished", [62, 61], {"61": ["o2", "o1"]},
         {"61": ["o2"], "62": "20 JP"}, {"61": 1.0, "62": 1.0}, None, 2.0, 100.0),
        # one wrong, a late answer kept aside
        (72, enrolments[1], 1, "finished", [61, 62], None, {"61": ["o1"]},
         {"61": 0.0, "62": 0.0}, {"62": "20"}, 0.0, 0.0),
        # still open, one answer saved
        (73, enrolments[1], 2, "in_progress", [61, 62], {"61": ["o1", "o2"]}, {"61": ["o2"]},
         {}, None, None, None),
    )
    for (aid, enrolment, number, state, qids, order, answers, marks, late, points,
         score) in attempts:
        run("INSERT INTO attempt (id, public_id, enrolment_id, quiz_id, number, state, "
            "question_ids, option_order, answers, marks, late_answers, late_at, points, "
            "max_points, score, started_at, submitted_at) VALUES (:id, :pid, :e, 50, :n, :s, "
            ":qids, :order, :answers, :marks, :late, :late_at, :points, :maxp, :score, :t, "
            ":sub)", id=aid, pid=f"{aid:032d}", e=enrolment, n=number, s=state,
            qids=json.dumps(qids), order=json.dumps(order) if order else None,
            answers=json.dumps(answers), marks=json.dumps(marks),
            late=json.dumps(late) if late else None, late_at=t if late else None,
            points=points, maxp=2.0 if points is not None else None, score=score, t=t,
            sub=t if state == "finished" else None)
    return {"quiz": 50}


def _seen(attempt, services, EVERYTHING) -> list:
    """What a review shows of ``attempt``, with option ids replaced by their text."""
    shown = []
    for item in services.review_items(attempt, EVERYTHING):
        html = {o["id"]: o["html"] for o in item.question.data.get("options") or []}
        response = item.response
        if isinstance(response, list):
            response = [html[r] for r in response]
        late = item.late_response
        shown.append((item.question.prompt_html, response, item.correct, item.mark, late,
                      [o["html"] for o in item.options],
                      [o.get("chosen") for o in item.options]))
    return shown


def test_answers_become_rows_and_every_score_and_review_stays(app_config):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.auth.models import User
    from portal.courses.models import Course, CourseVersion
    from portal.extensions import db
    from portal.progress.models import Enrolment
    from portal.quizzes import services
    from portal.quizzes.models import Attempt, AttemptAnswer, Question, QuestionVersion
    from portal.quizzes.review import EVERYTHING

    directory = str(ROOT / "migrations")
    application = create_app(app_config)
    with application.app_context():
        try:
            course = Course(slug="uji", code="U-01", title="Uji", jp=2,
                            competency_type="manajerial", competencies=["M.05"],
                            mode="e-learning", pass_mark=70, content_hash="abc")
            db.session.add(course)
            enrolments = []
            for n in (1, 2):
                user = User(nip=f"19860926201505100{n}", email=f"u{n}@jambiprov.go.id",
                            password_hash="x", full_name=f"Peserta {n}", roles={"peserta"})
                db.session.add(user)
                db.session.flush()
                enrolment = Enrolment(user_id=user.id, course_id=course.id)
                db.session.add(enrolment)
                db.session.flush()
                enrolments.append(enrolment.id)
            db.session.commit()
            db.session.remove()

            downgrade(directory=directory, revision="0004")
            with db.engine.begin() as conn:
                _fill(conn, enrolments)
            upgrade(directory=directory)

            attempts = {a.id: a for a in db.session.scalars(sa.select(Attempt))}
            assert [(a.state, a.points, a.score) for a in attempts.values()] == [
                ("finished", 2.0, 100.0), ("finished", 0.0, 0.0), ("in_progress", None, None)]
            assert _seen(attempts[71], services, EVERYTHING) == [
                ("<p>JP?</p>", "20 JP", True, 1.0, None, [], []),
                ("<p>SPBE?</p>", ["Elektronik"], True, 1.0, None, ["Elektronik", "Ekonomi"],
                 [True, False])]
            assert _seen(attempts[72], services, EVERYTHING) == [
                ("<p>SPBE?</p>", ["Ekonomi"], False, 0.0, None, ["Ekonomi", "Elektronik"],
                 [True, False]),
                ("<p>JP?</p>", None, False, 0.0, "20", [], [])]
            assert attempts[72].late_answers == {"62": "20"}
            assert attempts[71].marks == {"61": 1.0, "62": 1.0}

            # Version 1 of each question, random option ids, responses rewritten to them.
            versions = db.session.scalars(sa.select(QuestionVersion)
                                          .order_by(QuestionVersion.question_id)).all()
            assert [(v.question_id, v.number, v.prompt_md) for v in versions] == [
                (61, 1, None), (62, 1, None)]
            ids = [o["id"] for o in versions[0].data["options"]]
            assert not set(ids) & {"o1", "o2"}
            assert attempts[71].answers["61"] == [ids[1]]
            assert attempts[71].option_order == {"61": [ids[1], ids[0]]}
            questions = db.session.scalars(sa.select(Question).order_by(Question.id)).all()
            assert [(q.key, q.current_version_id) for q in questions] == [
                (None, versions[0].id), (None, versions[1].id)]
            assert db.session.scalar(sa.select(sa.func.count(AttemptAnswer.id))) == 6

            # One course version per course; every enrolment pinned to it.
            version = db.session.scalars(sa.select(CourseVersion)).one()
            assert (version.number, version.content_hash) == (1, "abc")
            assert set(db.session.scalars(sa.select(Enrolment.course_version_id))) == {
                version.id}

            # The open attempt goes on from its rows: graded on what was saved.
            services.submit_attempt(attempts[73], NOW, 30)
            db.session.commit()
            assert (attempts[73].points, attempts[73].score) == (1.0, 50.0)
        finally:
            db.session.remove()
            db.engine.dispose()
