"""Fixtures of the content tests: a copy of a small, valid course to break on purpose."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "courses"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A content folder holding a copy of the fixture course ``kursus-contoh``."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def course_dir(content_dir) -> Path:
    """The copied ``kursus-contoh`` course folder (valid; tests edit it)."""
    return content_dir / "kursus-contoh"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def write():
    """``write(path, text)``: write ``text`` (dedented, leading newline dropped) to ``path``."""
    return _write
