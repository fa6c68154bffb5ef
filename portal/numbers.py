"""Numbers as Indonesians write them: reading typed numbers, and showing percents.

Reading (:func:`parse_number`). The Indonesian convention: a comma is the decimal mark and a
dot groups thousands in threes (``3,5`` is three and a half, ``1.000`` is one thousand,
``Rp5.000,00``). Sources: Pedoman Umum Ejaan Bahasa Indonesia (PUEBI, Permendikbud
50/2015), *Tanda Titik* — "Tanda titik dipakai untuk memisahkan bilangan ribuan atau
kelipatannya yang menunjukkan jumlah" (``13.000 pulau``) — and its examples of decimal
fractions (``0,5``, ``Rp5.000,00``); the Unicode CLDR locale data for ``id`` (decimal
``,``, group ``.``). The same rule reads learners' typed answers and the numbers instructors
write in quiz files (``[[1.000]]``, ``[[3,5]]``, ``toleransi: 0,5``).

Text that is made of digits, dots, commas and spaces but is not a number in that
convention (``3.5``, ``1,000.5``, ``1 000``, ``1.00``) is *refused*, not guessed: the dot
in ``3.5`` cannot group thousands, so the writer meant an English decimal point or made a
slip, and either reading could be wrong. :class:`NumberNotationError` says so and, when the
text is a number in the English convention, suggests the Indonesian writing (``3,5``).

Showing (:func:`format_percent`). A score is shown rounded *down* to
:data:`PERCENT_DECIMALS` decimals, so a shown score never reaches a pass mark that the
exact score missed (69,996 % is "69,99 %", never "70 %"), with the locale's decimal mark
and percent sign (``id``: ``66,66%``; ``en``: ``66.66%``). Every page, the certificate and
HR's pages use this one rule; :func:`format_floored` applies it to plain figures such as the
normalized gain (g = 0,6999 is "0,69", in the medium band, never "0,70").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Union

from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent

#: Decimals shown in a percent (rounded down).
PERCENT_DECIMALS = 2

Number = Union[int, float, Decimal, Fraction]

# Digits with dots, commas and spaces (and one leading sign): text that *looks like* a number.
_NUMBER_LIKE = re.compile(r"^[+\-\u2212]?[0-9.,\s]*[0-9][0-9.,\s]*$")
# The Indonesian notation: plain digits, or thousands grouped by dots; an optional decimal
# part after a comma.
_INDONESIAN = re.compile(r"^(?P<int>[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+)(?:,(?P<frac>[0-9]+))?$")
# The English notation, only to suggest the Indonesian writing of what was meant.
_ENGLISH = re.compile(r"^(?P<int>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<frac>[0-9]+))?$")


class NumberNotationError(ValueError):
    """Text that looks like a number but is not one in the Indonesian convention.

    Attributes:
        text: the text as given (stripped).
        suggestion: the same number written the Indonesian way when the text is a number in
            the English convention (``"3.5"`` -> ``"3,5"``, ``"1,000.5"`` -> ``"1.000,5"``),
            else None (``"1.2.3"``).
    """

    def __init__(self, text: str, suggestion: str | None) -> None:
        self.text = text
        self.suggestion = suggestion
        hint = f"; write {suggestion}" if suggestion else ""
        super().__init__(f'"{text}" is not a number as Indonesian writes it (a comma is the '
                         f'decimal mark, a dot groups thousands: 3,5 and 1.000){hint}')


def _sign_and_body(text: str) -> tuple[int, str]:
    body = text.strip()
    sign = 1
    if body[:1] in "+-\u2212":
        sign = -1 if body[0] != "+" else 1
        body = body[1:].strip()
    return sign, body


def looks_like_number(text: str) -> bool:
    """True when ``text`` (stripped) is digits with only dots, commas, spaces and one
    leading sign between them: what a learner types when they mean a number."""
    return bool(_NUMBER_LIKE.match(str(text).strip()))


def parse_number(text: str) -> Decimal | None:
    """The number written in ``text`` in the Indonesian convention, exactly.

    ``"3,5"`` -> 3.5, ``"1.000"`` -> 1000, ``"16.000"`` -> 16000, ``"75,00"`` -> 75.00
    (equal to 75), ``"1.234.567,89"``, ``"-2"``, ``"0,125"``. Outer spaces and one final
    full stop (the end of a sentence: ``"1.000."``) are ignored.

    Returns:
        The value as a :class:`~decimal.Decimal` (trailing zeros kept, so compare values,
        not text), or None when ``text`` is not number-like at all (``"dua puluh"``,
        ``"20 JP"``): such text is an answer in words.

    Raises:
        NumberNotationError: ``text`` looks like a number but is not one in the Indonesian
            convention (``"3.5"``, ``"1,000.5"``, ``"1 000"``, ``",5"``, ``"1.2.3"``).
    """
    raw = str(text).strip()
    if raw.endswith(".") and not raw.endswith(".."):
        raw = raw[:-1].rstrip()
    if not looks_like_number(raw):
        return None
    sign, body = _sign_and_body(raw)
    match = _INDONESIAN.match(body)
    if match is None:
        raise NumberNotationError(raw, _suggest(sign, body))
    digits = match.group("int").replace(".", "")
    fraction = match.group("frac")
    value = Decimal(f"{digits}.{fraction}" if fraction else digits)
    return -value if sign < 0 else value


def _suggest(sign: int, body: str) -> str | None:
    compact = re.sub(r"\s+", "", body)
    if compact.startswith((",", ".")):
        compact = "0" + compact
    for pattern, group in ((_INDONESIAN, "."), (_ENGLISH, ",")):
        match = pattern.match(compact)
        if match:
            digits = match.group("int").replace(group, "")
            fraction = match.group("frac")
            value = Decimal(f"{digits}.{fraction}" if fraction else digits)
            return format_number(-value if sign < 0 else value)
    return None


def format_number(value: Number, locale: str = "id") -> str:
    """``value`` written in the locale's convention with every decimal it has:
    ``Decimal("1000.5")`` -> ``"1.000,5"`` (id), ``"1,000.5"`` (en)."""
    exact = value if isinstance(value, Decimal) else to_decimal(value)
    places = max(0, -exact.normalize().as_tuple().exponent)
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(exact, format=pattern, locale=locale)


def to_decimal(value: Number) -> Decimal:
    """``value`` as a Decimal: floats through their shortest round-trip text
    (``0.1`` -> ``Decimal("0.1")``, not 0.1000000000000000055...), Fractions to 28
    significant digits.

    Raises:
        TypeError: ``value`` is not a number.
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    raise TypeError(f"not a number: {value!r}")


