"""The time of day as a learner reads it (``portal.timeutil.format_time_short``): PUEBI's
"10.43 WIB" in Indonesian, "10:43 WIB" in English, in the display zone."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from portal.timeutil import format_time_short

MOMENT = datetime(2026, 11, 29, 3, 43, 59, tzinfo=timezone.utc)


def test_time_of_day_in_wib():
    assert format_time_short(MOMENT) == "10.43 WIB"
    assert format_time_short(MOMENT, "en") == "10:43 WIB"


def test_time_of_day_in_other_zones_and_past_midnight():
    assert format_time_short(MOMENT, tz="Asia/Makassar") == "11.43 WITA"
    assert format_time_short(datetime(2027, 12, 31, 17, 5, tzinfo=timezone.utc)) == "00.05 WIB"


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        format_time_short(datetime(2026, 11, 29, 3, 43))
