"""The README tells the truth: its order, its settings and the paths it names."""

from __future__ import annotations

import re

from tests.factories import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, title
    return match.group(1)


def test_two_commands_first_then_settings_then_roles():
    headings = re.findall(r"^## (.+)$", README, re.M)
    assert headings[:3] == ["Start", "Settings", "What each role can do"], headings
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["make run", "make test"]


def test_every_setting_in_the_readme_is_read_by_the_config_and_back():
    config = (ROOT / "portal" / "config.py").read_text(encoding="utf-8")
    read = set(re.findall(r"""(?:environ\.get|_[a-z]+)\(\s*["']([A-Z_]+)["']""", config))
    listed = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", section("Settings")))
    assert read, "config.py reads no environment variable?"
    assert listed == read


def test_paths_named_in_the_readme_exist():
    """Every repository path in backticks, and the layout's folders (``instance/`` is made
    by ``make run``, so it is not checked)."""
    named = re.findall(r"`((?:\.ci|portal|content|docs|migrations|tests|bench)/[^`\s]*)`", README)
    named += re.findall(r"^([a-z./]+/)\s", section("Layout"), re.M)
    assert "docs/content-format.md" in named and "portal/static/" in named
    missing = [path for path in named if not (ROOT / path).exists()]
    assert missing == []
