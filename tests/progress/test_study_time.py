"""The minimum-study-time rules (portal/progress/study_time.py), as plain functions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from portal.progress.study_time import minutes_left, ready_at, required_study, seconds_left

UTC = timezone.utc


@pytest.mark.parametrize("minutes, min_minutes, ratio, expected", [
    (45, None, 0.0, 0),      # the default: opening the module is enough
    (45, None, 0.5, 23),     # 22.5 rounds up
    (30, None, 0.1, 3),      # 0.1 × 30 is 3.0000000000000004 in floating point: still 3
    (90, None, 1.0, 90),
    (60, 20, 0.5, 20),       # the author's minimum wins over the setting ...
    (60, 0, 0.5, 0),         # ... also to exempt a module
    (60, 45, 0.0, 45),
])
def test_required_study(minutes, min_minutes, ratio, expected):
    assert required_study(minutes, min_minutes, ratio) == timedelta(minutes=expected)


@pytest.mark.parametrize("ratio", [-0.1, 1.01, 2])
def test_a_ratio_outside_0_to_1_is_refused(ratio):
    with pytest.raises(ValueError):
        required_study(30, None, ratio)


def test_ready_at_rounds_up_to_the_next_whole_minute():
    opened = datetime(2026, 11, 29, 3, 12, 37, tzinfo=UTC)            # 10.12.37 WIB
    assert ready_at(opened, timedelta(minutes=30)) == datetime(2026, 11, 29, 3, 43, tzinfo=UTC)
    on_the_minute = datetime(2026, 11, 29, 3, 12, tzinfo=UTC)
    assert ready_at(on_the_minute, timedelta(minutes=30)) == datetime(2026, 11, 29, 3, 42,
                                                                      tzinfo=UTC)
    assert ready_at(opened, timedelta(0)) == opened                   # nothing required


def test_ready_at_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        ready_at(datetime(2026, 11, 29, 3, 0), timedelta(minutes=5))


def test_time_left_rounds_up_and_never_goes_negative():
    ready = datetime(2026, 11, 29, 3, 43, tzinfo=UTC)
    assert seconds_left(ready, ready - timedelta(minutes=30, seconds=23)) == 1823
    assert minutes_left(ready, ready - timedelta(minutes=30, seconds=23)) == 31
    assert minutes_left(ready, ready - timedelta(seconds=61)) == 2
    assert minutes_left(ready, ready - timedelta(microseconds=1)) == 1
    assert seconds_left(ready, ready) == 0 and minutes_left(ready, ready) == 0
    assert seconds_left(ready, ready + timedelta(hours=1)) == 0
