"""JP only for study: a module is marked done only after its page was served to the learner,
and not before its minimum study time has passed since that first opening.

Observed: every module could be marked done without being opened, and a 12-JP course was
completed in about a minute.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from portal.progress import services
from portal.progress.models import ModuleCompletion, ModuleVisit
from tests.progress.progress_helpers import complete

UTC = timezone.utc
#: 29 November 2026, 10.12.37 WIB.
OPENED = datetime(2026, 11, 29, 3, 12, 37, tzinfo=UTC)


def _completions(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id)))


# --- services -------------------------------------------------------------------------


def test_a_module_never_opened_cannot_be_marked_done(db, make_user, make_course, module_of,
                                                     enrolled):
    course = make_course(modules=3)
    enrolment = enrolled(make_user(), course)
    for n in (1, 2, 3):
        with pytest.raises(services.ProgressError) as error:
            services.mark_module_done(enrolment, module_of(course, n), OPENED)
        assert error.value.code == "not_opened"
    assert _completions(db) == 0
    assert not services.posttest_unlocked(enrolment)


def test_opening_is_recorded_once_and_the_first_opening_counts(db, make_user, make_course,
                                                                module_of, enrolled):
    course = make_course(modules=2)
    enrolment = enrolled(make_user(), course)
    module = module_of(course, 1)
    assert services.record_visit(enrolment, module, OPENED) == OPENED
    later = OPENED + timedelta(hours=2)
    assert services.record_visit(enrolment, module, later) == OPENED   # reopening: no reset
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ModuleVisit.id))) == 1
    assert services.first_opened_at(enrolment, module) == OPENED
    assert enrolment.last_module_id == module.id
    assert services.first_opened_at(enrolment, module_of(course, 2)) is None


def test_the_12_jp_course_cannot_be_finished_in_a_minute(db, make_user, make_course,
                                                         module_of, enrolled):
    """Six 90-minute modules (12 JP × 45 minutes) opened and marked within a minute, with
    MIN_STUDY_RATIO 0.5: every mark is refused until 45 minutes after each opening."""
    course = make_course(modules=6, jp=12)
    for n in range(1, 7):
        module_of(course, n).minutes = 90
    db.session.commit()
    enrolment = enrolled(make_user(), course)
    for n in range(1, 7):
        module = module_of(course, n)
        opened = OPENED + timedelta(seconds=10 * n)
        services.record_visit(enrolment, module, opened)
        with pytest.raises(services.ProgressError) as error:
            services.mark_module_done(enrolment, module, opened + timedelta(seconds=5), 0.5)
        assert error.value.code == "too_early"
        # 45 minutes after the opening, rounded up to the whole minute.
        assert error.value.ready_at == (opened + timedelta(minutes=46)).replace(second=0)
    assert _completions(db) == 0
    assert complete(enrolment) is None

    # One second before a module's time: still refused; at its time: done.
    module = module_of(course, 1)
    ready = services.study_gate(enrolment, module, 0.5).ready_at
    with pytest.raises(services.ProgressError):
        services.mark_module_done(enrolment, module, ready - timedelta(seconds=1), 0.5)
    assert services.mark_module_done(enrolment, module, ready, 0.5) is True
    completion = db.session.scalars(sa.select(ModuleCompletion)).one()
    assert completion.completed_at == ready


def test_the_modules_own_minimum_wins_over_the_setting(db, make_user, make_course, module_of,
                                                       enrolled):
    course = make_course(modules=2)
    module_of(course, 1).min_minutes = 10     # 30-minute module: ratio 0.5 would be 15
    module_of(course, 2).min_minutes = 0      # exempt
    db.session.commit()
    enrolment = enrolled(make_user(), course)
    for n in (1, 2):
        services.record_visit(enrolment, module_of(course, n), OPENED)
    gate = services.study_gate(enrolment, module_of(course, 1), 0.5)
    assert gate.required == timedelta(minutes=10)
    assert gate.ready_at == datetime(2026, 11, 29, 3, 23, tzinfo=UTC)
    assert services.mark_module_done(enrolment, module_of(course, 2), OPENED, 0.5) is True
    assert services.mark_module_done(
        enrolment, module_of(course, 1), datetime(2026, 11, 29, 3, 23, tzinfo=UTC), 0.5)


def test_a_module_already_done_stays_done_whatever_the_setting(db, make_user, make_course,
                                                               module_of, enrolled):
    course = make_course(modules=1)
    enrolment = enrolled(make_user(), course)
    module = module_of(course, 1)
    services.record_visit(enrolment, module, OPENED)
    assert services.mark_module_done(enrolment, module, OPENED) is True
    # The operator raises the minimum later: nothing already earned is taken back.
    assert services.mark_module_done(enrolment, module, OPENED, 1.0) is False
    assert services.progress(enrolment).done == 1


# --- pages ----------------------------------------------------------------------------


@pytest.fixture
def waiting(app, client, login, make_user, make_course, module_of, enrolled, freeze_now):
    """An Indonesian learner who opened modul-1 (30 min, min_minutes 30) at 10.12.37 WIB."""
    course = make_course(modules=2)
    module_of(course, 1).min_minutes = 30
    app.config["MIN_STUDY_RATIO"] = 0.0
    learner = make_user()
    enrolment = enrolled(learner, course)
    freeze_now(OPENED)
    login(client, learner)
    page = client.get("/courses/etika-asn/modules/modul-1").get_data(as_text=True)
    return client, enrolment, page


def test_the_module_page_states_when_it_can_be_marked_done(waiting, db):
    _client, enrolment, page = waiting
    assert db.session.scalars(sa.select(ModuleVisit)).one().first_opened_at == OPENED
    # Ready at 10.43 WIB (10.12.37 + 30 minutes, rounded up): 30 min 23 s, so 31 minutes.
    assert ("Luangkan waktu untuk mempelajari modul ini: Anda dapat menandainya selesai "
            "mulai pukul 10.43 WIB.") in page
    assert "(31 menit lagi)" in page
    assert 'data-seconds-left="1823"' in page
    # The button stays, so a plain post (no JavaScript) reaches the server's clear answer.
    assert '<button type="submit">Tandai selesai</button>' in page


def test_an_early_htmx_click_gets_the_fragment_with_the_reason(waiting, freeze_now, db):
    client, _enrolment, _page = waiting
    freeze_now(OPENED + timedelta(minutes=5))
    response = client.post("/courses/etika-asn/modules/modul-1/done",
                           headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200          # htmx swaps 2xx responses only
    assert "<html" not in fragment and 'id="module-done"' in fragment
    assert 'role="alert"' in fragment
    assert ("Belum bisa: Anda dapat menandai modul ini selesai mulai pukul 10.43 WIB. Waktunya "
            "dihitung sejak Anda pertama kali membuka modul ini.") in fragment
    assert "(26 menit lagi)" in fragment and 'data-seconds-left="1523"' in fragment
    assert _completions(db) == 0


def test_an_early_plain_post_returns_to_the_module_with_the_reason(waiting, freeze_now, db):
    client, _enrolment, _page = waiting
    freeze_now(OPENED + timedelta(minutes=29, seconds=59))
    response = client.post("/courses/etika-asn/modules/modul-1/done")
    assert response.status_code == 302
    assert response.location.endswith("/courses/etika-asn/modules/modul-1#module-done")
    page = client.get(response.location).get_data(as_text=True)
    assert "Belum bisa: Anda dapat menandai modul ini selesai mulai pukul 10.43 WIB." in page
    assert "(1 menit lagi)" in page
    assert _completions(db) == 0

    freeze_now(datetime(2026, 11, 29, 3, 43, tzinfo=UTC))        # 10.43 WIB
    response = client.post("/courses/etika-asn/modules/modul-1/done")
    assert response.location.endswith("/courses/etika-asn/modules/modul-2")
    assert _completions(db) == 1
    page = client.get("/courses/etika-asn/modules/modul-1").get_data(as_text=True)
    assert "Luangkan waktu" not in page and "data-seconds-left" not in page


def test_a_module_never_opened_is_refused_on_both_paths(client, login, make_user, make_course,
                                                        enrolled, db):
    learner = make_user()
    enrolled(learner, make_course(modules=2))
    login(client, learner)
    response = client.post("/courses/etika-asn/modules/modul-2/done",
                           headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Buka dan pelajari modul ini sebelum menandainya selesai." in fragment
    response = client.post("/courses/etika-asn/modules/modul-2/done")
    assert response.location.endswith("/courses/etika-asn/modules/modul-2#module-done")
    assert _completions(db) == 0
    # Following the redirect opens the module: with no minimum it can be marked done now.
    page = client.get(response.location).get_data(as_text=True)
    assert "Buka dan pelajari modul ini sebelum menandainya selesai." in page
    assert client.post("/courses/etika-asn/modules/modul-2/done").status_code == 302
    assert _completions(db) == 1


def test_the_setting_applies_to_every_module_without_its_own_minimum(
        app, client, login, make_user, make_course, enrolled, freeze_now, db):
    app.config["MIN_STUDY_RATIO"] = 0.5                 # 30-minute modules: 15 minutes
    learner = make_user(locale="en")
    enrolled(learner, make_course(modules=1))
    freeze_now(OPENED)
    login(client, learner)
    page = client.get("/courses/etika-asn/modules/modul-1").get_data(as_text=True)
    assert "Take your time with this module: you can mark it as done from 10:28 WIB." in page
    assert "(in 16 minutes)" in page
    freeze_now(datetime(2026, 11, 29, 3, 28, tzinfo=UTC))
    assert client.post("/courses/etika-asn/modules/modul-1/done").status_code == 302
    assert _completions(db) == 1


def test_a_time_on_another_day_is_given_with_its_date(app, client, login, make_user,
                                                      make_course, module_of, enrolled,
                                                      freeze_now, db):
    """Opened at 23.50 WIB on New Year's Eve: ready the next year, at 00.20 WIB."""
    course = make_course(modules=1)
    module_of(course, 1).min_minutes = 30
    learner = make_user()
    enrolled(learner, course)
    freeze_now(datetime(2027, 12, 31, 16, 50, tzinfo=UTC))
    login(client, learner)
    page = client.get("/courses/etika-asn/modules/modul-1").get_data(as_text=True)
    assert "selesai mulai 1 Januari 2028 pukul 00.20 WIB." in page
    response = client.post("/courses/etika-asn/modules/modul-1/done",
                           headers={"HX-Request": "true"})
    assert ("Belum bisa: Anda dapat menandai modul ini selesai mulai 1 Januari 2028 pukul "
            "00.20 WIB.") in response.get_data(as_text=True)
