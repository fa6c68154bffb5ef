"""Quiz attempts: start, save, submit (once), grade, review, and the grade that counts.

Plain functions taking model objects and plain data; they flush, never commit (the view
commits once).

Rules, after Moodle's quiz module:

- A learner has at most one attempt ``in_progress`` per quiz; starting again resumes it.
  The database enforces it (a partial unique index), so concurrent starts from a double
  click on several app servers open one attempt.
- A post-test opens once every module of the course is done
  (:func:`portal.progress.module_progress.posttest_unlocked`), and closes to the learner once the
  course is completed: the grade that completed the course is the course result
  (``Enrolment.final_grade``), which pages, the certificate and HR show.
- ``Quiz.max_attempts`` limits the attempts started (0: unlimited).
- The deadline (``Attempt.deadline_at``, UTC) is fixed when the attempt starts:
  start + ``Quiz.time_limit`` minutes. The server is the authority on time.
- Answers saved up to the deadline + the grace period (``QUIZ_GRACE_SECONDS``) count.
  Whatever the learner does after that — submit, autosave, reopen the attempt, open the
  quiz page — the attempt is graded on the answers saved in time, *finished* at its
  deadline (it counts: Moodle's "open attempts are submitted automatically"), and answers
  that arrive later are kept aside on the attempt's rows (``AttemptAnswer.late_response``),
  shown, never graded.
- Submitting grades the attempt exactly once (an atomic conditional UPDATE), so a double
  click or two open tabs grade once.
- Scores are exact (:mod:`portal.quizzes.scoring`); only pages round, down.
- Each attempt fixes, in one :class:`~portal.quizzes.models.AttemptAnswer` row per
  question created when it starts, the question order, the question version shown and the
  option order of each choice question (``shuffle``, ``shuffle_options``), so the review
  and a regrade see what the learner saw, whatever the quiz file says since.
- Saves are per question; a save based on an older revision of an answer than the stored
  one is refused for that question (a stale tab cannot erase newer answers).
- What a review shows follows the quiz's review policy (:mod:`portal.quizzes.review`).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from portal.courses.versions import pin_enrolment
from portal.errors import DomainError
from portal.extensions import db
from portal.numbers import NumberNotationError, to_decimal, to_fraction
from portal.progress.models import Enrolment
from portal.progress.module_progress import posttest_unlocked
from portal.quizzes import review as review_rules
from portal.quizzes import scoring
from portal.quizzes.models import (
    Attempt, AttemptAnswer, AttemptState, Grading, Question, QuestionTypeKey, QuestionVersion,
    Quiz, QuizKind,
)
from portal.quizzes.types import get_type

#: Quiz kinds.
PRETEST = QuizKind.PRETEST
POSTTEST = QuizKind.POSTTEST
PRACTICE = QuizKind.PRACTICE

#: Grading methods (``Quiz.grading``): which finished attempts make the grade.
GRADING_METHODS = scoring.GRADING_METHODS

#: Question types whose options are shuffled per attempt (``Quiz.shuffle_options``).
CHOICE_TYPES = (QuestionTypeKey.SINGLE, QuestionTypeKey.MULTIPLE)

#: Attempts that count as used towards ``Quiz.max_attempts`` (not the abandoned ones).
_USED = Attempt.state != AttemptState.ABANDONED


class QuizError(DomainError):
    """A quiz rule refused the action; ``code`` is one of ``locked`` (a post-test not
    unlocked yet), ``completed`` (a post-test of a completed course), ``no_attempts_left``,
    ``not_in_progress`` (already submitted or closed). Ownership is checked by the views
    (404), not here."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code, message)


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
    """Every attempt of the enrolment at ``quiz`` the learner made, oldest first (by
    number); abandoned duplicates (see :class:`AttemptState`) are left out."""
    return list(db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id, _USED)
        .order_by(Attempt.number)
    ))


def open_attempt(enrolment: Enrolment, quiz: Quiz, *, reload: bool = False) -> Attempt | None:
    """The attempt ``in_progress`` at ``quiz``, or None (the database allows one).
    ``reload`` refreshes it from the database (after a lost race)."""
    stmt = (sa.select(Attempt)
            .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id,
                   Attempt.state == AttemptState.IN_PROGRESS)
            .limit(1))
    if reload:
        stmt = stmt.execution_options(populate_existing=True)
    return db.session.scalars(stmt).first()


