"""The read models give the figures the per-enrolment rules give, and the teaching overview
comes in pages."""

from __future__ import annotations

from fractions import Fraction

from portal.progress import services, summaries


def test_teaching_overview_comes_twenty_courses_a_page(client, login, make_user, make_course):
    for i in range(21):
        make_course(slug=f"kursus-{i:02d}", title=f"Kursus {i:02d}", code=f"K-{i:02d}",
                    modules=0, pretest=False, posttest=False)
    login(client, make_user(role="instructor", locale="en"))
    first = client.get("/teaching").get_data(as_text=True)
    assert "Kursus 00" in first and "Kursus 19" in first and "Kursus 20" not in first
    assert "Page 1 of 2" in first and "/teaching?page=2" in first
    second = client.get("/teaching?page=2").get_data(as_text=True)
    assert "Kursus 20" in second and "Kursus 19" not in second and "Page 2 of 2" in second
    clamped = client.get("/teaching?page=9").get_data(as_text=True)
    assert "Kursus 20" in clamped and "Page 2 of 2" in clamped


def test_course_state_agrees_with_the_services(db, make_user, make_course, quiz_of, enrolled,
                                               finish_attempt, module_of):
    course = make_course(modules=2)
    enrolment = enrolled(make_user(), course)
    finish_attempt(enrolment, quiz_of(course, "pretest"), 40.0)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 50.0)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 80.0)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 95.0, state="overdue")
    state = summaries.course_state(course, enrolment)
    for kind, status in ((services.PRETEST, state.pretest), (services.POSTTEST, state.posttest)):
        assert status == services.quiz_status(course, enrolment, kind)
    assert state.posttest.grade == Fraction(80)  # highest finished; overdue never counts
    assert state.progress == services.progress(enrolment)
    assert state.posttest_unlocked == services.posttest_unlocked(enrolment)
    assert state.first_undone() == services.first_undone_module(enrolment)
    visitor = summaries.course_state(course, None)
    assert visitor.pretest.quiz.id == quiz_of(course, "pretest").id
    assert not visitor.pretest.submitted and not visitor.posttest_unlocked


def test_dashboard_rows_agree_with_the_services(db, make_user, make_course, quiz_of, enrolled,
                                                finish_attempt):
    user = make_user()
    first, second = make_course(), make_course(slug="kedua", code="KD-01", title="Kedua")
    one, two = enrolled(user, first), enrolled(user, second)
    finish_attempt(one, quiz_of(first, "pretest"), 30.0)
    finish_attempt(one, quiz_of(first, "posttest"), 60.0)
    finish_attempt(two, quiz_of(second, "pretest"), 55.0)
    for row in summaries.learning_rows([one, two]):
        e = row.enrolment
        assert row.pre == services.quiz_status(e.course, e, services.PRETEST).grade
        assert row.post == services.quiz_status(e.course, e, services.POSTTEST).grade
        assert row.progress == services.progress(e)
