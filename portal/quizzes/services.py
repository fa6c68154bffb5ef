"""Quiz attempts: start, save, submit (once), grade, and the grade that counts.

Plain functions taking model objects and plain data; they flush, never commit (the view
commits once).

Rules, after Moodle's quiz module:

- A learner has at most one attempt ``in_progress`` per quiz; starting again resumes it.
- A post-test opens once every module of the course is done
  (:func:`portal.progress.services.posttest_unlocked`).
- ``Quiz.max_attempts`` limits the attempts started (0: unlimited).
- The deadline (``Attempt.deadline_at``, UTC) is fixed when the attempt starts:
  start + ``Quiz.time_limit`` minutes. The server is the authority on time.
- Submitting grades the attempt exactly once (an atomic conditional UPDATE), so a double
  click or two open tabs grade once.
- A submission later than the deadline + the grace period (``QUIZ_GRACE_SECONDS``) is kept
  as ``overdue``: its answers are stored and it is graded, but it does not count.
- An attempt still ``in_progress`` whose deadline + grace has passed when it is next touched
  (opened, resumed, or its quiz page shown) is *closed automatically*: the answers saved
  before the deadline are graded and the attempt is ``finished`` (it counts). This is
  Moodle's "open attempts are submitted automatically" policy. Saving (autosave) is refused
  after the deadline + grace, so an automatically closed attempt holds only answers saved
  in time.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.progress.models import Enrolment
from portal.quizzes.models import Attempt, AttemptState, Question, Quiz
from portal.quizzes.types import get_type

#: Quiz kinds.
PRETEST = "pretest"
POSTTEST = "posttest"
PRACTICE = "practice"

#: Grading methods (``Quiz.grading``): which finished attempts make the grade.
GRADING_METHODS = ("highest", "average", "first", "last")


class QuizError(Exception):
    """A quiz rule refused the action; ``code`` is one of ``locked`` (a post-test not
    unlocked yet), ``no_attempts_left``, ``not_in_progress`` (already submitted or closed),
    ``time_up`` (saving after the deadline + grace). Ownership is checked by the views
    (404), not here."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


# --- which quiz, which attempts ------------------------------------------------------------


def quiz_for(enrolment: Enrolment, kind: str) -> Quiz | None:
    """The course's quiz of ``kind`` (pretest | posttest | practice), or None.

    When a course has several quizzes of one kind (practice), the first created is returned.
    """
    return db.session.scalars(
        sa.select(Quiz)
        .where(Quiz.course_id == enrolment.course_id, Quiz.kind == kind)
        .order_by(Quiz.id)
        .limit(1)
    ).first()


def quiz_by_slug(course_id: int, slug: str) -> Quiz | None:
    """The quiz of course ``course_id`` whose slug (the quiz file's stem) is ``slug``."""
    return db.session.scalars(
        sa.select(Quiz).where(Quiz.course_id == course_id, Quiz.slug == slug)
    ).first()


def attempts_of(enrolment: Enrolment, quiz: Quiz) -> list[Attempt]:
    """Every attempt of the enrolment at ``quiz``, oldest first (by number)."""
    return list(db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id)
        .order_by(Attempt.number)
    ))


def open_attempt(enrolment: Enrolment, quiz: Quiz) -> Attempt | None:
    """The attempt ``in_progress`` at ``quiz``, or None (there is never more than one)."""
    return db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id,
               Attempt.state == AttemptState.IN_PROGRESS)
        .order_by(Attempt.number.desc())
        .limit(1)
    ).first()


def attempts_left(quiz: Quiz, used: int) -> int | None:
    """Attempts the learner may still start, given ``used`` started; None when unlimited
    (``Quiz.max_attempts`` 0)."""
    if not quiz.max_attempts:
        return None
    return max(0, quiz.max_attempts - used)


def questions_per_attempt(quiz: Quiz) -> int:
    """How many questions one attempt shows: ``Quiz.draw`` (capped at the bank) or the
    whole bank of non-archived questions."""
    bank = db.session.scalar(
        sa.select(sa.func.count(Question.id))
        .where(Question.quiz_id == quiz.id, Question.is_archived.is_(False))
    ) or 0
    return min(bank, quiz.draw) if quiz.draw else bank


