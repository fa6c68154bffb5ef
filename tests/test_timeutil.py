"""Indonesian dates and times (PUEBI style) in WIB, from UTC storage."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from portal.timeutil import format_date_long, format_datetime_long, to_local

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_has_its_indonesian_name_day_first(month):
    assert format_date_long(date(2026, month, 9)) == f"9 {MONTHS[month - 1]} 2026"


def test_a_utc_evening_is_the_next_day_in_wib():
    # 2026-11-28 17:30 UTC is 29 November 2026, 00.30 WIB.
    moment = datetime(2026, 11, 28, 17, 30, tzinfo=timezone.utc)
    assert format_date_long(moment) == "29 November 2026"
    assert format_datetime_long(moment) == "29 November 2026 pukul 00.30 WIB"
    assert format_datetime_long(moment, "en") == "November 29, 2026 at 00:30 WIB"


def test_other_indonesian_zones_are_named():
    moment = datetime(2026, 11, 28, 17, 30, tzinfo=timezone.utc)
    assert format_datetime_long(moment, tz="Asia/Makassar") == "29 November 2026 pukul 01.30 WITA"
    assert format_datetime_long(moment, tz="Asia/Jayapura") == "29 November 2026 pukul 02.30 WIT"


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        to_local(datetime(2026, 11, 29, 8, 0))
    with pytest.raises(ValueError):
        format_date_long(datetime(2026, 11, 29, 8, 0))
