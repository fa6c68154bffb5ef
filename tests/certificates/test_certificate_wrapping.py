"""Long words wrap inside the certificate's frame: read back with pypdf (every word is in
the PDF, one A4 landscape page) and checked on WeasyPrint's own layout (every line of text
lies inside the frame)."""

import pytest
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox
from weasyprint.urls import path2url

from portal.certificates.pdf import (
    LONG_WORD, STATIC_DIR, StaticOnlyFetcher, breakable, certificate_html,
    render_certificate_pdf,
)
from tests.factories import read_pdf

#: A word without spaces, 143 characters long (the length observed crossing the frame).
WORD_143 = ("UnitPelaksanaTeknisDaerahBalaiPengujiandanSertifikasiMutuBarang"
            "DinasPerindustriandanPerdaganganProvinsiJambiWilayahBaratdanTimurSeksiTataUsahaUmum")[:143]

#: A unit name of 143 characters with spaces.
UNIT_143 = ("Unit Pelaksana Teknis Daerah Balai Pengujian dan Sertifikasi Mutu Barang pada Dinas "
            "Perindustrian dan Perdagangan Provinsi Jambi, Wilayah Barat")


def test_the_sample_texts_have_the_observed_length():
    assert len(WORD_143) == 143 and " " not in WORD_143
    assert len(UNIT_143) == 143


def _with(certificate, **fields):
    """The certificate with its snapshot's printed fields replaced (not saved)."""
    certificate.snapshot = {**certificate.snapshot, **fields}
    return certificate


def _text_without_breaks(data: bytes) -> str:
    """The PDF's text with every whitespace removed: a word wrapped over lines reads whole."""
    return "".join("".join(page.extract_text().split()) for page in read_pdf(data).pages)


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def text_outside_the_frame(certificate) -> list[str]:
    """Every line of text that WeasyPrint lays out beyond the frame's left or right edge."""
    document = HTML(string=certificate_html(certificate),
                    base_url=path2url(str(STATIC_DIR)) + "/",
                    url_fetcher=StaticOnlyFetcher(STATIC_DIR)).render()
    outside = []
    for page in document.pages:
        root = page._page_box
        frame = next(box for box in _boxes(root) if getattr(box, "element_tag", None) == "div"
                     and "frame" in (box.element.get("class") or "").split())
        left, right = frame.border_box_x(), frame.border_box_x() + frame.border_width()
        outside += [box.text for box in _boxes(root) if isinstance(box, TextBox)
                    and (box.position_x < left or box.position_x + box.width > right + 0.01)]
    return outside


def _one_a4_landscape_page(data: bytes) -> bool:
    pages = read_pdf(data).pages
    box = pages[0].mediabox
    return len(pages) == 1 and (round(float(box.width)), round(float(box.height))) == (842, 595)


@pytest.mark.parametrize("field", ["unit_kerja", "jabatan"])
def test_a_143_character_word_wraps_inside_the_frame(issue, field):
    certificate = _with(issue(), **{field: WORD_143})
    data = render_certificate_pdf(certificate)
    assert _one_a4_landscape_page(data)
    assert WORD_143 in _text_without_breaks(data)
    assert text_outside_the_frame(certificate) == []


def test_the_same_word_in_every_printed_field_stays_inside(issue):
    certificate = _with(issue(), name=WORD_143 + ", S.Kom.", jabatan=WORD_143,
                        unit_kerja=WORD_143, pangkat_golongan=WORD_143[:80],
                        course_title=WORD_143, partner=WORD_143)
    data = render_certificate_pdf(certificate)
    assert _one_a4_landscape_page(data)
    assert _text_without_breaks(data).count(WORD_143) >= 5
    assert text_outside_the_frame(certificate) == []


def test_every_word_of_a_143_character_unit_name_is_in_the_pdf(issue):
    certificate = _with(issue(), unit_kerja=UNIT_143)
    data = render_certificate_pdf(certificate)
    assert _one_a4_landscape_page(data)
    words = set(read_pdf(data).pages[0].extract_text().split())
    assert set(UNIT_143.split()) <= words
    assert text_outside_the_frame(certificate) == []


def test_an_ordinary_certificate_lies_inside_the_frame(issue):
    assert text_outside_the_frame(issue()) == []


def test_breakable_marks_only_words_longer_than_the_limit():
    assert breakable("Dinas Komunikasi dan Informatika") == "Dinas Komunikasi dan Informatika"
    assert breakable("mempertanggungjawabkan") == "mempertanggungjawabkan"
    long_word = "A" * (LONG_WORD + 1)
    assert str(breakable(long_word)).replace("<wbr>", "") == long_word
    assert "<wbr>" in breakable(long_word)
    assert breakable("<b>&" + "x" * 40).startswith("&lt;b&gt;&amp;")
    assert breakable(None) == ""
