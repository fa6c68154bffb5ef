"""LiaScript quiz notation: every question type and every mistake with its line."""

from __future__ import annotations

import textwrap

import pytest

from portal.quizzes.parser import parse_questions
from portal.quizzes.types import get_type

PATH = "content/x/pretest.md"


def parse(body, first_line=1, **kwargs):
    return parse_questions(textwrap.dedent(body).lstrip("\n"), PATH, first_line, **kwargs)


def errors_of(body, first_line=1):
    return [(e.line, e.message) for e in parse(body, first_line).errors]


def test_single_choice():
    result = parse("""
        ## Apa kepanjangan *SPBE*?
        [( )] Sistem Pemerintahan Berbasis Ekonomi
        [(X)] Sistem Pemerintahan Berbasis **Elektronik**
        [( )] Sistem Perizinan
        > SPBE diatur dalam Perpres 95/2018.
    """)
    assert result.errors == []
    (q,) = result.questions
    assert q.qtype == "single"
    assert q.prompt_html == "Apa kepanjangan <em>SPBE</em>?"
    assert q.data == {"options": [
        {"id": "o1", "md": "Sistem Pemerintahan Berbasis Ekonomi",
         "html": "Sistem Pemerintahan Berbasis Ekonomi", "correct": False},
        {"id": "o2", "md": "Sistem Pemerintahan Berbasis **Elektronik**",
         "html": "Sistem Pemerintahan Berbasis <strong>Elektronik</strong>", "correct": True},
        {"id": "o3", "md": "Sistem Perizinan", "html": "Sistem Perizinan", "correct": False},
    ]}
    assert q.prompt_md == "Apa kepanjangan *SPBE*?"
    assert q.explanation_md == "SPBE diatur dalam Perpres 95/2018."
    assert q.key is None
    assert q.explanation_html == "<p>SPBE diatur dalam Perpres 95/2018.</p>\n"
    assert q.points == 1.0 and q.tags == [] and q.line == 1
    assert get_type(q.qtype).grade(q.data, ["o2"]) == 1.0


def test_lowercase_x_is_accepted():
    result = parse("""
        ## Pilih
        [(x)] benar
        [( )] salah

        ## Pilih semua
        [[x]] a
        [[X]] b
        [[ ]] c
    """)
    assert result.errors == []
    single, multiple = result.questions
    assert [o["correct"] for o in single.data["options"]] == [True, False]
    assert multiple.qtype == "multiple"
    assert [o["correct"] for o in multiple.data["options"]] == [True, True, False]


def test_multiple_choice_with_settings():
    result = parse("""
        ## Pilih semua asas pelayanan publik menurut UU 25/2009.
        <!-- poin: 2; tag: regulasi | uu-25 -->
        <!-- tag: asas -->
        [[X]] Kepentingan umum
        [[X]] Kepastian hukum
        [[ ]] Keuntungan finansial
    """)
    assert result.errors == []
    (q,) = result.questions
    assert q.qtype == "multiple"
    assert q.points == 2.0
    assert q.tags == ["regulasi", "uu-25", "asas"]
    assert [o["id"] for o in q.data["options"]] == ["o1", "o2", "o3"]
    assert get_type("multiple").grade(q.data, ["o1", "o2"]) == 1.0


def test_short_answer_with_accept_and_tolerance():
    result = parse("""
        ## Berapa JP minimal per tahun?
        [[20]]
        <!-- terima: 20 JP | dua puluh; poin: 1,5 -->
        > PP 17/2020.

        ## Nilai IKM?
        <!-- toleransi: 0,5 -->
        [[3,5]]
    """)
    assert result.errors == []
    jp, ikm = result.questions
    assert jp.qtype == "short"
    assert jp.data == {"answers": ["20", "20 JP", "dua puluh"], "tolerance": None}
    assert jp.points == 1.5
    assert jp.explanation_html == "<p>PP 17/2020.</p>\n"
    assert ikm.data == {"answers": ["3,5"], "tolerance": 0.5}
    assert get_type("short").grade(ikm.data, "3,9") == 1.0
    assert get_type("short").grade(ikm.data, "4,1") == 0.0


def test_numbers_in_the_notation_are_indonesian():
    """``[[1.000]]`` is one thousand, ``[[3,5]]`` three and a half, ``toleransi: 0,5`` a
    half, ``poin: 1,5`` one and a half."""
    result = parse("""
        ## Berapa rupiah?
        [[1.000]]
        <!-- toleransi: 0,5; poin: 1,5 -->
    """)
    assert result.errors == []
    (question,) = result.questions
    assert question.data == {"answers": ["1.000"], "tolerance": 0.5}
    assert question.points == 1.5
    short = get_type("short")
    assert short.grade(question.data, "1000") == 1.0
    assert short.grade(question.data, "1.000,4") == 1.0
    assert short.grade(question.data, "1") == 0.0


