"""Quizzes, their questions (the question bank of a quiz) and learners' attempts."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, one_of
from portal.timeutil import UTCDateTime, utcnow


def new_public_id() -> str:
    """Return a random, unguessable identifier for URLs (128 bits, 32 hex characters)."""
    return secrets.token_hex(16)


class QuizKind(enum.StrEnum):
    """What a quiz is for: the pre-test measures the starting point, the post-test decides
    completion, practice quizzes never count (see docs/content-format.md)."""

    PRETEST = "pretest"
    POSTTEST = "posttest"
    PRACTICE = "practice"


class Grading(enum.StrEnum):
    """Which finished attempts make a quiz's grade (:func:`portal.quizzes.scoring.combine`)."""

    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


class QuestionTypeKey(enum.StrEnum):
    """The question types of the registry in :mod:`portal.quizzes.types`."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    SHORT = "short"


class Quiz(db.Model):
    """A quiz of a course. ``kind`` is a :class:`QuizKind` value (pretest | posttest |
    practice).

    ``time_limit`` is in minutes (None: no limit); ``max_attempts`` 0 means unlimited;
    ``grading`` (a :class:`Grading` value) picks the attempt that counts: highest | average |
    first | last;
    ``draw`` (None: all) draws that many questions at random per attempt; ``shuffle``
    shuffles the question order and ``shuffle_options`` the options of each choice question,
    per attempt. ``review_policy`` holds the moments the quiz file's ``review:`` sets
    (``{"while_open": ["answer"], ...}``, see :mod:`portal.quizzes.review`); None, or a
    moment left out, means the default of the quiz kind.
    """

    __tablename__ = "quiz"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug"), one_of("kind", QuizKind),
                      one_of("grading", Grading),
                      sa.Index("ix_quiz_course_id_kind", "course_id", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(250))
    time_limit: Mapped[int | None] = mapped_column()
    max_attempts: Mapped[int] = mapped_column(default=0)
    grading: Mapped[str] = mapped_column(sa.String(20), default=Grading.HIGHEST)
    shuffle: Mapped[bool] = mapped_column(default=False)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    draw: Mapped[int | None] = mapped_column()
    review_policy: Mapped[dict | None] = mapped_column(sa.JSON)

    course = relationship("Course")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="quiz",
        order_by="Question.position",
        primaryjoin="and_(Quiz.id == Question.quiz_id, Question.is_archived == False)",
        viewonly=True,
    )


class Question(db.Model):
    """One question. ``qtype`` is a :class:`QuestionTypeKey` value, a key of the question-type
    registry (single, multiple, short). ``data`` holds the type's options and answer key; it never reaches the browser
    before an attempt is submitted. ``points`` is the maximum mark."""

    __tablename__ = "question"
    __table_args__ = (sa.UniqueConstraint("quiz_id", "position"), one_of("qtype", QuestionTypeKey))

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    qtype: Mapped[str] = mapped_column(sa.String(20))
    prompt_html: Mapped[str] = mapped_column(sa.Text)
    explanation_html: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    points: Mapped[float] = mapped_column(sa.Float, default=1.0)
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    is_archived: Mapped[bool] = mapped_column(default=False)

    quiz: Mapped[Quiz] = relationship(back_populates="questions")


class AttemptState(enum.StrEnum):
    """Attempt states: ``in_progress`` until submitted; ``finished`` once graded (it counts).

    Two states are history only: ``overdue`` marks attempts submitted after their deadline
    before migration 0004 (graded on the late answers, never counted; since then a late
    submission is graded on the answers saved in time and the late ones are kept aside in
    ``Attempt.late_answers``); ``abandoned`` marks the extra attempts that a double click
    had opened beside another open one before migration 0004 made that impossible (never
    graded, never counted, not an attempt used).
    """

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    OVERDUE = "overdue"
    ABANDONED = "abandoned"


class Attempt(db.Model):
    """A learner's attempt at a quiz.

    ``number`` counts the learner's attempts at the quiz from 1. ``question_ids`` is the
    order shown (after shuffle/draw); ``option_order`` maps the id (as a string) of each
    choice question to its option ids in the order shown (None or a question left out:
    file order); both are fixed when the attempt starts, so the review and a regrade see
    what the learner saw. ``answers`` maps question id (as a string) to the learner's
    response, as saved before the deadline + grace; ``marks`` maps it to the points
    earned. ``late_answers`` holds, in the same shape, what the learner sent after the
    deadline + grace (kept, shown, never graded), and ``late_at`` when it arrived.
    ``answers_saved_at`` (aware UTC) is when answers were last saved in time, so that a post
    carried across a login never replaces answers saved after it arrived.
    ``points`` and ``max_points`` are the points earned and possible, ``score`` the
    percent 0..100 (100 × points / max_points, not rounded; exact values come from
    :func:`portal.quizzes.scoring.stored_percent`); all three are set once, when the attempt
    is graded. ``started_at``, ``deadline_at`` (fixed at the start: start +
    ``Quiz.time_limit`` minutes) and ``submitted_at`` are aware UTC; an attempt closed at
    its deadline has ``submitted_at`` = ``deadline_at``. ``state`` is an
    :class:`AttemptState` value; the database allows one ``in_progress`` attempt per
    enrolment and quiz (a partial unique index).
    """

    __tablename__ = "attempt"
    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "quiz_id", "number"),
        sa.Index("uq_attempt_one_open", "enrolment_id", "quiz_id", unique=True,
                 sqlite_where=sa.text("state = 'in_progress'"),
                 postgresql_where=sa.text("state = 'in_progress'")),
        one_of("state", AttemptState),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"))
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(sa.String(20), default=AttemptState.IN_PROGRESS)
    question_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    option_order: Mapped[dict | None] = mapped_column(sa.JSON)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    marks: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    late_answers: Mapped[dict | None] = mapped_column(sa.JSON)
    late_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answers_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    points: Mapped[float | None] = mapped_column(sa.Float)
    max_points: Mapped[float | None] = mapped_column(sa.Float)
    score: Mapped[float | None] = mapped_column(sa.Float)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    quiz: Mapped[Quiz] = relationship()
    enrolment = relationship("Enrolment", back_populates="attempts")
