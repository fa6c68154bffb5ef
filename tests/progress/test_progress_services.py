"""Enrolment, module completion, resume point and the course completion rules."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from portal.ledger import services as ledger
from portal.progress import services
from portal.progress.models import Enrolment, ModuleCompletion
from portal.timeutil import UTC, utcnow

from tests.progress.progress_helpers import complete, completed_at, open_and_mark_done


def test_enrol_is_idempotent(db, make_user, make_course):
    user, course = make_user(), make_course()
    first = services.enrol(user, course)
    db.session.commit()
    second = services.enrol(user, course)
    db.session.commit()
    assert first.id == second.id
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1
    assert services.get_enrolment(user, course).id == first.id


def test_enrol_refuses_an_unpublished_course(db, make_user, make_course):
    course = make_course(is_published=False)
    with pytest.raises(services.ProgressError) as err:
        services.enrol(make_user(), course)
    assert err.value.code == "course_unavailable"


def test_mark_module_done_is_idempotent(db, make_user, make_course, module_of, enrolled):
    course = make_course()
    enrolment = enrolled(make_user(), course)
    assert open_and_mark_done(enrolment, module_of(course, 1)) is True
    assert open_and_mark_done(enrolment, module_of(course, 1)) is False
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 1


def test_mark_module_done_refuses_another_courses_module(db, make_user, make_course,
                                                        module_of, enrolled):
    course, other = make_course(), make_course(slug="lain", code="LAIN-01")
    enrolment = enrolled(make_user(), course)
    with pytest.raises(services.ProgressError) as err:
        services.mark_module_done(enrolment, module_of(other, 1), utcnow())
    assert err.value.code == "wrong_course"


def test_progress_percent_counts_current_modules_rounded_down(db, make_user, make_course,
                                                              module_of, enrolled):
    course = make_course(modules=3)
    enrolment = enrolled(make_user(), course)
    assert services.progress(enrolment) == services.ProgressSummary(0, 3, 0)
    open_and_mark_done(enrolment, module_of(course, 1))
    assert services.progress(enrolment) == services.ProgressSummary(1, 3, 33)
    open_and_mark_done(enrolment, module_of(course, 2))
    assert services.progress(enrolment).percent == 66
    assert not services.posttest_unlocked(enrolment)
    # An archived module leaves the count: 2 of 2 current modules done.
    module_of(course, 3).is_archived = True
    db.session.commit()
    db.session.expire_all()
    assert services.progress(enrolment) == services.ProgressSummary(2, 2, 100)
    assert services.posttest_unlocked(enrolment)


def test_a_course_without_modules_is_fully_read(db, make_user, make_course, enrolled):
    enrolment = enrolled(make_user(), make_course(modules=0))
    assert services.progress(enrolment) == services.ProgressSummary(0, 0, 100)
    assert services.posttest_unlocked(enrolment)


def test_resume_goes_to_the_last_visited_module(db, make_user, make_course, module_of,
                                                enrolled):
    course = make_course(modules=3)
    enrolment = enrolled(make_user(), course)
    assert services.resume_module(enrolment).slug == "modul-1"
    open_and_mark_done(enrolment, module_of(course, 1))
    assert services.resume_module(enrolment).slug == "modul-2"   # first not done
    services.record_visit(enrolment, module_of(course, 3), utcnow())
    db.session.commit()
    assert services.resume_module(enrolment).slug == "modul-3"   # last visited


def test_resume_skips_an_archived_last_module(db, make_user, make_course, module_of, enrolled):
    course = make_course(modules=2)
    enrolment = enrolled(make_user(), course)
    services.record_visit(enrolment, module_of(course, 2), utcnow())
    module_of(course, 2).is_archived = True
    db.session.commit()
    db.session.expire_all()
    assert services.resume_module(enrolment).slug == "modul-1"


def test_resume_has_no_module_when_all_are_done(db, make_user, make_course, module_of,
                                                enrolled):
    course = make_course(modules=2)
    enrolment = enrolled(make_user(), course)
    for n in (1, 2):
        open_and_mark_done(enrolment, module_of(course, n))
    assert services.resume_module(enrolment) is None


def test_neighbours_and_position(db, make_course, module_of):
    course = make_course(modules=3)
    previous, following, position = services.neighbours(course, module_of(course, 2))
    assert (previous.slug, following.slug, position) == ("modul-1", "modul-3", 2)
    previous, following, position = services.neighbours(course, module_of(course, 1))
    assert (previous, following.slug, position) == (None, "modul-2", 1)


def test_pretest_pending_until_an_attempt_is_submitted(db, make_user, make_course, quiz_of,
                                                       enrolled, finish_attempt):
    course = make_course()
    enrolment = enrolled(make_user(), course)
    pending = services.pretest_pending(enrolment)
    assert pending is not None and pending.quiz.slug == "pretest"
    finish_attempt(enrolment, quiz_of(course, "pretest"), 40.0, state="overdue")
    assert services.pretest_pending(enrolment) is None
    status = services.quiz_status(course, enrolment, services.PRETEST)
    assert status.submitted and status.grade is None   # overdue attempts do not count


def test_no_pretest_means_nothing_pending(db, make_user, make_course, enrolled):
    enrolment = enrolled(make_user(), make_course(pretest=False))
    assert services.pretest_pending(enrolment) is None


# --- completion -----------------------------------------------------------------------


def _read_all(enrolment, course, module_of, n=3):
    for i in range(1, n + 1):
        open_and_mark_done(enrolment, module_of(course, i))


def test_completion_needs_every_module(db, make_user, make_course, module_of, quiz_of,
                                       enrolled, finish_attempt):
    course = make_course(modules=3)
    enrolment = enrolled(make_user(), course)
    open_and_mark_done(enrolment, module_of(course, 1))
    finish_attempt(enrolment, quiz_of(course, "posttest"), 95.0)
    assert complete(enrolment) is None
    assert enrolment.completed_at is None


def test_completion_needs_the_pass_mark(db, make_user, make_course, module_of, quiz_of,
                                        enrolled, finish_attempt):
    course = make_course(modules=3, pass_mark=70)
    enrolment = enrolled(make_user(), course)
    _read_all(enrolment, course, module_of)
    assert complete(enrolment) is None          # no post-test yet
    finish_attempt(enrolment, quiz_of(course, "posttest"), 69.5)
    assert complete(enrolment) is None          # below the pass mark
    assert enrolment.completed_at is None


def test_passing_completes_once_and_issues_one_certificate(db, make_user, make_course,
                                                          module_of, quiz_of, enrolled,
                                                          finish_attempt):
    from portal.certificates.models import Certificate

    course = make_course(modules=3, pass_mark=70)
    enrolment = enrolled(make_user(), course)
    _read_all(enrolment, course, module_of)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 70.0)   # exactly the pass mark
    certificate = complete(enrolment)
    db.session.commit()
    assert certificate is not None
    assert certificate.enrolment_id == enrolment.id
    completed_at = enrolment.completed_at
    assert completed_at is not None and completed_at.tzinfo is not None

    again = complete(enrolment)
    db.session.commit()
    assert again.id == certificate.id
    assert enrolment.completed_at == completed_at
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1
    assert services.certificate_for(enrolment).id == certificate.id


def test_a_course_without_posttest_completes_when_modules_are_done(db, make_user, make_course,
                                                                   module_of, enrolled):
    course = make_course(modules=2, posttest=False)
    enrolment = enrolled(make_user(), course)
    open_and_mark_done(enrolment, module_of(course, 1))
    assert complete(enrolment) is None
    open_and_mark_done(enrolment, module_of(course, 2))
    assert complete(enrolment) is not None
    assert enrolment.completed_at is not None


def test_pretest_score_never_decides_passing(db, make_user, make_course, module_of, quiz_of,
                                             enrolled, finish_attempt):
    course = make_course(modules=1)
    enrolment = enrolled(make_user(), course)
    _read_all(enrolment, course, module_of, n=1)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 80.0)   # pre-test never taken
    assert complete(enrolment) is not None


# --- JP ledger ------------------------------------------------------------------------


def test_wib_year_of_a_utc_new_years_eve_evening():
    assert services.wib_year(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == 2026
    assert services.wib_year(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == 2027


def test_jp_count_in_the_wib_year_of_completion(db, make_user, make_course, enrolled):
    user = make_user()
    late = enrolled(user, make_course(slug="a", jp=12))
    completed_at(late, datetime(2026, 12, 31, 20, 0, tzinfo=UTC))    # 1 Jan 2027, 03.00 WIB
    early = enrolled(user, make_course(slug="b", jp=5))
    completed_at(early, datetime(2026, 6, 1, 3, 0, tzinfo=UTC))
    enrolled(user, make_course(slug="c", jp=30))                      # not completed
    completed_at(enrolled(make_user(), make_course(slug="d", jp=7)),
                 datetime(2026, 6, 1, 3, 0, tzinfo=UTC))              # someone else
    db.session.commit()
    assert ledger.jp_in_year(user.id, 2026) == 5
    assert ledger.jp_in_year(user.id, 2027) == 12
