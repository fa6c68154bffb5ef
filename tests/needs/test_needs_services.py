"""Needs surveys: invitations, the window, ratings saved once and edited, results."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from portal.auth.models import Opd
from portal.needs import services
from portal.needs.models import SurveyRating

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)   # 08.00 WIB
CODES = ["M.04", "M.05"]


@pytest.fixture
def units(db):
    return db.session.scalars(sa.select(Opd).order_by(Opd.id).limit(2)).all()


@pytest.fixture
def survey(db, units):
    return services.create_survey(title="AKP 2027", opens_at=T0,
                                  closes_at=T0 + timedelta(days=14), competency_codes=CODES,
                                  opd_ids=[units[0].id, units[1].id])


def test_window_and_competencies_are_required(db):
    with pytest.raises(services.SurveyError, match="window"):
        services.create_survey(title="x", opens_at=T0, closes_at=T0, competency_codes=CODES)
    with pytest.raises(services.SurveyError, match="competency"):
        services.create_survey(title="x", opens_at=T0, closes_at=T0 + timedelta(days=1),
                               competency_codes=[])


def test_invitation_by_unit_agency_and_jabatan(db, make_user, units, survey):
    inside = make_user(opd_id=units[0].id, jabatan="Analis Kebijakan")
    other = db.session.scalar(sa.select(Opd).where(Opd.id.notin_([u.id for u in units])))
    outside = make_user(opd_id=other.id)
    assert services.is_invited(survey, inside) and not services.is_invited(survey, outside)
    survey.jabatan = ["analis kebijakan"]
    assert services.is_invited(survey, inside)
    survey.jabatan = ["Perencana"]
    assert not services.is_invited(survey, inside)
    survey.opd_ids, survey.jabatan, survey.agency_ids = [], [], [other.agency_id]
    assert services.is_invited(survey, outside)


def test_ratings_are_saved_once_and_edited_while_open(db, make_user, units, survey):
    user = make_user(opd_id=units[0].id)
    services.save_self_ratings(survey, user, {"M.04": (5, 2), "M.05": (4, 4)}, T0)
    services.save_self_ratings(survey, user, {"M.04": (4, 3), "M.05": (4, 4)},
                               T0 + timedelta(days=1))
    boss = make_user(opd_id=units[0].id)
    services.save_supervisor_ratings(survey, boss, user, {"M.04": 2}, T0)
    services.save_supervisor_ratings(survey, boss, user, {"M.04": 1}, T0)
    rows = db.session.scalars(sa.select(SurveyRating).order_by(SurveyRating.id)).all()
    assert [(r.competency_code, r.rater_kind, r.importance, r.proficiency) for r in rows] == [
        ("M.04", "self", 4, 3), ("M.05", "self", 4, 4), ("M.04", "supervisor", None, 1)]
    assert services.own_ratings(survey, user) == {"M.04": (4, 3), "M.05": (4, 4)}


@pytest.mark.parametrize("when, ratings, code", [
    (T0 - timedelta(seconds=1), {"M.04": (5, 2), "M.05": (4, 4)}, "closed"),
    (T0 + timedelta(days=14), {"M.04": (5, 2), "M.05": (4, 4)}, "closed"),
    (T0, {"M.04": (5, 2)}, "competency"),
    (T0, {"M.04": (6, 2), "M.05": (4, 4)}, "rating"),
    (T0, {"M.04": (0, 2), "M.05": (4, 4)}, "rating"),
])
def test_refused_answers_save_nothing(db, make_user, units, survey, when, ratings, code):
    user = make_user(opd_id=units[0].id)
    with pytest.raises(services.SurveyError) as error:
        services.save_self_ratings(survey, user, ratings, when)
    assert error.value.code == code
    assert db.session.scalar(sa.select(sa.func.count(SurveyRating.id))) == 0


def test_results_hide_units_below_the_minimum(db, make_user, units, survey):
    for index in range(6):
        unit = units[0] if index < 5 else units[1]
        user = make_user(opd_id=unit.id)
        services.save_self_ratings(survey, user, {"M.04": (5, 2 + index % 2), "M.05": (3, 3)},
                                   T0)
    results = services.survey_results(survey, min_group_size=5)
    assert results.respondents == 6
    m04 = results.overall[0]
    assert (m04.competency, m04.n, m04.rank) == ("M.04", 6, 1)
    assert m04.mean_proficiency == pytest.approx(2.5)
    assert m04.mwds == pytest.approx((5 - 2.5) * 5)
    shown = {g.group: g for g in results.by_unit}
    assert not shown[units[0].name].hidden and shown[units[0].name].rows[0].n == 5
    assert shown[units[1].name].hidden and shown[units[1].name].rows == []
    few = services.survey_results(survey, min_group_size=7)
    assert few.overall == [] and all(g.hidden for g in few.by_unit)


def test_open_surveys_for_a_user(db, make_user, units, survey):
    user = make_user(opd_id=units[0].id)
    assert services.open_surveys_for(user, T0) == [survey]
    assert services.open_surveys_for(user, T0 + timedelta(days=15)) == []
