"""Attempt rules in portal.quizzes.services: start/resume, limits, locking, draw and
shuffle, saving, grading once, lateness and the grade that counts."""

from __future__ import annotations

import random
from datetime import timedelta
from fractions import Fraction

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from portal import completion
from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState
from portal.quizzes.services import QuizError
from quiz_helpers import NOW, qid, right_answers


def count_attempts(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Attempt.id)))


# --- start, resume, limits -------------------------------------------------------------


def test_start_creates_an_attempt_with_every_question_in_bank_order(db, course, enrolment,
                                                                    make_quiz):
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    db.session.commit()
    assert attempt.number == 1
    assert attempt.state == AttemptState.IN_PROGRESS
    assert attempt.question_ids == [qid(quiz, 1), qid(quiz, 2), qid(quiz, 3)]
    assert attempt.started_at == NOW
    assert attempt.deadline_at is None
    assert len(attempt.public_id) == 32


def test_start_sets_the_deadline_from_the_time_limit(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, time_limit=20)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    assert attempt.deadline_at == NOW + timedelta(minutes=20)


def test_start_again_resumes_the_open_attempt(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, max_attempts=1)
    first = services.start_attempt(enrolment, quiz, NOW)
    db.session.commit()
    again = services.start_attempt(enrolment, quiz, NOW + timedelta(minutes=5))
    assert again.id == first.id
    assert count_attempts(db) == 1


def test_no_attempts_left_after_max_attempts(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, max_attempts=2)
    for _ in range(2):
        attempt = services.start_attempt(enrolment, quiz, NOW)
        services.submit_attempt(attempt, NOW, 30)
        db.session.commit()
    with pytest.raises(QuizError) as caught:
        services.start_attempt(enrolment, quiz, NOW)
    assert caught.value.code == "no_attempts_left"
    assert count_attempts(db) == 2


def test_unlimited_attempts_count_up(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, max_attempts=0)
    numbers = []
    for _ in range(3):
        attempt = services.start_attempt(enrolment, quiz, NOW)
        services.submit_attempt(attempt, NOW, 30)
        numbers.append(attempt.number)
    assert numbers == [1, 2, 3]


def test_posttest_is_locked_until_every_module_is_done(db, course, enrolment, make_quiz,
                                                       make_module):
    from portal.progress.models import ModuleCompletion

    module = make_module(course, 1)
    quiz = make_quiz(course, kind="posttest")
    with pytest.raises(QuizError) as caught:
        services.start_attempt(enrolment, quiz, NOW)
    assert caught.value.code == "locked"
    assert count_attempts(db) == 0

    db.session.add(ModuleCompletion(enrolment_id=enrolment.id, module_id=module.id))
    db.session.commit()
    attempt = services.start_attempt(enrolment, quiz, NOW)
    assert attempt.state == AttemptState.IN_PROGRESS


def test_pretest_is_never_locked(db, course, enrolment, make_quiz, make_module):
    make_module(course, 1)
    quiz = make_quiz(course, kind="pretest")
    assert services.start_attempt(enrolment, quiz, NOW).number == 1


def once(real, stale):
    """A stand-in that answers ``stale`` at the first call (a read made before another
    request committed), then what ``real`` answers."""
    calls = []

    def stand_in(*args, **kwargs):
        calls.append(1)
        return stale if len(calls) == 1 else real(*args, **kwargs)

    return stand_in


def test_concurrent_start_returns_the_winner(db, course, enrolment, make_quiz, monkeypatch):
    """Two requests read "no open attempt, next number 1" at once; the second insert hits
    the unique constraints and returns the first one's attempt."""
    quiz = make_quiz(course)
    winner = services.start_attempt(enrolment, quiz, NOW)
    db.session.commit()

    monkeypatch.setattr(services, "open_attempt", once(services.open_attempt, None))
    monkeypatch.setattr(services, "_used", once(services._used, (0, 1)))
    loser = services.start_attempt(enrolment, quiz, NOW)
    db.session.commit()
    assert loser.id == winner.id
    assert count_attempts(db) == 1