def attempts_left(quiz: Quiz, used: int) -> int | None:
    """Attempts the learner may still start, given ``used`` started; None when unlimited
    (``Quiz.max_attempts`` 0)."""
    if not quiz.max_attempts:
        return None
    return max(0, quiz.max_attempts - used)


def _used(enrolment: Enrolment, quiz: Quiz) -> tuple[int, int]:
    """(attempts used, the number of the next attempt); abandoned ones are not used, but
    keep their number."""
    used, last_number = db.session.execute(
        sa.select(sa.func.count(Attempt.id).filter(_USED), sa.func.max(Attempt.number))
        .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id)
    ).one()
    return used or 0, (last_number or 0) + 1


def next_attempt_number(enrolment: Enrolment, quiz: Quiz) -> int:
    """The number a new attempt at ``quiz`` would get (attempts count from 1)."""
    return _used(enrolment, quiz)[1]


def questions_per_attempt(quiz: Quiz) -> int:
    """How many questions one attempt shows: ``Quiz.draw`` (capped at the bank) or the
    whole bank of non-archived questions."""
    bank = db.session.scalar(
        sa.select(sa.func.count(Question.id))
        .where(Question.quiz_id == quiz.id, Question.is_archived.is_(False))
    ) or 0
    return min(bank, quiz.draw) if quiz.draw else bank


def quiz_grade(enrolment: Enrolment, quiz: Quiz) -> Fraction | None:
    """The learner's grade for ``quiz`` in percent (0..100), exact, by the quiz's grading
    method (:func:`portal.quizzes.scoring.combine`) over *finished* attempts (open,
    abandoned and the old ``overdue`` attempts never count); None if none finished.

    Reads the database (not a loaded relationship), so an attempt graded earlier in the same
    transaction is seen.
    """
    rows = db.session.execute(
        sa.select(Attempt.points, Attempt.max_points, Attempt.score)
        .where(Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id,
               Attempt.state == AttemptState.FINISHED)
        .order_by(Attempt.number)
    ).all()
    percents = [p for p in (scoring.stored_percent(*row) for row in rows) if p is not None]
    return scoring.combine(quiz.grading or Grading.HIGHEST, percents)


def grade_that_counts(enrolment: Enrolment, quiz: Quiz) -> Fraction | None:
    """The grade pages show for ``quiz``: for the post-test of a completed course, the
    grade that completed it (``Enrolment.final_grade``, the course result, also on the
    certificate); otherwise :func:`quiz_grade`."""
    if (quiz.kind == POSTTEST and enrolment.completed_at is not None
            and enrolment.final_grade is not None):
        return to_fraction(enrolment.final_grade)
    return quiz_grade(enrolment, quiz)


def posttest_locked(enrolment: Enrolment, quiz: Quiz) -> bool:
    """True when ``quiz`` is a post-test and not every module is done yet."""
    return quiz.kind == POSTTEST and not posttest_unlocked(enrolment)


def start_refusal(enrolment: Enrolment, quiz: Quiz) -> str | None:
    """Why the learner may not start a *new* attempt at ``quiz`` now, or None:

    - ``locked``: a post-test before every module is done;
    - ``completed``: a post-test of a course the learner completed (closed to them);
    - ``no_attempts_left``: ``max_attempts`` attempts were used.
    """
    if quiz.kind == POSTTEST and enrolment.completed_at is not None:
        return "completed"
    if posttest_locked(enrolment, quiz):
        return "locked"
    used, _number = _used(enrolment, quiz)
    if attempts_left(quiz, used) == 0:
        return "no_attempts_left"
    return None


def closed_to(enrolment: Enrolment, quiz: Quiz) -> bool:
    """True when ``quiz`` is closed to the learner, the ``after_close`` moment of the review
    policy (:mod:`portal.quizzes.review`): no attempt is open and none can be started
    (attempts used up, or the course completed for a post-test). A locked post-test is not
    closed (it has not opened yet). A pre-test closes only when the course's post-test is
    closed to the learner too (or the course has none): pre- and post-test are parallel.
    """
    if open_attempt(enrolment, quiz) is not None:
        return False
    if start_refusal(enrolment, quiz) not in ("completed", "no_attempts_left"):
        return False
    if quiz.kind == PRETEST:
        posttest = quiz_for(enrolment, POSTTEST)
        return posttest is None or closed_to(enrolment, posttest)
    return True


