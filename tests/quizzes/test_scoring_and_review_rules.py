"""Pure rules: exact scores and grading methods (portal.quizzes.scoring) and the review
policy (portal.quizzes.review)."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest

from portal.quizzes import review, scoring
from quiz_helpers import NOW


# --- scoring ---------------------------------------------------------------------------------


def test_percent_of_is_exact():
    assert scoring.percent_of(2, 3) == Fraction(200, 3)
    assert scoring.percent_of(0.3, 0.3) == 100
    assert scoring.percent_of(1.5, 4.5) == Fraction(100, 3)
    assert scoring.percent_of(0, 0) == 0


def test_stored_percent_prefers_points_over_the_stored_score():
    assert scoring.stored_percent(2.0, 3.0, 66.67) == Fraction(200, 3)
    assert scoring.stored_percent(None, None, 66.67) == Fraction(6667, 100)
    assert scoring.stored_percent(None, None, None) is None


@pytest.mark.parametrize("method,expected", [
    ("highest", Fraction(200, 3)), ("first", 0), ("last", 50),
    ("average", Fraction(350, 9)), ("unknown", Fraction(200, 3)),
])
def test_combine_by_grading_method(method, expected):
    assert scoring.combine(method, [Fraction(0), Fraction(200, 3), Fraction(50)]) == expected
    assert scoring.combine(method, []) is None


def test_reaches_compares_exactly():
    assert scoring.reaches(70, 70)
    assert scoring.reaches(Fraction(7000001, 100000), 70)
    assert not scoring.reaches(69.996, 70)
    assert not scoring.reaches(Fraction(200, 3), 67)   # 66,66... is shown 66,66%, not 67
    assert not scoring.reaches(None, 0)


# --- review policy -----------------------------------------------------------------------------


def test_moment_follows_moodle():
    """Closed takes precedence; then two minutes "right after"; then "while open"."""
    submitted = NOW
    assert review.moment(submitted, NOW + timedelta(seconds=119), False) == "right_after"
    assert review.moment(submitted, NOW + timedelta(seconds=120), False) == "while_open"
    assert review.moment(submitted, NOW + timedelta(seconds=5), True) == "after_close"
    assert review.moment(None, NOW, False) == "while_open"


def test_default_post_test_shows_no_key_while_it_can_be_attempted():
    for moment in ("right_after", "while_open"):
        shown = review.options_for("posttest", None, moment)
        assert shown == review.ReviewOptions(answer=True)
        assert not shown.shows_key
    assert review.options_for("posttest", None, "after_close") == review.EVERYTHING


def test_default_pre_test_shows_where_the_gaps_are_but_no_key():
    shown = review.options_for("pretest", None, "while_open")
    assert (shown.answer, shown.correct, shown.marks) == (True, True, True)
    assert not shown.shows_key
    assert review.options_for("pretest", None, "after_close").shows_key


def test_practice_shows_everything():
    for moment in review.MOMENTS:
        assert review.options_for("practice", None, moment) == review.EVERYTHING


def test_a_custom_policy_replaces_the_moments_it_names():
    policy, error = review.parse_policy({"right_after": ["answer", "marks"],
                                         "after_close": "all"})
    assert error is None
    assert policy == {"right_after": ("answer", "marks"), "after_close": review.ITEMS}
    shown = review.options_for("posttest", policy, "right_after")
    assert (shown.answer, shown.marks, shown.correct) == (True, True, False)
    assert review.options_for("posttest", policy, "while_open") == review.ReviewOptions(
        answer=True)  # the default, not named
    assert review.options_for("practice", {"while_open": []}, "while_open") == \
        review.ReviewOptions()


@pytest.mark.parametrize("value,message", [
    ("all", "must list moments"),
    ({}, "must list moments"),
    ({"during": ["answer"]}, 'cannot use the moment "during"'),
    ({"later": "all"}, 'unknown moment "later"'),
    ({"while_open": ["answer", "key"]},
     'has "key" under "while_open", which is not something a review shows'),
    ({"while_open": 3}, 'must give "while_open" a list'),
])
def test_parse_policy_refuses_mistakes(value, message):
    policy, error = review.parse_policy(value)
    assert policy is None
    assert message in error


def test_parse_policy_accepts_none_words_and_comma_lists():
    policy, error = review.parse_policy({"right_after": "none",
                                         "while_open": "answer, correct",
                                         "after_close": None})
    assert error is None
    assert policy == {"right_after": (), "while_open": ("answer", "correct"),
                      "after_close": ()}
