"""Needs-survey services: open a survey, who is invited, save ratings, compute results.
Plain functions that take ``now`` (aware UTC), flush and never commit."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal.auth.models import User
from portal.extensions import db
from portal.needs.borich import GroupFigures, NeedFigures, Rating, figures_by_group, needs_figures
from portal.markdown import render_markdown
from portal.needs.models import SELF, SUPERVISOR, NeedsDiscussion, NeedsSurvey, SurveyRating


class SurveyError(ValueError):
    """A survey or an answer is refused; ``code`` says why (``window``, ``closed``,
    ``not_invited``, ``rating``, ``competency``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def create_survey(*, title: str, opens_at: datetime, closes_at: datetime,
                  competency_codes: Sequence[str], agency_ids: Sequence[int] = (),
                  opd_ids: Sequence[int] = (), jabatan: Sequence[str] = (),
                  description: str = "", created_by: User | None = None) -> NeedsSurvey:
    """Open a needs survey (times aware UTC; enter them in WIB and convert first).

    Raises:
        SurveyError: ``window`` when ``closes_at`` is not after ``opens_at``;
            ``competency`` when no competency is listed.
    """
    if closes_at <= opens_at:
        raise SurveyError("window")
    if not competency_codes:
        raise SurveyError("competency")
    survey = NeedsSurvey(
        public_id=secrets.token_hex(16), title=title.strip(), description=description.strip(),
        opens_at=opens_at, closes_at=closes_at, competency_codes=list(competency_codes),
        agency_ids=list(agency_ids), opd_ids=list(opd_ids),
        jabatan=[j.strip() for j in jabatan if j.strip()],
        created_by_id=created_by.id if created_by else None)
    db.session.add(survey)
    db.session.flush()
    return survey


def is_invited(survey: NeedsSurvey, user: User) -> bool:
    """True when ``user`` is among the ASN the survey asks: unit in ``opd_ids`` or agency
    in ``agency_ids`` (either list empty: no restriction by it), and jabatan in
    ``jabatan`` (compared without case; empty: any)."""
    opd = user.opd
    places = bool(survey.opd_ids or survey.agency_ids)
    if places and not (opd is not None and (opd.id in survey.opd_ids
                                            or opd.agency_id in survey.agency_ids)):
        return False
    if survey.jabatan:
        wanted = {j.casefold() for j in survey.jabatan}
        return (user.jabatan or "").strip().casefold() in wanted
    return True


def _check_rating(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise SurveyError("rating")
    return value


def _upsert(survey, respondent, code, kind, rater, importance, proficiency, now) -> None:
    row = db.session.scalar(sa.select(SurveyRating).where(
        SurveyRating.survey_id == survey.id, SurveyRating.respondent_id == respondent.id,
        SurveyRating.competency_code == code, SurveyRating.rater_kind == kind))
    if row is None:
        db.session.add(SurveyRating(
            survey_id=survey.id, respondent_id=respondent.id, competency_code=code,
            rater_kind=kind, rater_user_id=rater.id, importance=importance,
            proficiency=proficiency, updated_at=now))
        return
    row.rater_user_id = rater.id
    row.importance = importance
    row.proficiency = proficiency
    row.updated_at = now


def save_self_ratings(survey: NeedsSurvey, user: User,
                      ratings: Mapping[str, tuple[int, int]], now: datetime) -> None:
    """Save (or replace) ``user``'s own ratings: ``{code: (importance, proficiency)}``,
    each 1..5, for every competency of the survey.

    Raises:
        SurveyError: ``closed`` outside the window, ``not_invited``, ``competency`` when a
            code of the survey is missing or a foreign one is given, ``rating`` when a
            value is not 1..5. Nothing is saved then.
    """
    if not survey.is_open(now):
        raise SurveyError("closed")
    if not is_invited(survey, user):
        raise SurveyError("not_invited")
    if set(ratings) != set(survey.competency_codes):
        raise SurveyError("competency")
    checked = {code: (_check_rating(i), _check_rating(c)) for code, (i, c) in ratings.items()}
    for code, (importance, proficiency) in checked.items():
        _upsert(survey, user, code, SELF, user, importance, proficiency, now)
    db.session.flush()


def save_supervisor_ratings(survey: NeedsSurvey, supervisor: User, respondent: User,
                            ratings: Mapping[str, int], now: datetime) -> None:
    """Save the atasan's proficiency ratings (1..5) of ``respondent``: ``{code: value}``
    for some or all competencies of the survey. Who may rate whom is the caller's check
    (the supervisor relation of the accounts).

    Raises:
        SurveyError: ``closed``, ``not_invited`` (the respondent), ``competency`` (a code
            outside the survey), ``rating``.
    """
    if not survey.is_open(now):
        raise SurveyError("closed")
    if not is_invited(survey, respondent):
        raise SurveyError("not_invited")
    if not set(ratings) <= set(survey.competency_codes):
        raise SurveyError("competency")
    checked = {code: _check_rating(v) for code, v in ratings.items()}
    for code, value in checked.items():
        _upsert(survey, respondent, code, SUPERVISOR, supervisor, None, value, now)
    db.session.flush()


def own_ratings(survey: NeedsSurvey, user: User) -> dict[str, tuple[int, int]]:
    """``{code: (importance, proficiency)}`` the user gave so far (for editing)."""
    return {r.competency_code: (r.importance, r.proficiency) for r in db.session.scalars(
        sa.select(SurveyRating).where(SurveyRating.survey_id == survey.id,
                                      SurveyRating.respondent_id == user.id,
                                      SurveyRating.rater_kind == SELF))}


@dataclass(frozen=True)
class SurveyResults:
    """All figures of a survey: ``overall`` over every respondent, ``by_unit`` per unit
    (OPD name) with small groups hidden, ``respondents`` the number who answered."""

    respondents: int
    overall: list[NeedFigures]
    by_unit: list[GroupFigures]
    min_group_size: int


def _ratings(survey: NeedsSurvey) -> list[tuple[int, Rating]]:
    rows = db.session.scalars(sa.select(SurveyRating).where(
        SurveyRating.survey_id == survey.id)).all()
    supervisor = {(r.respondent_id, r.competency_code): r.proficiency
                  for r in rows if r.rater_kind == SUPERVISOR}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(
        User.id.in_({r.respondent_id for r in rows})))} if rows else {}
    out = []
    for r in rows:
        if r.rater_kind != SELF:
            continue
        user = users[r.respondent_id]
        unit = user.opd.name if user.opd else ""
        out.append((r.respondent_id, Rating(r.competency_code, r.importance, r.proficiency,
                                            supervisor.get((r.respondent_id, r.competency_code)),
                                            group=unit)))
    return out


