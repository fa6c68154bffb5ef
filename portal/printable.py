"""Text a certificate can print: what the bundled fonts draw, and nothing invisible.

A certificate (``portal/templates/certificates/pdf.html``) is drawn only with the fonts that
``portal/static/css/certificate.css`` embeds (Noto Sans, Latin and Latin Extended subsets).
A character none of them has prints as an empty box (emoji, Javanese script, ...); control,
zero-width and bidi-override characters are invisible on screen yet reorder, hide or break
printed text. Every field that ends up on a certificate is therefore typed through
:func:`normalize_printed` and checked with :func:`unprintable_characters` where it is typed:
registration, the profile, ``flask users create`` and the course front matter.

The coverage is read from the font files themselves with fontTools (their ``cmap`` tables),
once per process (:func:`printable_code_points`): a character counts as printable when every
weight the certificate uses (400 and 700) has a glyph for it in one of its faces.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
CERTIFICATE_CSS = STATIC_DIR / "css" / "certificate.css"

#: General categories never printed, whatever the fonts hold (Unicode 15, chapter 4.5):
#: controls (Cc), format characters such as zero-width and bidi controls (Cf), surrogates
#: (Cs), private use (Co), unassigned (Cn), line and paragraph separators (Zl, Zp).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

#: Characters the fonts draw but that only ever stand for broken text: U+FFFD REPLACEMENT
#: CHARACTER (a decoding error upstream).
REFUSED_CHARACTERS = frozenset({"\ufffd"})

_FONT_FACE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}", re.S)
_WEIGHT = re.compile(r"font-weight:\s*(\d+)")
_STYLE = re.compile(r"font-style:\s*(\w+)")
_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
_SPACES = re.compile(r" {2,}")
#: Tabs and line breaks: whitespace a one-line printed field turns into a space.
_LINE_SPACE = frozenset("\t\n\r\v\f\x85\u2028\u2029")


def certificate_font_files(css_path: Path = CERTIFICATE_CSS) -> dict[int, list[Path]]:
    """The font files the certificate stylesheet embeds, by weight (normal style only).

    Returns:
        ``{400: [Path, ...], 700: [...]}``; paths are resolved against the stylesheet's
        folder, as WeasyPrint resolves them.

    Raises:
        FileNotFoundError: the stylesheet or one of the fonts it names does not exist.
    """
    faces: dict[int, list[Path]] = {}
    for match in _FONT_FACE.finditer(css_path.read_text(encoding="utf-8")):
        body = match.group("body")
        style = _STYLE.search(body)
        if style and style.group(1) != "normal":
            continue
        weight = int(_WEIGHT.search(body).group(1)) if _WEIGHT.search(body) else 400
        for url in _URL.findall(body):
            path = (css_path.parent / url).resolve()
            if not path.is_file():
                raise FileNotFoundError(f"{css_path}: font {url} does not exist")
            faces.setdefault(weight, []).append(path)
    return faces


@lru_cache(maxsize=4)
def printable_code_points(css_path: Path = CERTIFICATE_CSS) -> frozenset[int]:
    """Code points every weight of the certificate's fonts can draw (cached per process).

    Read from the fonts' ``cmap`` tables with fontTools: for each weight, the union of its
    faces (Latin + Latin Extended); then the intersection over the weights, since a name is
    printed bold and the other fields regular.
    """
    from fontTools.ttLib import TTFont

    per_weight = []
    for paths in certificate_font_files(css_path).values():
        points: set[int] = set()
        for path in paths:
            with TTFont(str(path), lazy=True) as font:
                points.update(font.getBestCmap() or {})
        per_weight.append(points)
    if not per_weight:
        return frozenset()
    return frozenset(set.intersection(*per_weight))


def normalize_printed(text: str | None) -> str:
    """Text as it is stored and printed: Unicode NFC (a letter and its combining accent
    become one character, as fonts expect), every space separator (no-break, thin, ideographic
    ... spaces, category Zs) and every tab or line break (text pasted from a spreadsheet
    cell) turned into a plain space, runs of spaces collapsed, ends stripped. None gives
    ``""``. Other characters are left for :func:`unprintable_characters` to report."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(ch) == "Zs" or ch in _LINE_SPACE else ch
                   for ch in text)
    return _SPACES.sub(" ", text).strip()


def is_printable(ch: str) -> bool:
    """True when the single character ``ch`` prints visibly on a certificate: a plain space,
    or a character outside :data:`REFUSED_CATEGORIES` and :data:`REFUSED_CHARACTERS` that
    the fonts draw (:func:`printable_code_points`)."""
    if ch == " ":
        return True
    if ch in REFUSED_CHARACTERS or unicodedata.category(ch) in REFUSED_CATEGORIES:
        return False
    return ord(ch) in printable_code_points()


def unprintable_characters(text: str | None) -> list[str]:
    """The distinct characters of ``text`` a certificate cannot print (see
    :func:`is_printable`), in order of first appearance; ``[]`` when all can be printed.
    Check text after :func:`normalize_printed`, which turns other spaces into plain ones."""
    seen: list[str] = []
    for ch in text or "":
        if ch not in seen and not is_printable(ch):
            seen.append(ch)
    return seen


def is_visible(ch: str) -> bool:
    """False for characters that show nothing by themselves (controls, format characters,
    separators, combining marks), which a message must name without quoting them."""
    return unicodedata.category(ch)[0] not in "CZM"


def character_name(ch: str) -> str:
    """``U+1F600 GRINNING FACE``: the code point and its Unicode name (``U+E000`` alone when
    the character has no name)."""
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "")
    if not name and unicodedata.category(ch) == "Cc":
        name = {"\t": "CHARACTER TABULATION", "\n": "LINE FEED", "\r": "CARRIAGE RETURN",
                "\x00": "NULL"}.get(ch, "CONTROL")
    return f"{code} {name}" if name else code
