"""States and kinds are enums in Python and CHECK constraints in the database: a value
outside the vocabulary, written with raw SQL past the models, is refused (SQLite and
PostgreSQL, ``TEST_DATABASE_URL``)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.auth.models import AgencyKind, Role
from portal.certificates.models import AccessAction, CertificateStatus
from portal.courses.models import CompetencyType, DeliveryMode
from portal.quizzes.models import AttemptState, Grading, QuestionTypeKey, QuizKind
from portal.quizzes.types import QUESTION_TYPES

#: constraint name -> (enum, a raw UPDATE setting one row's column to a bad value).
CHECKED = {
    "ck_agency_kind": (AgencyKind, "UPDATE agency SET kind = 'desa'"),
    "ck_course_competency_type": (CompetencyType, "UPDATE course SET competency_type = 'x'"),
    "ck_course_mode": (DeliveryMode, "UPDATE course SET mode = 'elearning'"),
    "ck_quiz_kind": (QuizKind, "UPDATE quiz SET kind = 'exam'"),
    "ck_quiz_grading": (Grading, "UPDATE quiz SET grading = 'best'"),
    "ck_question_version_qtype": (QuestionTypeKey,
                                  "UPDATE question_version SET qtype = 'essay'"),
    "ck_certificate_status": (CertificateStatus, None),
    "ck_certificate_access_action": (AccessAction, None),
    "ck_attempt_state": (AttemptState, None),
}


def test_enums_are_strings_with_the_stored_values():
    assert QuizKind.POSTTEST == "posttest" and str(QuizKind.POSTTEST) == "posttest"
    assert Role("peserta") is Role.PESERTA
    assert {t.value for t in QuestionTypeKey} == set(QUESTION_TYPES)


def test_every_named_check_constraint_exists(db):
    inspector = sa.inspect(db.engine)
    names = set()
    for table in ("agency", "course", "quiz", "question_version", "attempt", "certificate",
                  "certificate_access"):
        names |= {c["name"] for c in inspector.get_check_constraints(table)}
    assert set(CHECKED) <= names


@pytest.mark.parametrize("name", [n for n, (_, sql) in CHECKED.items() if sql])
def test_a_bad_value_written_with_raw_sql_is_refused(app, db, name):
    app.test_cli_runner().invoke(args=["content", "import"])
    _, sql = CHECKED[name]
    with pytest.raises(IntegrityError) as refused:
        with db.engine.begin() as conn:
            conn.execute(sa.text(sql))
    assert name in str(refused.value)


def test_attempt_certificate_and_access_rows_refuse_unknown_values(app, db, make_user):
    app.test_cli_runner().invoke(args=["content", "import"])
    user = make_user()
    with db.engine.begin() as conn:
        course, quiz = conn.execute(sa.text("SELECT course_id, id FROM quiz ORDER BY id")).first()
        conn.execute(sa.text("INSERT INTO enrolment (id, user_id, course_id, enrolled_at) "
                             "VALUES (900, :u, :c, '2026-11-02 01:00:00')"),
                     {"u": user.id, "c": course})
    attempt = ("INSERT INTO attempt (public_id, enrolment_id, quiz_id, number, state, "
               "started_at) VALUES (:p, 900, :q, 1, :state, '2026-11-02 01:00:00')")
    certificate = ("INSERT INTO certificate (id, code, number, enrolment_id, user_id, "
                   "issued_at, snapshot, holder_name, status) VALUES (900, 'C', 'N', 900, :u, "
                   "'2026-11-02 01:00:00', '{}', '', :status)")
    access = ("INSERT INTO certificate_access (certificate_id, user_id, action, at) VALUES "
              "(900, :u, :action, '2026-11-02 01:00:00')")
    good = ((attempt, {"p": "a" * 32, "q": quiz, "state": "finished"}),
            (certificate, {"u": user.id, "status": "valid"}),
            (access, {"u": user.id, "action": "view_detail"}))
    with db.engine.begin() as conn:
        for sql, values in good:
            conn.execute(sa.text(sql), values)
    bad = ((attempt, {"p": "b" * 32, "q": quiz, "state": "done"}, "ck_attempt_state"),
           ("UPDATE certificate SET status = :status WHERE id = 900", {"status": "void"},
            "ck_certificate_status"),
           (access, {"u": user.id, "action": "print"}, "ck_certificate_access_action"))
    for sql, values, name in bad:
        with pytest.raises(IntegrityError) as refused:
            with db.engine.begin() as conn:
                conn.execute(sa.text(sql), values)
        assert name in str(refused.value)