# --- starting ----------------------------------------------------------------------------


def _deadline_passed(attempt: Attempt, now: datetime, grace_seconds: float) -> bool:
    return (attempt.deadline_at is not None
            and now > attempt.deadline_at + timedelta(seconds=grace_seconds))


@dataclass(frozen=True)
class Pick:
    """One question picked for a new attempt: its id, the version shown (the question's
    current one) and the option order (None: file order)."""

    question_id: int
    version_id: int
    option_order: list[str] | None


def _pick_questions(quiz: Quiz, rng: random.Random) -> list[Pick]:
    """The questions and option orders of a new attempt.

    Questions: every non-archived question in bank order, or ``quiz.draw`` of them drawn at
    random (kept in bank order unless shuffled); shuffled when ``quiz.shuffle``. Then, when
    ``quiz.shuffle_options``, the options of each choice question are shuffled (same random
    source, after the questions). Each question is shown in its current version.
    """
    bank = list(db.session.execute(
        sa.select(Question.id, Question.current_version_id, QuestionVersion.qtype,
                  QuestionVersion.data)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.quiz_id == quiz.id, Question.is_archived.is_(False))
        .order_by(Question.position)
    ))
    ids = [row.id for row in bank]
    if quiz.draw and quiz.draw < len(ids):
        drawn = set(rng.sample(ids, quiz.draw))
        ids = [qid for qid in ids if qid in drawn]
    if quiz.shuffle:
        rng.shuffle(ids)
    by_id = {row.id: row for row in bank}
    picks = []
    for qid in ids:
        row = by_id[qid]
        order = None
        if quiz.shuffle_options and row.qtype in CHOICE_TYPES:
            order = [o["id"] for o in (row.data or {}).get("options") or []]
            rng.shuffle(order)
        picks.append(Pick(qid, row.current_version_id, order))
    return picks


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
        one :class:`AttemptAnswer` row per question shown (slot, the question's current
        version, the option order) and ``deadline_at`` = now + ``time_limit`` minutes
        (None without a limit).

    Raises:
        QuizError: ``completed`` (the post-test of a completed course, even to resume),
            ``locked`` or ``no_attempts_left`` (see :func:`start_refusal`).
        sqlalchemy.exc.IntegrityError: the insert lost three races in a row (never seen;
            the request fails rather than loop).

    The enrolment first moves to the course's newest version when the rule of
    :func:`portal.courses.versions.pin_enrolment` allows (before the post-test starts).
    An open attempt whose deadline + grace has passed is closed first (see the module
    docstring) and does not block a new one. Concurrent starts race on the database: the
    one-open-attempt index and the unique (enrolment, quiz, number) make every loser's
    insert fail, and the loser returns the winner's open attempt; a loser that finds the
    last allowed attempt already taken also returns the winner's attempt if it is open.
    """
    if quiz.kind == POSTTEST and enrolment.completed_at is not None:
        raise QuizError("completed")
    if posttest_locked(enrolment, quiz):
        raise QuizError("locked")
    pin_enrolment(enrolment)
    for race in range(3):
        current = open_attempt(enrolment, quiz, reload=race > 0)
        if current is not None and close_if_expired(current, now, grace_seconds):
            current = None
        if current is not None:
            return current
        refusal = start_refusal(enrolment, quiz)
        if refusal is not None:
            # A concurrent Start may have opened the attempt that used up the last one
            # between the look above and this count: resume it, as a single click does.
            current = open_attempt(enrolment, quiz, reload=True)
            if current is not None and not close_if_expired(current, now, grace_seconds):
                return current
            raise QuizError(refusal)
        _count, number = _used(enrolment, quiz)
        picks = _pick_questions(quiz, rng or secrets.SystemRandom())
        attempt = Attempt(
            public_id=secrets.token_hex(16),
            enrolment_id=enrolment.id,
            quiz_id=quiz.id,
            number=number,
            state=AttemptState.IN_PROGRESS,
            rows=[AttemptAnswer(slot=slot, question_id=pick.question_id,
                                question_version_id=pick.version_id,
                                option_order=pick.option_order, revision=0)
                  for slot, pick in enumerate(picks, start=1)],
            started_at=now,
            deadline_at=now + timedelta(minutes=quiz.time_limit) if quiz.time_limit else None,
        )
        try:
            with db.session.begin_nested():
                db.session.add(attempt)
                db.session.flush()
        except IntegrityError:
            # Another request opened an attempt (or took this number) between our reads and
            # our insert: look again, and resume theirs.
            if attempt in db.session:
                db.session.expunge(attempt)
            if race == 2:
                raise
            continue
        return attempt
    raise AssertionError("unreachable: the third lost race re-raises")


# --- the questions of an attempt -------------------------------------------------------------


def field_name(question_id: int) -> str:
    """Form field name of a question's input(s): ``q<question id>``."""
    return f"q{question_id}"


