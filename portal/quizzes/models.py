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
    """A question's identity in its quiz: (quiz, ``key``), whatever its position.

    ``key`` is the stable key written in the quiz file (:mod:`portal.courses.keys`); None
    only for questions recorded before keys existed and not yet claimed by an import (see
    :mod:`portal.courses.importer`). ``position`` is its current place in the file (1..);
    ``tags`` its tags; ``is_archived`` is set when it left the file (never deleted, so
    attempts keep it). The content lives in immutable :class:`QuestionVersion` rows;
    ``current_version`` is the newest, which new attempts get. ``qtype``, ``prompt_html``,
    ``explanation_html``, ``data`` and ``points`` read the current version.
    """

    __tablename__ = "question"
    __table_args__ = (sa.UniqueConstraint("quiz_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"))
    key: Mapped[str | None] = mapped_column(sa.String(32))
    position: Mapped[int] = mapped_column()
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    is_archived: Mapped[bool] = mapped_column(default=False)
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("question_version.id", ondelete="SET NULL", use_alter=True))

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    current_version: Mapped["QuestionVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True, lazy="joined")

    @property
    def qtype(self) -> str:
        """The current version's question type."""
        return self.current_version.qtype

    @property
    def prompt_html(self) -> str:
        """The current version's prompt (sanitised HTML)."""
        return self.current_version.prompt_html

    @property
    def explanation_html(self) -> str:
        """The current version's explanation (sanitised HTML)."""
        return self.current_version.explanation_html

    @property
    def data(self) -> dict:
        """The current version's options or accepted answers (the answer key)."""
        return self.current_version.data

    @property
    def points(self) -> float:
        """The current version's maximum mark."""
        return self.current_version.points


class QuestionVersion(db.Model):
    """One immutable version of a question: a row is written once and never updated.

    ``number`` counts the question's versions from 1. ``qtype`` a key of the question-type
    registry (single, multiple, short); ``prompt_md``/``prompt_html`` and
    ``explanation_md``/``explanation_html`` the Markdown source and its sanitised HTML (the
    source is None for versions recorded before it was kept: migration 0007); ``data`` the
    type's options (``id``, ``md``, ``html``, ``correct``; option ids are random per
    version, so they never reveal the file order) or accepted answers: the answer key, which
    never reaches the browser before an attempt is submitted; ``points`` the maximum mark;
    ``content_hash`` the sha256 (hex) of what grading and the pages show (see
    :func:`portal.quizzes.versions.content_hash`); ``created_at`` aware UTC.
    """

    __tablename__ = "question_version"
    __table_args__ = (sa.UniqueConstraint("question_id", "number"),
                      one_of("qtype", QuestionTypeKey))

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    qtype: Mapped[str] = mapped_column(sa.String(20))
    prompt_md: Mapped[str | None] = mapped_column(sa.Text)
    prompt_html: Mapped[str] = mapped_column(sa.Text)
    explanation_md: Mapped[str | None] = mapped_column(sa.Text)
    explanation_html: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    points: Mapped[float] = mapped_column(sa.Float, default=1.0)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[Question] = relationship(foreign_keys=[question_id])


class AttemptState(enum.StrEnum):
    """Attempt states: ``in_progress`` until submitted; ``finished`` once graded (it counts).

    Two states are history only: ``overdue`` marks attempts submitted after their deadline
    before migration 0004 (graded on the late answers, never counted; since then a late
    submission is graded on the answers saved in time and the late ones are kept aside in
    the attempt's rows, ``AttemptAnswer.late_response``); ``abandoned`` marks the extra attempts that a double click
    had opened beside another open one before migration 0004 made that impossible (never
    graded, never counted, not an attempt used).
    """

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    OVERDUE = "overdue"
    ABANDONED = "abandoned"


class Attempt(db.Model):
    """A learner's attempt at a quiz.

    ``number`` counts the learner's attempts at the quiz from 1. Its questions are
    :class:`AttemptAnswer` rows (``rows``, in the order shown), created when the attempt
    starts: each holds the question version shown, the option order, the response, the
    mark and when it was saved. ``late_at`` is when answers arrived after the deadline +
    grace (kept on the rows, shown, never graded); ``answers_saved_at`` (aware UTC) when
    answers were last saved in time, so that a post carried across a login never replaces
    answers saved after it arrived. ``points`` and ``max_points`` are the
    points earned and possible, ``score`` the percent 0..100 (100 × points / max_points,
    not rounded; exact values come from :func:`portal.quizzes.scoring.stored_percent`); all
    three are set once, when the attempt is graded. ``started_at``, ``deadline_at`` (fixed
    at the start: start + ``Quiz.time_limit`` minutes) and ``submitted_at`` are aware UTC;
    an attempt closed at its deadline has ``submitted_at`` = ``deadline_at``. ``state`` is
    an :class:`AttemptState` value; the database allows one ``in_progress`` attempt per
    enrolment and quiz (a partial unique index).

    ``question_ids``, ``option_order``, ``answers``, ``marks`` and ``late_answers`` are
    read-only views of the rows, keyed by ``str(question id)``.
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
    rows: Mapped[list["AttemptAnswer"]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.slot",
        cascade="all, delete-orphan", passive_deletes=True)

    @property
    def question_ids(self) -> list[int]:
        """The question ids in the order shown."""
        return [row.question_id for row in self.rows]

    @property
    def option_order(self) -> dict[str, list[str]]:
        """``{str(question id): option ids in the order shown}`` of shuffled questions."""
        return {str(row.question_id): list(row.option_order) for row in self.rows
                if row.option_order}

    @property
    def answers(self) -> dict[str, object]:
        """``{str(question id): response}`` of the questions answered in time."""
        return {str(row.question_id): row.response for row in self.rows
                if row.response is not None}

    @property
    def marks(self) -> dict[str, float]:
        """``{str(question id): points earned}`` once graded (empty before)."""
        return {str(row.question_id): row.mark for row in self.rows if row.mark is not None}

    @property
    def late_answers(self) -> dict[str, object] | None:
        """``{str(question id): response}`` sent after the deadline + grace (None when
        nothing arrived late)."""
        if self.late_at is None:
            return None
        return {str(row.question_id): row.late_response for row in self.rows
                if row.late_response is not None}


class AttemptAnswer(db.Model):
    """One question of an attempt (as Moodle's question attempts), created when the attempt
    starts.

    ``slot`` is its place in the attempt (1..); ``question_version_id`` the version shown
    and graded (a newer version never changes it); ``option_order`` the option ids of a
    choice question in the order shown (None: file order); ``response`` the learner's
    response saved in time (None: unanswered; shapes in :mod:`portal.quizzes.types`);
    ``saved_at`` (aware UTC) when it was last saved and ``revision`` how many saves changed
    it: a save based on an older revision is refused, so a stale tab cannot overwrite a
    newer answer; ``mark`` the points earned, set once when the attempt is graded;
    ``late_response`` what arrived after the deadline + grace (kept, shown, never graded).
    """

    __tablename__ = "attempt_answer"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "slot"),
                      sa.UniqueConstraint("attempt_id", "question_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column()
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    question_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_version.id", ondelete="CASCADE"), index=True)
    option_order: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))
    response: Mapped[object | None] = mapped_column(sa.JSON(none_as_null=True))
    mark: Mapped[float | None] = mapped_column(sa.Float)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(default=0)
    late_response: Mapped[object | None] = mapped_column(sa.JSON(none_as_null=True))

    attempt: Mapped[Attempt] = relationship(back_populates="rows")
    version: Mapped[QuestionVersion] = relationship(lazy="joined")