def test_a_start_that_read_before_another_committed_resumes_it(db, course, enrolment,
                                                              make_quiz, monkeypatch):
    """The double click of the issue: attempt 1 is finished; request A opens attempt 2 and
    commits; request B had read "no open attempt" before, and reads the next number (3)
    after A's commit. The one-open-attempt index refuses B's attempt 3: B resumes 2."""
    quiz = make_quiz(course, grading="last")
    first = services.start_attempt(enrolment, quiz, NOW)
    services.submit_attempt(first, NOW, 30)
    second = services.start_attempt(enrolment, quiz, NOW)  # request A
    db.session.commit()

    monkeypatch.setattr(services, "open_attempt", once(services.open_attempt, None))
    resumed = services.start_attempt(enrolment, quiz, NOW)  # request B
    db.session.commit()
    assert resumed.id == second.id
    assert count_attempts(db) == 2
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))
                             .where(Attempt.state == AttemptState.IN_PROGRESS)) == 1


def test_the_database_refuses_a_second_open_attempt(db, course, enrolment, make_quiz):
    """The rule holds below the service too: a partial unique index on (enrolment, quiz)
    for attempts in progress, on SQLite and PostgreSQL alike."""
    from sqlalchemy.exc import IntegrityError

    quiz = make_quiz(course)
    services.start_attempt(enrolment, quiz, NOW)
    db.session.commit()
    db.session.add(Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=2,
                           state=AttemptState.IN_PROGRESS, started_at=NOW))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # closed attempts are not limited
    db.session.add(Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=2,
                           state=AttemptState.FINISHED, started_at=NOW))
    db.session.commit()
    assert count_attempts(db) == 2


def test_expired_open_attempt_is_closed_before_a_new_start(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, time_limit=10, max_attempts=2)
    first = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(first, {qid(quiz, 1): ["o2"]}, NOW + timedelta(minutes=1))
    db.session.commit()

    later = NOW + timedelta(hours=2)
    second = services.start_attempt(enrolment, quiz, later, grace_seconds=30)
    assert second.number == 2
    assert first.state == AttemptState.FINISHED
    assert first.submitted_at == first.deadline_at
    assert first.points == 1.0


# --- draw and shuffle --------------------------------------------------------------------


def test_draw_picks_n_distinct_questions_from_the_bank(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, questions=10, draw=4, max_attempts=0)
    bank = [q.id for q in quiz.questions]
    seen = set()
    for seed in range(6):
        attempt = services.start_attempt(enrolment, quiz, NOW, rng=random.Random(seed))
        ids = attempt.question_ids
        assert len(ids) == 4
        assert len(set(ids)) == 4
        assert set(ids) <= set(bank)
        assert ids == sorted(ids, key=bank.index)  # not shuffled: bank order
        seen.update(ids)
        services.submit_attempt(attempt, NOW, 30)
    assert len(seen) > 4  # different attempts draw different questions
    assert services.questions_per_attempt(quiz) == 4


def test_draw_larger_than_the_bank_takes_all(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, questions=3, draw=10)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    assert sorted(attempt.question_ids) == sorted(q.id for q in quiz.questions)
    assert services.questions_per_attempt(quiz) == 3


def test_shuffle_permutes_the_questions(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, questions=8, shuffle=True)
    bank = [q.id for q in quiz.questions]
    attempt = services.start_attempt(enrolment, quiz, NOW, rng=random.Random(7))
    assert sorted(attempt.question_ids) == sorted(bank)
    expected = list(bank)
    random.Random(7).shuffle(expected)
    assert attempt.question_ids == expected != bank


def test_archived_questions_are_not_drawn(db, course, enrolment, make_quiz):
    quiz = make_quiz(course)
    archived = quiz.questions[0]
    archived.is_archived = True
    db.session.commit()
    attempt = services.start_attempt(enrolment, quiz, NOW)
    assert archived.id not in attempt.question_ids
    assert len(attempt.question_ids) == 2


