"""What the renderer adds for reading on a phone: every table inside a scroll container, and
module images (diagrams) linked to their own file so they open full size. Quizzes keep their
images unlinked: a tap there must select an option or stay in the attempt."""

from __future__ import annotations

import re
from pathlib import Path

from portal.courses.loader import content_hash, load_course
from portal.markdown import (
    FIGURE_LINK_CLASS, TABLE_SCROLL_CLOSE, TABLE_SCROLL_OPEN, render_inline, render_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
TABLE = "| Fase | Keluaran |\n|---|---|\n| Inisiasi | KAK |\n"


def test_every_table_is_wrapped_in_one_scroll_container():
    html = render_markdown(f"{TABLE}\nteks\n\n- daftar\n\n  {TABLE.replace(chr(10), chr(10) + '  ')}")
    assert html.count("<table>") == 2
    assert html.count(TABLE_SCROLL_OPEN + "<table>") == 2
    assert html.count("</table>\n" + TABLE_SCROLL_CLOSE) == 2
    assert TABLE_SCROLL_OPEN == '<div class="table-scroll" tabindex="0">'


def test_an_author_cannot_write_the_container_or_other_divs():
    html = render_markdown('<div class="table-scroll" tabindex="0" onclick="x()">a</div>\n\n'
                           "*b*")
    assert "<div" not in html
    assert "&lt;div" in html


def test_module_images_link_to_their_asset():
    html = render_markdown("![Diagram jaringan](assets/cpm.svg)", "/courses/k/assets/",
                           link_images=True)
    assert re.search(r'<a href="/courses/k/assets/cpm.svg" class="figure-link"[^>]*>'
                     r'<img src="/courses/k/assets/cpm.svg" alt="Diagram jaringan"', html)
    assert FIGURE_LINK_CLASS == "figure-link"


def test_an_image_that_is_already_a_link_keeps_its_own_link():
    html = render_markdown("[![logo](assets/a.png)](https://jambiprov.go.id)",
                           "/courses/k/assets/", link_images=True)
    assert html.count("<a ") == 1
    assert 'href="https://jambiprov.go.id"' in html
    assert "figure-link" not in html


def test_quiz_text_keeps_images_unlinked():
    assert "<a " not in render_markdown("![d](assets/a.svg)", "/courses/k/assets/")
    assert "<a " not in render_inline("![d](assets/a.svg)", "/courses/k/assets/")


def test_shipped_modules_link_every_diagram_and_wrap_every_table():
    diagrams = tables = 0
    for folder in sorted((ROOT / "content").iterdir()):
        for module in load_course(folder).modules:
            html = module.body_html
            tables += html.count("<table>")
            assert html.count("<table>") == html.count(TABLE_SCROLL_OPEN + "<table>")
            for src in re.findall(r'<img src="([^"]+\.svg)"', html):
                diagrams += 1
                assert f'<a href="{src}" class="figure-link"' in html
    assert diagrams == 5 and tables >= 10


def test_the_content_hash_changes_with_the_renderer(tmp_path, monkeypatch):
    (tmp_path / "course.md").write_text("x")
    before = content_hash(tmp_path)
    monkeypatch.setattr("portal.courses.loader.RENDERER_VERSION", 999)
    assert content_hash(tmp_path) != before
