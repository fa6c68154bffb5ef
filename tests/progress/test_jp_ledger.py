"""The JP ledger: credited JP are frozen when earned, written once, counted in the WIB year,
and every page that shows a learner's JP reads them (never the course's current ``jp``)."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.certificates.models import Certificate
from portal.completion import complete_enrolment_if_done
from portal.courses.importer import import_all
from portal.courses.models import Course
from portal.ledger import services as ledger
from portal.ledger.models import CreditSource, JpCredit, LedgerError
from portal.progress import summaries
from portal.timeutil import UTC
from tests.conftest import ROOT
from tests.progress.progress_helpers import open_and_mark_done

FIXTURE_COURSES = ROOT / "tests" / "content" / "fixtures" / "courses"
JUNE = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)


def _pass(enrolment, course, quiz_of, finish_attempt, score=90.0):
    """Every module done and a passing post-test: ready to complete."""
    for module in course.modules:
        open_and_mark_done(enrolment, module)
    finish_attempt(enrolment, quiz_of(course, "posttest"), score)


def _credits(db):
    return list(db.session.scalars(sa.select(JpCredit).order_by(JpCredit.id)))


def _hr_jp_in_year(client, certificate) -> str:
    page = client.get(f"/hr/certificates/{certificate.code}").get_data(as_text=True)
    return re.search(r'<dd class="jp-in-year">(.*?)</dd>', page).group(1)


def test_editing_a_courses_jp_changes_no_credited_jp(app, db, client, login, make_user,
                                                     enrolled, finish_attempt, quiz_of,
                                                     tmp_path, freeze_now):
    """Reproduction: ``jp: 2`` becomes ``jp: 10`` in course.md and the course is imported
    again. The learner who completed before keeps 2 JP on the dashboard, the HR page and
    the certificate; one who completes afterwards is credited 10."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_COURSES, content)
    import_all(content)
    db.session.commit()
    course = db.session.scalar(sa.select(Course).where(Course.slug == "kursus-contoh"))
    before, after = make_user(locale="en"), make_user(locale="en")
    hr = make_user(role="hr", locale="en")

    freeze_now(JUNE)
    first = enrolled(before, course)
    _pass(first, course, quiz_of, finish_attempt)
    old = complete_enrolment_if_done(first, JUNE)
    db.session.commit()

    course_md = content / "kursus-contoh" / "course.md"
    course_md.write_text(course_md.read_text(encoding="utf-8").replace("jp: 2\n", "jp: 10\n"),
                         encoding="utf-8")
    import_all(content)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Course, course.id).jp == 10

    second = enrolled(after, course)
    _pass(second, course, quiz_of, finish_attempt)
    new = complete_enrolment_if_done(second, JUNE)
    db.session.commit()

    assert (old.certificate.snapshot["jp"], old.credit.jp) == (2, 2)
    assert (new.certificate.snapshot["jp"], new.credit.jp) == (10, 10)
    for user, jp in ((before, 2), (after, 10)):
        assert summaries.learner_dashboard(user, now=JUNE).jp_this_year == jp
        page = login(app.test_client(), user).get("/dashboard").get_data(as_text=True)
        assert f"{jp} of 20 JP completed this year" in page
        assert f'<span class="badge ok">{jp} JP</span>' in page
    hr_client = login(app.test_client(), hr)
    assert _hr_jp_in_year(hr_client, old.certificate) == "2 of 20 JP"
    assert _hr_jp_in_year(hr_client, new.certificate) == "10 of 20 JP"


def test_a_credit_freezes_what_the_completion_earned(app, db, learner, make_course, enrolled,
                                                   module_of, quiz_of, finish_attempt):
    app.config["MINUTES_PER_JP"] = {"e-learning": 45, "klasikal": 50, "blended": 45}
    course = make_course(modules=2, jp=3, mode="klasikal")
    enrolment = enrolled(learner, course)
    _pass(enrolment, course, quiz_of, finish_attempt, score=87.5)
    done = complete_enrolment_if_done(enrolment, JUNE)
    db.session.commit()

    credit = done.credit
    assert done.completed_now and enrolment.completed_at == JUNE
    assert (credit.user_id, credit.course_id, credit.enrolment_id, credit.certificate_id) == (
        learner.id, course.id, enrolment.id, done.certificate.id)
    assert (credit.jp, credit.minutes_per_jp, credit.minutes) == (3, 50, 150)
    assert (credit.result, credit.source, credit.course_version_id) == (
        87.5, CreditSource.COMPLETION, None)
    assert (credit.credited_on, credit.year) == (date(2026, 6, 10), 2026)
    assert credit.created_at == JUNE and credit.reverses_id is None


def test_a_completion_is_credited_exactly_once(db, learner, make_course, enrolled, module_of,
                                               quiz_of, finish_attempt):
    course = make_course(modules=1)
    enrolment = enrolled(learner, course)
    _pass(enrolment, course, quiz_of, finish_attempt)
    first = complete_enrolment_if_done(enrolment, JUNE)
    db.session.commit()
    again = complete_enrolment_if_done(enrolment, datetime(2026, 7, 1, tzinfo=UTC))
    db.session.commit()
    assert first.completed_now and not again.completed_now
    assert again.credit.id == first.credit.id and again.certificate.id == first.certificate.id
    assert len(_credits(db)) == 1
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1


