"""Read-only summaries of learning progress: the catalogue's per-course status, the learner's
dashboard and the instructors' course overview. Plain functions; they never write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from fractions import Fraction

import sqlalchemy as sa

from portal.courses.models import Course, Module
from portal.extensions import db
from portal.ledger import services as ledger
from portal.progress import gain as gain_rules
from portal.progress import services
from portal.progress.models import Enrolment, ModuleCompletion
from portal.timeutil import utcnow

NOT_ENROLLED = "not_enrolled"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"


# --- catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleFacts:
    """Number of current modules of a course and their estimated study time in minutes."""

    count: int = 0
    minutes: int = 0


@dataclass(frozen=True)
class CatalogueEntry:
    """One course card: the course, its module facts and the viewer's status.

    ``status`` is ``not_enrolled`` | ``in_progress`` | ``completed``; ``percent`` (0..100,
    modules done) is None when not enrolled.
    """

    course: Course
    facts: ModuleFacts
    status: str = NOT_ENROLLED
    percent: int | None = None


def module_facts(course_ids: list[int]) -> dict[int, ModuleFacts]:
    """:class:`ModuleFacts` per course id, counting current (non-archived) modules only."""
    if not course_ids:
        return {}
    rows = db.session.execute(
        sa.select(Module.course_id, sa.func.count(Module.id),
                  sa.func.coalesce(sa.func.sum(Module.minutes), 0))
        .where(Module.course_id.in_(course_ids), Module.is_archived.is_(False))
        .group_by(Module.course_id)
    ).all()
    return {cid: ModuleFacts(count=int(n), minutes=int(m)) for cid, n, m in rows}


def _done_counts(enrolment_ids: list[int]) -> dict[int, int]:
    """Current modules done per enrolment id."""
    if not enrolment_ids:
        return {}
    rows = db.session.execute(
        sa.select(ModuleCompletion.enrolment_id, sa.func.count(ModuleCompletion.id))
        .join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.enrolment_id.in_(enrolment_ids),
               Module.is_archived.is_(False))
        .group_by(ModuleCompletion.enrolment_id)
    ).all()
    return {eid: int(n) for eid, n in rows}


def _percent(done: int, total: int) -> int:
    return 100 if total == 0 else done * 100 // total


def catalogue(user, query: str = "") -> list[CatalogueEntry]:
    """Published courses ordered by title, optionally those whose title contains ``query``
    (case-insensitive, taken literally), with the status of ``user`` (None or anonymous:
    every course ``not_enrolled``)."""
    stmt = sa.select(Course).where(Course.is_published.is_(True)).order_by(Course.title)
    query = (query or "").strip()
    if query:
        stmt = stmt.where(Course.title.icontains(query, autoescape=True))
    courses = list(db.session.scalars(stmt))
    facts = module_facts([c.id for c in courses])
    enrolments: dict[int, Enrolment] = {}
    if user is not None and getattr(user, "is_authenticated", False) and courses:
        enrolments = {e.course_id: e for e in db.session.scalars(
            sa.select(Enrolment).where(Enrolment.user_id == user.id,
                                       Enrolment.course_id.in_([c.id for c in courses])))}
    done = _done_counts([e.id for e in enrolments.values()])
    entries = []
    for course in courses:
        course_facts = facts.get(course.id, ModuleFacts())
        enrolment = enrolments.get(course.id)
        if enrolment is None:
            entries.append(CatalogueEntry(course, course_facts))
        elif enrolment.completed_at is not None:
            entries.append(CatalogueEntry(course, course_facts, COMPLETED, 100))
        else:
            percent = _percent(done.get(enrolment.id, 0), course_facts.count)
            entries.append(CatalogueEntry(course, course_facts, IN_PROGRESS, percent))
    return entries


# --- dashboard ------------------------------------------------------------------------


@dataclass(frozen=True)
class LearningRow:
    """One enrolment on the dashboard: progress, pre/post grades (exact percents 0..100, see
    :class:`portal.progress.services.QuizStatus`), the learner's own normalized gain (Hake
    1998; a fraction ≤ 1, not a percent) with its band, the certificate if issued, and
    ``jp``: the JP credited for it in the ledger (None when nothing was credited)."""

    enrolment: Enrolment
    progress: services.ProgressSummary
    pre: Fraction | None
    post: Fraction | None
    gain: float | None
    band: str | None
    certificate: object | None = None
    jp: int | None = None

    @property
    def course(self) -> Course:
        """The enrolment's course."""
        return self.enrolment.course

    @property
    def gain_percent(self) -> int | None:
        """The gain as the percent of the points missed in the pre-test that the learner
        gained (the plain-words reading of Hake's g), rounded DOWN so the figure never
        reaches the next band's bound before the band does (g = 0.6999 is 69 %, medium);
        None when there is no gain."""
        if self.gain is None:
            return None
        return math.floor(round(self.gain * 100, 9))


