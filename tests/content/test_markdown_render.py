"""portal.markdown: Markdown to sanitised HTML, asset rewriting, link collection."""

from __future__ import annotations

from portal.markdown import asset_path, clean_html, collect_urls, render_inline, render_markdown

BASE = "/courses/kursus/assets/"


def test_script_tags_are_not_interpreted():
    html = render_markdown("Halo\n\n<script>alert(1)</script>\n\n<b onclick=x>b</b>")
    assert "<script" not in html
    assert "<b" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_dropped():
    html = render_markdown("[klik](javascript:alert(1)) [data](data:text/html,x) "
                           "[vb](vbscript:x)")
    assert "<a" not in html
    assert "href" not in html


def test_cleaner_removes_event_handlers_and_bad_schemes():
    html = clean_html('<img src="x.png" onerror="alert(1)"><a href="javascript:alert(1)">a</a>'
                      '<script>evil()</script><iframe src="x"></iframe>'
                      '<p style="color:red" class="x">p</p>')
    assert "onerror" not in html
    assert "javascript" not in html
    assert "evil" not in html
    assert "iframe" not in html
    assert "style" not in html and "class" not in html
    assert '<img src="x.png">' in html


def test_links_get_rel_and_only_allowed_schemes():
    html = render_markdown("[a](https://jambiprov.go.id) [b](mailto:bpsdm@jambiprov.go.id) "
                           "[c](ftp://x.y/z)")
    assert '<a href="https://jambiprov.go.id" rel="noopener noreferrer">a</a>' in html
    assert 'href="mailto:bpsdm@jambiprov.go.id"' in html
    assert "ftp:" not in html


def test_tables_strikethrough_and_alignment_classes():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~lama~~")
    assert "<table>" in html and "<th class=\"align-left\">a</th>" in html
    assert '<td class="align-right">2</td>' in html
    assert "style=" not in html
    assert "<del>lama</del>" in html


def test_asset_links_and_images_are_rewritten():
    html = render_markdown("![Diagram](assets/img/a%20b.svg \"judul\") "
                           "[PDF](./assets/x.pdf#hal-2) [lain](https://x.id/assets/y.png)",
                           asset_base=BASE)
    assert f'src="{BASE}img/a%20b.svg"' in html
    assert 'alt="Diagram"' in html and 'title="judul"' in html
    assert f'href="{BASE}x.pdf#hal-2"' in html
    assert 'href="https://x.id/assets/y.png"' in html


def test_assets_stay_relative_without_base():
    assert 'src="assets/a.png"' in render_markdown("![a](assets/a.png)")


def test_page_links_are_rewritten_from_map():
    html = render_markdown("[m2](02-lanjutan.md#bagian) [x](03-lain.md)",
                           links={"02-lanjutan.md": "/courses/k/modules/lanjutan"})
    assert 'href="/courses/k/modules/lanjutan#bagian"' in html
    assert 'href="03-lain.md"' in html


def test_headings_get_prefixed_unique_anchors():
    html = render_markdown("## Tujuan Modul\n\ntext\n\n## Tujuan Modul\n\n# Ringkasan & Ulasan")
    assert '<h2 id="bagian-tujuan-modul">' in html
    assert '<h2 id="bagian-tujuan-modul-2">' in html
    assert '<h1 id="bagian-ringkasan-ulasan">' in html


def test_render_inline_has_no_paragraph():
    html = render_inline("Sistem *Berbasis* `SPBE` <u>x</u>")
    assert html == "Sistem <em>Berbasis</em> <code>SPBE</code> &lt;u&gt;x&lt;/u&gt;"


def test_linkify_is_off():
    assert "<a" not in render_markdown("lihat https://jambiprov.go.id")


def test_collect_urls_reports_block_lines():
    refs = collect_urls("para\n\n[a](assets/x.pdf)\n\n- item\n- ![b](../y.png)\n")
    assert [(r.url, r.kind, r.line) for r in refs] == [
        ("assets/x.pdf", "link", 2), ("../y.png", "image", 5)]


def test_asset_path():
    assert asset_path("assets/a.png") == "a.png"
    assert asset_path("./assets/sub/a%20b.png?v=1#x") == "sub/a b.png"
    assert asset_path("assets/") is None
    assert asset_path("/assets/a.png") is None
    assert asset_path("https://x/assets/a.png") is None
    assert asset_path("other/a.png") is None
