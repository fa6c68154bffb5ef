"""Every gain figure against the reference cohort in tests/fixtures/ngain/ (computed
independently; see its README)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from portal.progress.gain import average_gain, gain_band, gain_of_averages, normalized_gain

FIXTURE = Path(__file__).parent.parent / "fixtures" / "ngain"


@pytest.fixture(scope="module")
def cohort():
    with open(FIXTURE / "scores.csv", newline="", encoding="utf-8") as handle:
        rows = [(r["learner"], float(r["pre_percent"]), float(r["post_percent"]))
                for r in csv.DictReader(handle)]
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    return rows, expected


def test_each_learner_has_the_expected_gain_and_band(cohort):
    rows, expected = cohort
    by_learner = {row["learner"]: row for row in expected["per_learner"]}
    assert len(rows) == len(by_learner) == 25
    for learner, pre, post in rows:
        want = by_learner[learner]
        g = normalized_gain(pre, post)
        if want["g"] is None:
            assert g is None, learner
        else:
            assert g == pytest.approx(want["g"], abs=1e-9), learner
        assert gain_band(g) == want["band"], learner


def test_a_fall_in_score_is_a_decline_not_a_low_gain(cohort):
    assert gain_band(normalized_gain(60, 45)) == "decline"
    assert gain_band(normalized_gain(50, 40)) == "decline"      # g = −0.2
    assert gain_band(normalized_gain(100, 90)) is None            # nothing left to gain


def test_band_counts_match(cohort):
    rows, expected = cohort
    bands = Counter(gain_band(normalized_gain(pre, post)) for _, pre, post in rows)
    assert {k: bands[k] for k in ("high", "medium", "low", "decline")} == expected["bands"]
    assert bands[None] == expected["undefined"]


def test_mean_of_individual_gains_and_gain_of_class_averages(cohort):
    rows, expected = cohort
    pairs = [(pre, post) for _, pre, post in rows]
    assert average_gain(pairs) == pytest.approx(expected["mean_of_individual_gains"], abs=1e-9)
    defined = [p for p in pairs if normalized_gain(*p) is not None]
    assert len(defined) == expected["n_individual_gains"]
    assert sum(p for p, _ in pairs) / len(pairs) == pytest.approx(expected["class_mean_pre"])
    assert sum(q for _, q in pairs) / len(pairs) == pytest.approx(expected["class_mean_post"])
    assert gain_of_averages(pairs) == pytest.approx(expected["gain_of_class_averages"],
                                                    abs=1e-9)