def test_a_concurrent_second_completion_credit_loses_to_the_unique_index(
        db, learner, make_course, enrolled, module_of, quiz_of, finish_attempt, monkeypatch):
    """Two requests complete the same enrolment at once: both looked for a credit before
    either wrote one. The second insert hits the unique (enrolment, 'completion') index,
    is rolled back to its savepoint, and the first row is returned."""
    course = make_course(modules=1)
    enrolment = enrolled(learner, course)
    _pass(enrolment, course, quiz_of, finish_attempt)
    first = complete_enrolment_if_done(enrolment, JUNE)
    db.session.commit()

    looked = []
    real_lookup = ledger.completion_credit

    def stale_first_look(enrolment_id):
        looked.append(enrolment_id)
        return None if len(looked) == 1 else real_lookup(enrolment_id)

    monkeypatch.setattr(ledger, "completion_credit", stale_first_look)
    second = ledger.credit_completion(enrolment, jp=12, result=90.0, certificate_id=None,
                                      now=JUNE, minutes_per_jp_used=45)
    db.session.commit()
    assert len(looked) == 2
    assert second.id == first.credit.id
    assert [c.id for c in _credits(db)] == [first.credit.id]


def test_the_database_refuses_a_second_completion_row(db, learner, make_course, enrolled):
    enrolment = enrolled(learner, make_course())
    row = dict(user_id=learner.id, course_id=enrolment.course_id, enrolment_id=enrolment.id,
               jp=12, minutes_per_jp=45, minutes=540, credited_on=date(2026, 6, 10),
               year=2026, source=CreditSource.COMPLETION, created_at=JUNE)
    db.session.add(JpCredit(**row))
    db.session.commit()
    db.session.add(JpCredit(**row))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(JpCredit(**{**row, "source": CreditSource.IMPORT}))
    db.session.commit()  # another source for the same enrolment is allowed
    assert len(_credits(db)) == 2


def test_credits_are_never_changed_and_a_reversal_cancels_one(db, learner, make_course,
                                                               enrolled, module_of, quiz_of,
                                                               finish_attempt):
    course = make_course(modules=1, jp=12)
    enrolment = enrolled(learner, course)
    _pass(enrolment, course, quiz_of, finish_attempt)
    credit = complete_enrolment_if_done(enrolment, JUNE).credit
    db.session.commit()

    credit.jp = 99
    with pytest.raises(LedgerError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(credit)
    with pytest.raises(LedgerError):
        db.session.flush()
    db.session.rollback()

    reversal = ledger.write_reversal(credit, datetime(2027, 2, 1, 3, 0, tzinfo=UTC))
    db.session.commit()
    assert (reversal.jp, reversal.minutes, reversal.reverses_id) == (-12, -540, credit.id)
    assert (reversal.source, reversal.year) == (CreditSource.MANUAL, 2027)
    assert ledger.jp_in_year(learner.id, 2026) == 12     # the year earned keeps its history
    assert ledger.jp_in_year(learner.id, 2027) == -12
    with pytest.raises(ValueError):
        ledger.write_reversal(credit, datetime(2027, 2, 2, tzinfo=UTC))


def test_a_completion_at_half_past_midnight_wib_on_new_year_counts_in_the_new_year(
        app, client, login, db, learner, make_course, enrolled, module_of, quiz_of,
        finish_attempt, freeze_now):
    """31 December 17:30 UTC is 1 January 00:30 WIB: the last module marked done then
    completes the course, and its JP count in the new year, on the dashboard too."""
    course = make_course(modules=2, pretest=False, jp=6)
    enrolment = enrolled(learner, course)
    freeze_now(datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
    open_and_mark_done(enrolment, module_of(course, 1))
    finish_attempt(enrolment, quiz_of(course, "posttest"), 80.0)
    login(client, learner)
    client.get(f"/courses/{course.slug}/modules/modul-2")        # opened (visit recorded)
    freeze_now(datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    response = client.post(f"/courses/{course.slug}/modules/modul-2/done")
    assert response.status_code in (302, 303)

    credit = ledger.completion_credit(enrolment.id)
    assert credit is not None
    assert (credit.credited_on, credit.year, credit.jp) == (date(2027, 1, 1), 2027, 6)
    assert ledger.jp_in_year(learner.id, 2026) == 0
    assert ledger.jp_in_year(learner.id, 2027) == 6
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Learning hours in 2027" in page and "6 of 20 JP completed this year" in page


def test_dashboard_and_hr_totals_equal_the_ledger(app, db, learner, make_user, make_course,
                                                  enrolled, module_of, quiz_of,
                                                  finish_attempt, login):
    """Three completions in two WIB years: the dashboard's and the HR page's yearly totals
    are the sums of the learner's ledger rows of that year."""
    moments = {"a": datetime(2026, 3, 1, 3, 0, tzinfo=UTC),
               "b": datetime(2026, 12, 31, 16, 59, tzinfo=UTC),   # 23.59 WIB: still 2026
               "c": datetime(2026, 12, 31, 17, 0, tzinfo=UTC)}    # 00.00 WIB: 2027
    certificates = {}
    for slug, jp in (("a", 4), ("b", 7), ("c", 9)):
        course = make_course(slug=slug, code=f"K-{slug}", jp=jp, modules=1)
        enrolment = enrolled(learner, course)
        _pass(enrolment, course, quiz_of, finish_attempt)
        certificates[slug] = complete_enrolment_if_done(enrolment, moments[slug]).certificate
        db.session.commit()
    hr = login(app.test_client(), make_user(role="hr", locale="en"))
    for year, slug in ((2026, "a"), (2026, "b"), (2027, "c")):
        total = db.session.scalar(sa.select(sa.func.sum(JpCredit.jp)).where(
            JpCredit.user_id == learner.id, JpCredit.year == year))
        now = datetime(year, 6, 1, tzinfo=UTC)
        assert summaries.learner_dashboard(learner, now=now).jp_this_year == total
        assert _hr_jp_in_year(hr, certificates[slug]) == f"{total} of 20 JP"
    assert (ledger.jp_in_year(learner.id, 2026), ledger.jp_in_year(learner.id, 2027)) == (11, 9)