def survey_results(survey: NeedsSurvey, min_group_size: int) -> SurveyResults:
    """Borich figures of the survey (:mod:`portal.needs.borich`). The overall figures are
    shown only when at least ``min_group_size`` ASN answered (``NEEDS_MIN_GROUP_SIZE``):
    below it ``overall`` is empty, as are the rows of every smaller unit."""
    ratings = _ratings(survey)
    respondents = len({key for key, _ in ratings})
    overall = (needs_figures((r for _, r in ratings), survey.competency_codes)
               if respondents >= min_group_size else [])
    by_unit = figures_by_group(ratings, lambda r: r.group, min_group_size,
                               survey.competency_codes)
    return SurveyResults(respondents, overall, by_unit, min_group_size)


def open_surveys_for(user: User, now: datetime) -> list[NeedsSurvey]:
    """The surveys open at ``now`` that invite ``user``, closing soonest first."""
    surveys = db.session.scalars(sa.select(NeedsSurvey).where(
        NeedsSurvey.opens_at <= now, NeedsSurvey.closes_at > now)
        .order_by(NeedsSurvey.closes_at)).all()
    return [s for s in surveys if is_invited(s, user)]


def close_survey(survey: NeedsSurvey, now: datetime) -> bool:
    """Close the survey early at ``now`` (aware UTC): no answer is accepted afterwards.

    Returns:
        False when it was already closed (nothing changed), else True.
    """
    if survey.closes_at <= now:
        return False
    survey.closes_at = now
    if survey.opens_at > now:
        survey.opens_at = now
    db.session.flush()
    return True


def add_discussion(survey: NeedsSurvey, *, kind: str, held_on, place: str, facilitator: str,
                   participant_count: int, participant_groups: str, notes: str,
                   competency_codes: Sequence[str]) -> NeedsDiscussion:
    """Record an interview (``kind="interview"``) or FGD (``"fgd"``) of ``survey``: the date
    in WIB, participants as a count and groups (never names), ``notes`` in Markdown (stored
    with their sanitized HTML, :func:`portal.markdown.render_markdown`).

    Raises:
        SurveyError: ``competency`` when a code is not one of the survey's;
            ``discussion`` for another kind or a participant count below 1.
    """
    if kind not in ("interview", "fgd") or participant_count < 1:
        raise SurveyError("discussion")
    if not set(competency_codes) <= set(survey.competency_codes):
        raise SurveyError("competency")
    row = NeedsDiscussion(survey_id=survey.id, kind=kind, held_on=held_on, place=place.strip(),
                          facilitator=facilitator.strip(), participant_count=participant_count,
                          participant_groups=participant_groups.strip(), notes=notes,
                          notes_html=render_markdown(notes), competency_codes=list(competency_codes))
    db.session.add(row)
    db.session.flush()
    return row
