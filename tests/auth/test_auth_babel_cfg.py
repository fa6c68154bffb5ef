"""babel.cfg lets pybabel find the UI strings in Python and in the templates."""

from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_pybabel_extract_finds_python_and_template_strings(tmp_path, monkeypatch):
    out = tmp_path / "messages.pot"
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l",
                                "-o", str(out), "."])
    with out.open("rb") as handle:
        catalog = read_po(handle)
    ids = {message.id for message in catalog if message.id}
    locations = {message.id: {path for path, _line in message.locations}
                 for message in catalog if message.id}
    # _() in a view, _l() in a form, _() in templates
    assert "The NIP/email or password is wrong." in ids
    assert "The birth date in the NIP / NI PPPK (digits 1–8) is not a real date." in ids
    assert "portal/auth/forms.py" in locations["Full name"]
    assert "portal/templates/auth/register.html" in locations["Create my account"]
    assert "portal/templates/base.html" in locations["Log out"]
    # placeholders survive as python-format strings
    locked = next(m for m in catalog if m.id and str(m.id).startswith("Too many wrong passwords"))
    assert "python-format" in locked.flags
