"""The question-type registry: public data, form parsing, grading, feedback, templates."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from flask import render_template
from flask_babel import force_locale

from portal.quizzes.types import (
    MAX_RESPONSE_LENGTH,
    QUESTION_TYPES,
    QuestionType,
    get_type,
    normalise_text,
    parse_number,
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
TOLERANT = {"answers": ["12.5"], "tolerance": 0.5}


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
        assert public == {}
        assert "dua puluh" not in dumped
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


@pytest.mark.parametrize("response", ["20", " 20 ", "20 jp", "20  JP.", "Dua Puluh", "20.0",
                                      "20,00", "dua puluh."])
def test_short_accepts(response):
    assert get_type("short").grade(SHORT, response) == 1.0


@pytest.mark.parametrize("response", ["21", "19.99", "dua", "", "   ", None, "20 jam"])
def test_short_rejects(response):
    assert get_type("short").grade(SHORT, response) == 0.0


@pytest.mark.parametrize("response,expected", [("3,5", 1.0), ("3.5", 1.0), ("3.50", 1.0),
                                               ("3,50", 1.0), ("3.6", 0.0), ("35", 0.0)])
def test_short_comma_and_dot_decimals(response, expected):
    assert get_type("short").grade(DECIMAL, response) == expected


@pytest.mark.parametrize("response,expected", [("12", 1.0), ("13", 1.0), ("12,9", 1.0),
                                               ("11.99", 0.0), ("13.01", 0.0), ("abc", 0.0)])
def test_short_numeric_tolerance(response, expected):
    assert get_type("short").grade(TOLERANT, response) == expected


def test_normalise_and_parse_number():
    assert normalise_text("  Kepastian\t  Hukum. ") == "kepastian hukum"
    assert parse_number("3,5") == 3.5
    assert parse_number("-2") == -2.0
    assert parse_number(",5") == 0.5
    assert parse_number("20 JP") is None
    assert parse_number("1,2,3") is None


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
    qtype = get_type(key)
    question = SimpleNamespace(prompt_html="Apa <em>SPBE</em>?", qtype=key, data=data)
    return render_template(
        qtype.template, question=question, public=qtype.public_data(data),
        response=response, name="q12", review=review,
        feedback=qtype.feedback(data, response) if review else None)


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
