"""Normalized gain (Hake 1998) of one learner and of a cohort."""

import pytest

from portal.progress.gain import average_gain, gain_band, gain_of_averages, normalized_gain


def test_gain_is_the_share_of_the_possible_improvement():
    assert normalized_gain(40, 70) == pytest.approx(0.5)
    assert normalized_gain(0, 100) == pytest.approx(1.0)
    assert normalized_gain(50, 50) == 0


def test_gain_is_undefined_when_the_pretest_was_perfect():
    assert normalized_gain(100, 100) is None
    assert normalized_gain(100, 80) is None


def test_gain_is_undefined_when_a_score_is_missing():
    assert normalized_gain(None, 80) is None
    assert normalized_gain(40, None) is None
    assert normalized_gain(None, None) is None


def test_gain_may_be_negative():
    assert normalized_gain(60, 40) == pytest.approx(-0.5)
    assert gain_band(normalized_gain(60, 40)) == "decline"


def test_scores_outside_0_to_100_are_refused():
    with pytest.raises(ValueError):
        normalized_gain(-1, 50)
    with pytest.raises(ValueError):
        normalized_gain(50, 100.5)


@pytest.mark.parametrize("g, band", [
    (1.0, "high"), (0.7, "high"), (0.6999, "medium"), (0.3, "medium"),
    (0.2999, "low"), (0.0, "low"), (-0.2, "decline"), (-0.4, "decline"),
    (-1e-12, "low"), (None, None),
])
def test_bands_at_their_boundaries(g, band):
    assert gain_band(g) == band


def test_computed_gains_on_a_boundary_fall_in_the_upper_band():
    assert gain_band(normalized_gain(40, 82)) == "high"      # 42/60 = 0.7
    assert gain_band(normalized_gain(10, 37)) == "medium"    # 27/90 = 0.3
    assert gain_band(normalized_gain(100 / 3, 100 / 3 + 20)) == "medium"  # 20/66.67 = 0.3


def test_average_of_gains_differs_from_gain_of_averages():
    pairs = [(0, 100), (90, 90)]
    assert average_gain(pairs) == pytest.approx(0.5)            # (1.0 + 0.0) / 2
    assert gain_of_averages(pairs) == pytest.approx(50 / 55)    # pre 45, post 95


def test_cohort_figures_leave_out_learners_without_a_defined_gain():
    pairs = [(40, 70), (None, 90), (100, 100), (50, None)]
    assert average_gain(pairs) == pytest.approx(0.5)           # only (40, 70) has a gain
    assert gain_of_averages(pairs) == pytest.approx((85 - 70) / 30)  # (40,70) and (100,100)


def test_cohort_figures_without_data_are_none():
    assert average_gain([]) is None
    assert gain_of_averages([]) is None
    assert average_gain([(None, 50)]) is None
    assert gain_of_averages([(100, 100)]) is None


@pytest.mark.parametrize("g, shown", [
    (0.6999, "0.69"), (0.7, "0.70"), (0.6999999999999999, "0.70"), (0.29999, "0.29"),
    (0.3, "0.30"), (-0.001, "-0.01"), (0.0, "0.00"), (1.0, "1.00"), (None, None),
])
def test_a_shown_gain_is_rounded_down_like_a_score(g, shown):
    from portal.progress.gain import shown_gain

    result = shown_gain(g)
    assert (str(result) if result is not None else None) == shown
    if result is not None:
        assert gain_band(float(result)) == gain_band(g)
