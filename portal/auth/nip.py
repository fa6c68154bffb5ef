"""NIP of a PNS and NI PPPK of a PPPK: validation, kind, grouping and masking.

Structure of a NIP (Nomor Induk Pegawai; Peraturan Kepala BKN Nomor 22 Tahun 2007): 18 digits
``YYYYMMDD YYYYMM G NNN``: birth date, year and month of first appointment (TMT CPNS), gender
digit (1 male, 2 female) and a sequence number from 001.

An NI PPPK (Nomor Induk PPPK, the number BKN gives a contract civil servant under PP 49/2018
on PPPK management) has the same 18 digits and groups, but digits 9–14 are the appointment
year followed by ``21`` instead of a month: ``19820828 202321 2 004`` is a woman born on
28 August 1982, appointed PPPK in 2023. No month is 21, so the two kinds never overlap.

Either number reveals birth date and gender: it is personal data (UU 27/2022) and is masked
on public pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.errors import DomainError
from portal.timeutil import today_local


class InvalidNip(DomainError, ValueError):
    """Raised by :func:`parse_nip`; ``code`` names the rule broken (length, digits,
    birth_date, appointment, pppk_year, gender, sequence, order); ``field`` is ``nip``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message, field="nip")


PNS = "PNS"
PPPK = "PPPK"

PPPK_MARK = "21"
"""Digits 13–14 of an NI PPPK, where a NIP has the appointment month."""

EARLIEST_PPPK_YEAR = 2019
"""No PPPK was appointed before 2019: PP 49/2018 (Manajemen PPPK), which the first
appointments follow, was enacted at the end of 2018."""


@dataclass(frozen=True)
class Nip:
    """A parsed NIP or NI PPPK.

    ``kind`` is :data:`PNS` or :data:`PPPK`; ``appointment_month`` is None for an NI PPPK
    (its number carries the year only). ``gender`` is ``"L"`` (laki-laki, digit 1) or ``"P"``
    (perempuan, 2).
    """

    value: str
    birth_date: date
    appointment_year: int
    appointment_month: int | None
    gender: str
    sequence: int
    kind: str = PNS

    @property
    def label(self) -> str:
        """The number's name as printed: ``NIP`` or ``NI PPPK``."""
        return nip_label(self.value)


def normalize_nip(raw: str) -> str:
    """Remove spaces, dots and dashes people type inside a NIP."""
    return "".join(ch for ch in (raw or "") if ch not in " .-\t\u00a0")


EARLIEST_BIRTH_YEAR = 1900
"""No NIP holder was born before this year; earlier birth dates are typing errors."""

MIN_AGE_PNS = 18
"""Youngest age, in years, at which a PNS is appointed (TMT CPNS): PP 11/2017 on PNS
management, Pasal 23 ayat (1) huruf a — applicants are at least 18 (and at most 35) years
old when they apply, and the appointment comes after the application. The rules before it
(PP 98/2000 on the procurement of PNS, Pasal 6, as amended by PP 11/2002) set the same
minimum of 18. (The article numbers are as the portal's authors know them; the wording was
not checked against the official gazette here.)"""

MIN_AGE_PPPK = 20
"""Youngest age, in years, at which a PPPK is appointed: PP 49/2018 on PPPK management,
Pasal 16 huruf a — applicants are at least 20 years old. Perpres 38/2020 only lists the
positions a PPPK may hold and sets no age. (The minimum of 20 was checked against a
summary of PP 49/2018's application requirements; the article number is not checked.)"""

APPOINTMENT_LEAD_MONTHS = 12
"""How far ahead of the current month an appointment (TMT CPNS) may lie: a NIP can be
issued a few months before the appointment takes effect, never years before."""