def quiz_grade(enrolment: Enrolment, quiz: Quiz) -> float | None:
    """The learner's grade for ``quiz`` in percent (0..100) by the quiz's grading method
    over *finished* attempts (overdue and open attempts never count); None if none finished.

    - ``highest``: the best score;
    - ``average``: the mean of the scores, rounded to 2 decimals;
    - ``first``: the score of the earliest finished attempt (by attempt number);
    - ``last``: the score of the latest finished attempt.

    Reads the database (not a loaded relationship), so an attempt graded earlier in the same
    transaction is seen.
    """
    scores = [s for s in db.session.scalars(
        sa.select(Attempt.score)
        .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id,
               Attempt.state == AttemptState.FINISHED)
        .order_by(Attempt.number)
    ) if s is not None]
    if not scores:
        return None
    method = quiz.grading or "highest"
    if method == "average":
        return round(sum(scores) / len(scores), 2)
    if method == "first":
        return scores[0]
    if method == "last":
        return scores[-1]
    return max(scores)


def posttest_locked(enrolment: Enrolment, quiz: Quiz) -> bool:
    """True when ``quiz`` is a post-test and not every module is done yet."""
    from portal.progress import services as progress_services

    return quiz.kind == POSTTEST and not progress_services.posttest_unlocked(enrolment)


# --- starting ----------------------------------------------------------------------------


def _deadline_passed(attempt: Attempt, now: datetime, grace_seconds: float) -> bool:
    return (attempt.deadline_at is not None
            and now > attempt.deadline_at + timedelta(seconds=grace_seconds))


def _pick_questions(quiz: Quiz, rng: random.Random) -> list[int]:
    """Ids of the questions of a new attempt: every non-archived question in bank order, or
    ``quiz.draw`` of them drawn at random (kept in bank order unless shuffled); shuffled when
    ``quiz.shuffle``."""
    bank = list(db.session.scalars(
        sa.select(Question.id)
        .where(Question.quiz_id == quiz.id, Question.is_archived.is_(False))
        .order_by(Question.position)
    ))
    if quiz.draw and quiz.draw < len(bank):
        drawn = set(rng.sample(bank, quiz.draw))
        bank = [qid for qid in bank if qid in drawn]
    if quiz.shuffle:
        rng.shuffle(bank)
    return bank


def _next_number(enrolment: Enrolment, quiz: Quiz) -> tuple[int, int]:
    """(attempts started so far, the number of the next attempt)."""
    used, last_number = db.session.execute(
        sa.select(sa.func.count(Attempt.id), sa.func.max(Attempt.number))
        .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id)
    ).one()
    return used, (last_number or 0) + 1


def start_attempt(enrolment: Enrolment, quiz: Quiz, now: datetime, *,
                  grace_seconds: float = 0, rng: random.Random | None = None) -> Attempt:
    """Start an attempt at ``quiz``, or resume the one in progress.

    Args:
        enrolment: the learner's enrolment in the quiz's course.
        quiz: the quiz.
        now: the current time, aware UTC.
        grace_seconds: seconds after a deadline before an open attempt is closed
            automatically (``QUIZ_GRACE_SECONDS``).
        rng: random source for drawing and shuffling (tests pass a seeded one); default a
            cryptographic one, so the order cannot be predicted.

    Returns:
        The attempt in progress (new or resumed). A new attempt has the next ``number``,
        its questions fixed in ``question_ids`` and ``deadline_at`` = now + ``time_limit``
        minutes (None without a limit).

    Raises:
        QuizError("locked"): a post-test before every module is done.
        QuizError("no_attempts_left"): ``max_attempts`` attempts were already started.

    An open attempt whose deadline + grace has passed is closed first (see the module
    docstring) and does not block a new one. Two concurrent starts race on the unique
    (enrolment, quiz, number) constraint: the loser gets the winner's attempt.
    """
    if posttest_locked(enrolment, quiz):
        raise QuizError("locked")
    current = open_attempt(enrolment, quiz)
    if current is not None and close_if_expired(current, now, grace_seconds):
        current = None
    if current is not None:
        return current
    used, number = _next_number(enrolment, quiz)
    if attempts_left(quiz, used) == 0:
        raise QuizError("no_attempts_left")
    attempt = Attempt(
        public_id=secrets.token_hex(16),
        enrolment_id=enrolment.id,
        quiz_id=quiz.id,
        number=number,
        state=AttemptState.IN_PROGRESS,
        question_ids=_pick_questions(quiz, rng or secrets.SystemRandom()),
        answers={},
        marks={},
        started_at=now,
        deadline_at=now + timedelta(minutes=quiz.time_limit) if quiz.time_limit else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request started attempt ``number`` between our read and our insert.
        winner = db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id,
                   Attempt.number == number)
            .execution_options(populate_existing=True)
        ).one()
        return winner
    return attempt