# --- saving ------------------------------------------------------------------------------


def test_save_answers_merges_and_keeps_only_the_attempts_questions(db, course, enrolment,
                                                                   make_quiz):
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW)
    services.save_answers(attempt, {qid(quiz, 3): ["  20 JP "], 999999: ["x"]}, NOW)
    db.session.commit()
    db.session.expire_all()
    assert attempt.answers == {str(qid(quiz, 1)): ["o2"], str(qid(quiz, 3)): "20 JP"}

    services.save_answers(attempt, {qid(quiz, 1): [], qid(quiz, 2): ["o3", "bogus"]}, NOW)
    db.session.commit()
    db.session.expire_all()
    assert attempt.answers == {str(qid(quiz, 2)): ["o3"], str(qid(quiz, 3)): "20 JP"}


def test_a_save_within_the_grace_counts(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, time_limit=10)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    saved = services.save_answers(attempt, {qid(quiz, 1): ["o2"]},
                                  NOW + timedelta(minutes=10, seconds=29), grace_seconds=30)
    assert saved.late is False
    assert attempt.answers == {str(qid(quiz, 1)): ["o2"]}
    assert attempt.state == AttemptState.IN_PROGRESS


def test_a_save_after_the_deadline_closes_the_attempt_and_keeps_the_post_aside(
        db, course, enrolment, make_quiz):
    quiz = make_quiz(course, time_limit=10)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW + timedelta(minutes=5), 30)
    late = NOW + timedelta(minutes=10, seconds=31)
    saved = services.save_answers(attempt, {qid(quiz, 1): ["o2"], qid(quiz, 3): ["20"]},
                                  late, grace_seconds=30)
    db.session.commit()
    db.session.expire_all()
    assert saved.late is True
    assert attempt.state == AttemptState.FINISHED
    assert attempt.answers == {str(qid(quiz, 1)): ["o2"]}  # what was saved in time
    assert attempt.points == 1.0
    assert attempt.submitted_at == attempt.deadline_at
    assert attempt.late_answers == {str(qid(quiz, 3)): "20"}  # only what differs
    assert attempt.late_at == late


def test_save_answers_refuses_a_submitted_attempt(db, course, enrolment, make_quiz):
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.submit_attempt(attempt, NOW, 30)
    with pytest.raises(QuizError) as caught:
        services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW)
    assert caught.value.code == "not_in_progress"


def test_a_stale_save_cannot_change_a_graded_attempt(db, course, enrolment, make_quiz):
    """A request that loaded the attempt before another one graded it: its conditional
    UPDATE matches no row, so the graded answers stay."""
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW)
    services.submit_attempt(attempt, NOW, 30)
    db.session.commit()
    set_committed_value(attempt, "state", AttemptState.IN_PROGRESS)  # the stale view

    with pytest.raises(QuizError):
        services.save_answers(attempt, {qid(quiz, 1): ["o1"]}, NOW)
    db.session.commit()
    db.session.expire_all()
    assert attempt.state == AttemptState.FINISHED
    assert attempt.answers == {str(qid(quiz, 1)): ["o2"]}


# --- grading -----------------------------------------------------------------------------


def test_submit_grades_all_right(db, course, enrolment, make_quiz):
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, right_answers(quiz), NOW)
    result = services.submit_attempt(attempt, NOW + timedelta(minutes=3), 30)
    db.session.commit()
    assert result is attempt
    assert attempt.state == AttemptState.FINISHED
    assert attempt.points == 4.0
    assert attempt.max_points == 4.0
    assert attempt.score == 100.0
    assert attempt.marks == {str(qid(quiz, 1)): 1.0, str(qid(quiz, 2)): 2.0,
                             str(qid(quiz, 3)): 1.0}
    assert attempt.submitted_at == NOW + timedelta(minutes=3)


