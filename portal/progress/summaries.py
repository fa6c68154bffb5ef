"""Read-only summaries of learning progress: the catalogue's per-course status, the learner's
dashboard and the instructors' course overview. Plain functions; they never write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.courses.models import Course, Module
from portal.extensions import db
from portal.pagination import ResultPage
from portal.ledger import services as ledger
from portal.numbers import exact_sum
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


def learning_rows(enrolments: list[Enrolment]) -> list[LearningRow]:
    """The :class:`LearningRow` of each enrolment, in the same order, read with grouped
    statements (module counts, modules done, pre/post-tests and attempts, certificates):
    five whatever the number of enrolments."""
    from portal.certificates.models import Certificate

    if not enrolments:
        return []
    course_ids = sorted({e.course_id for e in enrolments})
    enrolment_ids = [e.id for e in enrolments]
    facts = module_facts(course_ids)
    done = _done_counts(enrolment_ids)
    from portal.progress.standing import Standings

    standings = Standings(course_ids, enrolment_ids)
    certificates = {c.enrolment_id: c for c in db.session.scalars(
        sa.select(Certificate).where(Certificate.enrolment_id.in_(enrolment_ids)))}
    rows = []
    for enrolment in enrolments:
        total = facts.get(enrolment.course_id, ModuleFacts()).count
        done_here = done.get(enrolment.id, 0)
        pre = standings.status(enrolment, services.PRETEST).grade
        post = standings.status(enrolment, services.POSTTEST).grade
        g = gain_rules.normalized_gain(pre, post)
        g = float(g) if g is not None else None
        rows.append(LearningRow(
            enrolment=enrolment,
            progress=services.ProgressSummary(done=done_here, total=total,
                                              percent=_percent(done_here, total)),
            pre=pre, post=post, gain=g, band=gain_rules.gain_band(g),
            certificate=certificates.get(enrolment.id),
        ))
    return rows


def learning_row(enrolment: Enrolment) -> LearningRow:
    """Build the :class:`LearningRow` of one enrolment."""
    return learning_rows([enrolment])[0]


def learner_dashboard(user, now: datetime | None = None) -> Dashboard:
    """The dashboard of ``user``: enrolments in progress (most recently enrolled first),
    completed ones (most recently completed first) with the JP credited for each, and the
    JP credited in the current WIB year (both from the JP ledger, never the course's
    current ``jp``).

    Eight statements at most with the user's own load, whatever the number of enrolments:
    the enrolments with their courses, :func:`learning_rows` and one grouped read of the JP
    ledger (:func:`portal.ledger.services.learner_jp`).

    Args:
        user: the logged-in user (any role: staff see their own learning).
        now: aware UTC "now" (default :func:`portal.timeutil.utcnow`), fixing the year.
    """
    year = services.wib_year(now or utcnow())
    enrolments = list(db.session.scalars(
        sa.select(Enrolment).where(Enrolment.user_id == user.id)
        .options(joinedload(Enrolment.course))
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())))
    credited = ledger.learner_jp(user.id)
    rows = [replace(row, jp=credited.by_enrolment.get(row.enrolment.id))
            for row in learning_rows(enrolments)]
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
    return exact_sum(values) / len(values) if values else None


def _as_float(value) -> float | None:
    return float(value) if value is not None else None


class TeachingPage(ResultPage):
    """One page of the teaching overview (:class:`portal.pagination.ResultPage`): ``items``
    are :class:`CourseOverview`, ``total`` counts courses."""

    @property
    def rows(self) -> list[CourseOverview]:
        """The courses of this page (``items``)."""
        return self.items


def _page_of(stmt: sa.Select, page: int, per_page: int) -> tuple[list, int, int]:
    """``(rows, total, page)``: one page of ``stmt`` (ordered) with the total from a window
    count in the same statement; an out-of-range page is clamped (a second statement only
    then)."""
    page = max(1, page)
    counted = stmt.add_columns(sa.func.count().over().label("total_rows"))
    rows = db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)).all()
    if not rows and page > 1:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
        page = max(1, -(-total // per_page))
        rows = db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)).all()
    total = rows[0].total_rows if rows else 0
    return rows, total, page


def teaching_overview(page: int = 1, per_page: int = 20) -> TeachingPage:
    """One page of every course (published or not) ordered by title, with its cohort
    figures; four statements whatever the number of courses, enrolments and attempts
    (courses with the total, their enrolments, their first pre/post-tests, the submitted
    attempts: :class:`portal.progress.standing.Standings`).

    Args:
        page: 1-based; out-of-range pages are clamped.
        per_page: courses per page (at least 1).
    """
    from portal.progress.standing import Standings

    rows, total, page = _page_of(
        sa.select(Course).order_by(Course.title, Course.id), page, per_page)
    courses = [row[0] for row in rows]
    course_ids = [c.id for c in courses]
    by_course: dict[int, list] = {cid: [] for cid in course_ids}
    if course_ids:
        for row in db.session.execute(
                sa.select(Enrolment.id, Enrolment.course_id, Enrolment.completed_at,
                          Enrolment.final_grade)
                .where(Enrolment.course_id.in_(course_ids))):
            by_course[row.course_id].append(row)
    standings = Standings(course_ids, sa.select(Enrolment.id).where(
        Enrolment.course_id.in_(course_ids))) if course_ids else None
    overview = []
    for course in courses:
        enrolments = by_course[course.id]
        pairs = [(standings.status(e, services.PRETEST).grade,
                  standings.status(e, services.POSTTEST).grade) for e in enrolments]
        overview.append(CourseOverview(
            course=course,
            enrolments=len(enrolments),
            completions=sum(1 for e in enrolments if e.completed_at is not None),
            avg_pre=_mean([p for p, _ in pairs if p is not None]),
            avg_post=_mean([q for _, q in pairs if q is not None]),
            class_gain=_as_float(gain_rules.gain_of_averages(pairs)),
        ))
    return TeachingPage(items=overview, page=page, per_page=per_page, total=total)


# --- course page and module page ---------------------------------------------------------


@dataclass(frozen=True)
class CourseState:
    """A learner's standing in one course, read once for the course and module pages:
    the current ``modules`` in reading order, the ids of those ``done`` (archived ones
    included, as :func:`portal.progress.services.done_module_ids`), and the pre-/post-test
    :class:`~portal.progress.services.QuizStatus` (``quiz`` is a :class:`Quiz` or None).
    The rules are those of :mod:`portal.progress.services`."""

    course: Course
    enrolment: Enrolment | None
    modules: list[Module]
    done_ids: set[int]
    pretest: services.QuizStatus
    posttest: services.QuizStatus

    @property
    def progress(self) -> services.ProgressSummary:
        """Modules done out of the current ones (:func:`portal.progress.services.progress`)."""
        done = sum(1 for m in self.modules if m.id in self.done_ids)
        total = len(self.modules)
        return services.ProgressSummary(done=done, total=total, percent=_percent(done, total))

    @property
    def facts(self) -> ModuleFacts:
        """Number of current modules and their minutes."""
        return ModuleFacts(count=len(self.modules), minutes=sum(m.minutes for m in self.modules))

    @property
    def posttest_unlocked(self) -> bool:
        """Enrolled and every current module done."""
        summary = self.progress
        return self.enrolment is not None and summary.done == summary.total

    @property
    def pretest_pending(self) -> services.QuizStatus | None:
        """The pre-test's status while it exists and is not submitted, else None."""
        status = self.pretest
        return status if status.exists and not status.submitted else None

    def first_undone(self) -> Module | None:
        """The first current module not done, or None."""
        return next((m for m in self.modules if m.id not in self.done_ids), None)

    def neighbours(self, module: Module) -> tuple[Module | None, Module | None, int]:
        """``(previous, next, position from 1)`` of ``module`` among the current modules."""
        index = next(i for i, m in enumerate(self.modules) if m.id == module.id)
        previous = self.modules[index - 1] if index > 0 else None
        following = self.modules[index + 1] if index + 1 < len(self.modules) else None
        return previous, following, index + 1


