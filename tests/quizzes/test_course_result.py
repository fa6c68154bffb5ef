"""One course result: once the course is completed the post-test is closed to the learner,
and the grade that completed it is what the quiz page, the course page, the dashboard, the
certificate, its verification page and HR show."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.certificates.models import Certificate
from portal.completion import complete_after_attempt
from portal.progress.models import Enrolment
from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState
from quiz_helpers import NOW, qid, right_answers


def finish(db, enrolment, quiz, form, when=NOW):
    attempt = services.start_attempt(enrolment, quiz, when)
    services.save_answers(attempt, form, when)
    services.submit_attempt(attempt, when, 30)
    complete_after_attempt(attempt, when)
    db.session.commit()
    return attempt


def test_a_completed_course_closes_the_post_test(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, kind="posttest", grading="last", max_attempts=3)
    finish(db, enrolment, quiz, right_answers(quiz))
    assert enrolment.completed_at is not None
    assert enrolment.final_grade == 100.0
    assert services.start_refusal(enrolment, quiz) == "completed"
    try:
        services.start_attempt(enrolment, quiz, NOW)
    except services.QuizError as exc:
        assert exc.code == "completed"
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("a completed course's post-test must stay closed")
    summary = services.quiz_summary(enrolment, quiz)
    assert summary.can_start is False and summary.refusal == "completed"
    assert summary.grade == 100


def test_pages_show_the_grade_that_completed_the_course(app, db, client, login, learner,
                                                        enrolment, course, make_quiz,
                                                        make_user):
    """Even when a later attempt exists (made before this rule) and ``grading: last`` would
    count it, every page shows the grade that completed the course, as the certificate."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    quiz = make_quiz(course, kind="posttest", grading="last", max_attempts=3)
    finish(db, enrolment, quiz, right_answers(quiz))
    db.session.add(Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=2,
                           state=AttemptState.FINISHED, points=0.0, max_points=4.0,
                           score=0.0, started_at=NOW, submitted_at=NOW))
    db.session.commit()
    assert services.quiz_grade(enrolment, quiz) == 0  # what "last" alone would say
    certificate = db.session.scalars(sa.select(Certificate)).one()
    assert certificate.snapshot["posttest_score"] == "100%"

    login(client, learner)
    course_page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Passed: 100%" in course_page and "Course result: 100%." in course_page
    assert not re.search(r"(?<![0-9,.])0%", course_page)  # no failing 0% anywhere
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "100%" in dashboard and not re.search(r"(?<![0-9,.])0%", dashboard)
    intro = client.get(f"/courses/{course.slug}/quizzes/{quiz.slug}")
    assert "with a post-test grade of 100%" in intro.get_data(as_text=True)
    response = client.post(f"/courses/{course.slug}/quizzes/{quiz.slug}/start")
    assert response.status_code == 409
    assert "its post-test is closed" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 2

    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "100%" in verify
    hr = login(app.test_client(), make_user(role="hr", locale="en"))
    assert "Post-test score 100%" in hr.get(
        f"/hr/certificates/{certificate.code}").get_data(as_text=True)


def test_completion_records_the_exact_grade(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, kind="posttest", questions=3)
    course.pass_mark = 66
    db.session.commit()
    finish(db, enrolment, quiz, {qid(quiz, 1): ["o2"], qid(quiz, 2): ["o2"]})
    db.session.expire_all()
    completed = db.session.get(Enrolment, enrolment.id)
    assert completed.final_grade == float(200) / 3
    certificate = db.session.scalars(sa.select(Certificate)).one()
    assert certificate.snapshot["posttest_score"] == "66,66%"


