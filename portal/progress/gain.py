"""Normalized learning gain between a pre-test and a post-test (Kirkpatrick level 2).

Source: R. R. Hake (1998), "Interactive-engagement versus traditional methods: A
six-thousand-student survey of mechanics test data for introductory physics courses",
American Journal of Physics 66(1), 64–74.

    g = (post% − pre%) / (100 − pre%)

Bands (Hake 1998): high g ≥ 0.7; medium 0.3 ≤ g < 0.7; low 0 ≤ g < 0.3. Hake's bands
describe gains; a negative g means the learner scored lower after the course, which is a
decline (``"decline"``, *turun*), not a low gain.

Two cohort figures exist and differ in general, so every cohort number says which it is:
- :func:`gain_of_averages` — Hake's class gain ⟨g⟩, computed from the cohort's average pre
  and post scores;
- :func:`average_gain` — the mean of each learner's own gain (L. Bao (2006), "Theoretical
  comparisons of average normalized gain calculations", Am. J. Phys. 74(10), 917–922).
"""

from __future__ import annotations

from collections.abc import Iterable

from decimal import Decimal

from portal.numbers import exact_sum, floor_decimal

#: Lower bounds of the bands (Hake 1998).
HIGH_GAIN = 0.7
MEDIUM_GAIN = 0.3

Pair = tuple[float | None, float | None]


def _check_percent(name: str, value: float) -> None:
    if not 0 <= value <= 100:
        raise ValueError(f"{name} must be a percent between 0 and 100, got {value!r}")


def normalized_gain(pre_percent: float | None, post_percent: float | None) -> float | None:
    """The normalized gain of ONE learner from a pair of scores (Hake 1998).

    Args:
        pre_percent: the pre-test score in percent (0..100), or None when not taken.
        post_percent: the post-test score in percent (0..100), or None when not taken.

    Returns:
        ``(post − pre) / (100 − pre)``, a fraction ≤ 1 that is negative when the learner
        scored lower after the course; None when either score is missing or when
        ``pre == 100`` (nothing left to gain: the gain is undefined).

    Raises:
        ValueError: a score outside 0..100.
    """
    if pre_percent is None or post_percent is None:
        return None
    _check_percent("pre_percent", pre_percent)
    _check_percent("post_percent", post_percent)
    if pre_percent >= 100:
        return None
    return (post_percent - pre_percent) / (100 - pre_percent)


def gain_band(g: float | None) -> str | None:
    """The band of a normalized gain (Hake 1998): ``"high"`` (g ≥ 0.7), ``"medium"``
    (0.3 ≤ g < 0.7), ``"low"`` (0 ≤ g < 0.3) or ``"decline"`` (g < 0: the post-test score
    fell below the pre-test score); None for None.

    ``g`` is rounded to 9 decimals first so floating-point noise (0.29999999999999993)
    does not move a gain that is exactly on a boundary into the band below.
    """
    if g is None:
        return None
    g = round(g, 9)
    if g >= HIGH_GAIN:
        return "high"
    if g >= MEDIUM_GAIN:
        return "medium"
    if g >= 0:
        return "low"
    return "decline"


#: Decimals of a gain as pages show it.
GAIN_DECIMALS = 2


def shown_gain(g: float | None, decimals: int = GAIN_DECIMALS) -> Decimal | None:
    """The gain ``g`` as pages show it: rounded DOWN to ``decimals`` decimals, the rule of
    scores (:func:`portal.numbers.format_percent`), so the figure never crosses a band's
    lower bound that ``g`` missed: 0.6999 is 0.69 (medium), never 0.70 next to "medium";
    -0.001 is -0.01 (decline). Rounded to 9 decimals first, as :func:`gain_band` does, so a
    gain of exactly 0.7 that floats compute as 0.6999999999999999 is 0.70. None for None."""
    if g is None:
        return None
    return floor_decimal(round(g, 9), decimals)


def average_gain(pairs: Iterable[Pair]) -> float | None:
    """The AVERAGE OF THE INDIVIDUAL GAINS of a cohort (Bao 2006's ⟨g⟩ of learners).

    Args:
        pairs: ``(pre_percent, post_percent)`` per learner; a pair whose gain is undefined
            (a score missing, or pre == 100) is left out.

    Returns:
        The mean of :func:`normalized_gain` over the learners whose gain is defined, or None
        when there is none.

    Raises:
        ValueError: a score outside 0..100.
    """
    gains = [g for pre, post in pairs if (g := normalized_gain(pre, post)) is not None]
    if not gains:
        return None
    return sum(gains) / len(gains)


def gain_of_averages(pairs: Iterable[Pair]) -> float | None:
    """The GAIN OF THE AVERAGES of a cohort: Hake's (1998) class gain ⟨g⟩.

    Args:
        pairs: ``(pre_percent, post_percent)`` per learner; only learners with both scores
            are counted, so both averages describe the same people.

    Returns:
        :func:`normalized_gain` of (mean pre %, mean post %), or None when no learner has
        both scores or the mean pre-test score is 100.

    Raises:
        ValueError: a mean score outside 0..100 (single scores are not checked one by
            one, unlike in :func:`average_gain`).
    """
    complete = [(pre, post) for pre, post in pairs if pre is not None and post is not None]
    if not complete:
        return None
    mean_pre = exact_sum(pre for pre, _ in complete) / len(complete)
    mean_post = exact_sum(post for _, post in complete) / len(complete)
    return normalized_gain(mean_pre, mean_post)
