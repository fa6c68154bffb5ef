"""Scores as exact numbers: an attempt's percent, the grade over attempts, the pass rule.

Scores are kept exact (:class:`fractions.Fraction`) from the points to the pass decision, so
two thirds is 200/3 %, not 66.67 %, and nothing is rounded before it is compared or
averaged. Only pages round, down, with :func:`portal.numbers.format_percent`.

- percent of an attempt = 100 × points earned / points possible;
- the grade over attempts by the quiz's grading method (Moodle's quiz "Grading method":
  highest grade, average grade, first attempt, last attempt), the average taken over the
  exact percents (two attempts of 2/3 and 0 average to 100/3 %, shown 33,33 %);
- passed when the exact percent is at least the course pass mark (percent).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from portal.numbers import Number, to_fraction
from portal.quizzes.models import Grading

#: Grading methods (``Quiz.grading``): which finished attempts make the grade.
GRADING_METHODS = tuple(Grading)


def percent_of(points: Number, max_points: Number) -> Fraction:
    """100 × ``points`` / ``max_points`` as an exact Fraction; 0 when nothing could be
    earned (``max_points`` 0). Floats are read through their shortest text, so stored
    points such as 1.5 or 0.1 are exact."""
    maximum = to_fraction(max_points)
    if maximum <= 0:
        return Fraction(0)
    return 100 * to_fraction(points) / maximum


def stored_percent(points: Number | None, max_points: Number | None,
                   score: Number | None) -> Fraction | None:
    """The exact percent of a graded attempt from its stored columns: from ``points`` and
    ``max_points`` when both are set, else from ``score`` (rows written before scores were
    kept exact), else None (not graded)."""
    if points is not None and max_points is not None:
        return percent_of(points, max_points)
    if score is not None:
        return to_fraction(score)
    return None


def combine(method: str, percents: Sequence[Fraction]) -> Fraction | None:
    """The grade over ``percents`` (the counted attempts, oldest first) by ``method``:

    - ``highest``: the best; ``first``: the oldest; ``last``: the newest;
    - ``average``: the exact mean.

    Returns None when there is no percent. An unknown method counts as ``highest``.
    """
    if not percents:
        return None
    if method == Grading.AVERAGE:
        return sum(percents, Fraction(0)) / len(percents)
    if method == Grading.FIRST:
        return percents[0]
    if method == Grading.LAST:
        return percents[-1]
    return max(percents)


def reaches(percent: Number | None, pass_mark: Number) -> bool:
    """True when the exact ``percent`` is at least ``pass_mark`` (both percent); None never
    passes. 69.996 does not reach 70, and 70 does."""
    if percent is None:
        return False
    return to_fraction(percent) >= to_fraction(pass_mark)