def test_submit_grades_partly_right(db, course, enrolment, make_quiz):
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    # single right (1), multiple half right (all-or-nothing: 0), short wrong (0)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"], qid(quiz, 2): ["o1"],
                                    qid(quiz, 3): ["25"]}, NOW)
    services.submit_attempt(attempt, NOW, 30)
    assert attempt.points == 1.0
    assert attempt.score == 25.0
    assert attempt.marks[str(qid(quiz, 2))] == 0.0


def test_scores_are_exact(db, course, enrolment, make_quiz):
    """One right of three is exactly 100/3 %: nothing is rounded before it is compared or
    averaged (pages show it rounded down: 33,33 %)."""
    quiz = make_quiz(course, questions=3)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW)
    services.submit_attempt(attempt, NOW, 30)
    assert services.attempt_percent(attempt) == Fraction(100, 3)
    assert attempt.score == pytest.approx(33.3333333)


def test_points_are_summed_exactly(db, course, enrolment, make_quiz):
    """Points of 0,1 and 0,2 make 0,3 (not 0.30000000000000004), so 3 of 3 points is 100 %
    and passes a pass mark of 100."""
    from quiz_helpers import SINGLE

    quiz = make_quiz(course, kind="posttest", questions=[
        dict(qtype="single", prompt_html="<p>a</p>", data=SINGLE, points=0.1),
        dict(qtype="single", prompt_html="<p>b</p>", data=SINGLE, points=0.2)])
    course.pass_mark = 100
    db.session.commit()
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"], qid(quiz, 2): ["o2"]}, NOW)
    services.submit_attempt(attempt, NOW, 30)
    assert attempt.points == 0.3 and attempt.max_points == 0.3
    assert services.attempt_percent(attempt) == 100
    assert services.passed(attempt) is True


def test_a_score_just_below_the_pass_mark_does_not_pass(db, course, enrolment, make_quiz):
    """69,996 % (17,499 of 25 points) is not 70 %: it neither passes nor completes."""
    from quiz_helpers import SINGLE

    quiz = make_quiz(course, kind="posttest", questions=[
        dict(qtype="single", prompt_html="<p>a</p>", data=SINGLE, points=17.499),
        dict(qtype="single", prompt_html="<p>b</p>", data=SINGLE, points=7.501)])
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW)
    services.submit_attempt(attempt, NOW, 30)
    db.session.commit()
    assert services.attempt_percent(attempt) == Fraction(69996, 1000)
    assert services.passed(attempt) is False
    assert enrolment.completed_at is None


def test_an_empty_attempt_scores_zero(db, course, enrolment, make_quiz):
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.submit_attempt(attempt, NOW, 30)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 0.0
    assert attempt.points == 0.0


def _counting(function, calls):
    def counted(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)
    return counted


def _certificates_and_credits() -> tuple[int, int]:
    from portal.certificates.models import Certificate
    from portal.ledger.models import JpCredit

    return (db_count(Certificate), db_count(JpCredit))


def db_count(model) -> int:
    from portal.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_double_submit_grades_once(db, course, enrolment, make_quiz, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "grade_answers",
                        _counting(services.grade_answers, calls))
    quiz = make_quiz(course, kind="posttest")
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, right_answers(quiz), NOW)
    services.submit_attempt(attempt, NOW + timedelta(minutes=1), 30)
    completion.complete_after_attempt(attempt, NOW + timedelta(minutes=1))
    db.session.commit()

    again = services.submit_attempt(attempt, NOW + timedelta(minutes=2), 30)
    completion.complete_after_attempt(again, NOW + timedelta(minutes=2))
    db.session.commit()
    assert again.id == attempt.id
    assert again.submitted_at == NOW + timedelta(minutes=1)
    assert len(calls) == 1
    assert _certificates_and_credits() == (1, 1)