def course_state(course: Course, enrolment: Enrolment | None) -> CourseState:
    """The :class:`CourseState` of ``enrolment`` (None: a visitor) in ``course``: three
    statements at most (the modules unless loaded, the modules done, the quizzes with
    the learner's submitted attempts)."""
    modules = list(course.modules)
    done_ids = services.done_module_ids(enrolment)
    from portal.progress.standing import Standings

    enrolment_ids = [enrolment.id] if enrolment is not None and enrolment.id else []
    standings = Standings([course.id], enrolment_ids, load_quizzes=True)
    return CourseState(
        course=course, enrolment=enrolment, modules=modules, done_ids=done_ids,
        pretest=standings.status(enrolment, services.PRETEST, course.id),
        posttest=standings.status(enrolment, services.POSTTEST, course.id),
    )


def enrolment_with_certificate(user, course: Course):
    """``(enrolment, certificate)`` of ``user`` in ``course`` in one statement; both None
    for a visitor or a user not enrolled, the certificate None until issued."""
    from portal.certificates.models import Certificate

    if user is None or not getattr(user, "is_authenticated", False):
        return None, None
    row = db.session.execute(
        sa.select(Enrolment, Certificate)
        .outerjoin(Certificate, Certificate.enrolment_id == Enrolment.id)
        .where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def enrolment_with_opening(user, course: Course, module: Module):
    """``(enrolment, first_opened_at)`` of ``user`` in ``course`` and its first opening of
    ``module`` (aware UTC, None when never opened), in one statement; ``(None, None)``
    when not enrolled."""
    from portal.progress.models import ModuleVisit

    row = db.session.execute(
        sa.select(Enrolment, ModuleVisit.first_opened_at)
        .outerjoin(ModuleVisit, sa.and_(ModuleVisit.enrolment_id == Enrolment.id,
                                        ModuleVisit.module_id == module.id))
        .where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    ).first()
    return (row[0], row[1]) if row else (None, None)