def attempt_rows(attempt: Attempt, *, reload: bool = False) -> list[AttemptAnswer]:
    """The attempt's rows in the order shown, each with the question version it shows
    (archived questions and older versions included: an attempt keeps what it was given).
    ``reload`` reads them again from the database."""
    if reload:
        rows = list(db.session.scalars(
            sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)
            .order_by(AttemptAnswer.slot).execution_options(populate_existing=True)))
        set_committed_value(attempt, "rows", rows)
        return rows
    return list(attempt.rows)


def responses_from_form(attempt: Attempt,
                        form_values_by_qid: Mapping[int | str, Iterable[str]],
                        rows: list[AttemptAnswer] | None = None) -> dict[str, Any]:
    """Turn raw form values into stored responses, for the attempt's questions only.

    Args:
        form_values_by_qid: question id -> the list of submitted values of its field
            (``request.form.getlist(field_name(id))``). Ids not in the attempt are ignored;
            an id given with no values means "left blank".

    Returns:
        ``{str(question id): response}`` for every given question of the attempt, where the
        response is what the type's ``response_from_form`` returns for the version shown
        (None: unanswered).
    """
    wanted = {str(k): list(v) for k, v in form_values_by_qid.items()}
    responses: dict[str, Any] = {}
    for row in rows if rows is not None else attempt_rows(attempt):
        key = str(row.question_id)
        if key in wanted:
            values = [v for v in wanted[key] if isinstance(v, str)]
            responses[key] = get_type(row.version.qtype).response_from_form(row.version.data,
                                                                            values)
    return responses


#: The learner's message when a save based on an older page is refused.
STALE_MESSAGE = "stale"


@dataclass(frozen=True)
class Saved:
    """What :func:`save_answers` did: ``answers`` the answers that count now
    (``{str(question id): response}``); ``late`` True when the post came after the
    deadline + grace, so the attempt was closed with the answers saved in time and the
    post was kept aside on the rows (``late_response``); ``stale`` the ids of the questions
    whose posted answer was refused because it was based on an older save than the stored
    one (another tab saved since); ``revisions`` ``{str(question id): revision}`` after
    the save, for the page to send with its next save."""

    answers: dict[str, Any]
    late: bool = False
    stale: list[int] = field(default_factory=list)
    revisions: dict[str, int] = field(default_factory=dict)


def revisions_of(attempt: Attempt) -> dict[str, int]:
    """``{str(question id): revision}`` of the attempt's rows (the take page sends them
    back with each save)."""
    return {str(row.question_id): row.revision for row in attempt.rows}


