"""Review policy: what a learner sees of a submitted attempt, and when.

After Moodle's quiz review options (mod/quiz, ``display_options``; "Review options" in the
quiz settings): for each *moment* the quiz sets which *items* the review shows.

Moments (:func:`moment`, as Moodle's ``quiz_attempt_state``):

- ``right_after`` — within :data:`RIGHT_AFTER_SECONDS` (2 minutes) of the submission;
- ``while_open`` — later, while the learner may still start an attempt at the quiz;
- ``after_close`` — once the quiz is closed to the learner (it takes precedence): no
  attempts left, or, for a post-test, the course completed. A pre-test closes only when the
  course's post-test is closed to the learner too, because pre- and post-test are parallel
  (they test the same competencies, sometimes with the same questions).

Moodle's fourth moment, "during the attempt", belongs to its interactive behaviours; this
portal grades on submission (Moodle's "deferred feedback", where that column is switched
off), so during an attempt the learner sees only their own answers.

Items: ``answer`` (the learner's own answers; without it the review shows the score only),
``correct`` (whether each answer is right), ``marks`` (points per question),
``right_answer`` (the answer key) and ``explanation`` (the text after ``>`` in the quiz
file, which usually gives the answer away). The overall score, and for a post-test the
pass/fail result, are always shown.

Defaults by quiz kind (:data:`DEFAULT_POLICIES`):

- post-test: the learner's answers only while they may still attempt it (no key, no
  right/wrong per question, no explanation: a retake must not be an exercise in elimination);
  everything once it is closed to them;
- pre-test: answers, right/wrong and marks — where the gaps are, which is what a pre-test
  is for — but no key and no explanation until the post-test is closed to the learner;
- practice: everything at once (practice is for learning).

Instructors and admins always see everything (:data:`EVERYTHING`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

#: The moments of a review, in time order.
MOMENTS = ("right_after", "while_open", "after_close")

#: What a review can show.
ITEMS = ("answer", "correct", "marks", "right_answer", "explanation")

#: How long after the submission "right after" lasts (Moodle: 2 minutes).
RIGHT_AFTER_SECONDS = 120

Policy = dict[str, tuple[str, ...]]

_ALL = ITEMS
_NO_KEY_POSTTEST = ("answer",)
_NO_KEY_PRETEST = ("answer", "correct", "marks")

#: The policy of a quiz that sets none, by kind.
DEFAULT_POLICIES: dict[str, Policy] = {
    "posttest": {"right_after": _NO_KEY_POSTTEST, "while_open": _NO_KEY_POSTTEST,
                 "after_close": _ALL},
    "pretest": {"right_after": _NO_KEY_PRETEST, "while_open": _NO_KEY_PRETEST,
                "after_close": _ALL},
    "practice": {"right_after": _ALL, "while_open": _ALL, "after_close": _ALL},
}


@dataclass(frozen=True)
class ReviewOptions:
    """What one review page shows (each True or False), see the module docstring."""

    answer: bool = False
    correct: bool = False
    marks: bool = False
    right_answer: bool = False
    explanation: bool = False

    @classmethod
    def of(cls, items) -> "ReviewOptions":
        """Options showing exactly ``items`` (names from :data:`ITEMS`)."""
        wanted = set(items)
        return cls(**{item: item in wanted for item in ITEMS})

    @property
    def shows_key(self) -> bool:
        """True when the page may reveal the answer key (right answers or explanations)."""
        return self.right_answer or self.explanation


#: Everything: what instructors and admins see.
EVERYTHING = ReviewOptions.of(ITEMS)


def parse_policy(value: Any) -> tuple[Policy | None, str | None]:
    """Check a ``review:`` front-matter value; returns ``(policy, None)`` or
    ``(None, message)``.

    The value is a mapping from moments to items: a list of item names, ``all``, ``none``
    or an empty list. Moments left out keep the default of the quiz kind (the returned
    policy holds only the moments given)::

        review:
          right_after: [answer, marks]
          while_open: [answer]
          after_close: all
    """
    if not isinstance(value, dict) or not value:
        return None, ("must list moments and what to show, e.g. "
                      "{right_after: [answer], while_open: [answer], after_close: all}")
    policy: Policy = {}
    for moment, items in value.items():
        moment = str(moment).strip()
        if moment == "during":
            return None, ('cannot use the moment "during": quizzes are graded when they are '
                          "submitted, so an attempt in progress shows only the learner's "
                          f'own answers (moments: {", ".join(MOMENTS)})')
        if moment not in MOMENTS:
            return None, f'has an unknown moment "{moment}" (moments: {", ".join(MOMENTS)})'
        if items is None or items == "none" or items == []:
            policy[moment] = ()
            continue
        if items == "all":
            policy[moment] = _ALL
            continue
        if isinstance(items, str):
            items = [part.strip() for part in items.split(",") if part.strip()]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            return None, (f'must give "{moment}" a list of: {", ".join(ITEMS)} '
                          "(or all, or none)")
        unknown = [i for i in items if i.strip() not in ITEMS]
        if unknown:
            return None, (f'has "{unknown[0]}" under "{moment}", which is not something a '
                          f'review shows (choose from: {", ".join(ITEMS)})')
        wanted = {i.strip() for i in items}
        policy[moment] = tuple(i for i in ITEMS if i in wanted)
    return policy, None


def effective_policy(kind: str, custom: Mapping[str, Any] | None) -> Policy:
    """The policy of a quiz of ``kind`` whose front matter set ``custom`` (None: none):
    the kind's default with the moments ``custom`` gives replaced. An unknown kind starts
    from the post-test default (the safest)."""
    policy = dict(DEFAULT_POLICIES.get(kind, DEFAULT_POLICIES["posttest"]))
    for moment, items in (custom or {}).items():
        if moment in MOMENTS:
            policy[moment] = tuple(i for i in ITEMS if i in set(items or ()))
    return policy


def moment(submitted_at: datetime | None, now: datetime, closed: bool) -> str:
    """The moment of a review at ``now`` (aware UTC) of an attempt submitted at
    ``submitted_at``: ``after_close`` when the quiz is ``closed`` to the learner, else
    ``right_after`` within :data:`RIGHT_AFTER_SECONDS` of the submission, else
    ``while_open``."""
    if closed:
        return "after_close"
    if submitted_at is not None and now < submitted_at + timedelta(seconds=RIGHT_AFTER_SECONDS):
        return "right_after"
    return "while_open"


def options_for(kind: str, custom: Mapping[str, Any] | None, at: str) -> ReviewOptions:
    """What the learner sees at moment ``at`` of a quiz of ``kind`` with policy
    ``custom``."""
    return ReviewOptions.of(effective_policy(kind, custom).get(at, ()))