def test_two_conditional_updates_grade_once(db, course, enrolment, make_quiz, monkeypatch):
    """Two requests both loaded the attempt while it was in progress (two tabs): the
    second's conditional UPDATE matches no row and it returns the first one's result."""
    quiz = make_quiz(course, kind="posttest")
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, right_answers(quiz), NOW)
    db.session.commit()

    services.submit_attempt(attempt, NOW + timedelta(minutes=1), 30)
    completion.complete_after_attempt(attempt, NOW + timedelta(minutes=1))
    db.session.commit()
    # the second tab still believes the attempt is open, with other answers
    set_committed_value(attempt, "state", AttemptState.IN_PROGRESS)
    for row in attempt.rows:
        set_committed_value(row, "response", None)
    result = services.submit_attempt(attempt, NOW + timedelta(minutes=2), 30)
    completion.complete_after_attempt(result, NOW + timedelta(minutes=2))
    db.session.commit()

    assert result.state == AttemptState.FINISHED
    assert result.score == 100.0
    assert result.submitted_at == NOW + timedelta(minutes=1)
    assert _certificates_and_credits() == (1, 1)


def test_a_late_submission_counts_the_answers_saved_in_time(db, course, make_user, enrol,
                                                            make_quiz):
    """Learners A and B autosave the same right answers in time on a 1-minute post-test. A
    presses Submit after the deadline + grace, B only reopens the attempt: both pass with
    100 %, and A's late post is kept aside, not counted."""
    from portal.progress.services import certificate_for

    quiz = make_quiz(course, kind="posttest", time_limit=1, max_attempts=1)
    results = []
    for name, comes_back in (("A", "submit"), ("B", "reopen")):
        enrolment = enrol(make_user(full_name=name), course)
        attempt = services.start_attempt(enrolment, quiz, NOW)
        services.save_answers(attempt, right_answers(quiz), NOW + timedelta(seconds=40), 30)
        db.session.commit()
        later = NOW + timedelta(minutes=1, seconds=45)
        if comes_back == "submit":
            saved = services.save_answers(attempt, {qid(quiz, 1): ["o1"]}, later, 30)
            assert saved.late
            services.submit_attempt(attempt, later, 30)
        else:
            services.close_if_expired(attempt, later, 30)
        completion.complete_after_attempt(attempt, later)
        db.session.commit()
        db.session.expire_all()
        results.append((attempt.state, attempt.score, services.passed(attempt),
                        enrolment.completed_at is not None,
                        certificate_for(enrolment) is not None))
        if comes_back == "submit":
            assert attempt.late_answers == {str(qid(quiz, 1)): ["o1"]}
            assert attempt.late_at == later
            assert attempt.answers[str(qid(quiz, 1))] == ["o2"]  # in time, counted
        else:
            assert attempt.late_answers is None and attempt.late_at is None
    assert results == [(AttemptState.FINISHED, 100.0, True, True, True)] * 2


def test_a_late_submit_without_answers_records_when_it_came(db, course, enrolment,
                                                            make_quiz):
    quiz = make_quiz(course, time_limit=10)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, right_answers(quiz), NOW + timedelta(minutes=1), 30)
    later = NOW + timedelta(minutes=12)
    services.submit_attempt(attempt, later, 30)
    db.session.commit()
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 100.0
    assert attempt.late_answers == {} and attempt.late_at == later


def test_a_late_post_to_an_attempt_closed_at_its_deadline_is_kept_aside(db, course,
                                                                        enrolment, make_quiz):
    """A second tab posts after the first one's visit closed the attempt: the counted
    answers stay, the post is kept aside."""
    quiz = make_quiz(course, time_limit=10)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW, 30)
    services.close_if_expired(attempt, NOW + timedelta(minutes=11), 30)
    db.session.commit()
    saved = services.save_answers(attempt, {qid(quiz, 1): ["o1"]},
                                  NOW + timedelta(minutes=12), 30)
    db.session.commit()
    assert saved.late
    assert attempt.answers == {str(qid(quiz, 1)): ["o2"]}
    assert attempt.late_answers == {str(qid(quiz, 1)): ["o1"]}


