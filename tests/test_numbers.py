"""Indonesian numbers (portal.numbers): reading typed numbers, refusing other notations
clearly, and the one rule for showing percents (two decimals, rounded down)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from portal.numbers import (
    NumberNotationError,
    floor_percent,
    format_number,
    format_percent,
    looks_like_number,
    parse_number,
    to_fraction,
)


@pytest.mark.parametrize("text,value", [
    ("3,5", Decimal("3.5")),
    ("1.000", Decimal(1000)),          # one thousand, as written in Indonesian
    ("16.000", Decimal(16000)),        # sixteen thousand, not sixteen
    ("1.234.567,89", Decimal("1234567.89")),
    ("75,00", Decimal(75)),            # equal to 75 however it is written
    ("1000", Decimal(1000)),
    ("0,125", Decimal("0.125")),
    ("-2", Decimal(-2)),
    ("\u22122,5", Decimal("-2.5")),    # a typographic minus
    ("+7", Decimal(7)),
    (" 20 ", Decimal(20)),
    ("1.000.", Decimal(1000)),         # a sentence's full stop
    ("007", Decimal(7)),
])
def test_parse_number_reads_the_indonesian_notation(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["dua puluh", "20 JP", "Rp200 juta", "", "abc", "-"])
def test_words_are_not_numbers(text):
    assert parse_number(text) is None
    assert not looks_like_number(text)


@pytest.mark.parametrize("text,suggestion", [
    ("3.5", "3,5"),            # an English decimal point
    ("75.00", "75"),
    ("1,000.5", "1.000,5"),    # English grouping and decimals
    ("1 000", "1.000"),        # spaces do not group thousands here
    (",5", "0,5"),
    ("1.00", "1"),
    ("1.2.3", None),           # no reading at all
    ("1,2,3", None),
    ("12.34.567", None),
])
def test_other_notations_are_refused_with_the_indonesian_writing(text, suggestion):
    assert looks_like_number(text)
    with pytest.raises(NumberNotationError) as caught:
        parse_number(text)
    assert caught.value.text == text
    assert caught.value.suggestion == suggestion
    assert "a comma is the decimal mark" in str(caught.value)


def test_format_number_in_each_locale():
    assert format_number(Decimal("1000.5")) == "1.000,5"
    assert format_number(Decimal("1000.5"), "en") == "1,000.5"
    assert format_number(Decimal("75.00")) == "75"
    assert format_number(0.1) == "0,1"


@pytest.mark.parametrize("value,shown", [
    (Fraction(200, 3), "66,66%"),      # never rounded up to 66,67
    (Fraction(100, 3), "33,33%"),
    (69.996, "69,99%"),                # never "70" next to "not passed"
    (Fraction(66999, 1000), "66,99%"),  # never "67"
    (70.35, "70,35%"),                 # a float is read through its shortest text
    (100, "100%"),
    (87.5, "87,5%"),
    (0, "0%"),
    (Decimal("92.50"), "92,5%"),
])
def test_format_percent_rounds_down_in_indonesian(value, shown):
    assert format_percent(value, "id") == shown


def test_format_percent_in_english_and_none():
    assert format_percent(Fraction(200, 3), "en") == "66.66%"
    assert format_percent(1234.5, "en") == "1,234.5%"
    assert format_percent(None) == ""


def test_floor_percent_and_to_fraction_are_exact():
    assert floor_percent(Fraction(200, 3)) == Decimal("66.66")
    assert floor_percent(70) == Decimal("70.00")
    assert to_fraction(0.1) == Fraction(1, 10)
    assert to_fraction(Decimal("2.5")) == Fraction(5, 2)
    with pytest.raises(TypeError):
        to_fraction("1")
    with pytest.raises(TypeError):
        to_fraction(True)


def test_format_floored_rounds_down_and_keeps_every_decimal():
    from portal.numbers import format_floored

    assert format_floored(0.6999) == "0,69"
    assert format_floored(0.6999, "en") == "0.69"
    assert format_floored(0.5) == "0,50"
    assert format_floored(-1) == "-1,00"
    assert format_floored(-0.001, "en") == "-0.01"
    assert format_floored(None) == ""