def test_every_page_shows_two_thirds_as_66_66_and_not_passed(app, db, client, login,
                                                             learner, enrolment, course,
                                                             make_quiz, make_user):
    """Pass mark 67 and a score of 2/3: never "67" next to "Tidak lulus". Every page shows
    the same 66,66% (rounded down, decimal comma, % sign), in Indonesian."""
    course.pass_mark = 67
    db.session.commit()
    quiz = make_quiz(course, kind="posttest", questions=3, max_attempts=2)
    login(client, learner)
    response = client.post(f"/courses/{course.slug}/quizzes/{quiz.slug}/start")
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    client.post(f"/attempts/{public_id}/submit", data={
        f"q{qid(quiz, 1)}": "o2", f"q{qid(quiz, 2)}": "o2", f"q{qid(quiz, 3)}": "o1"})

    review = client.get(f"/attempts/{public_id}/review").get_data(as_text=True)
    assert "Tidak lulus: 66,66%" in review
    intro = client.get(f"/courses/{course.slug}/quizzes/{quiz.slug}").get_data(as_text=True)
    assert "<strong>66,66%</strong>" in intro and "Tidak lulus" in intro
    course_page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Nilai Anda: 66,66%" in course_page
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "66,66%" in dashboard
    for page in (review, intro, course_page, dashboard):
        assert "66,67" not in page and "66,7" not in page and ">67<" not in page
    teaching = login(app.test_client(), make_user(role="instructor"))
    assert "66,66%" in teaching.get("/teaching").get_data(as_text=True)


def _text(page: str) -> str:
    """The page's text with tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_every_post_test_grade_says_passed_or_not_next_to_it(app, db, client, login, learner,
                                                            enrolment, course, make_quiz,
                                                            make_user):
    """2/3 against a pass mark of 67: "66,66% Tidak lulus" wherever the grade or the
    attempt's score is shown (by scoring.reaches, never by the rounded figure)."""
    course.pass_mark = 67
    db.session.commit()
    quiz = make_quiz(course, kind="posttest", questions=3, max_attempts=2)
    login(client, learner)
    response = client.post(f"/courses/{course.slug}/quizzes/{quiz.slug}/start")
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    client.post(f"/attempts/{public_id}/submit", data={
        f"q{qid(quiz, 1)}": "o2", f"q{qid(quiz, 2)}": "o2", f"q{qid(quiz, 3)}": "o1"})
    pages = {
        "review": client.get(f"/attempts/{public_id}/review"),
        "intro": client.get(f"/courses/{course.slug}/quizzes/{quiz.slug}"),
        "course": client.get(f"/courses/{course.slug}"),
        "dashboard": client.get("/dashboard"),
    }
    for name, response in pages.items():
        text = _text(response.get_data(as_text=True))
        assert "66,66% Tidak lulus" in text, name
        assert "66,66% Lulus" not in text, name
    review = _text(pages["review"].get_data(as_text=True))
    assert review.count("66,66% Tidak lulus") >= 2  # this attempt's score and the grade
    staff = login(app.test_client(), make_user(role="instructor"))
    assert "66,66% Tidak lulus" in _text(
        staff.get(f"/attempts/{public_id}/review").get_data(as_text=True))


def test_a_passing_grade_and_the_hr_page_say_passed(app, db, client, login, learner,
                                                    enrolment, course, make_quiz, make_user):
    quiz = make_quiz(course, kind="posttest", grading="highest")
    finish(db, enrolment, quiz, right_answers(quiz))
    login(client, learner)
    for url in (f"/courses/{course.slug}", "/dashboard",
                f"/courses/{course.slug}/quizzes/{quiz.slug}"):
        text = _text(client.get(url).get_data(as_text=True))
        assert re.search(r"100%\.? Lulus", text), url
        assert "Tidak lulus" not in text, url
    certificate = db.session.scalars(sa.select(Certificate)).one()
    hr = login(app.test_client(), make_user(role="hr", locale="en"))
    assert "Post-test score 100% Passed" in _text(
        hr.get(f"/hr/certificates/{certificate.code}").get_data(as_text=True))


def test_the_review_of_an_averaged_quiz_says_the_grade_is_the_average(db, client, login,
                                                                      learner, enrolment,
                                                                      course, make_quiz):
    course.pass_mark = 60
    db.session.commit()
    quiz = make_quiz(course, kind="posttest", max_attempts=3, grading="average")
    first = finish(db, enrolment, quiz, {qid(quiz, 1): ["o1"]})
    second = finish(db, enrolment, quiz, right_answers(quiz))
    assert (first.score, second.score) == (0.0, 100.0)  # the average: 50 %
    login(client, learner)
    text = _text(client.get(f"/attempts/{second.public_id}/review").get_data(as_text=True))
    assert "Lulus: 100%" in text  # this attempt's own score
    assert ("Kuis ini dinilai dari rata-rata semua percobaan Anda, bukan dari nilai "
            "percobaan ini: nilai yang dihitung adalah 50%. Tidak lulus") in text