def to_fraction(value: Number) -> Fraction:
    """``value`` as an exact Fraction; floats through their shortest round-trip text, so
    ``70.35`` is exactly 7035/100 (not the binary float's neighbour).

    Raises:
        TypeError: ``value`` is not a number.
    """
    if isinstance(value, Fraction):
        return value
    return Fraction(to_decimal(value))


def floor_percent(value: Number, decimals: int = PERCENT_DECIMALS) -> Decimal:
    """``value`` (a percent) rounded DOWN to ``decimals`` decimals, exactly:
    200/3 -> 66.66, 69.996 -> 69.99, 100 -> 100. Negative values round towards minus
    infinity (scores are never negative). The same as :func:`floor_decimal`."""
    return floor_decimal(value, decimals)


def floor_decimal(value: Number, decimals: int) -> Decimal:
    """``value`` rounded DOWN (towards minus infinity) to ``decimals`` decimals, exactly,
    as a Decimal with exactly that many decimals: 0.6999 -> 0.69, -0.001 -> -0.01,
    0.7 -> 0.70. Rounding down keeps a shown figure on the same side of every bound as the
    exact value (a pass mark, a gain band's lower bound)."""
    exact = to_fraction(value)
    scale = 10 ** decimals
    floored = (exact.numerator * scale) // exact.denominator
    return (Decimal(floored) / Decimal(scale)).quantize(Decimal(1).scaleb(-decimals),
                                                         rounding=ROUND_FLOOR)


def format_percent(value: Number | None, locale: str = "id",
                   decimals: int = PERCENT_DECIMALS) -> str:
    """A percent as pages show it: rounded down to ``decimals`` decimals, trailing zeros
    dropped, the locale's decimal mark and percent sign.

    ``format_percent(Fraction(200, 3))`` -> ``"66,66%"``; ``format_percent(100, "en")`` ->
    ``"100%"``; ``format_percent(87.5, "en")`` -> ``"87.5%"``; None -> ``""``.

    Args:
        value: a percent (0..100 for scores): int, float, Decimal or an exact Fraction.
        locale: a Babel locale name (``id``, ``en``).
        decimals: decimals kept (rounded down).
    """
    if value is None:
        return ""
    floored = floor_percent(value, decimals)
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "") + "%"
    return babel_format_percent(floored / 100, format=pattern, locale=locale)


def format_floored(value: Number | None, locale: str = "id", decimals: int = 2) -> str:
    """A plain number (not a percent) rounded DOWN to ``decimals`` decimals, all of them
    shown, with the locale's marks: ``format_floored(0.6999)`` -> ``"0,69"``,
    ``format_floored(0.5, "en")`` -> ``"0.50"``, ``format_floored(-1)`` -> ``"-1,00"``;
    None -> ``""``. The rule of :func:`format_percent`, for figures such as the normalized
    gain whose bands must not be crossed by rounding."""
    if value is None:
        return ""
    floored = floor_decimal(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(floored, format=pattern, locale=locale)


def exact_sum(values: Iterable[Fraction | int]) -> Fraction:
    """The exact sum of ``values`` (Fractions or ints), adding each distinct value once
    times its count: scores take few distinct values, so summing thousands of learners'
    grades costs a few Fraction additions instead of one each (the result is the same)."""
    return sum((value * count for value, count in Counter(values).items()), Fraction(0))
