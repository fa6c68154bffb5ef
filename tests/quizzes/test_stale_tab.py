"""A stale tab cannot erase answers: saves are per question, and a save based on an older
save than the stored one is refused for that question, with a clear message, and the page
shows the stored answers (reproduction (c))."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState
from quiz_helpers import NOW, qid


@pytest.fixture
def quiz(course, make_quiz):
    return make_quiz(course, kind="pretest", max_attempts=2)


def _attempt(db, public_id) -> Attempt:
    db.session.expire_all()
    return db.session.scalars(sa.select(Attempt).where(Attempt.public_id == public_id)).one()


def _revisions(page: str) -> dict[str, str]:
    """The take page's hidden revision fields: {field name: value}."""
    return dict(re.findall(r'name="(rev_q\d+)" value="(\d+)"', page))


def _english(client):
    with client.session_transaction() as sess:
        sess["locale"] = "en"


def test_a_stale_tab_cannot_blank_answers_saved_in_another(db, client, login, learner, enrolment,
                                                           course, quiz):
    login(client, learner)
    _english(client)
    response = client.post(f"/courses/{course.slug}/quizzes/{quiz.slug}/start")
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    q1, q2, q3 = (f"q{qid(quiz, n)}" for n in (1, 2, 3))

    tab_b = _revisions(client.get(f"/attempts/{public_id}").get_data(as_text=True))
    tab_a = _revisions(client.get(f"/attempts/{public_id}").get_data(as_text=True))
    assert tab_a == tab_b == {f"rev_{q1}": "0", f"rev_{q2}": "0", f"rev_{q3}": "0"}

    # Tab A saves q1 and q2 (right answers); its revisions come back.
    saved = client.post(f"/attempts/{public_id}/save",
                        data={**tab_a, "with_answers": "1", q1: "o2", q2: ["o1", "o2"]})
    assert saved.status_code == 200
    assert saved.get_json()["revisions"] == {q1: 1, q2: 1, q3: 0}

    # Tab B, loaded before, autosaves its view: q1 and q2 blank, q3 answered.
    stale = client.post(f"/attempts/{public_id}/save",
                        data={**tab_b, "with_answers": "1", q3: "20 JP"})
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["error"] == "stale"
    assert "changed in another tab" in body["message"]
    attempt = _attempt(db, public_id)
    assert attempt.answers == {q1[1:]: ["o2"], q2[1:]: ["o1", "o2"], q3[1:]: "20 JP"}

    # The page tab B reloads to shows the stored answers, and says why.
    page = client.get(f"/attempts/{public_id}").get_data(as_text=True)
    assert "changed in another tab" in page
    assert re.search(rf'name="{q1}" value="o2"\s+checked', page)
    assert _revisions(page) == {f"rev_{q1}": "1", f"rev_{q2}": "1", f"rev_{q3}": "1"}

    # A Finish from the stale page is refused the same way and leads back to the page.
    finish = client.post(f"/attempts/{public_id}/finish",
                         data={**tab_b, "with_answers": "1", q3: "20 JP"})
    assert finish.status_code == 302 and finish.headers["Location"].endswith(public_id)

    client.post(f"/attempts/{public_id}/submit")
    attempt = _attempt(db, public_id)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 100.0  # graded on tab A's answers


def test_a_save_older_than_the_stored_one_is_refused_per_question(db, enrolment, quiz):
    attempt = services.start_attempt(enrolment, quiz, NOW)
    one, two = qid(quiz, 1), qid(quiz, 2)
    first = services.save_answers(attempt, {one: ["o1"]}, NOW, based_on={one: 0, two: 0})
    assert first.stale == [] and first.revisions[str(one)] == 1
    second = services.save_answers(attempt, {one: ["o2"], two: ["o3"]}, NOW,
                                   based_on={one: 0, two: 0})
    assert second.stale == [one]  # based on revision 0, the stored one is 1
    assert attempt.answers == {str(one): ["o1"], str(two): ["o3"]}
    third = services.save_answers(attempt, {one: ["o2"]}, NOW, based_on=second.revisions)
    assert third.stale == [] and attempt.answers[str(one)] == ["o2"]
    rows = {row.question_id: row for row in attempt.rows}
    assert (rows[one].revision, rows[one].saved_at) == (2, NOW)
    # An unchanged answer writes nothing, whatever it was based on.
    assert services.save_answers(attempt, {one: ["o2"]}, NOW, based_on={one: 0}).stale == []
