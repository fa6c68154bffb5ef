"""Survey figures per group (agency, unit, jabatan), the needs report, and the people a
supervisor rates. Plain functions that read; nothing here names who answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal.auth.models import User
from portal.competencies.models import Competency
from portal.competencies.services import by_codes, courses_by_code
from portal.extensions import db
from portal.needs.borich import GroupFigures, NeedFigures, Rating, figures_by_group, needs_figures
from portal.needs.models import SELF, SUPERVISOR, NeedsDiscussion, NeedsSurvey, SurveyRating
from portal.needs.services import is_invited

#: The groupings shown on the results page and in the export, in that order.
DIMENSIONS = ("agency", "unit", "jabatan")


@dataclass(frozen=True)
class GroupedResults:
    """All figures of a survey.

    ``respondents``: how many ASN gave their own ratings. ``overall``: Borich figures over
    all of them (empty when ``respondents < min_group_size``). ``groups``: for each name of
    :data:`DIMENSIONS`, one :class:`GroupFigures` per group, groups below
    ``min_group_size`` respondents hidden (``NEEDS_MIN_GROUP_SIZE``)."""

    respondents: int
    overall: list[NeedFigures]
    groups: dict[str, list[GroupFigures]]
    min_group_size: int

    @property
    def hidden_overall(self) -> bool:
        """True when too few answered for any figure to be shown."""
        return self.respondents < self.min_group_size


def _unit_label(user: User) -> str:
    if user.opd is None:
        return "—"
    return f"{user.opd.name} ({user.opd.agency.name})"


_GROUP_OF: dict[str, Callable[[User], str]] = {
    "agency": lambda u: u.opd.agency.name if u.opd else "—",
    "unit": _unit_label,
    "jabatan": lambda u: (u.jabatan or "").strip() or "—",
}


def _rated(survey: NeedsSurvey) -> list[tuple[int, User, Rating]]:
    rows = db.session.scalars(sa.select(SurveyRating).where(
        SurveyRating.survey_id == survey.id)).all()
    if not rows:
        return []
    supervisor = {(r.respondent_id, r.competency_code): r.proficiency
                  for r in rows if r.rater_kind == SUPERVISOR}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(
        User.id.in_({r.respondent_id for r in rows})))}
    return [(r.respondent_id, users[r.respondent_id],
             Rating(r.competency_code, r.importance, r.proficiency,
                    supervisor.get((r.respondent_id, r.competency_code))))
            for r in rows if r.rater_kind == SELF]


def grouped_results(survey: NeedsSurvey, min_group_size: int) -> GroupedResults:
    """Borich figures (:mod:`portal.needs.borich`) of ``survey`` overall and per agency,
    unit and jabatan of the respondents (their account's current unit and jabatan). A
    supervisor's rating counts only beside the respondent's own rating."""
    rated = _rated(survey)
    respondents = len({key for key, _, _ in rated})
    codes = survey.competency_codes
    overall = (needs_figures((r for _, _, r in rated), codes)
               if respondents >= min_group_size else [])
    groups = {}
    for dimension in DIMENSIONS:
        group_of = _GROUP_OF[dimension]
        keyed = [(key, Rating(r.competency, r.importance, r.proficiency,
                              r.supervisor_proficiency, group=group_of(user)))
                 for key, user, r in rated]
        groups[dimension] = figures_by_group(keyed, lambda r: r.group, min_group_size, codes)
    return GroupedResults(respondents, overall, groups, min_group_size)


def respondent_count(survey: NeedsSurvey) -> int:
    """How many ASN gave their own ratings (a count only)."""
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(SurveyRating.respondent_id)))
                             .where(SurveyRating.survey_id == survey.id,
                                    SurveyRating.rater_kind == SELF)) or 0


def discussions_of(survey: NeedsSurvey) -> list[NeedsDiscussion]:
    """The interviews and FGDs of the survey, latest first."""
    return list(db.session.scalars(sa.select(NeedsDiscussion).where(
        NeedsDiscussion.survey_id == survey.id).order_by(NeedsDiscussion.held_on.desc(),
                                                          NeedsDiscussion.id.desc())))


@dataclass(frozen=True)
class NeedLine:
    """One competency in the needs report: its figures, the catalogue entry (None when the
    code is not in the catalogue), the published courses that address it
    (``[(Course, target_level)]``) and the interviews/FGDs that point to it. ``uncovered``
    is True for a need (MWDS > 0) that no course addresses."""

    figures: NeedFigures
    competency: Competency | None
    courses: list
    discussions: list[NeedsDiscussion]

    @property
    def uncovered(self) -> bool:
        return bool(self.figures.mwds and self.figures.mwds > 0 and not self.courses)


def needs_report(survey: NeedsSurvey, min_group_size: int) -> tuple[GroupedResults,
                                                                    list[NeedLine]]:
    """The needs report: competencies ranked by MWDS (as :func:`grouped_results`' overall
    figures; empty when too few answered), each with its courses (by competency code,
    ``CourseCompetency``) and the discussions that mention it."""
    results = grouped_results(survey, min_group_size)
    codes = [row.competency for row in results.overall]
    catalogue = by_codes(codes)
    courses = courses_by_code(codes)
    discussions = discussions_of(survey)
    lines = [NeedLine(row, catalogue.get(row.competency), courses.get(row.competency, []),
                      [d for d in discussions if row.competency in (d.competency_codes or [])])
             for row in results.overall]
    return results, lines


def team_to_rate(survey: NeedsSurvey, supervisor: User) -> list[User]:
    """The invited ASN whose direct supervisor (``User.supervisor_id``) is ``supervisor``,
    active accounts only, by name."""
    team = db.session.scalars(sa.select(User).where(
        User.supervisor_id == supervisor.id, User.is_active_account.is_(True))
        .order_by(User.full_name, User.id)).all()
    return [u for u in team if is_invited(survey, u)]


def surveys_to_rate(supervisor: User, now: datetime) -> list[tuple[NeedsSurvey, list[User]]]:
    """Open surveys in which ``supervisor`` has someone to rate, with those people."""
    surveys = db.session.scalars(sa.select(NeedsSurvey).where(
        NeedsSurvey.opens_at <= now, NeedsSurvey.closes_at > now)
        .order_by(NeedsSurvey.closes_at)).all()
    out = []
    for survey in surveys:
        team = team_to_rate(survey, supervisor)
        if team:
            out.append((survey, team))
    return out


def supervisor_rated(survey: NeedsSurvey, respondent_ids: list[int]) -> set[int]:
    """The ids among ``respondent_ids`` whom a supervisor has rated in ``survey`` (one
    statement, whatever the number of respondents)."""
    if not respondent_ids:
        return set()
    return set(db.session.scalars(
        sa.select(SurveyRating.respondent_id).distinct().where(
            SurveyRating.survey_id == survey.id,
            SurveyRating.respondent_id.in_(respondent_ids),
            SurveyRating.rater_kind == SUPERVISOR)))


def supervisor_ratings(survey: NeedsSurvey, respondent: User) -> dict[str, int]:
    """``{code: proficiency}`` the supervisor gave ``respondent`` so far."""
    return {r.competency_code: r.proficiency for r in db.session.scalars(
        sa.select(SurveyRating).where(SurveyRating.survey_id == survey.id,
                                      SurveyRating.respondent_id == respondent.id,
                                      SurveyRating.rater_kind == SUPERVISOR))}