def test_old_overdue_attempts_still_do_not_count(db, course, enrolment, make_quiz):
    quiz = make_quiz(course)
    db.session.add(Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=1,
                           state=AttemptState.OVERDUE, score=100.0, points=4.0,
                           max_points=4.0, started_at=NOW))
    db.session.commit()
    assert services.quiz_grade(enrolment, quiz) is None


def test_submission_within_the_grace_counts(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, time_limit=10)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.submit_attempt(attempt, NOW + timedelta(minutes=10, seconds=30), 30)
    assert attempt.state == AttemptState.FINISHED


def test_close_if_expired_grades_the_saved_answers_as_finished(db, course, enrolment,
                                                               make_quiz):
    quiz = make_quiz(course, time_limit=10)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"], qid(quiz, 3): ["20"]}, NOW)
    assert services.close_if_expired(attempt, NOW + timedelta(minutes=10), 30) is False
    assert attempt.state == AttemptState.IN_PROGRESS

    assert services.close_if_expired(attempt, NOW + timedelta(minutes=11), 30) is True
    db.session.commit()
    assert attempt.state == AttemptState.FINISHED
    assert attempt.submitted_at == NOW + timedelta(minutes=10)
    assert attempt.score == 50.0
    assert services.closed_automatically(attempt)
    assert services.quiz_grade(enrolment, quiz) == 50.0


def test_attempt_without_time_limit_never_expires(db, course, enrolment, make_quiz):
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    assert services.close_if_expired(attempt, NOW + timedelta(days=30), 30) is False
    assert services.seconds_left(attempt, NOW) is None


def test_seconds_left(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, time_limit=10)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    assert services.seconds_left(attempt, NOW + timedelta(minutes=4)) == 360
    assert services.seconds_left(attempt, NOW + timedelta(minutes=40)) == 0


# --- completion --------------------------------------------------------------------------


def test_finished_posttest_runs_the_completion_check(db, course, enrolment, make_quiz,
                                                     monkeypatch):
    """Grading never completes a course by itself; after a finished post-test (and only
    then) the orchestrator checks completion."""
    calls = []
    monkeypatch.setattr(completion, "complete_enrolment_if_done",
                        lambda enrolment, now: calls.append(enrolment.id))
    pretest = make_quiz(course, kind="pretest")
    posttest = make_quiz(course, kind="posttest")
    attempt = services.start_attempt(enrolment, pretest, NOW)
    services.submit_attempt(attempt, NOW, 30)
    completion.complete_after_attempt(attempt, NOW)
    assert calls == []
    attempt = services.start_attempt(enrolment, posttest, NOW)
    services.save_answers(attempt, right_answers(posttest), NOW)
    services.submit_attempt(attempt, NOW, 30)
    assert calls == [] and enrolment.completed_at is None
    completion.complete_after_attempt(attempt, NOW)
    assert calls == [enrolment.id]


def test_passing_posttest_completes_the_course(db, course, enrolment, make_quiz):
    """The real progress service: a course without modules and a passing post-test is
    completed (and its certificate issued) in the same transaction as the grading."""
    from portal.progress.services import certificate_for

    quiz = make_quiz(course, kind="posttest")
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, right_answers(quiz), NOW)
    services.submit_attempt(attempt, NOW, 30)
    done = completion.complete_after_attempt(attempt, NOW)
    assert done.completed_now and done.credit.jp == course.jp
    assert enrolment.completed_at == NOW
    assert certificate_for(enrolment) is not None
    db.session.commit()
    assert services.passed(attempt) is True


def test_failing_posttest_does_not_complete_the_course(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, kind="posttest")
    attempt = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW)  # 25 %
    services.submit_attempt(attempt, NOW, 30)
    db.session.commit()
    assert enrolment.completed_at is None
    assert services.passed(attempt) is False


