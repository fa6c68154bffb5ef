"""Verification codes: entropy, alphabet, grouping and forgiving normalization."""

import math

from portal.certificates.codes import (
    ALPHABET, CODE_BITS, CODE_LENGTH, format_code, generate_code, normalize_code,
)


def test_code_has_at_least_80_bits_from_a_32_letter_alphabet():
    assert len(ALPHABET) == 32 == len(set(ALPHABET))
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 80
    assert CODE_BITS == 100


def test_generated_codes_use_only_the_alphabet_and_do_not_repeat():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
    # Every symbol shows up: the codes are drawn from the whole alphabet.
    assert set("".join(codes)) == set(ALPHABET)


def test_alphabet_leaves_out_letters_people_confuse():
    for letter in "ILOU":
        assert letter not in ALPHABET


def test_format_groups_by_five():
    assert format_code("K7M2Q9XDPA3HWTC8RNVB") == "K7M2Q-9XDPA-3HWTC-8RNVB"
    assert format_code(None) == ""


def test_normalize_ignores_case_dashes_spaces_and_reads_o_i_l_as_digits():
    canonical = "K7M2Q9XDPA3HWTC8RNV0"
    assert normalize_code("k7m2q-9xdpa-3hwtc-8rnv0") == canonical
    assert normalize_code(" K7M2Q 9XDPA 3HWTC 8RNVO ") == canonical
    assert normalize_code("K7M2Q-9XDPA-3HWTC-8RNV0") == canonical
    assert normalize_code("1I1L1" * 4) == "11111" * 4


def test_normalize_refuses_what_cannot_be_a_code():
    assert normalize_code("") is None
    assert normalize_code(None) is None
    assert normalize_code("K7M2Q-9XDPA-3HWTC") is None            # too short
    assert normalize_code("K7M2Q-9XDPA-3HWTC-8RNVB-1") is None    # too long
    assert normalize_code("U7M2Q-9XDPA-3HWTC-8RNVB") is None      # U is not in the alphabet
    assert normalize_code("K7M2Q/9XDPA/3HWTC/8RNVB") is None