@pytest.mark.parametrize("lines,line,message", [
    ("[[3.5]]", 2, '[[3.5]]: "3.5" is not a number as Indonesian writes it (a comma is the '
                   'decimal mark and a dot groups thousands: 3,5 and 1.000); write 3,5'),
    ("[[1,000.5]]", 2, '[[1,000.5]]: "1,000.5" is not a number as Indonesian writes it (a '
                       'comma is the decimal mark and a dot groups thousands: 3,5 and '
                       '1.000); write 1.000,5'),
    ("[[20]]\n<!-- toleransi: 0.5 -->", 3,
     '"toleransi": "0.5" is not a number as Indonesian writes it (a comma is the decimal '
     'mark and a dot groups thousands: 3,5 and 1.000); write 0,5'),
    ("[[20]]\n<!-- poin: 1.5 -->", 3,
     '"poin": "1.5" is not a number as Indonesian writes it (a comma is the decimal mark '
     'and a dot groups thousands: 3,5 and 1.000); write 1,5'),
    ("[[20]]\n<!-- terima: 20.0 | dua puluh -->", 3,
     '"terima": "20.0" is not a number as Indonesian writes it (a comma is the decimal mark '
     'and a dot groups thousands: 3,5 and 1.000); write 20'),
])
def test_numbers_in_another_notation_are_refused_with_the_indonesian_writing(lines, line,
                                                                             message):
    body = "## Q\n" + lines + "\n"
    assert errors_of(body) == [(line, message)]


def test_prompt_with_more_paragraphs_and_table():
    result = parse("""
        ## Perhatikan tabel berikut.

        | Unsur | Nilai |
        |-------|-------|
        | U1    | 3,2   |

        Berapa nilai U1?
        [[3,2]]
    """)
    assert result.errors == []
    prompt = result.questions[0].prompt_html
    assert prompt.startswith('<p>Perhatikan tabel berikut.</p>\n'
                             '<div class="table-scroll" tabindex="0"><table>')
    assert "<p>Berapa nilai U1?</p>" in prompt


def test_code_fence_in_prompt_is_not_parsed():
    result = parse("""
        ## Apa arti kode ini?
        ```
        ## bukan soal
        [(X)] bukan opsi
        ```
        [(X)] ya
        [( )] tidak
    """)
    assert result.errors == []
    (q,) = result.questions
    assert "## bukan soal" in q.prompt_html
    assert len(q.data["options"]) == 2


def test_multi_line_explanation():
    result = parse("""
        ## Q
        [(X)] a
        [( )] b
        > Baris satu
        > baris dua.
        >
        > - butir
    """)
    assert result.errors == []
    html = result.questions[0].explanation_html
    assert "<p>Baris satu\nbaris dua.</p>" in html and "<li>butir</li>" in html


def test_title_line_and_blank_lines_before_first_question_are_allowed():
    result = parse("""
        # Pre-test

        ## Q
        [(X)] a
        [( )] b
    """)
    assert result.errors == [] and len(result.questions) == 1


def test_answer_key_is_not_in_prompt_or_options_html():
    result = parse("""
        ## Q
        [(X)] a
        [( )] b
    """)
    q = result.questions[0]
    assert "X" not in q.prompt_html
    assert all("[(" not in o["html"] for o in q.data["options"])


def test_raw_html_in_questions_is_escaped():
    result = parse("""
        ## <script>alert(1)</script> Q
        [(X)] <img src=x onerror=alert(1)>
        [( )] b
    """)
    q = result.questions[0]
    assert "<script" not in q.prompt_html
    assert "<img" not in q.data["options"][0]["html"]


def test_assets_rewritten_and_links_reported_with_lines():
    result = parse("""
        ## Lihat ![bagan](assets/bagan.svg)
        [(X)] [a](assets/a.pdf)
        [( )] b
        > Baca [c](../c.pdf)
    """, first_line=8, asset_base="/courses/k/assets/")
    assert result.errors == []
    q = result.questions[0]
    assert 'src="/courses/k/assets/bagan.svg"' in q.prompt_html
    assert 'href="/courses/k/assets/a.pdf"' in q.data["options"][0]["html"]
    assert [(link.url, link.line) for link in result.links] == [
        ("assets/a.pdf", 9), ("assets/bagan.svg", 8), ("../c.pdf", 11)]


# --- errors ---------------------------------------------------------------------------

def test_error_paths_and_lines_are_offset_by_first_line():
    result = parse("""
        ## Q
        [( )] a
        [( )] b
    """, first_line=10)
    assert [str(e) for e in result.errors] == [
        "content/x/pretest.md:10: a single-choice question needs exactly one [(X)] option; "
        "none is marked"]


def test_single_choice_with_two_marked():
    assert errors_of("""
        ## Q
        [(X)] a
        [(X)] b
        [( )] c
    """) == [(3, "a single-choice question needs exactly one [(X)] option; use [[X]] for "
                 "several right answers")]


def test_multiple_choice_without_marked():
    assert errors_of("""
        ## Q
        [[ ]] a
        [[ ]] b
    """) == [(1, "a multiple-choice question needs at least one [[X]] option")]


def test_mixed_kinds():
    assert errors_of("""
        ## Q
        [(X)] a
        [[ ]] b
    """) == [(3, "a question mixes answer kinds: [( )] single choice and [[ ]] multiple choice")]