# --- the grade that counts ------------------------------------------------------------------


@pytest.mark.parametrize("method, expected", [
    ("highest", 80.0), ("average", 70.0), ("first", 60.0), ("last", 70.0),
])
def test_quiz_grade_by_grading_method(db, course, enrolment, make_quiz, method, expected):
    quiz = make_quiz(course, grading=method)
    rows = [(1, AttemptState.FINISHED, 60.0), (2, AttemptState.OVERDUE, 100.0),
            (3, AttemptState.FINISHED, 80.0), (4, AttemptState.FINISHED, 70.0),
            (5, AttemptState.IN_PROGRESS, None)]
    for number, state, score in rows:
        db.session.add(Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=number,
                               state=state, score=score, started_at=NOW))
    db.session.commit()
    assert services.quiz_grade(enrolment, quiz) == expected


def test_average_is_exact(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, grading="average")
    for number, score in ((1, 100.0), (2, 50.0), (3, 50.0)):
        db.session.add(Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=number,
                               state=AttemptState.FINISHED, score=score, started_at=NOW))
    db.session.commit()
    assert services.quiz_grade(enrolment, quiz) == Fraction(200, 3)


def test_average_of_two_thirds_and_zero_is_a_third(db, course, enrolment, make_quiz):
    """Two attempts scoring 2/3 and 0 average to 100/3 % (shown 33,33 %), not 33,34 % from
    averaging the rounded 66,67."""
    from portal.numbers import format_percent

    quiz = make_quiz(course, questions=3, grading="average")
    first = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(first, {qid(quiz, 1): ["o2"], qid(quiz, 2): ["o2"]}, NOW)
    services.submit_attempt(first, NOW, 30)
    second = services.start_attempt(enrolment, quiz, NOW)
    services.submit_attempt(second, NOW, 30)
    grade = services.quiz_grade(enrolment, quiz)
    assert grade == Fraction(100, 3)
    assert format_percent(grade, "id") == "33,33%"
    assert format_percent(services.attempt_percent(first), "id") == "66,66%"


def test_quiz_grade_is_none_without_a_finished_attempt(db, course, enrolment, make_quiz):
    quiz = make_quiz(course)
    assert services.quiz_grade(enrolment, quiz) is None
    services.start_attempt(enrolment, quiz, NOW)
    assert services.quiz_grade(enrolment, quiz) is None


def test_quiz_for_finds_the_course_quiz_of_a_kind(db, course, enrolment, make_quiz):
    pre = make_quiz(course, kind="pretest")
    post = make_quiz(course, kind="posttest")
    assert services.quiz_for(enrolment, "pretest").id == pre.id
    assert services.quiz_for(enrolment, "posttest").id == post.id
    assert services.quiz_for(enrolment, "practice") is None


def test_quiz_summary_for_the_intro_page(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, max_attempts=3, grading="highest")
    first = services.start_attempt(enrolment, quiz, NOW)
    services.save_answers(first, right_answers(quiz), NOW)
    services.submit_attempt(first, NOW, 30)
    services.start_attempt(enrolment, quiz, NOW)
    summary = services.quiz_summary(enrolment, quiz)
    assert summary.question_count == 3
    assert [a.number for a in summary.attempts] == [1, 2]
    assert summary.used == 2 and summary.allowed == 3 and summary.left == 1
    assert summary.open_attempt.number == 2
    assert summary.grade == 100.0
    assert summary.locked is False
    assert summary.can_start is True


# --- option order ---------------------------------------------------------------------------


