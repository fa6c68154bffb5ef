"""Time handling: store UTC, show WIB (Asia/Jakarta, UTC+7, no daylight saving).

Indonesian date style follows the Pedoman Umum Ejaan Bahasa Indonesia (PUEBI): "29 November 2026"
and times with a period, "pukul 08.00 WIB".
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date as _babel_format_date

UTC = timezone.utc
WIB = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    """Return the current time as a timezone-aware UTC datetime.

    This is the portal's one clock: every "now" and "today" in the product comes from it
    (directly, or through :func:`today_local`), so tests freeze time in one place.
    """
    return datetime.now(UTC)


def today_local(tz: str | ZoneInfo = WIB) -> date:
    """Today's calendar date in the display zone (default WIB), from :func:`utcnow`."""
    return to_local(utcnow(), tz).date()


class UTCDateTime(sa.types.TypeDecorator):
    """A DateTime column that stores naive UTC and always returns aware UTC datetimes.

    SQLite keeps no time zone and PostgreSQL's ``timestamp`` neither; storing naive UTC on
    both keeps comparisons identical across databases.

    Raises:
        ValueError: when bound a naive datetime (its zone would be a guess).
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Convert an aware datetime to naive UTC for the database; None stays None.

        Raises:
            ValueError: ``value`` is naive.
        """
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Mark a stored naive UTC datetime as aware UTC; None stays None."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def to_local(value: datetime, tz: str | ZoneInfo = WIB) -> datetime:
    """Convert an aware datetime to the display zone (default WIB).

    Raises:
        ValueError: for a naive datetime.
    """
    if value.tzinfo is None:
        raise ValueError("naive datetime given; use an aware UTC datetime")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return value.astimezone(zone)


def zone_abbreviation(zone: ZoneInfo) -> str:
    """Return the Indonesian zone name (WIB, WITA, WIT) or the IANA abbreviation."""
    names = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
             "Asia/Jayapura": "WIT"}
    return names.get(zone.key, utcnow().astimezone(zone).tzname() or zone.key)


def format_date_long(value: date | datetime, locale: str = "id", tz: str | ZoneInfo = WIB) -> str:
    """Format a date in long style: ``29 November 2026`` (id) or ``November 29, 2026`` (en).

    A datetime is first converted to ``tz`` so a UTC evening shows as the WIB date; a
    ``date`` is printed as it is.

    Raises:
        ValueError: ``value`` is a naive datetime.
    """
    if isinstance(value, datetime):
        value = to_local(value, tz).date()
    return _babel_format_date(value, format="long", locale=locale)


def format_datetime_long(value: datetime, locale: str = "id", tz: str | ZoneInfo = WIB) -> str:
    """Format an aware datetime as ``29 November 2026 pukul 08.00 WIB`` (id) or
    ``November 29, 2026 at 08:00 WIB`` (en), in the display zone ``tz``.

    Any locale other than ``id*`` gets the English pattern.

    Raises:
        ValueError: ``value`` is naive.
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = to_local(value, zone)
    day = _babel_format_date(local.date(), format="long", locale=locale)
    abbr = zone_abbreviation(zone)
    if locale.startswith("id"):
        return f"{day} pukul {local:%H.%M} {abbr}"
    return f"{day} at {local:%H:%M} {abbr}"


def format_time_short(value: datetime, locale: str = "id", tz: str | ZoneInfo = WIB) -> str:
    """Format the time of day of an aware datetime in the display zone ``tz``: ``10.43 WIB``
    (id, PUEBI's period between hours and minutes) or ``10:43 WIB`` (any other locale).

    Raises:
        ValueError: ``value`` is naive.
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = to_local(value, zone)
    separator = "." if locale.startswith("id") else ":"
    return f"{local:%H}{separator}{local:%M} {zone_abbreviation(zone)}"