def parse_nip(raw: str, *, today: date | None = None) -> Nip:
    """Parse and validate a NIP (PNS) or an NI PPPK, equally strictly.

    Args:
        raw: the number as typed; spaces, dots and dashes are ignored.
        today: the current date (default: today in WIB, from the portal's clock
            :func:`portal.timeutil.today_local`); a birth date after it, or an
            appointment more than :data:`APPOINTMENT_LEAD_MONTHS` months after its
            month (for an NI PPPK: in a year after that), is not real.

    Returns:
        The parsed :class:`Nip`; ``kind`` says which of the two it is (digits 13–14 are
        ``21`` for an NI PPPK, a month 01–12 for a NIP).

    Raises:
        InvalidNip: not 18 digits, an impossible birth date (not a calendar date, before
            1900 or in the future), digits 13–14 neither a month nor ``21``, an impossible
            appointment month of a NIP (before 1900 or too far in the future), an impossible
            appointment year of an NI PPPK (``pppk_year``: before
            :data:`EARLIEST_PPPK_YEAR` or too far in the future), an appointment not after
            the birth (``order``; month by month for a NIP, year by year for an NI PPPK), a
            holder younger than the minimum age when appointed (``age``; see
            :func:`appointed_too_young`), a gender digit other than 1 or 2, or sequence 000.
            ``code`` says which (checked in that order, digits before length).
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
    year, mark = int(value[8:12]), value[12:14]
    latest = today.year * 12 + today.month - 1 + APPOINTMENT_LEAD_MONTHS
    if mark == PPPK_MARK:
        kind, month = PPPK, None
        if year < EARLIEST_PPPK_YEAR or year > latest // 12:
            raise InvalidNip("pppk_year", "The appointment year in the NI PPPK (digits 9–12) is not a real year.")
        if year <= birth.year:
            raise InvalidNip("order", "The appointment year in the NI PPPK is not after the birth year.")
    else:
        kind, month = PNS, int(mark)
        if not 1 <= month <= 12 or year < 1900 or year * 12 + month - 1 > latest:
            raise InvalidNip("appointment", "The appointment month in the NIP (digits 9–14) is not a real month.")
        if (year, month) <= (birth.year, birth.month):
            raise InvalidNip("order", "The appointment date in the NIP is before the birth date.")
    if appointed_too_young(birth, year, month):
        minimum = MIN_AGE_PPPK if month is None else MIN_AGE_PNS
        raise InvalidNip("age", f"The birth date and the appointment date in the NIP give an "
                                f"age under {minimum} at the appointment.")
    gender_digit = value[14]
    if gender_digit not in "12":
        raise InvalidNip("gender", "The 15th digit of the NIP (gender) must be 1 or 2.")
    sequence = int(value[15:18])
    if sequence == 0:
        raise InvalidNip("sequence", "The sequence number in the NIP (last 3 digits) starts at 001.")
    return Nip(value, birth, year, month, "L" if gender_digit == "1" else "P", sequence, kind)


def appointed_too_young(birth: date, year: int, month: int | None) -> bool:
    """True when a holder born on ``birth`` was younger than the minimum age at the
    appointment the number encodes.

    For a NIP (``month`` 1–12) the appointment (TMT CPNS) is the first day of that month,
    and the holder must be at least :data:`MIN_AGE_PNS` (18) years old on it. For an NI
    PPPK (``month`` None) only the year is known, so the last day of ``year`` is taken (the
    reading most favourable to the holder) and the minimum is :data:`MIN_AGE_PPPK` (20).
    Both rules fix the age at the application, which comes before the appointment, so a
    younger age at the appointment is impossible. A birthday on 29 February counts from
    1 March in other years.
    """
    if month is None:
        minimum, appointed = MIN_AGE_PPPK, date(year, 12, 31)
    else:
        minimum, appointed = MIN_AGE_PNS, date(year, month, 1)
    age = appointed.year - birth.year - (
        (appointed.month, appointed.day) < (birth.month, birth.day))
    return age < minimum


def nip_kind(value: str | None) -> str | None:
    """:data:`PPPK` when digits 13–14 of an 18-digit number are ``21``, :data:`PNS` for any
    other 18-digit number, None for anything else (empty, not 18 digits). Reads the digits
    only; validation is :func:`parse_nip`'s job."""
    v = normalize_nip(value or "")
    if len(v) != 18 or not v.isdigit() or not v.isascii():
        return None
    return PPPK if v[12:14] == PPPK_MARK else PNS


def nip_label(value: str | None) -> str:
    """What the number is called where it is shown: ``NI PPPK`` for an NI PPPK, else
    ``NIP`` (also for an empty or malformed value). Indonesian terms, never translated."""
    return "NI PPPK" if nip_kind(value) == PPPK else "NIP"


def format_nip(value: str | None) -> str:
    """Group an 18-digit NIP or NI PPPK as ``19860926 201505 1 001`` (``19820828 202321 2 004``);
    other values are returned as is."""
    if not value:
        return ""
    v = normalize_nip(value)
    if len(v) != 18 or not v.isdigit():
        return value
    return f"{v[0:8]} {v[8:14]} {v[14]} {v[15:18]}"


def mask_nip(value: str | None) -> str:
    """Mask a NIP or NI PPPK for public pages, hiding birth date and gender:
    ``1986**** ****** * *01``.

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
