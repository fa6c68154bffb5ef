"""NIP (Nomor Induk Pegawai) of a PNS: validation, grouping and masking.

Structure (Peraturan Kepala BKN Nomor 22 Tahun 2007): 18 digits ``YYYYMMDD YYYYMM G NNN``:
birth date, year and month of first appointment (TMT CPNS), gender digit (1 male,
2 female) and a sequence number from 001. A NIP reveals birth date and gender: it is
personal data (UU 27/2022) and is masked on public pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.timeutil import today_local


class InvalidNip(ValueError):
    """Raised by :func:`parse_nip`; ``code`` names the rule broken (length, digits,
    birth_date, appointment, gender, sequence, order)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Nip:
    """A parsed NIP. ``gender`` is ``"L"`` (laki-laki, digit 1) or ``"P"`` (perempuan, 2)."""

    value: str
    birth_date: date
    appointment_year: int
    appointment_month: int
    gender: str
    sequence: int


def normalize_nip(raw: str) -> str:
    """Remove spaces, dots and dashes people type inside a NIP."""
    return "".join(ch for ch in (raw or "") if ch not in " .-\t\u00a0")


EARLIEST_BIRTH_YEAR = 1900
"""No NIP holder was born before this year; earlier birth dates are typing errors."""

APPOINTMENT_LEAD_MONTHS = 12
"""How far ahead of the current month an appointment (TMT CPNS) may lie: a NIP can be
issued a few months before the appointment takes effect, never years before."""


def parse_nip(raw: str, *, today: date | None = None) -> Nip:
    """Parse and validate a NIP.

    Args:
        raw: the NIP as typed; spaces, dots and dashes are ignored.
        today: the current date (default: today in WIB, from the portal's clock
            :func:`portal.timeutil.today_local`); a birth date after it, or an
            appointment month more than :data:`APPOINTMENT_LEAD_MONTHS` months after its
            month, is not real.

    Returns:
        The parsed :class:`Nip`.

    Raises:
        InvalidNip: not 18 digits, an impossible birth date (not a calendar date, before
            1900 or in the future), an impossible appointment month (not a calendar month,
            before 1900 or too far in the future), an appointment month not after the
            birth month, a gender digit other than 1 or 2, or sequence 000. ``code`` says
            which (checked in that order, digits before length).
    """
    value = normalize_nip(raw)
    if not value.isdigit() or not value.isascii():
        raise InvalidNip("digits", "NIP must contain digits only.")
    if len(value) != 18:
        raise InvalidNip("length", f"NIP must be 18 digits; {len(value)} given.")
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError as exc:
        raise InvalidNip("birth_date", "The birth date in the NIP (digits 1–8) is not a real date.") from exc
    today = today or today_local()
    if birth.year < EARLIEST_BIRTH_YEAR or birth > today:
        raise InvalidNip("birth_date", "The birth date in the NIP (digits 1–8) is not a real date.")
    year, month = int(value[8:12]), int(value[12:14])
    latest = today.year * 12 + today.month - 1 + APPOINTMENT_LEAD_MONTHS
    if not 1 <= month <= 12 or year < 1900 or year * 12 + month - 1 > latest:
        raise InvalidNip("appointment", "The appointment month in the NIP (digits 9–14) is not a real month.")
    if (year, month) <= (birth.year, birth.month):
        raise InvalidNip("order", "The appointment date in the NIP is before the birth date.")
    gender_digit = value[14]
    if gender_digit not in "12":
        raise InvalidNip("gender", "The 15th digit of the NIP (gender) must be 1 or 2.")
    sequence = int(value[15:18])
    if sequence == 0:
        raise InvalidNip("sequence", "The sequence number in the NIP (last 3 digits) starts at 001.")
    return Nip(value, birth, year, month, "L" if gender_digit == "1" else "P", sequence)


def format_nip(value: str | None) -> str:
    """Group an 18-digit NIP as ``19860926 201505 1 001``; other values are returned as is."""
    if not value:
        return ""
    v = normalize_nip(value)
    if len(v) != 18 or not v.isdigit():
        return value
    return f"{v[0:8]} {v[8:14]} {v[14]} {v[15:18]}"


def mask_nip(value: str | None) -> str:
    """Mask a NIP for public pages, hiding birth date and gender: ``1986**** ****** * *01``.

    Keeps the birth year and the last two digits, enough for a holder to recognise their own
    number and nothing more. A value that is not 18 characters long (after
    :func:`normalize_nip`) is masked entirely; empty or None gives ``""``.
    """
    if not value:
        return ""
    v = normalize_nip(value)
    if len(v) != 18:
        return "*" * len(v)
    return f"{v[0:4]}**** ****** * *{v[16:18]}"