def save_answers(attempt: Attempt, form_values_by_qid: Mapping[int | str, Iterable[str]],
                 now: datetime, grace_seconds: float = 0,
                 based_on: Mapping[int | str, int] | None = None) -> Saved:
    """Save the learner's responses, question by question (autosave and final submit).

    Args:
        form_values_by_qid: see :func:`responses_from_form`. A question given with no
            values is cleared; questions not given keep their saved response.
        now: current time, aware UTC (stored as the rows' ``saved_at``).
        grace_seconds: network slack after the deadline (``QUIZ_GRACE_SECONDS``; views
            pass the setting, default 0).
        based_on: ``{question id: revision}`` the page was showing for each question
            (:func:`revisions_of` when it was rendered or last saved). A question whose
            stored revision is newer is not saved (listed in ``Saved.stale``): another tab
            saved it since. A question without a revision is saved unconditionally.

    Returns:
        :class:`Saved`. In time, the answers that count now (unanswered questions absent);
        a posted response equal to the stored one writes nothing. After the deadline +
        grace nothing is saved: the attempt is closed and graded with the answers saved in
        time (:func:`close_if_expired`) and the posted responses that differ from them are
        kept aside (:func:`keep_late_answers`); ``late`` is True. The same happens to a post
        that reaches an attempt already closed at its deadline.

    Raises:
        QuizError("not_in_progress"): the attempt was submitted (perhaps just now, by
            another request); nothing is saved.

    Every write is conditional: the attempt row is first touched ``WHERE state =
    'in_progress'`` (on PostgreSQL this locks it until the commit, so a concurrent grading
    waits and then reads these answers), and each answer row ``WHERE revision`` is still
    the one the page was based on, so two tabs cannot overwrite each other's newer save.
    """
    if attempt.state == AttemptState.IN_PROGRESS and _deadline_passed(attempt, now,
                                                                       grace_seconds):
        posted = responses_from_form(attempt, form_values_by_qid)
        close_if_expired(attempt, now, grace_seconds)
    elif (attempt.state == AttemptState.FINISHED and closed_automatically(attempt)
          and _deadline_passed(attempt, now, grace_seconds)):
        posted = responses_from_form(attempt, form_values_by_qid)
    elif attempt.state != AttemptState.IN_PROGRESS:
        raise QuizError("not_in_progress")
    else:
        posted = None
    if posted is not None:
        keep_late_answers(attempt, posted, now)
        return Saved(answers=dict(attempt.answers), late=True,
                     revisions=revisions_of(attempt))

    guard = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(answers_saved_at=now)
        .execution_options(synchronize_session=False)
    )
    if guard.rowcount != 1:
        db.session.refresh(attempt)
        raise QuizError("not_in_progress")
    set_committed_value(attempt, "answers_saved_at", now)
    bases = {str(k): v for k, v in (based_on or {}).items() if v is not None}
    rows = {str(row.question_id): row for row in attempt_rows(attempt)}
    stale: list[int] = []
    changed = False
    for key, response in responses_from_form(attempt, form_values_by_qid,
                                             list(rows.values())).items():
        row = rows[key]
        if response == row.response:
            continue
        stmt = sa.update(AttemptAnswer).where(AttemptAnswer.id == row.id)
        if key in bases:
            stmt = stmt.where(AttemptAnswer.revision <= int(bases[key]))
        result = db.session.execute(
            stmt.values(response=response if response is not None else sa.null(),
                        saved_at=now, revision=AttemptAnswer.revision + 1)
            .execution_options(synchronize_session=False))
        changed = True
        if result.rowcount != 1:
            stale.append(row.question_id)
    if changed:
        attempt_rows(attempt, reload=True)
    return Saved(answers=dict(attempt.answers), stale=stale, revisions=revisions_of(attempt))


def keep_late_answers(attempt: Attempt, posted: Mapping[str, Any], now: datetime) -> dict:
    """Keep aside what arrived after the deadline + grace: of ``posted``
    (``{str(question id): response}``), the answers that differ from the counted ones.

    Stored on the rows (``late_response``, replacing an earlier late post: each post
    carries the whole form) with ``Attempt.late_at`` = ``now``; never graded. Returns what
    was kept.
    """
    rows = attempt_rows(attempt)
    late = {}
    for row in rows:
        response = posted.get(str(row.question_id))
        kept = response if response is not None and response != row.response else None
        if kept is not None:
            late[str(row.question_id)] = kept
        db.session.execute(
            sa.update(AttemptAnswer).where(AttemptAnswer.id == row.id)
            .values(late_response=kept if kept is not None else sa.null())
            .execution_options(synchronize_session=False))
    db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.FINISHED)
        .values(late_at=now)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(attempt, "late_at", now)
    attempt_rows(attempt, reload=True)
    return late


# --- grading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Grade:
    """The marks of one attempt: ``marks`` {str(question id): points earned}, ``points``
    earned, ``max_points`` possible, ``percent`` the exact score (a Fraction, 0..100) and
    ``score`` the same as a float (not rounded)."""

    marks: dict[str, float]
    points: float
    max_points: float
    percent: Fraction

    @property
    def score(self) -> float:
        """``percent`` as a float, for the ``Attempt.score`` column."""
        return float(self.percent)


