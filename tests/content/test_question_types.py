"""The question-type registry: public data, form parsing, grading, feedback, templates."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from flask import render_template
from flask_babel import force_locale

from portal.numbers import NumberNotationError
from portal.quizzes.services import AttemptItem
from portal.quizzes.types import (
    MAX_RESPONSE_LENGTH,
    QUESTION_TYPES,
    QuestionType,
    get_type,
    normalise_text,
    read_number,
)

SINGLE = {"options": [
    {"id": "o1", "html": "Sistem Pemerintahan Berbasis <em>Ekonomi</em>", "correct": False},
    {"id": "o2", "html": "Sistem Pemerintahan Berbasis Elektronik", "correct": True},
    {"id": "o3", "html": "Sistem Perizinan", "correct": False},
]}
MULTIPLE = {"options": [
    {"id": "o1", "html": "Kepentingan umum", "correct": True},
    {"id": "o2", "html": "Kepastian hukum", "correct": True},
    {"id": "o3", "html": "Keuntungan finansial", "correct": False},
]}
SHORT = {"answers": ["20", "20 JP", "dua puluh"], "tolerance": None}
DECIMAL = {"answers": ["3,5"], "tolerance": None}
TOLERANT = {"answers": ["12,5"], "tolerance": 0.5}
THOUSAND = {"answers": ["1.000"], "tolerance": None}
SIXTEEN = {"answers": ["16"], "tolerance": None}


def test_registry_has_the_three_types_with_templates():
    assert set(QUESTION_TYPES) == {"single", "multiple", "short"}
    for key, qtype in QUESTION_TYPES.items():
        assert isinstance(qtype, QuestionType)
        assert qtype.key == key
        assert qtype.template == f"quizzes/types/{key}.html"
        assert get_type(key) is qtype


def test_get_type_unknown_raises_key_error():
    with pytest.raises(KeyError):
        get_type("essay")


@pytest.mark.parametrize("key,data", [("single", SINGLE), ("multiple", MULTIPLE),
                                      ("short", SHORT), ("short", TOLERANT)])
def test_public_data_never_contains_the_key(key, data):
    public = get_type(key).public_data(data)
    dumped = json.dumps(public)
    assert "correct" not in dumped
    assert "answers" not in dumped
    assert "tolerance" not in dumped
    if key == "short":
        assert public == {"numeric": True}  # whether a number is expected, for the hint
        assert "dua puluh" not in dumped and "12" not in dumped
    else:
        assert [o["id"] for o in public["options"]] == ["o1", "o2", "o3"]
        assert set(public["options"][0]) == {"id", "html"}


def test_public_data_does_not_change_the_stored_data():
    get_type("single").public_data(SINGLE)
    assert SINGLE["options"][1]["correct"] is True


# --- response_from_form -------------------------------------------------------------------

def test_single_keeps_one_known_id():
    single = get_type("single")
    assert single.response_from_form(SINGLE, ["o2"]) == ["o2"]
    assert single.response_from_form(SINGLE, ["o9", "o3", "o1"]) == ["o3"]
    assert single.response_from_form(SINGLE, ["bogus"]) is None
    assert single.response_from_form(SINGLE, []) is None


def test_multiple_drops_unknown_and_duplicate_ids_in_option_order():
    multiple = get_type("multiple")
    assert multiple.response_from_form(MULTIPLE, ["o3", "o1", "o1", "x"]) == ["o1", "o3"]
    assert multiple.response_from_form(MULTIPLE, ["x", "y"]) is None
    assert multiple.response_from_form(MULTIPLE, []) is None


def test_short_strips_caps_and_blanks_to_none():
    short = get_type("short")
    assert short.response_from_form(SHORT, ["  20 JP  "]) == "20 JP"
    assert short.response_from_form(SHORT, ["   "]) is None
    assert short.response_from_form(SHORT, []) is None
    long = short.response_from_form(SHORT, ["a" * 2000])
    assert len(long) == MAX_RESPONSE_LENGTH


# --- grading ------------------------------------------------------------------------------

def test_single_grading():
    single = get_type("single")
    assert single.grade(SINGLE, ["o2"]) == 1.0
    assert single.grade(SINGLE, "o2") == 1.0
    assert single.grade(SINGLE, ["o1"]) == 0.0
    assert single.grade(SINGLE, ["o1", "o2"]) == 0.0
    assert single.grade(SINGLE, None) == 0.0
    assert single.grade(SINGLE, []) == 0.0


def test_multiple_grading_is_all_or_nothing():
    multiple = get_type("multiple")
    assert multiple.grade(MULTIPLE, ["o1", "o2"]) == 1.0
    assert multiple.grade(MULTIPLE, ["o2", "o1"]) == 1.0
    assert multiple.grade(MULTIPLE, ["o1"]) == 0.0
    assert multiple.grade(MULTIPLE, ["o1", "o2", "o3"]) == 0.0
    assert multiple.grade(MULTIPLE, None) == 0.0


def test_multiple_grading_ignores_unknown_option_ids():
    multiple = get_type("multiple")
    assert multiple.grade(MULTIPLE, ["o1", "o2", "o99"]) == 1.0
    assert multiple.grade(MULTIPLE, ["o99"]) == 0.0


@pytest.mark.parametrize("response", ["20", " 20 ", "20 jp", "20  JP.", "Dua Puluh", "20,0",
                                      "20,00", "dua puluh.", "020"])
def test_short_accepts(response):
    assert get_type("short").grade(SHORT, response) == 1.0


@pytest.mark.parametrize("response", ["21", "19,99", "dua", "", "   ", None, "20 jam",
                                      "20.0", "20.000"])
def test_short_rejects(response):
    """``20.0`` is refused (not a number as written in Indonesian) and ``20.000`` is twenty
    thousand."""
    assert get_type("short").grade(SHORT, response) == 0.0


@pytest.mark.parametrize("response,expected", [("3,5", 1.0), ("3,50", 1.0), ("3,500", 1.0),
                                               ("3.5", 0.0), ("3.50", 0.0), ("3,6", 0.0),
                                               ("35", 0.0)])
def test_short_decimal_comma(response, expected):
    assert get_type("short").grade(DECIMAL, response) == expected


@pytest.mark.parametrize("response,expected", [("12", 1.0), ("13", 1.0), ("12,9", 1.0),
                                               ("11,99", 0.0), ("13,01", 0.0), ("abc", 0.0),
                                               ("12.9", 0.0)])
def test_short_numeric_tolerance(response, expected):
    assert get_type("short").grade(TOLERANT, response) == expected


@pytest.mark.parametrize("data,response,expected", [
    (THOUSAND, "1.000", 1.0),   # one thousand, as written in Indonesian (was marked wrong)
    (THOUSAND, "1000", 1.0),
    (THOUSAND, "1.000,00", 1.0),
    (THOUSAND, "1", 0.0),
    (SIXTEEN, "16.000", 0.0),   # sixteen thousand (was marked right)
    (SIXTEEN, "16,000", 1.0),   # sixteen, with three decimal zeros
    (SIXTEEN, "16", 1.0),
])
def test_short_reads_numbers_the_indonesian_way(data, response, expected):
    assert get_type("short").grade(data, response) == expected


def test_short_problem_names_a_number_the_notation_refuses():
    short = get_type("short")
    problem = short.problem(DECIMAL, "3.5")
    assert isinstance(problem, NumberNotationError)
    assert (problem.text, problem.suggestion) == ("3.5", "3,5")
    assert short.problem(DECIMAL, "3,5") is None
    assert short.problem(DECIMAL, "tiga koma lima") is None  # words: compared as text
    assert short.problem({"answers": ["Kepastian hukum"]}, "3.5") is None  # not numeric
    assert get_type("single").problem(SINGLE, ["o1"]) is None


def test_normalise_and_read_number():
    assert normalise_text("  Kepastian\t  Hukum. ") == "kepastian hukum"
    assert read_number("3,5") == 3.5
    assert read_number("-2") == -2
    assert read_number("1.000") == 1000
    assert read_number("20 JP") is None
    assert read_number("3.5") is None  # refused, not guessed
    assert read_number("1,2,3") is None


# --- feedback -----------------------------------------------------------------------------

def test_choice_feedback_marks_correct_and_chosen():
    fb = get_type("multiple").feedback(MULTIPLE, ["o1", "o3"])
    assert fb["correct"] is False
    assert fb["options"] == [
        {"id": "o1", "html": "Kepentingan umum", "correct": True, "chosen": True},
        {"id": "o2", "html": "Kepastian hukum", "correct": True, "chosen": False},
        {"id": "o3", "html": "Keuntungan finansial", "correct": False, "chosen": True},
    ]
    assert get_type("single").feedback(SINGLE, ["o2"])["correct"] is True
    assert get_type("single").feedback(SINGLE, None)["correct"] is False


def test_short_feedback_lists_accepted_answers():
    fb = get_type("short").feedback(SHORT, "20,0")
    assert fb == {"correct": True, "accepted": ["20", "20 JP", "dua puluh"]}
    assert get_type("short").feedback(SHORT, None)["correct"] is False


# --- templates ----------------------------------------------------------------------------

def _render(key, data, response=None, review=False):
    """Render a type's template as the take page (public data only) or as a review that
    shows everything."""
    qtype = get_type(key)
    question = SimpleNamespace(prompt_html="Apa <em>SPBE</em>?", qtype=key, data=data,
                               points=1.0)
    public = qtype.public_data(data)
    if review:
        feedback = qtype.feedback(data, response)
        options = [{"id": o["id"], "html": o["html"], "chosen": o["chosen"],
                    "correct": o["correct"]} for o in feedback.get("options", [])]
        item = AttemptItem(number=1, question=question, name="q12", template=qtype.template,
                           options=options, numeric=bool(public.get("numeric")),
                           response=response, review=True, correct=feedback["correct"],
                           accepted=feedback.get("accepted"))
    else:
        item = AttemptItem(number=1, question=question, name="q12", template=qtype.template,
                           options=public.get("options", []),
                           numeric=bool(public.get("numeric")), response=response,
                           problem=qtype.problem(data, response))
    return render_template(qtype.template, item=item, review=review)


def test_single_template_renders_radios_and_prechecks(app):
    with app.test_request_context():
        html = _render("single", SINGLE, ["o2"])
    assert "<fieldset" in html and "<legend" in html
    assert "Apa <em>SPBE</em>?" in html
    assert html.count('type="radio"') == 3
    assert 'name="q12" value="o2" checked' in html
    assert 'value="o1" checked' not in html
    assert "disabled" not in html
    assert "is-correct" not in html


def test_multiple_template_renders_checkboxes(app):
    with app.test_request_context():
        html = _render("multiple", MULTIPLE, ["o1", "o3"])
    assert html.count('type="checkbox"') == 3
    assert 'value="o1" checked' in html and 'value="o3" checked' in html
    assert 'value="o2" checked' not in html


def test_short_template_prefills_text_input(app):
    with app.test_request_context():
        html = _render("short", SHORT, 'say "20" <b>')
    assert 'type="text"' in html
    assert 'inputmode="text"' in html and 'autocomplete="off"' in html
    assert 'value="say &#34;20&#34; &lt;b&gt;"' in html
    assert "dua puluh" not in html


def test_short_template_hints_how_to_write_a_number(app):
    with app.test_request_context(), force_locale("id"):
        html = _render("short", DECIMAL, "3.5")
        words = _render("short", {"answers": ["Kepastian hukum"]}, None)
    assert "koma untuk desimal" in html  # the hint under a numeric input
    assert 'aria-describedby="q12-hint q12-problem"' in html
    assert "Maksud Anda 3,5?" in html  # the typed 3.5 is refused, with the Indonesian writing
    assert "koma untuk desimal" not in words


def test_choice_review_marks_with_classes_and_text(app):
    with app.test_request_context(), force_locale("en"):  # English review texts
        html = _render("multiple", MULTIPLE, ["o1", "o3"], review=True)
    assert html.count("disabled") == 3
    assert "is-correct" in html and "is-chosen" in html and "is-wrong" in html
    assert "Your answer, correct" in html
    assert "Your answer, incorrect" in html
    assert "Correct answer" in html
    assert "Incorrect." in html


def test_short_review_shows_accepted_answers(app):
    with app.test_request_context(), force_locale("en"):  # English review texts
        html = _render("short", SHORT, "19", review=True)
    assert "disabled" in html
    assert "dua puluh" in html
    assert "Incorrect." in html
