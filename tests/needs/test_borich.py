"""Borich figures against the reference survey in tests/fixtures/tna-borich/ (computed
independently, see its README), and the edge cases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from portal.needs.borich import (Rating, competition_ranks, figures_by_group,
                                 needs_figures)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "tna-borich"
FIELDS = ("n", "mean_importance", "mean_proficiency", "mean_discrepancy", "mwds",
          "n_supervisor", "mean_self_minus_supervisor", "rank")


@pytest.fixture(scope="module")
def survey():
    with open(FIXTURE / "responses.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ratings = [(row["nip"], Rating(
        row["competency"], int(row["importance"]), int(row["self_proficiency"]),
        int(row["supervisor_proficiency"]) if row["supervisor_proficiency"] else None,
        group=row["unit"])) for row in rows]
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    return ratings, expected


def _assert_matches(actual, expected):
    assert [row.competency for row in actual] == [row["competency"] for row in expected]
    for row, want in zip(actual, expected):
        for name in FIELDS:
            got = getattr(row, name)
            if isinstance(want[name], float):
                assert got == pytest.approx(want[name], abs=1e-9), (row.competency, name)
            else:
                assert got == want[name], (row.competency, name)


def test_all_respondents_match_the_reference(survey):
    ratings, expected = survey
    _assert_matches(needs_figures(r for _, r in ratings), expected["all"])


def test_each_unit_matches_the_reference(survey):
    ratings, expected = survey
    groups = figures_by_group(ratings, lambda r: r.group, min_group_size=5)
    assert {g.group for g in groups} == set(expected["by_unit"])
    for group in groups:
        assert group.respondents == 15 and not group.hidden
        _assert_matches(group.rows, expected["by_unit"][group.group])


def test_mwds_is_mean_discrepancy_times_mean_importance(survey):
    ratings, _ = survey
    for row in needs_figures(r for _, r in ratings):
        assert row.mwds == pytest.approx(row.mean_discrepancy * row.mean_importance, abs=1e-12)


def test_groups_below_the_minimum_are_hidden(survey):
    ratings, _ = survey
    groups = figures_by_group(ratings, lambda r: r.group, min_group_size=16)
    assert all(g.hidden and g.rows == [] and g.respondents == 15 for g in groups)
    shown = figures_by_group(ratings, lambda r: r.group, min_group_size=15)
    assert not any(g.hidden for g in shown)


def test_no_respondents_gives_empty_figures_without_rank():
    rows = needs_figures([], competencies=["M.01", "M.02"])
    assert [(r.competency, r.n, r.mwds, r.rank, r.mean_importance) for r in rows] == [
        ("M.01", 0, None, None, None), ("M.02", 0, None, None, None)]
    assert needs_figures([]) == []
    assert figures_by_group([], lambda r: r.group, 5) == []


def test_a_single_respondent():
    rows = needs_figures([Rating("M.03", 5, 2, 3), Rating("M.01", 2, 4)])
    m03, m01 = rows
    assert (m03.competency, m03.n, m03.mean_discrepancy, m03.mwds, m03.rank) == (
        "M.03", 1, 3.0, 15.0, 1)
    assert (m03.n_supervisor, m03.mean_self_minus_supervisor) == (1, -1.0)
    assert (m01.mwds, m01.rank, m01.n_supervisor, m01.mean_self_minus_supervisor) == (
        -4.0, 2, 0, None)   # negative: no need


def test_ties_share_the_better_rank():
    ratings = [Rating("M.01", 4, 2), Rating("M.02", 4, 2), Rating("M.03", 5, 2),
               Rating("M.04", 3, 3)]
    rows = needs_figures(ratings)
    assert [(r.competency, r.rank) for r in rows] == [
        ("M.03", 1), ("M.01", 2), ("M.02", 2), ("M.04", 4)]
    assert competition_ranks([0.1 + 0.2, 0.3, None, 1.0]) == [2, 2, None, 1]


def test_unrated_competencies_come_last():
    rows = needs_figures([Rating("M.02", 3, 3)], competencies=["M.01", "M.02"])
    assert [(r.competency, r.rank) for r in rows] == [("M.02", 1), ("M.01", None)]


@pytest.mark.parametrize("bad", [Rating("M.01", 0, 3), Rating("M.01", 3, 6),
                                 Rating("M.01", 3, 3, 9)])
def test_ratings_outside_1_to_5_are_refused(bad):
    with pytest.raises(ValueError):
        needs_figures([bad])