def grade_answers(rows: list[AttemptAnswer]) -> Grade:
    """Grade the responses of an attempt's rows, each against the question version it
    shows, with that version's type.

    Each question earns ``fraction × points`` (fraction from the type's ``grade``, clamped
    to 0..1), summed exactly (decimals, so 0.1 + 0.2 is 0.3); the percent is
    100 × points / max_points, exact (0 when the attempt has no points to earn).
    """
    marks: dict[str, float] = {}
    points = Decimal(0)
    max_points = Decimal(0)
    for row in rows:
        version = row.version
        fraction = float(get_type(version.qtype).grade(version.data, row.response))
        fraction = min(1.0, max(0.0, fraction))
        worth = to_decimal(float(version.points))
        mark = worth * to_decimal(fraction)
        marks[str(row.question_id)] = float(mark)
        points += mark
        max_points += worth
    return Grade(marks=marks, points=float(points), max_points=float(max_points),
                 percent=scoring.percent_of(points, max_points))


def _close(attempt: Attempt, submitted_at: datetime) -> bool:
    """Grade and close ``attempt`` (``finished``), exactly once.

    The conditional UPDATE (``WHERE state = 'in_progress'``) claims the attempt first; only
    the request that claimed it reads the rows (after the claim, so it sees every save
    committed before) and writes the marks and the score. Returns True if this call closed
    it, False if another request already had (the attempt is then refreshed with the
    winner's result). Course completion is not decided here: the caller runs
    :func:`portal.completion.complete_after_attempt` afterwards.
    """
    db.session.flush()
    result = db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.state == AttemptState.IN_PROGRESS)
        .values(state=AttemptState.FINISHED, submitted_at=submitted_at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(attempt)
        attempt_rows(attempt, reload=True)
        return False
    rows = attempt_rows(attempt, reload=True)
    grade = grade_answers(rows)
    for row in rows:
        db.session.execute(
            sa.update(AttemptAnswer).where(AttemptAnswer.id == row.id)
            .values(mark=grade.marks[str(row.question_id)])
            .execution_options(synchronize_session=False))
    db.session.execute(
        sa.update(Attempt).where(Attempt.id == attempt.id)
        .values(points=grade.points, max_points=grade.max_points, score=grade.score)
        .execution_options(synchronize_session=False))
    db.session.refresh(attempt)
    attempt_rows(attempt, reload=True)
    return True


def submit_attempt(attempt: Attempt, now: datetime, grace_seconds: float) -> Attempt:
    """Submit and grade ``attempt`` once.

    Args:
        attempt: an attempt; answers saved beforehand with :func:`save_answers`.
        now: the submission time, aware UTC (stored as ``submitted_at``).
        grace_seconds: network slack after the deadline (``QUIZ_GRACE_SECONDS``).

    Returns:
        The graded attempt, ``finished``. A submission later than the deadline + grace
        closes it at its deadline with the answers saved in time (as
        :func:`close_if_expired`) and records ``late_at``. When another request (double
        click, second tab) already submitted it, or it was closed earlier, the
        already-graded attempt is returned unchanged: grading happens once, through a
        conditional UPDATE whose row count decides the winner.

    The course is not completed here: the view then calls
    :func:`portal.completion.complete_after_attempt` in the same transaction, so a passing
    post-test completes the course (and issues the certificate) in this request.
    """
    if attempt.state != AttemptState.IN_PROGRESS:
        return attempt
    if _deadline_passed(attempt, now, grace_seconds):
        close_if_expired(attempt, now, grace_seconds)
        if attempt.late_at is None:
            keep_late_answers(attempt, {}, now)
        return attempt
    _close(attempt, now)
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
    _close(attempt, attempt.deadline_at)
    return True


def closed_automatically(attempt: Attempt) -> bool:
    """True for an attempt closed at its deadline (by :func:`close_if_expired`, or by a
    submission after the deadline + grace)."""
    return (attempt.state == AttemptState.FINISHED and attempt.deadline_at is not None
            and attempt.submitted_at == attempt.deadline_at)


def seconds_left(attempt: Attempt, now: datetime) -> int | None:
    """Whole seconds from ``now`` (aware UTC) until the deadline, rounded down (0 when
    passed); None without a time limit."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - now).total_seconds()))


def attempt_percent(attempt: Attempt) -> Fraction | None:
    """The exact score of a graded attempt in percent, or None before grading."""
    return scoring.stored_percent(attempt.points, attempt.max_points, attempt.score)


def passed(attempt: Attempt) -> bool | None:
    """For a finished post-test: True when its exact score reaches the course pass mark
    (percent); None for other quizzes or attempts that do not count."""
    if attempt.quiz.kind != POSTTEST or attempt.state != AttemptState.FINISHED:
        return None
    return scoring.reaches(attempt_percent(attempt), attempt.quiz.course.pass_mark)


# --- what the pages show ------------------------------------------------------------------


@dataclass(frozen=True)
class QuizSummary:
    """The quiz intro page: the quiz, its questions per attempt, the learner's attempts
    (oldest first), attempts used/allowed (``allowed`` 0: unlimited) and left (None:
    unlimited), the open attempt, the grade that counts (exact percent or None, see
    :func:`grade_that_counts`), whether the post-test is still locked, and ``refusal``:
    why no new attempt can start (see :func:`start_refusal`), or None."""

    quiz: Quiz
    question_count: int
    attempts: list[Attempt]
    used: int
    allowed: int
    left: int | None
    open_attempt: Attempt | None
    grade: Fraction | None
    locked: bool
    refusal: str | None = None

    @property
    def can_start(self) -> bool:
        """A Start/Continue button makes sense: resuming, or a new attempt is allowed."""
        if self.refusal == "completed":
            return False
        return not self.locked and (self.open_attempt is not None or self.refusal is None)


def quiz_summary(enrolment: Enrolment, quiz: Quiz) -> QuizSummary:
    """Everything the quiz intro page shows; reads only. The view first closes an open
    attempt past its deadline (:func:`portal.completion.close_expired_attempt_and_complete`),
    so the list and the grade are current."""
    current = open_attempt(enrolment, quiz)
    attempts = attempts_of(enrolment, quiz)
    refusal = start_refusal(enrolment, quiz)
    return QuizSummary(
        quiz=quiz,
        question_count=questions_per_attempt(quiz),
        attempts=attempts,
        used=len(attempts),
        allowed=quiz.max_attempts or 0,
        left=attempts_left(quiz, len(attempts)),
        open_attempt=current,
        grade=grade_that_counts(enrolment, quiz),
        locked=refusal == "locked",
        refusal=refusal,
    )


@dataclass(frozen=True)
class AttemptItem:
    """One question as a page shows it.

    ``number`` is its 1-based position in the attempt; ``question`` the question version
    shown (:class:`~portal.quizzes.models.QuestionVersion`: prompt, points, ...);
    ``name`` the form field name; ``revision`` the saved answer's revision (the take page
    sends it back, see :func:`save_answers`);
    ``template`` the type's template; ``options`` the options of a choice question in the
    order this attempt shows them (``{"id", "html"}``; on a review also ``chosen``, and
    ``correct`` only when the right answer may be shown); ``numeric`` whether a typed answer
    expects a number (for the hint); ``response`` the learner's response (None on a review
    that may not show answers); ``problem`` why a typed number cannot be read
    (:class:`~portal.numbers.NumberNotationError`) or None.

    On review pages, each None when the review policy hides it: ``correct`` (whether the
    answer earned full marks), ``mark`` (points earned), ``accepted`` (the accepted typed
    answers: the key), ``explanation_html``; ``late_response`` the answer sent after the
    time limit (not counted), when it differs.
    """

    number: int
    question: QuestionVersion
    name: str
    template: str
    revision: int = 0
    options: list[dict] = field(default_factory=list)
    numeric: bool = False
    response: Any = None
    problem: NumberNotationError | None = None
    review: bool = False
    correct: bool | None = None
    mark: float | None = None
    accepted: list[str] | None = None
    explanation_html: str | None = None
    late_response: Any = None

    @property
    def answered(self) -> bool:
        """True when a response is saved for the question."""
        return self.response is not None


def _ordered(options: list[dict], order: list[str] | None) -> list[dict]:
    """``options`` in the attempt's ``order`` of ids (file order when None); options the
    order does not know (a question edited since) follow in file order."""
    if not order:
        return list(options)
    rank = {oid: i for i, oid in enumerate(order)}
    return sorted(options, key=lambda o: (rank.get(o["id"], len(rank)), options.index(o)))


def take_items(attempt: Attempt, responses: Mapping[str, Any] | None = None) -> list[AttemptItem]:
    """The questions of the take page, in the attempt's order, with public data only (no
    answer key): options in the attempt's order, whether a number is expected, and the
    problem of a saved typed number the Indonesian notation refuses.

    ``responses`` (``{str(question id): response}``) pre-fills the inputs; default the saved
    answers.
    """
    answers = attempt.answers if responses is None else responses
    items = []
    for number, row in enumerate(attempt_rows(attempt), start=1):
        version = row.version
        qt = get_type(version.qtype)
        public = qt.public_data(version.data)
        response = answers.get(str(row.question_id))
        items.append(AttemptItem(
            number=number, question=version, name=field_name(row.question_id),
            template=qt.template, revision=row.revision,
            options=_ordered(public.get("options") or [], row.option_order),
            numeric=bool(public.get("numeric")), response=response,
            problem=qt.problem(version.data, response),
        ))
    return items


@dataclass(frozen=True)
class AnswerOverview:
    """The confirmation page before the final submit: every item of the attempt
    (:class:`AttemptItem`), those left unanswered, and those with a typed number that
    cannot be read."""

    items: list[AttemptItem]

    @property
    def unanswered(self) -> list[AttemptItem]:
        """Questions without a saved response."""
        return [i for i in self.items if not i.answered]

    @property
    def answered_count(self) -> int:
        """How many questions have a saved response."""
        return len(self.items) - len(self.unanswered)

    @property
    def problems(self) -> list[AttemptItem]:
        """Questions whose typed number is not written the Indonesian way."""
        return [i for i in self.items if i.problem is not None]


def answer_overview(attempt: Attempt) -> AnswerOverview:
    """What the confirmation page lists for an attempt in progress (its saved answers)."""
    return AnswerOverview(items=take_items(attempt))


def review_options(attempt: Attempt, now: datetime) -> review_rules.ReviewOptions:
    """What the attempt's owner may see of it at ``now`` (aware UTC), by the quiz's review
    policy (:mod:`portal.quizzes.review`): the moment is ``after_close`` when the quiz is
    closed to the learner (:func:`closed_to`), else ``right_after`` within two minutes of
    the submission (or of a late post), else ``while_open``."""
    quiz = attempt.quiz
    finished = max([t for t in (attempt.submitted_at, attempt.late_at) if t is not None],
                   default=None)
    at = review_rules.moment(finished, now, closed_to(attempt.enrolment, quiz))
    return review_rules.options_for(quiz.kind, quiz.review_policy, at)


def review_items(attempt: Attempt,
                 show: review_rules.ReviewOptions = review_rules.EVERYTHING) -> list[AttemptItem]:
    """The questions of the review page, holding only what ``show`` allows.

    Without ``show.answer`` the items carry the questions alone (the page then shows the
    score only); ``correct``, ``mark``, the options' ``correct`` flags and ``accepted``
    answers, and ``explanation_html`` are None (or absent) unless ``show`` allows them, so
    a template cannot leak what the policy hides. Call it only for an attempt that is no
    longer in progress.
    """
    items = []
    for number, row in enumerate(attempt_rows(attempt), start=1):
        version = row.version
        qt = get_type(version.qtype)
        response = row.response if show.answer else None
        feedback = qt.feedback(version.data, row.response)
        mark = row.mark
        correct = feedback.get("correct")
        if correct is None and mark is not None:
            correct = mark >= float(version.points)
        options = []
        chosen = set(response or []) if isinstance(response, list) else set()
        for option in feedback.get("options") or []:
            shown = {"id": option["id"], "html": option["html"], "chosen": option["id"] in chosen}
            if show.right_answer:
                shown["correct"] = bool(option.get("correct"))
            options.append(shown)
        items.append(AttemptItem(
            number=number, question=version, name=field_name(row.question_id),
            template=qt.template, options=_ordered(options, row.option_order),
            numeric=bool(qt.public_data(version.data).get("numeric")),
            response=response, review=True, revision=row.revision,
            correct=bool(correct) if show.correct else None,
            mark=mark if show.marks else None,
            accepted=list(feedback.get("accepted") or []) if show.right_answer else None,
            explanation_html=(version.explanation_html or "") if show.explanation else None,
            late_response=row.late_response if show.answer else None,
        ))
    return items