# --- the questions of an attempt -------------------------------------------------------------


def field_name(question_id: int) -> str:
    """Form field name of a question's input(s): ``q<question id>``."""
    return f"q{question_id}"


def attempt_questions(attempt: Attempt) -> list[Question]:
    """The attempt's questions in the order shown (``question_ids``), archived ones
    included (an attempt keeps the questions it was given)."""
    ids = [int(i) for i in attempt.question_ids or []]
    if not ids:
        return []
    by_id = {q.id: q for q in db.session.scalars(sa.select(Question).where(Question.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def responses_from_form(attempt: Attempt,
                        form_values_by_qid: Mapping[int | str, Iterable[str]],
                        questions: list[Question] | None = None) -> dict[str, Any]:
    """Turn raw form values into stored responses, for the attempt's questions only.

    Args:
        form_values_by_qid: question id -> the list of submitted values of its field
            (``request.form.getlist(field_name(id))``). Ids not in the attempt are ignored;
            an id given with no values means "left blank".

    Returns:
        ``{str(question id): response}`` for every given question of the attempt, where the
        response is what the type's ``response_from_form`` returns (None: unanswered).
    """
    wanted = {str(k): list(v) for k, v in form_values_by_qid.items()}
    responses: dict[str, Any] = {}
    for question in questions if questions is not None else attempt_questions(attempt):
        key = str(question.id)
        if key in wanted:
            values = [v for v in wanted[key] if isinstance(v, str)]
            responses[key] = get_type(question.qtype).response_from_form(question.data, values)
    return responses


def save_answers(attempt: Attempt, form_values_by_qid: Mapping[int | str, Iterable[str]],
                 now: datetime, grace_seconds: float | None = None) -> dict[str, Any]:
    """Merge the learner's responses into ``attempt.answers`` (autosave and final submit).

    Args:
        form_values_by_qid: see :func:`responses_from_form`. A question given with no
            values is cleared; questions not given keep their saved response.
        now: current time, aware UTC.
        grace_seconds: when given (autosave), saving after the deadline + this many seconds
            is refused. The final submit passes None: a late submission's answers are kept
            with the attempt, which is then graded ``overdue``.

    Returns:
        The merged answers, ``{str(question id): response}`` (unanswered questions absent).

    Raises:
        QuizError("not_in_progress"): the attempt was submitted or closed (perhaps just now,
            by another request); nothing is saved.
        QuizError("time_up"): autosave after the deadline + grace; nothing is saved.

    The write is a conditional UPDATE (``WHERE state = 'in_progress'``), so answers can never
    change an attempt that another request has graded.
    """
    if attempt.state != AttemptState.IN_PROGRESS:
        raise QuizError("not_in_progress")
    if grace_seconds is not None and _deadline_passed(attempt, now, grace_seconds):
        raise QuizError("time_up")
    merged = dict(attempt.answers or {})
    for key, response in responses_from_form(attempt, form_values_by_qid).items():
        if response is None:
            merged.pop(key, None)
        else:
            merged[key] = response
    result = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(answers=merged)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(attempt)
        raise QuizError("not_in_progress")
    set_committed_value(attempt, "answers", merged)
    return merged


# --- grading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Grade:
    """The marks of one attempt: ``marks`` {str(question id): points earned}, ``points``
    earned, ``max_points`` possible, ``score`` percent 0..100 (2 decimals)."""

    marks: dict[str, float]
    points: float
    max_points: float
    score: float


def grade_answers(questions: list[Question], answers: Mapping[str, Any]) -> Grade:
    """Grade ``answers`` against ``questions`` with each question's type.

    Each question earns ``fraction × Question.points`` (fraction from the type's ``grade``,
    clamped to 0..1); score = 100 × points / max_points rounded to 2 decimals (0 when the
    attempt has no points to earn).
    """
    marks: dict[str, float] = {}
    points = 0.0
    max_points = 0.0
    for question in questions:
        fraction = float(get_type(question.qtype).grade(question.data, answers.get(str(question.id))))
        fraction = min(1.0, max(0.0, fraction))
        mark = round(fraction * float(question.points), 4)
        marks[str(question.id)] = mark
        points += mark
        max_points += float(question.points)
    points = round(points, 4)
    score = round(100.0 * points / max_points, 2) if max_points > 0 else 0.0
    return Grade(marks=marks, points=points, max_points=round(max_points, 4), score=score)


def _close(attempt: Attempt, state: str, submitted_at: datetime) -> bool:
    """Grade and close ``attempt`` with ``state``, exactly once.

    Returns True if this call closed it, False if another request already had (the attempt
    is then refreshed with the winner's result). A finished post-test then runs the course
    completion check in the same transaction.
    """
    db.session.flush()
    answers = dict(attempt.answers or {})
    grade = grade_answers(attempt_questions(attempt), answers)
    result = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(state=state, answers=answers, marks=grade.marks, points=grade.points,
                max_points=grade.max_points, score=grade.score, submitted_at=submitted_at)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(attempt)
    if result.rowcount != 1:
        return False
    if state == AttemptState.FINISHED and attempt.quiz.kind == POSTTEST:
        from portal.progress import services as progress_services

        progress_services.check_completion(attempt.enrolment)
    return True


def submit_attempt(attempt: Attempt, now: datetime, grace_seconds: float) -> Attempt:
    """Submit and grade ``attempt`` once.

    Args:
        attempt: an attempt; answers saved beforehand with :func:`save_answers`.
        now: the submission time, aware UTC (stored as ``submitted_at``).
        grace_seconds: network slack after the deadline (``QUIZ_GRACE_SECONDS``).

    Returns:
        The graded attempt: ``finished``, or ``overdue`` when ``now`` is later than the
        deadline + grace (answers kept and graded, but it does not count in
        :func:`quiz_grade`). When another request (double click, second tab) already
        submitted it, or it was closed earlier, the already-graded attempt is returned
        unchanged: grading happens once, through a conditional UPDATE whose row count
        decides the winner.

    A finished post-test calls :func:`portal.progress.services.check_completion` in the same
    transaction, so the course completes (and the certificate is issued) in this request.
    """
    if attempt.state != AttemptState.IN_PROGRESS:
        return attempt
    state = (AttemptState.OVERDUE if _deadline_passed(attempt, now, grace_seconds)
             else AttemptState.FINISHED)
    _close(attempt, state, now)
    return attempt


def close_if_expired(attempt: Attempt, now: datetime, grace_seconds: float) -> bool:
    """Close an attempt left open past its deadline + grace (see the module docstring).

    The answers saved before the deadline are graded and the attempt becomes ``finished``
    (it counts), with ``submitted_at`` = its deadline. Returns True when the attempt is
    (now) closed this way or by a concurrent request, False when it is still open (no
    deadline, time left, or within the grace) or was not in progress.

    Args:
        now: the current time, aware UTC.
        grace_seconds: seconds allowed after the deadline (``QUIZ_GRACE_SECONDS``).
    """
    if attempt.state != AttemptState.IN_PROGRESS or not _deadline_passed(attempt, now,
                                                                          grace_seconds):
        return False
    _close(attempt, AttemptState.FINISHED, attempt.deadline_at)
    return True


def closed_automatically(attempt: Attempt) -> bool:
    """True for an attempt closed by :func:`close_if_expired` (submitted at its deadline)."""
    return (attempt.state == AttemptState.FINISHED and attempt.deadline_at is not None
            and attempt.submitted_at == attempt.deadline_at)


def seconds_left(attempt: Attempt, now: datetime) -> int | None:
    """Whole seconds from ``now`` (aware UTC) until the deadline, rounded down (0 when
    passed); None without a time limit."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - now).total_seconds()))


# --- what the pages show ------------------------------------------------------------------


@dataclass(frozen=True)
class QuizSummary:
    """The quiz intro page: the quiz, its questions per attempt, the learner's attempts
    (oldest first), attempts used/allowed (``allowed`` 0: unlimited) and left (None:
    unlimited), the open attempt, the grade that counts (percent or None), and whether the
    post-test is still locked."""

    quiz: Quiz
    question_count: int
    attempts: list[Attempt]
    used: int
    allowed: int
    left: int | None
    open_attempt: Attempt | None
    grade: float | None
    locked: bool

    @property
    def can_start(self) -> bool:
        """A Start/Continue button makes sense: not locked, and resuming or attempts left."""
        return not self.locked and (self.open_attempt is not None or self.left != 0)


def quiz_summary(enrolment: Enrolment, quiz: Quiz, now: datetime,
                 grace_seconds: float = 0) -> QuizSummary:
    """Everything the quiz intro page shows. Closes an open attempt past its deadline +
    ``grace_seconds`` first (so the list and the grade are current); ``now`` is aware UTC.
    Flushes, never commits."""
    current = open_attempt(enrolment, quiz)
    if current is not None and close_if_expired(current, now, grace_seconds):
        current = None
    attempts = attempts_of(enrolment, quiz)
    return QuizSummary(
        quiz=quiz,
        question_count=questions_per_attempt(quiz),
        attempts=attempts,
        used=len(attempts),
        allowed=quiz.max_attempts or 0,
        left=attempts_left(quiz, len(attempts)),
        open_attempt=current,
        grade=quiz_grade(enrolment, quiz),
        locked=posttest_locked(enrolment, quiz),
    )


@dataclass(frozen=True)
class AttemptItem:
    """One question as a page shows it.

    ``number`` is its 1-based position in the attempt; ``name`` the form field name;
    ``template`` the type's template; ``public`` the type's public data (no answer key);
    ``response`` the learner's response. On review pages also ``feedback`` (the type's
    feedback, with the answer key), ``mark`` (points earned) and ``correct``.
    """

    number: int
    question: Question
    name: str
    template: str
    public: dict
    response: Any
    feedback: dict | None = None
    mark: float | None = None
    correct: bool | None = None


def take_items(attempt: Attempt, responses: Mapping[str, Any] | None = None) -> list[AttemptItem]:
    """The questions of the take page, in the attempt's order, with public data only.

    ``responses`` (``{str(question id): response}``) pre-fills the inputs; default the saved
    answers.
    """
    answers = (attempt.answers or {}) if responses is None else responses
    items = []
    for number, question in enumerate(attempt_questions(attempt), start=1):
        qt = get_type(question.qtype)
        items.append(AttemptItem(
            number=number, question=question, name=field_name(question.id),
            template=qt.template, public=qt.public_data(question.data),
            response=answers.get(str(question.id)),
        ))
    return items


def review_items(attempt: Attempt) -> list[AttemptItem]:
    """The questions of the review page with the learner's response, the type's feedback
    (the answer key), the points earned and whether the answer was fully right.

    The feedback holds the answer key: call this only for an attempt that is no longer in
    progress.
    """
    answers = attempt.answers or {}
    marks = attempt.marks or {}
    items = []
    for number, question in enumerate(attempt_questions(attempt), start=1):
        qt = get_type(question.qtype)
        response = answers.get(str(question.id))
        feedback = qt.feedback(question.data, response)
        mark = marks.get(str(question.id))
        correct = feedback.get("correct")
        if correct is None and mark is not None:
            correct = mark >= float(question.points)
        items.append(AttemptItem(
            number=number, question=question, name=field_name(question.id),
            template=qt.template, public=qt.public_data(question.data), response=response,
            feedback=feedback, mark=mark, correct=bool(correct),
        ))
    return items


def passed(attempt: Attempt) -> bool | None:
    """For a finished post-test: True when its score reaches the course pass mark (percent);
    None for other quizzes or attempts that do not count."""
    if attempt.quiz.kind != POSTTEST or attempt.state != AttemptState.FINISHED:
        return None
    return (attempt.score or 0) >= attempt.quiz.course.pass_mark