@dataclass(frozen=True)
class Dashboard:
    """The learner's dashboard. ``year`` is the current WIB year; ``jp_this_year`` sums the
    JP credited in that year in the JP ledger (:mod:`portal.ledger`), against ``jp_target`` (20 JP a year: PP 11/2017
    Pasal 203(4) as amended by PP 17/2020)."""

    in_progress: list[LearningRow] = field(default_factory=list)
    completed: list[LearningRow] = field(default_factory=list)
    year: int = 0
    jp_this_year: int = 0
    jp_target: int = services.YEARLY_JP_TARGET

    @property
    def jp_bar_value(self) -> int:
        """The value for a ``<progress max=jp_target>`` bar (capped at the target)."""
        return min(self.jp_this_year, self.jp_target)

    @property
    def is_empty(self) -> bool:
        """True when the user has no enrolment at all."""
        return not self.in_progress and not self.completed


def learning_row(enrolment: Enrolment) -> LearningRow:
    """Build the :class:`LearningRow` of one enrolment."""
    course = enrolment.course
    pre = services.quiz_status(course, enrolment, services.PRETEST).grade
    post = services.quiz_status(course, enrolment, services.POSTTEST).grade
    g = gain_rules.normalized_gain(pre, post)
    g = float(g) if g is not None else None
    return LearningRow(
        enrolment=enrolment, progress=services.progress(enrolment), pre=pre, post=post,
        gain=g, band=gain_rules.gain_band(g), certificate=services.certificate_for(enrolment),
    )


def learner_dashboard(user, now: datetime | None = None) -> Dashboard:
    """The dashboard of ``user``: enrolments in progress (most recently enrolled first),
    completed ones (most recently completed first) with the JP credited for each, and the
    JP credited in the current WIB year (both from the JP ledger, never the course's
    current ``jp``).

    Args:
        user: the logged-in user (any role: staff see their own learning).
        now: aware UTC "now" (default :func:`portal.timeutil.utcnow`), fixing the year.
    """
    year = services.wib_year(now or utcnow())
    enrolments = list(db.session.scalars(
        sa.select(Enrolment).where(Enrolment.user_id == user.id)
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())))
    credited = ledger.learner_jp(user.id)
    rows = [replace(learning_row(e), jp=credited.by_enrolment.get(e.id)) for e in enrolments]
    completed = sorted((r for r in rows if r.enrolment.completed_at is not None),
                       key=lambda r: r.enrolment.completed_at, reverse=True)
    return Dashboard(
        in_progress=[r for r in rows if r.enrolment.completed_at is None],
        completed=completed,
        year=year,
        jp_this_year=credited.by_year.get(year, 0),
    )


# --- teaching overview ----------------------------------------------------------------


@dataclass(frozen=True)
class CourseOverview:
    """One course for instructors: enrolments, completions, mean pre/post grades (exact
    percents, over learners with a grade) and the cohort gain as the GAIN OF THE AVERAGES
    (Hake's class ⟨g⟩, a fraction, over learners with both grades)."""

    course: Course
    enrolments: int
    completions: int
    avg_pre: Fraction | None
    avg_post: Fraction | None
    class_gain: float | None

    @property
    def band(self) -> str | None:
        """The Hake (1998) band of ``class_gain``: ``high`` | ``medium`` | ``low``, or None."""
        return gain_rules.gain_band(self.class_gain)


def _mean(values: list[Fraction]) -> Fraction | None:
    """The exact mean (Fractions stay exact: 200/3 and 0 average to 100/3)."""
    return sum(values, Fraction(0)) / len(values) if values else None


def _as_float(value) -> float | None:
    return float(value) if value is not None else None


def teaching_overview() -> list[CourseOverview]:
    """Every course (published or not) ordered by title, with its cohort figures."""
    overview = []
    for course in db.session.scalars(sa.select(Course).order_by(Course.title)):
        enrolments = list(db.session.scalars(
            sa.select(Enrolment).where(Enrolment.course_id == course.id)))
        pairs = []
        for enrolment in enrolments:
            pre = services.quiz_status(course, enrolment, services.PRETEST).grade
            post = services.quiz_status(course, enrolment, services.POSTTEST).grade
            pairs.append((pre, post))
        overview.append(CourseOverview(
            course=course,
            enrolments=len(enrolments),
            completions=sum(1 for e in enrolments if e.completed_at is not None),
            avg_pre=_mean([p for p, _ in pairs if p is not None]),
            avg_post=_mean([q for _, q in pairs if q is not None]),
            class_gain=_as_float(gain_rules.gain_of_averages(pairs)),
        ))
    return overview