def test_options_are_shuffled_per_attempt_and_kept_with_it(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, questions=8, max_attempts=0)  # shuffle_options is the default
    orders = []
    for seed in range(4):
        attempt = services.start_attempt(enrolment, quiz, NOW, rng=random.Random(seed))
        db.session.commit()
        assert set(attempt.option_order) == {str(i) for i in attempt.question_ids}
        assert all(sorted(order) == ["o1", "o2"] for order in attempt.option_order.values())
        shown = [[o["id"] for o in item.options] for item in services.take_items(attempt)]
        assert shown == [attempt.option_order[str(i)] for i in attempt.question_ids]
        services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, NOW)
        services.submit_attempt(attempt, NOW, 30)
        db.session.commit()
        reviewed = [[o["id"] for o in item.options] for item in services.review_items(attempt)]
        assert reviewed == shown  # the review shows what the learner saw
        assert attempt.points == 1.0  # graded by option id, whatever the order
        orders.append(shown)
    assert len({str(o) for o in orders}) > 1  # attempts differ


def test_option_order_follows_a_seeded_source_after_the_questions(db, course, enrolment,
                                                                  make_quiz):
    quiz = make_quiz(course)  # single, multiple, short
    attempt = services.start_attempt(enrolment, quiz, NOW, rng=random.Random(3))
    rng = random.Random(3)
    single, multiple = ["o1", "o2"], ["o1", "o2", "o3"]
    rng.shuffle(single)
    rng.shuffle(multiple)
    assert attempt.option_order == {str(qid(quiz, 1)): single, str(qid(quiz, 2)): multiple}


def test_options_keep_the_file_order_when_the_quiz_says_so(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, shuffle_options=False)
    attempt = services.start_attempt(enrolment, quiz, NOW, rng=random.Random(1))
    assert attempt.option_order == {}
    assert [o["id"] for o in services.take_items(attempt)[1].options] == ["o1", "o2", "o3"]


def test_attempts_from_before_option_shuffling_show_the_file_order(db, course, enrolment,
                                                                   make_quiz):
    quiz = make_quiz(course)
    attempt = services.start_attempt(enrolment, quiz, NOW)
    for row in attempt.rows:
        row.option_order = None  # rows written before migration 0004
    db.session.commit()
    assert [o["id"] for o in services.take_items(attempt)[1].options] == ["o1", "o2", "o3"]


# --- closing to the learner ---------------------------------------------------------------------


def test_closed_to_the_learner(db, course, enrolment, make_quiz):
    """A quiz is closed to a learner when no attempt is open and none can start; a pre-test
    closes only with the post-test."""
    pretest = make_quiz(course, kind="pretest", max_attempts=1)
    posttest = make_quiz(course, kind="posttest", max_attempts=1)
    attempt = services.start_attempt(enrolment, pretest, NOW)
    assert services.closed_to(enrolment, pretest) is False  # an attempt is open
    services.submit_attempt(attempt, NOW, 30)
    assert services.start_refusal(enrolment, pretest) == "no_attempts_left"
    assert services.closed_to(enrolment, pretest) is False  # the post-test is still open
    attempt = services.start_attempt(enrolment, posttest, NOW)
    services.submit_attempt(attempt, NOW, 30)  # 0 %: failed, and no attempt left
    assert services.closed_to(enrolment, posttest) is True
    assert services.closed_to(enrolment, pretest) is True


def test_abandoned_attempts_are_not_used_or_listed(db, course, enrolment, make_quiz):
    quiz = make_quiz(course, max_attempts=2)
    db.session.add(Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=1,
                           state=AttemptState.ABANDONED, started_at=NOW))
    db.session.commit()
    assert services.attempts_of(enrolment, quiz) == []
    attempt = services.start_attempt(enrolment, quiz, NOW)
    assert attempt.number == 2
    summary = services.quiz_summary(enrolment, quiz)
    assert (summary.used, summary.left) == (1, 1)


def test_an_abandoned_pre_test_attempt_was_never_submitted(db, course, enrolment, make_quiz):
    from portal.progress.services import pretest_pending

    quiz = make_quiz(course, kind="pretest")
    db.session.add(Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=1,
                           state=AttemptState.ABANDONED, started_at=NOW))
    db.session.commit()
    assert pretest_pending(enrolment).quiz.id == quiz.id  # still to be taken
