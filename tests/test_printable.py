"""Text a certificate can print (portal.printable): the fonts' real coverage, nothing
invisible, NFC and plain spaces."""

import unicodedata

import pytest

from portal.printable import (
    CERTIFICATE_CSS, certificate_font_files, character_name, is_printable, normalize_printed,
    printable_code_points, unprintable_characters,
)


def test_the_fonts_are_the_ones_the_certificate_stylesheet_embeds():
    files = certificate_font_files()
    assert sorted(files) == [400, 700]
    names = {path.name for paths in files.values() for path in paths}
    assert names == {"noto-sans-latin-400-normal.woff2", "noto-sans-latin-ext-400-normal.woff2",
                     "noto-sans-latin-700-normal.woff2", "noto-sans-latin-ext-700-normal.woff2"}
    for path in (p for paths in files.values() for p in paths):
        assert path.name in CERTIFICATE_CSS.read_text()


def test_coverage_is_read_from_the_fonts_and_cached():
    points = printable_code_points()
    assert printable_code_points() is points  # read once
    # Basic Latin letters, Indonesian and Latin Extended letters used in names.
    for ch in "AZaz09.,'-/()éÉñÑṢŌāĀ–’":
        assert ord(ch) in points, ch
    for ch in "😀ꦗꦮ中ب":                    # emoji, Javanese script, Han, Arabic
        assert ord(ch) not in points, ch


@pytest.mark.parametrize("text, bad", [
    ("Budi 😀 Santoso", ["😀"]),
    ("ꦧꦸꦝꦶ", ["ꦧ", "ꦸ", "ꦝ", "ꦶ"]),                      # Javanese script
    ("Bu\u200bdi", ["\u200b"]),                          # zero-width space
    ("Budi\u202eosotnaS", ["\u202e"]),                   # right-to-left override
    ("Bu\u200ddi\u2066x\u2069", ["\u200d", "\u2066", "\u2069"]),
    ("Budi\tSantoso", ["\t"]),
    ("Budi\x07", ["\x07"]),
    ("\ufeffBudi", ["\ufeff"]),                          # byte order mark
    ("Bud\ufffd", ["\ufffd"]),                           # replacement character
    ("Budi\ue000", ["\ue000"]),                          # private use
    ("Budi\u2028Santoso", ["\u2028"]),                   # line separator
    ("😀😀 x 😀", ["😀"]),                               # each character named once
])
def test_unprintable_characters_are_found_in_order(text, bad):
    assert unprintable_characters(text) == bad


@pytest.mark.parametrize("text", [
    "Dr. Ni Kadek Ayu Pradnyaswari Ṣ'Ōrmān, S.Ked., M.Kes.",
    "Muh. Ja’far Shiddiq, S.H.I., M.Sy.",
    "Penata Muda Tk. I, III/b",
    "Analis Kebijakan Ahli Pertama – Bidang SDM",
    "",
])
def test_ordinary_names_and_positions_are_printable(text):
    assert unprintable_characters(text) == []


def test_a_space_is_printable_but_not_other_invisible_characters():
    assert is_printable(" ")
    assert not is_printable("\u200b") and not is_printable("\u00ad")  # soft hyphen


def test_normalize_composes_accents_and_plain_spaces():
    decomposed = "Jose\u0301 Mari\u0301a"                 # e + combining acute
    assert normalize_printed(decomposed) == "José María"
    assert unicodedata.is_normalized("NFC", normalize_printed(decomposed))
    assert normalize_printed("  Siti\u00a0\u00a0Rahmawati\u2009 ") == "Siti Rahmawati"
    assert normalize_printed(None) == ""


def test_character_names_give_the_code_point():
    assert character_name("😀") == "U+1F600 GRINNING FACE"
    assert character_name("\u200b") == "U+200B ZERO WIDTH SPACE"
    assert character_name("\t") == "U+0009 CHARACTER TABULATION"
    assert character_name("\ue000") == "U+E000"