def test_mixed_choice_and_typed():
    assert errors_of("""
        ## Q
        [[X]] a
        [[ ]] b
        [[20]]
    """) == [(4, "a question mixes answer kinds: [[ ]] multiple choice and [[answer]] typed "
                 "answer")]


def test_options_before_any_question():
    errors = errors_of("""
        [(X)] a
        ## Q
        [(X)] b
        [( )] c
    """)
    assert errors == [(1, "an answer line comes before any question; start each question "
                          "with a line beginning with ## ")]


def test_text_and_comment_before_any_question():
    errors = errors_of("""
        Petunjuk
        <!-- poin: 2 -->
        ## Q
        [(X)] b
        [( )] c
    """)
    assert [line for line, _ in errors] == [1, 2]
    assert "text before the first question" in errors[0][1]
    assert "settings comment comes before any question" in errors[1][1]


def test_unknown_comment_key():
    assert errors_of("""
        ## Q
        <!-- nilai: 2 -->
        [(X)] a
        [( )] b
    """) == [(2, 'unknown question setting "nilai" (allowed: poin, terima, toleransi, tag, id)')]


def test_setting_without_colon_and_repeated():
    errors = errors_of("""
        ## Q
        <!-- poin 2 -->
        <!-- poin: 1; poin: 2 -->
        [(X)] a
        [( )] b
    """)
    assert [line for line, _ in errors] == [2, 3]
    assert "is not a setting" in errors[0][1]
    assert '"poin" is given twice' in errors[1][1]


@pytest.mark.parametrize("setting,message", [
    ("poin: dua", '"poin" must be a number greater than 0, got "dua"'),
    ("poin: 0", '"poin" must be a number greater than 0, got "0"'),
    ("toleransi: sedikit", '"toleransi" must be a number of 0 or more, got "sedikit"'),
])
def test_bad_numbers(setting, message):
    assert errors_of(f"""
        ## Q
        [[20]]
        <!-- {setting} -->
    """) == [(3, message)]


def test_tolerance_needs_numeric_answer():
    assert errors_of("""
        ## Q
        [[dua puluh]]
        <!-- toleransi: 1 -->
    """) == [(3, '"toleransi" needs a numeric answer, e.g. [[3,5]]')]


def test_accept_on_choice_question():
    assert errors_of("""
        ## Q
        <!-- terima: a -->
        [(X)] a
        [( )] b
    """) == [(2, '"terima" is only for typed answers ([[answer]])')]


def test_empty_question_text():
    assert errors_of("""
        ##
        [(X)] a
        [( )] b
    """) == [(1, "the question text is empty: write it after ## ")]


def test_question_without_answers():
    assert errors_of("""
        ## Q tanpa jawaban

        ## Q2
        [(X)] a
        [( )] b
    """) == [(1, "the question has no answer lines: add [( )] / [(X)], [[ ]] / [[X]] options "
                 "or a [[answer]] line")]


def test_quiz_without_questions():
    assert errors_of("\n\n", first_line=6) == [
        (6, "the quiz has no questions; start each question with a line beginning with ## ")]


def test_one_option_only_and_empty_option():
    errors = errors_of("""
        ## Q
        [(X)]
    """)
    assert (2, "the option has no text after [( )]") in errors
    assert (1, "a choice question needs at least two options") in errors


def test_two_typed_answers_and_trailing_text():
    assert errors_of("""
        ## Q
        [[20]]
        [[dua puluh]]
    """) == [(3, "a typed-answer question has one [[answer]] line; put other accepted answers "
                 "in <!-- terima: a | b -->")]
    assert errors_of("""
        ## Q
        [[20]] JP
    """) == [(2, "nothing may follow [[answer]] on its line")]


def test_liascript_selection_is_refused():
    errors = errors_of("""
        ## Q
        [[a | (b) | c]]
    """)
    assert len(errors) == 1 and "drop-down list" in errors[0][1]


def test_text_after_answers_must_be_explanation():
    assert errors_of("""
        ## Q
        [(X)] a
        [( )] b
        Penjelasan tanpa tanda
    """) == [(4, "text after the answers must be an explanation starting with > (or start a "
                 "new question with ## )")]


def test_answers_after_explanation():
    assert errors_of("""
        ## Q
        [(X)] a
        > penjelasan
        [( )] b
    """) == [(4, "answer lines must come before the explanation (> ...)")]


def test_unclosed_comment():
    assert errors_of("""
        ## Q
        <!-- poin: 2
        [(X)] a
        [( )] b
    """) == [(2, "a settings comment must open with <!-- and close with --> on the same line")]


def test_all_errors_of_a_quiz_are_collected():
    result = parse("""
        ## Q1
        [( )] a
        [( )] b

        ## Q2
        [[ ]] a
        [[ ]] b

        ## Q3
        [(X)] a
        [( )] b
    """)
    assert [e.line for e in result.errors] == [1, 5]
    assert len(result.questions) == 1


def test_liascript_hint_is_refused():
    assert errors_of("""
        ## Q
        [[20]]
        [[?]] Lihat PP 17/2020
    """) == [(3, "LiaScript hints [[?]] are not supported; put the help in the question text "
                 "or in the explanation (> ...)")]
