"""Training-needs figures from importance and proficiency ratings (Borich 1980). Pure.

Source: G. D. Borich (1980), "A needs assessment model for conducting follow-up studies",
Journal of Teacher Education 31(3), 39–42.

Each respondent rates, per competency, its importance to the job ``I`` and their own current
proficiency ``C`` on a 1–5 Likert scale. Per competency over the N respondents who rated it:

    discrepancy         dᵢ = Iᵢ − Cᵢ
    mean discrepancy    d̄ = Σ dᵢ / N
    MWDS                Σ (dᵢ · Ī) / N  =  d̄ · Ī        (mean weighted discrepancy score)

Competencies are ranked by MWDS, highest first, with competition ranking (equal scores share
the better rank: 1, 2, 2, 4). A negative MWDS means proficiency already exceeds importance:
no training need. Where the respondent's supervisor (atasan) also rated proficiency ``S``,
the mean of ``C − S`` over those respondents shows how far self-ratings run above (positive)
or below (negative) the supervisor's view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

#: Decimals compared when ranking, so floating-point noise never splits a tie.
RANK_DECIMALS = 9


@dataclass(frozen=True)
class Rating:
    """One respondent's ratings of one competency (each 1..5).

    ``supervisor_proficiency`` is None when the supervisor did not rate. ``group`` is any
    hashable key the caller groups by (a unit id, an agency code, a jabatan), or None.
    """

    competency: str
    importance: int
    proficiency: int
    supervisor_proficiency: int | None = None
    group: Hashable = None


@dataclass(frozen=True)
class NeedFigures:
    """The figures of one competency. Means are None when ``n`` is 0; ``rank`` is None when
    no respondent rated the competency; ``mean_self_minus_supervisor`` is None when
    ``n_supervisor`` is 0."""

    competency: str
    n: int
    mean_importance: float | None
    mean_proficiency: float | None
    mean_discrepancy: float | None
    mwds: float | None
    n_supervisor: int
    mean_self_minus_supervisor: float | None
    rank: int | None


def _check(value: int | None, what: str) -> None:
    if value is not None and not 1 <= value <= 5:
        raise ValueError(f"{what} must be a rating from 1 to 5, got {value!r}")


def _figures(competency: str, ratings: Sequence[Rating]) -> NeedFigures:
    n = len(ratings)
    supervised = [r for r in ratings if r.supervisor_proficiency is not None]
    n_sup = len(supervised)
    self_minus_sup = (sum(r.proficiency - r.supervisor_proficiency for r in supervised) / n_sup
                      if n_sup else None)
    if not n:
        return NeedFigures(competency, 0, None, None, None, None, 0, None, None)
    mean_i = sum(r.importance for r in ratings) / n
    mean_c = sum(r.proficiency for r in ratings) / n
    mean_d = sum(r.importance - r.proficiency for r in ratings) / n
    mwds = sum((r.importance - r.proficiency) * mean_i for r in ratings) / n
    return NeedFigures(competency, n, mean_i, mean_c, mean_d, mwds, n_sup, self_minus_sup, None)


def competition_ranks(scores: Sequence[float | None]) -> list[int | None]:
    """Competition ranks ("1224") of ``scores``, highest first; None scores get None.

    Scores equal to :data:`RANK_DECIMALS` decimals share the better rank.
    """
    keyed = [round(s, RANK_DECIMALS) if s is not None else None for s in scores]
    present = [k for k in keyed if k is not None]
    return [None if k is None else 1 + sum(1 for other in present if other > k)
            for k in keyed]


def needs_figures(ratings: Iterable[Rating],
                  competencies: Sequence[str] | None = None) -> list[NeedFigures]:
    """Borich figures per competency, ordered by rank (then by code; unrated ones last).

    Args:
        ratings: one :class:`Rating` per respondent and competency.
        competencies: the codes to report; a code nobody rated gets ``n == 0``. Default:
            the codes that appear in ``ratings``.

    Returns:
        One :class:`NeedFigures` per competency.

    Raises:
        ValueError: a rating outside 1..5.
    """
    by_code: dict[str, list[Rating]] = defaultdict(list)
    for rating in ratings:
        _check(rating.importance, "importance")
        _check(rating.proficiency, "proficiency")
        _check(rating.supervisor_proficiency, "supervisor proficiency")
        by_code[rating.competency].append(rating)
    codes = list(competencies) if competencies is not None else sorted(by_code)
    rows = [_figures(code, by_code.get(code, [])) for code in codes]
    ranks = competition_ranks([row.mwds for row in rows])
    ranked = [NeedFigures(**{**row.__dict__, "rank": rank}) for row, rank in zip(rows, ranks)]
    return sorted(ranked, key=lambda r: (r.rank is None, r.rank or 0, r.competency))


@dataclass(frozen=True)
class GroupFigures:
    """The figures of one group. ``respondents`` counts distinct respondents; when it is
    below the minimum group size, ``hidden`` is True and ``rows`` is empty, so a small
    group's answers cannot be told apart."""

    group: Hashable
    respondents: int
    hidden: bool
    rows: list[NeedFigures]


def figures_by_group(ratings: Iterable[tuple[Hashable, Rating]],
                     group_of: Callable[[Rating], Hashable],
                     min_group_size: int,
                     competencies: Sequence[str] | None = None) -> list[GroupFigures]:
    """Borich figures per group, hiding groups with fewer than ``min_group_size``
    respondents (the ``NEEDS_MIN_GROUP_SIZE`` setting).

    Args:
        ratings: ``(respondent_key, rating)`` pairs; respondents are counted by key.
        group_of: the group of a rating (e.g. ``lambda r: r.group``).
        min_group_size: the smallest number of respondents whose figures may be shown.
        competencies: as in :func:`needs_figures`.

    Returns:
        One :class:`GroupFigures` per group, ordered by the group's string form.
    """
    grouped: dict[Hashable, list[Rating]] = defaultdict(list)
    people: dict[Hashable, set] = defaultdict(set)
    for respondent, rating in ratings:
        group = group_of(rating)
        grouped[group].append(rating)
        people[group].add(respondent)
    out = []
    for group in sorted(grouped, key=str):
        count = len(people[group])
        hidden = count < min_group_size
        rows = [] if hidden else needs_figures(grouped[group], competencies)
        out.append(GroupFigures(group, count, hidden, rows))
    return out
