"""The learner's dashboard: progress, completions, gain and the yearly JP target."""

import re
from datetime import datetime

import pytest

from portal.progress import services, summaries
from portal.timeutil import UTC

from tests.progress.progress_helpers import complete, completed_at, open_and_mark_done


def test_dashboard_needs_login(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.location


def test_empty_dashboard_links_to_the_catalogue(client, login, learner):
    login(client, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "You are not enrolled in any course yet." in page
    assert 'href="/courses"' in page
    assert "0 of 20 JP completed this year" in page


def test_dashboard_shows_courses_in_progress(client, login, learner, make_course, module_of,
                                             quiz_of, enrolled, finish_attempt):
    course = make_course(modules=4)
    enrolment = enrolled(learner, course)
    open_and_mark_done(enrolment, module_of(course, 1))
    finish_attempt(enrolment, quiz_of(course, "pretest"), 40.0)
    login(client, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "In progress" in page and "Etika dan Integritas ASN" in page
    assert "1 of 4 modules done (25%)." in page
    assert '<progress max="100" value="25"' in page
    assert 'href="/courses/etika-asn/resume"' in page
    assert "Pre-test" in page and "40" in page
    assert "normalized gain" not in page and "learning gain" not in page  # no post-test: no gain


def test_dashboard_shows_completions_with_gain_and_certificate(client, login, learner,
                                                               make_course, module_of,
                                                               quiz_of, enrolled,
                                                               finish_attempt, db):
    course = make_course(modules=1, jp=12)
    enrolment = enrolled(learner, course)
    open_and_mark_done(enrolment, module_of(course, 1))
    finish_attempt(enrolment, quiz_of(course, "pretest"), 40.0)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 77.2)
    certificate = complete(enrolment, datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
    db.session.commit()
    login(client, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Completed on November 29, 2026." in page
    assert "12 JP" in page
    assert f'href="/certificates/{certificate.code}.pdf"' in page
    # (77.2 - 40) / 60 = 0.62: 62 % of the 60 points missed in the pre-test.
    assert ("You gained 62% of the points you missed in the pre-test: a medium gain."
            in page)
    assert "Technical term: normalized gain (Hake 1998), g = 0.62." in page
    assert "<dd>40%</dd>" in page
    assert re.search(r'<dd>77.2% <span class="badge ok result-label">Passed</span></dd>', page)
    assert "Continue" not in page


def test_the_gain_is_called_the_learners_own_in_indonesian(client, login, make_user,
                                                          make_course, quiz_of, enrolled,
                                                          finish_attempt):
    learner = make_user()                    # default locale: Indonesian
    course = make_course()
    enrolment = enrolled(learner, course)
    finish_attempt(enrolment, quiz_of(course, "pretest"), 40.0)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 70.0)
    login(client, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<dt class="gain-label">Peningkatan hasil belajar Anda</dt>' in page
    # (70 - 40) / 60 = 0.5, said in plain words; the technical term only in the hint.
    sentence = re.search(r'<span class="gain-sentence">(.*?)</span>', page).group(1)
    assert sentence == ("Anda meraih 50% dari nilai yang belum Anda capai di pre-test: "
                        "peningkatan sedang.")
    assert "Istilah teknis: gain ternormalisasi (Hake 1998), g = 0,50." in page
    assert "Gain ternormalisasi (Hake) Anda" not in page


def test_a_negative_gain_is_shown_as_a_decline(client, login, learner, make_course, quiz_of,
                                         enrolled, finish_attempt):
    course = make_course()
    enrolment = enrolled(learner, course)
    finish_attempt(enrolment, quiz_of(course, "pretest"), 80.0)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 60.0)
    login(client, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Your post-test score is lower than your pre-test score." in page
    assert "g = -1.00." in page and "gain-decline" in page and "gain-low" not in page
    assert "You gained" not in page


@pytest.fixture
def late_completion(db, learner, make_course, enrolled):
    """12 JP completed at 2026-12-31 20:00 UTC (1 January 2027, 03.00 WIB) and 5 JP in
    June 2026."""
    late = enrolled(learner, make_course(slug="akhir-tahun", jp=12))
    completed_at(late, datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    june = enrolled(learner, make_course(slug="juni", title="Kursus Juni", jp=5))
    completed_at(june, datetime(2026, 6, 10, 2, 0, tzinfo=UTC))
    db.session.commit()
    return learner


def test_jp_this_year_counts_the_wib_year_of_completion(late_completion):
    in_2026 = summaries.learner_dashboard(late_completion,
                                          now=datetime(2026, 12, 31, 16, 0, tzinfo=UTC))
    assert (in_2026.year, in_2026.jp_this_year) == (2026, 5)
    in_2027 = summaries.learner_dashboard(late_completion,
                                          now=datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
    assert (in_2027.year, in_2027.jp_this_year) == (2027, 12)


def test_dashboard_page_shows_the_jp_bar(client, login, late_completion, freeze_now):
    freeze_now(datetime(2027, 3, 1, 1, 0, tzinfo=UTC))
    login(client, late_completion)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Learning hours in 2027" in page
    assert "12 of 20 JP completed this year" in page
    assert '<progress max="20" value="12"' in page
    assert "Completed on January 1, 2027." in page       # the WIB date


def test_the_jp_bar_stops_at_the_target(db, learner, make_course, enrolled):
    for i in range(3):
        completed_at(enrolled(learner, make_course(slug=f"k{i}", jp=12)),
                     datetime(2026, 5, 1, tzinfo=UTC))
    db.session.commit()
    data = summaries.learner_dashboard(learner, now=datetime(2026, 6, 1, tzinfo=UTC))
    assert data.jp_this_year == 36
    assert data.jp_bar_value == 20


def test_staff_see_their_own_learning(client, login, make_user, make_course, enrolled):
    hr = make_user(role="hr", locale="en")
    enrolled(hr, make_course())
    enrolled(make_user(), make_course(slug="lain", title="Kursus Orang Lain"))
    login(client, hr)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Etika dan Integritas ASN" in page
    assert "Kursus Orang Lain" not in page


@pytest.mark.parametrize("pre, post, percent, band", [
    (40.0, 82.0, 70, "high"),          # g = 0.7 exactly: 70 %, high
    (0.0, 69.99, 69, "medium"),        # g = 0.6999: never shown as 70 % next to "medium"
    (50.0, 50.0, 0, "low"),
])
def test_the_gain_percent_never_rounds_up_across_a_band(db, learner, make_course, quiz_of,
                                                        enrolled, finish_attempt,
                                                        pre, post, percent, band):
    course = make_course()
    enrolment = enrolled(learner, course)
    finish_attempt(enrolment, quiz_of(course, "pretest"), pre)
    finish_attempt(enrolment, quiz_of(course, "posttest"), post)
    row = summaries.learning_row(enrolment)
    assert (row.gain_percent, row.band) == (percent, band)


@pytest.mark.parametrize("pre, post, shown, band", [
    (0.0, 69.99, "g = 0.69.", "a medium gain"),    # g = 0.6999: never "0.70" next to medium
    (40.0, 82.0, "g = 0.70.", "a high gain"),      # g = 0.7 exactly (0.69999... in floats)
    (0.0, 29.999, "g = 0.29.", "a low gain"),      # g = 0.29999: never "0.30" next to low
])
def test_the_gain_figure_never_rounds_up_across_a_band(client, login, learner, make_course,
                                                       quiz_of, enrolled, finish_attempt,
                                                       pre, post, shown, band):
    course = make_course()
    enrolment = enrolled(learner, course)
    finish_attempt(enrolment, quiz_of(course, "pretest"), pre)
    finish_attempt(enrolment, quiz_of(course, "posttest"), post)
    login(client, learner)
    page = client.get("/dashboard").get_data(as_text=True)
    assert f"Technical term: normalized gain (Hake 1998), {shown}" in page
    assert f"{band}." in page
