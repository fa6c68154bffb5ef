"""Migration 0004 on data written before it: extra open attempts from double clicks are
marked abandoned (so the one-open-attempt index can be built), completed enrolments get the
post-test score their certificate printed as their final grade, and no row is lost either
way (on SQLite a copied-and-dropped table would cascade-delete the rows that reference it)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa

from tests.factories import ROOT

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)


def test_upgrade_closes_duplicate_open_attempts_and_fills_final_grades(app_config):
    from flask_migrate import downgrade, upgrade

    from portal import create_app
    from portal.auth.models import User
    from portal.courses.models import Course
    from portal.extensions import db
    from portal.progress.models import Enrolment
    from portal.quizzes.models import Quiz

    directory = str(ROOT / "migrations")
    application = create_app(app_config)
    with application.app_context():
        try:
            user = User(nip="198609262015051001", email="rina@jambiprov.go.id",
                        password_hash="x", full_name="Rina", roles={"peserta"})
            course = Course(slug="uji", code="U-01", title="Uji", jp=2,
                            competency_type="manajerial", competencies=["M.05"],
                            mode="e-learning", pass_mark=70)
            db.session.add_all([user, course])
            db.session.flush()
            quiz = Quiz(course_id=course.id, slug="posttest", kind="posttest", title="Post")
            done = Enrolment(user_id=user.id, course_id=course.id, completed_at=NOW)
            db.session.add_all([quiz, done])
            db.session.commit()
            ids = {"user": user.id, "quiz": quiz.id, "enrolment": done.id}
            db.session.remove()

            downgrade(directory=directory, revision="0002")
            with db.engine.begin() as conn:
                for number, state, answers in ((1, "finished", {}),
                                               (2, "in_progress", {"7": ["o2"]}),
                                               (3, "in_progress", {})):
                    conn.execute(sa.text(
                        "INSERT INTO attempt (public_id, enrolment_id, quiz_id, number, state,"
                        " question_ids, answers, marks, started_at) VALUES (:p, :e, :q, :n,"
                        " :s, '[]', :a, '{}', :t)"),
                        {"p": f"{number:032d}", "e": ids["enrolment"], "q": ids["quiz"],
                         "n": number, "s": state, "a": json.dumps(answers),
                         "t": NOW.replace(tzinfo=None)})
                conn.execute(sa.text(
                    "INSERT INTO certificate (code, number, enrolment_id, user_id, issued_at,"
                    " snapshot, holder_name, status) VALUES ('C', 'N', :e, :u, :t, :s,"
                    " 'Rina', 'valid')"),
                    {"e": ids["enrolment"], "u": ids["user"], "t": NOW.replace(tzinfo=None),
                     "s": json.dumps({"posttest_score": "86,67"})})

            with db.engine.connect() as conn:
                print("BEFORE", conn.execute(sa.text("SELECT number, state FROM attempt")).all())
            import logging; logging.basicConfig(); logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
            upgrade(directory=directory)
            logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
            with db.engine.connect() as conn:
                states = dict(conn.execute(sa.text(
                    "SELECT number, state FROM attempt ORDER BY number")).all())
                grade = conn.scalar(sa.text("SELECT final_grade FROM enrolment WHERE id = :e"),
                                    {"e": ids["enrolment"]})
            # the open attempt holding answers stays open; the empty duplicate is abandoned
            assert states == {1: "finished", 2: "in_progress", 3: "abandoned"}
            assert grade == 86.67

            # Down and up again in place: no table is copied, so no row is cascade-deleted.
            downgrade(directory=directory, revision="0002")
            with db.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT count(*) FROM attempt")) == 3
                assert conn.scalar(sa.text("SELECT count(*) FROM certificate")) == 1
            upgrade(directory=directory)
            with db.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT count(*) FROM attempt")) == 3
        finally:
            db.session.remove()
            db.engine.dispose()
