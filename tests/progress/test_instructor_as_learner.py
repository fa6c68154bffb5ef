"""Roles are a set: a widyaiswara (instructor) is also a learner, enrols in a course and
completes it as any peserta does, and keeps the instructor's pages."""

from __future__ import annotations

from flask import url_for

from portal.progress.models import Enrolment
from tests.progress.progress_helpers import complete, open_and_mark_done


def test_an_instructor_enrols_and_completes_a_course_like_a_learner(
        app, db, client, login, make_user, make_course, module_of, quiz_of, finish_attempt):
    import sqlalchemy as sa

    course = make_course(modules=2, pass_mark=70)
    instructor = make_user(role="instructor", locale="en")
    assert instructor.roles == {"instructor", "peserta"}
    login(client, instructor)

    response = client.post(url_for("courses.enrol", slug=course.slug))
    assert response.status_code in (302, 303)
    enrolment = db.session.scalars(sa.select(Enrolment).where(
        Enrolment.user_id == instructor.id, Enrolment.course_id == course.id)).one()
    for n in (1, 2):
        assert open_and_mark_done(enrolment, module_of(course, n))
    finish_attempt(enrolment, quiz_of(course, "posttest"), 80.0)
    certificate = complete(enrolment)
    db.session.commit()

    assert certificate is not None and certificate.user_id == instructor.id
    assert enrolment.completed_at is not None
    assert client.get(url_for("courses.instructor_overview")).status_code == 200
    assert client.get(url_for("progress.dashboard")).status_code == 200
