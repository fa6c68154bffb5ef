"""Needs-analysis pages: admin surveys (WIB input), answers, supervisor ratings, results
(anonymity, hidden small groups, chart, XLSX), interviews/FGD, the needs report, catalogue."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from portal.auth.models import Opd
from portal.competencies.models import Competency
from portal.competencies.services import link_course
from portal.needs import services
from portal.needs.models import NeedsDiscussion, NeedsSurvey, SurveyRating
from tests.factories import create_course

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)   # 08.00 WIB
CODES = ["M.04", "M.05"]
pytestmark = pytest.mark.time_machine(T0 + timedelta(hours=1), tick=False)


@pytest.fixture
def units(db):
    return db.session.scalars(sa.select(Opd).order_by(Opd.id).limit(2)).all()


@pytest.fixture
def survey(db, units):
    s = services.create_survey(title="AKP 2027", opens_at=T0, closes_at=T0 + timedelta(days=14),
                               competency_codes=CODES, opd_ids=[units[0].id, units[1].id])
    db.session.commit()
    return s


def english(client):
    with client.session_transaction() as sess:
        sess["locale"] = "en"
    return client


def answer(survey, user, values):
    services.save_self_ratings(survey, user, values, T0 + timedelta(hours=1))


# --- admin -----------------------------------------------------------------------------------

def test_admin_opens_a_survey_with_times_typed_in_wib(db, client, make_user, login, units):
    login(client, make_user(role="admin"))
    assert "M.05" in client.get("/admin/needs/new").get_data(as_text=True)
    response = client.post("/admin/needs/new", data={
        "title": "Analisis Kebutuhan 2027", "opens_at": "2027-01-04T08:00",
        "closes_at": "2027-01-18 16:00", "units": [str(units[0].id)],
        "jabatan": "Analis Kebijakan\n\n Perencana ", "competencies": ["M.04", "M.05"]})
    assert response.status_code == 302
    survey = db.session.scalar(sa.select(NeedsSurvey))
    assert survey.opens_at == datetime(2027, 1, 4, 1, 0, tzinfo=timezone.utc)
    assert survey.closes_at == datetime(2027, 1, 18, 9, 0, tzinfo=timezone.utc)
    assert survey.opd_ids == [units[0].id] and survey.jabatan == ["Analis Kebijakan", "Perencana"]
    page = client.get("/admin/needs").get_data(as_text=True)
    assert "Analisis Kebutuhan 2027" in page and "4 Januari 2027 pukul 08.00 WIB" in page


def test_survey_form_refuses_a_bad_window_and_keeps_what_was_typed(db, client, make_user, login):
    english(login(client, make_user(role="admin")))
    response = client.post("/admin/needs/new", data={
        "title": "Survei Uji", "opens_at": "2027-01-04T08:00", "closes_at": "2027-01-04T08:00",
        "competencies": ["M.04"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The survey must close after it opens." in page and 'value="Survei Uji"' in page
    assert db.session.scalar(sa.select(sa.func.count(NeedsSurvey.id))) == 0


def test_admin_closes_a_survey_early(db, client, make_user, login, survey):
    login(client, make_user(role="admin"))
    assert client.post(f"/admin/needs/{survey.public_id}/close").status_code == 302
    assert survey.closes_at == T0 + timedelta(hours=1)
    assert not survey.is_open(T0 + timedelta(hours=1))


# --- learners --------------------------------------------------------------------------------

def test_invited_asn_answers_edits_and_sees_a_confirmation(db, client, make_user, login, units,
                                                           survey):
    user = make_user(opd_id=units[0].id)
    english(login(client, user))
    listing = client.get("/needs").get_data(as_text=True)
    assert "AKP 2027" in listing and "Not answered yet" in listing
    page = client.get(f"/needs/{survey.public_id}").get_data(as_text=True)
    assert page.count('type="radio"') == 20 and 'name="csrf_token"' in page
    response = client.post(f"/needs/{survey.public_id}",
                           data={"i0": "5", "c0": "2", "i1": "4", "c1": "4"},
                           follow_redirects=True)
    assert "your answers are saved" in response.get_data(as_text=True)
    client.post(f"/needs/{survey.public_id}", data={"i0": "4", "c0": "3", "i1": "4", "c1": "4"})
    assert services.own_ratings(survey, user) == {"M.04": (4, 3), "M.05": (4, 4)}
    page = client.get(f"/needs/{survey.public_id}").get_data(as_text=True)
    assert '<input checked id="c0-2" name="c0"' in page
    assert "Answered; you can still change it" in client.get("/needs").get_data(as_text=True)


def test_a_missing_rating_saves_nothing_and_keeps_the_others(db, client, make_user, login, units,
                                                             survey):
    english(login(client, make_user(opd_id=units[0].id)))
    response = client.post(f"/needs/{survey.public_id}", data={"i0": "5", "c0": "2", "i1": "4"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose a value from 1 to 5." in page
    assert '<input checked id="i0-4"' in page
    assert db.session.scalar(sa.select(sa.func.count(SurveyRating.id))) == 0


def test_uninvited_and_closed(db, client, make_user, login, units, survey):
    other = db.session.scalar(sa.select(Opd).where(Opd.id.notin_([u.id for u in units])))
    login(client, make_user(opd_id=other.id))
    assert client.get(f"/needs/{survey.public_id}").status_code == 404
    assert client.post(f"/needs/{survey.public_id}",
                       data={"i0": "5", "c0": "2", "i1": "4", "c1": "4"}).status_code == 404
    survey.closes_at = T0 + timedelta(minutes=30)
    db.session.commit()
    insider = make_user(opd_id=units[0].id)
    login(client, insider)
    assert client.post(f"/needs/{survey.public_id}",
                       data={"i0": "5", "c0": "2", "i1": "4", "c1": "4"}).status_code == 410
    assert db.session.scalar(sa.select(sa.func.count(SurveyRating.id))) == 0


@pytest.fixture
def csrf_app(app_config):
    from portal import create_app
    from portal.extensions import db

    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def test_stale_form_keeps_what_was_typed(csrf_app, login, units):
    from portal.extensions import db
    from tests.factories import create_user

    s = services.create_survey(title="AKP", opens_at=T0, closes_at=T0 + timedelta(days=3),
                               competency_codes=CODES, opd_ids=[units[0].id])
    user = create_user(db, opd_id=units[0].id)
    client = csrf_app.test_client()
    login(client, user)
    response = client.post(f"/needs/{s.public_id}", data={
        "csrf_token": "stale", "i0": "5", "c0": "2", "i1": "4", "c1": "1"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<input checked id="c1-0"' in page and '<input checked id="i0-4"' in page
    assert db.session.scalar(sa.select(sa.func.count(SurveyRating.id))) == 0
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    ok = client.post(f"/needs/{s.public_id}", data={
        "csrf_token": token, "i0": "5", "c0": "2", "i1": "4", "c1": "1"})
    assert ok.status_code == 302


# --- supervisors -----------------------------------------------------------------------------

def test_only_the_direct_supervisor_rates_an_asn(db, client, make_user, login, units, survey):
    boss = make_user(opd_id=units[0].id, full_name="Budi Atasan")
    member = make_user(opd_id=units[0].id, full_name="Ani Staf", supervisor_id=boss.id)
    stranger = make_user(opd_id=units[0].id)
    admin = make_user(role="admin")
    english(login(client, boss))
    assert "Rate your team" in client.get("/needs").get_data(as_text=True)
    assert "Ani Staf" in client.get(f"/needs/{survey.public_id}/team").get_data(as_text=True)
    page = client.get(f"/needs/{survey.public_id}/team/{member.id}").get_data(as_text=True)
    assert 'name="i0"' not in page and 'name="c0"' in page
    assert client.post(f"/needs/{survey.public_id}/team/{member.id}",
                       data={"c0": "2"}).status_code == 302
    rows = db.session.scalars(sa.select(SurveyRating)).all()
    assert [(r.respondent_id, r.rater_user_id, r.rater_kind, r.proficiency) for r in rows] == [
        (member.id, boss.id, "supervisor", 2)]
    for intruder in (stranger, admin, member):
        login(client, intruder)
        assert client.get(f"/needs/{survey.public_id}/team").status_code == 404
        assert client.post(f"/needs/{survey.public_id}/team/{member.id}",
                           data={"c0": "5"}).status_code == 404
    login(client, boss)
    assert client.get(f"/needs/{survey.public_id}/team/{stranger.id}").status_code == 404
    assert client.get(f"/needs/{survey.public_id}/team/abc").status_code == 404
    assert db.session.scalar(sa.select(SurveyRating.proficiency)) == 2


# --- results ---------------------------------------------------------------------------------

@pytest.fixture
def answered(db, make_user, units, survey):
    """Six ASN of unit 0 (with supervisor ratings for two) and two of unit 1."""
    boss = make_user(opd_id=units[0].id, full_name="Kepala Bidang")
    people = []
    for n, (i4, c4, i5, c5) in enumerate([(5, 2, 4, 4), (4, 3, 5, 3), (5, 3, 4, 2), (3, 3, 4, 4),
                                          (4, 2, 5, 4), (5, 4, 3, 3)]):
        u = make_user(opd_id=units[0].id, full_name=f"Responden Rahasia {n}",
                      supervisor_id=boss.id)
        answer(survey, u, {"M.04": (i4, c4), "M.05": (i5, c5)})
        people.append(u)
    services.save_supervisor_ratings(survey, boss, people[0], {"M.04": 1}, T0)
    services.save_supervisor_ratings(survey, boss, people[1], {"M.04": 2}, T0)
    for n in range(2):
        answer(survey, make_user(opd_id=units[1].id, full_name=f"Kecil Rahasia {n}",
                                 jabatan="Perencana"), {"M.04": (5, 1), "M.05": (5, 1)})
    db.session.commit()
    return people


def test_results_show_figures_hide_small_groups_and_never_who_answered(
        db, client, make_user, login, units, survey, answered):
    english(login(client, make_user(role="hr")))
    page = client.get(f"/needs/{survey.public_id}/results").get_data(as_text=True)
    assert "Rahasia" not in page and "NIP" not in page
    assert "8 respondents" in page and "6 respondents" in page
    assert f"{units[1].name} ({units[1].agency.name})" in page
    assert "hidden (fewer than 5 respondents)" in page
    # overall M.04: I = 5,4,5,3,4,5,5,5 (mean 4.5); C = 2,3,3,3,2,4,1,1 (mean 2.375);
    # d mean = 17/8 = 2.125; MWDS = 2.125 × 4.5 = 9.5625. M.05: 13/8 × 35/8 = 7.109375.
    assert "9.56" in page and "4.50" in page and "7.11" in page
    # supervisor: C - S = (2-1 + 3-2)/2 = 1.00 over N=2
    assert "(N=2)" in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and "<script" not in svg
    assert svg.count("<rect") == 2


def test_too_few_respondents_show_no_figure(db, client, make_user, login, units, survey):
    for n in range(4):
        answer(survey, make_user(opd_id=units[0].id), {"M.04": (5, 1), "M.05": (5, 1)})
    db.session.commit()
    english(login(client, make_user(role="admin")))
    page = client.get(f"/needs/{survey.public_id}/results").get_data(as_text=True)
    assert "Too few respondents so far" in page and "<svg" not in page and "16.00" not in page
    report = client.get(f"/needs/{survey.public_id}/report").get_data(as_text=True)
    assert "Too few respondents so far" in report and "16.00" not in report


def test_xlsx_has_the_same_figures(db, client, make_user, login, units, survey, answered):
    from portal.needs.results import grouped_results

    english(login(client, make_user(role="hr")))
    response = client.get(f"/needs/{survey.public_id}/results.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    expected = grouped_results(survey, 5)
    sheet = book.worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[1] in CODES]
    assert [(r[1], r[2], r[3], r[7]) for r in rows] == [
        (f.competency, f.rank, f.n, f.mwds) for f in expected.overall]
    assert rows[0][7] == pytest.approx(9.5625) and rows[1][7] == pytest.approx(7.109375)
    text = " ".join(str(c) for s in book.worksheets for r in s.iter_rows(values_only=True)
                    for c in r if c is not None)
    assert "Rahasia" not in text
    assert f"{units[1].name} ({units[1].agency.name})" in text and "Hidden: fewer than 5" in text


# --- interviews, FGD and the report --------------------------------------------------------

def test_admin_records_an_fgd_with_sanitized_markdown(db, client, make_user, login, survey,
                                                     answered):
    login(client, make_user(role="admin"))
    response = client.post(f"/admin/needs/{survey.public_id}/discussions/new", data={
        "kind": "fgd", "held_on": "2026-12-03", "place": "Aula BPSDM", "facilitator": "Tim AKP",
        "participant_count": "8", "participant_groups": "Analis, Kasubag",
        "notes": "**Pelayanan** lambat <script>alert(1)</script>", "competencies": ["M.05"]})
    assert response.status_code == 302
    row = db.session.scalar(sa.select(NeedsDiscussion))
    assert row.held_on == date(2026, 12, 3) and row.competency_codes == ["M.05"]
    page = client.get(f"/needs/{survey.public_id}/results").get_data(as_text=True)
    assert "<strong>Pelayanan</strong>" in page and "<script>alert" not in page
    assert "Aula BPSDM" in page
    bad = client.post(f"/admin/needs/{survey.public_id}/discussions/new", data={
        "kind": "fgd", "held_on": "2026-12-03", "place": "x", "facilitator": "y",
        "participant_count": "0"})
    assert bad.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(NeedsDiscussion.id))) == 1


def test_report_ranks_needs_links_courses_and_flags_the_uncovered(
        db, client, make_user, login, survey, answered):
    course = create_course(db, title="Berpikir Kritis untuk Analis", competencies=["M.04"])
    link_course(course.id, ["M.04"], 3)
    services.add_discussion(survey, kind="interview", held_on=date(2026, 12, 2),
                            place="Dinas Kesehatan", facilitator="Tim", participant_count=2,
                            participant_groups="", notes="", competency_codes=["M.05"])
    db.session.commit()
    english(login(client, make_user(role="admin")))
    page = client.get(f"/needs/{survey.public_id}/report").get_data(as_text=True)
    m04 = page.index("M.04")
    m05 = page.index("M.05")
    assert m04 < m05  # ranked by MWDS, highest first
    assert "Berpikir Kritis untuk Analis" in page[m04:m05]
    assert "No course addresses this need yet." in page[m05:]
    assert "Mentioned in:" in page[m05:] and "Dinas Kesehatan" in page[m05:]
    assert "Rahasia" not in page


# --- catalogue -------------------------------------------------------------------------------

def test_catalogue_and_technical_competency_form(db, client, make_user, login):
    agency_id = db.session.scalar(sa.select(Opd.agency_id).limit(1))
    english(login(client, make_user(role="hr")))
    page = client.get("/competencies").get_data(as_text=True)
    assert "M.01 Integritas" in page and "Add a technical competency" not in page
    login(client, make_user(role="admin"))
    data = {"code": "T.DINKES.01", "name": "Surveilans Epidemiologi", "agency": str(agency_id),
            "level1": "Mengenal dasar surveilans"}
    assert client.post("/admin/competencies/new", data=data).status_code == 302
    again = client.post("/admin/competencies/new", data=data).get_data(as_text=True)
    assert "This code is already used." in again
    competency = db.session.scalar(sa.select(Competency).where(Competency.code == "T.DINKES.01"))
    assert competency.kind == "teknis" and competency.levels[0].description.startswith("Mengenal")
    assert "T.DINKES.01 Surveilans Epidemiologi" in client.get("/competencies").get_data(as_text=True)


def test_demo_setup_ships_a_survey_with_30_answers_and_a_report(app, db, client, make_user,
                                                                  login):
    from portal.needs.demo import TITLE
    from portal.needs.results import grouped_results

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "setup"]).exit_code == 0
    again = runner.invoke(args=["demo", "setup"])
    assert again.exit_code == 0 and "exists" in again.output
    survey = db.session.scalar(sa.select(NeedsSurvey).where(NeedsSurvey.title == TITLE))
    figures = grouped_results(survey, 5)
    assert figures.respondents == 30
    assert [len([g for g in figures.groups["unit"] if not g.hidden])] == [2]
    assert all(row.n == 30 and row.n_supervisor == 20 for row in figures.overall)
    login(client, make_user(role="admin"))
    assert client.get(f"/needs/{survey.public_id}/report").status_code == 200
