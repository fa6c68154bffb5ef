"""WTForms' built-in validation messages follow the UI language."""

from portal.forms import wtforms_translations


def test_indonesian_catalogue_translates_wtforms_messages(app):
    t = wtforms_translations("id")
    assert t.gettext("This field is required.") == "Isian ini wajib diisi."
    assert t.ngettext("Field cannot be longer than %(max)d character.",
                      "Field cannot be longer than %(max)d characters.", 5) % {"max": 5} \
        == "Isian paling banyak 5 karakter."


def test_english_keeps_wtforms_messages(app):
    assert wtforms_translations("en").gettext("This field is required.") == "This field is required."


def test_overlong_input_gets_an_indonesian_message(client):
    response = client.post("/register", data={"full_name": "x" * 400})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Isian paling banyak" in page
    assert "Field cannot be longer" not in page
