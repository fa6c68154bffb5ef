"""Minimum study time before a module can be marked done (pure rules; no database).

The rule (the portal's own, after Moodle's activity completion "the learner must view this
activity" plus a minimum time on it):

1. A module can be marked done only after its page was served to the learner; the server
   records the first opening (:class:`portal.progress.models.ModuleVisit`), never a time
   sent by the browser.
2. It can be marked done only once its required study time has passed since that first
   opening (:func:`required_study`):

   - the author's ``min_minutes`` from the module's front matter, when set (0: none);
   - else the ``MIN_STUDY_RATIO`` setting times the module's estimated ``minutes``, rounded
     up to whole minutes (0, the default, means none: opening is enough).

   The moment it becomes possible (:func:`ready_at`) is rounded up to the next whole minute,
   so "from 10.43 WIB", as the learner reads it, is never early.

Why both: the operator sets one policy for every course (say half of each module's stated
time, so a 12-JP course cannot be finished in a minute) without editing content; the
author, who knows which module is a short overview and which a long case study, can set a
module's own minimum, or exempt it with ``min_minutes: 0``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

#: Largest accepted ``MIN_STUDY_RATIO``: a minimum above the estimated time would be a wait
#: the author never announced.
MAX_RATIO = 1.0


def required_study(minutes: int, min_minutes: int | None, ratio: float) -> timedelta:
    """The study time a module requires before it can be marked done.

    Args:
        minutes: the module's estimated study time in minutes (front matter ``minutes``).
        min_minutes: the author's minimum in minutes (front matter ``min_minutes``), or
            None when not set; 0 means no minimum for this module.
        ratio: the ``MIN_STUDY_RATIO`` setting, a fraction from 0 to 1 of ``minutes``.

    Returns:
        A whole number of minutes as a timedelta: ``min_minutes`` when set, else
        ``ceil(ratio × minutes)``; ``timedelta(0)`` when there is no minimum.

    Raises:
        ValueError: ``ratio`` outside 0..1, or a negative number of minutes.
    """
    if not 0 <= ratio <= MAX_RATIO:
        raise ValueError(f"ratio must be from 0 to 1, got {ratio!r}")
    if minutes < 0 or (min_minutes is not None and min_minutes < 0):
        raise ValueError("minutes cannot be negative")
    if min_minutes is not None:
        return timedelta(minutes=min_minutes)
    # Round 0.5 × 45 = 22.5 up to 23; the small epsilon keeps 0.1 × 30 (3.0000000000000004)
    # at 3, not 4.
    return timedelta(minutes=math.ceil(ratio * minutes - 1e-9))


def ready_at(first_opened_at: datetime, required: timedelta) -> datetime:
    """When a module opened at ``first_opened_at`` (aware UTC) may be marked done.

    ``first_opened_at + required``, rounded up to the next whole minute when anything is
    required (so a time shown as hours and minutes is never early); ``first_opened_at``
    itself when nothing is.

    Raises:
        ValueError: ``first_opened_at`` is naive.
    """
    if first_opened_at.tzinfo is None:
        raise ValueError("naive datetime given; use an aware UTC datetime")
    if required <= timedelta(0):
        return first_opened_at
    moment = first_opened_at + required
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def seconds_left(ready: datetime, now: datetime) -> int:
    """Whole seconds from ``now`` until ``ready`` (rounded up), 0 when it has passed."""
    return max(0, math.ceil((ready - now).total_seconds()))


def minutes_left(ready: datetime, now: datetime) -> int:
    """Whole minutes from ``now`` until ``ready`` (rounded up: 61 s left is 2 minutes), 0
    when it has passed."""
    return math.ceil(seconds_left(ready, now) / 60)
