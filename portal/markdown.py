"""Markdown to safe HTML, shared by course pages, quizzes and previews.

Two layers of safety: markdown-it-py parses with raw HTML disabled (``<script>`` in the
source comes out as text), and the rendered HTML is cleaned again with nh3 against a short
allowlist of tags and attributes. Links may only use http, https, mailto or a relative URL;
every link gets ``rel="noopener noreferrer"``.

Relative links and images into the course's ``assets/`` folder are rewritten to
``asset_base + <path inside assets/>`` when an ``asset_base`` is given (the importer passes
``/courses/<slug>/assets/``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from collections.abc import Iterable, Mapping
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "blockquote", "code", "pre",
    "em", "strong", "del", "hr", "br", "sup", "sub", "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "loading"},
    "ol": {"start"},
    "div": {"tabindex"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
#: The scroll container every table is wrapped in, so a wide table scrolls inside the text
#: column on a phone instead of being cut off; focusable so it also scrolls by keyboard.
#: Authors cannot write it (raw HTML is off): only the renderer emits it.
TABLE_SCROLL_OPEN = '<div class="table-scroll" tabindex="0">'
TABLE_SCROLL_CLOSE = "</div>"
#: Class of the link that opens an image (a diagram) full size.
FIGURE_LINK_CLASS = "figure-link"
#: Version of the HTML this module makes from the same Markdown. It is part of every
#: course's content hash (:func:`portal.courses.loader.content_hash`), so raising it makes
#: ``flask content import`` render unchanged courses again. 2: unique heading anchors,
#: tables in a scroll container, module images linked to themselves.
RENDERER_VERSION = 2
#: Column alignment of Markdown tables, as classes (the CSP forbids inline styles).
ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
URL_SCHEMES = {"http", "https", "mailto"}
#: Prefix of heading anchors, so a heading never takes the id of a page element.
HEADING_ID_PREFIX = "bagian-"

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes={"th": ALIGN_CLASSES, "td": ALIGN_CLASSES, "div": {"table-scroll"},
                     "a": {FIGURE_LINK_CLASS}},
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}
                      ).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class LinkRef:
    """A URL written in Markdown: ``kind`` is ``link`` or ``image``; ``line`` is the
    0-based line within the Markdown text where the block containing it starts."""

    url: str
    kind: str
    line: int


def is_external(url: str) -> bool:
    """True for a URL with a scheme (``https:``, ``mailto:``...) or a host (``//x``)."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def _asset_rest(url: str) -> str | None:
    """What follows ``assets/`` in a relative URL (still percent-encoded, with any query
    and fragment), or None when the URL does not point into ``assets/``."""
    if not url or is_external(url) or url.startswith(("/", "#", "?")):
        return None
    while url.startswith("./"):
        url = url[2:]
    if url.startswith("assets/") and urlsplit(url).path != "assets/":
        return url[len("assets/"):]
    return None


def asset_path(url: str) -> str | None:
    """The file path inside ``assets/`` that a relative ``url`` points to, or None.

    ``assets/img/a.png`` and ``./assets/a%20b.png?x#y`` give ``img/a.png`` and ``a b.png``
    (percent-escapes decoded, query and fragment dropped). Absolute URLs, fragments and
    other folders give None.
    """
    rest = _asset_rest(url)
    return unquote(urlsplit(rest).path) if rest is not None else None


def _walk(tokens: list[Token]):
    """Every token with the line of its nearest block (0-based), children included."""
    line = 0
    for token in tokens:
        if token.map:
            line = token.map[0]
        yield token, line
        for child in token.children or ():
            yield child, line


def collect_urls(text: str) -> list[LinkRef]:
    """Every link and image URL written in ``text``, in order, with its line."""
    refs = []
    for token, line in _walk(_parser().parse(text)):
        if token.type == "link_open":
            refs.append(LinkRef(str(token.attrGet("href") or ""), "link", line))
        elif token.type == "image":
            refs.append(LinkRef(str(token.attrGet("src") or ""), "image", line))
    return refs


def _slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "bagian"


def unique_slugs(bases: Iterable[str]) -> list[str]:
    """One distinct slug per heading, in order: a base seen for the first time (and not yet
    taken as an id) stays as it is; a later one gets the first free ``-2``, ``-3``, ...

    Every result differs from every earlier one, whatever the sequence: "Latihan",
    "Latihan", "Latihan 2" give ``latihan``, ``latihan-2``, ``latihan-2-2`` (the third
    heading's own slug ``latihan-2`` is taken by then). It is the loop of GitHub's heading
    anchors (the ``github-slugger`` package), except that the second copy is ``-2`` (GitHub:
    ``-1``), as the portal's anchors have always been.

    Args:
        bases: slugs as made by ``_slugify`` (lowercase ASCII words joined by hyphens).

    Returns:
        The slugs in the same order, all different.
    """
    taken: set[str] = set()
    counters: dict[str, int] = {}
    result = []
    for base in bases:
        slug = base
        while slug in taken:
            counters[base] = counters.get(base, 1) + 1
            slug = f"{base}-{counters[base]}"
        taken.add(slug)
        result.append(slug)
    return result


def _rewrite(url: str, asset_base: str | None, links: Mapping[str, str] | None) -> str:
    inner = _asset_rest(url)
    if inner is not None and asset_base is not None:
        return asset_base + inner
    if links and url and not is_external(url):
        parts = urlsplit(url)
        path = unquote(parts.path)
        while path.startswith("./"):
            path = path[2:]
        if path in links:
            return links[path] + (f"#{parts.fragment}" if parts.fragment else "")
    return url


def _html_block(html: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = html
    return token


def _wrap_tables(tokens: list[Token]) -> None:
    """Put every table inside the :data:`TABLE_SCROLL_OPEN` container, in place."""
    wrapped: list[Token] = []
    for token in tokens:
        if token.type == "table_open":
            wrapped.append(_html_block(TABLE_SCROLL_OPEN))
        wrapped.append(token)
        if token.type == "table_close":
            wrapped.append(_html_block(TABLE_SCROLL_CLOSE))
    tokens[:] = wrapped


def _link_images(tokens: list[Token]) -> None:
    """Make every image that is not already inside a link a link to the image itself, so a
    diagram shrunk to the width of a phone opens full size (readable, zoomable), in place.
    Runs after the URLs were rewritten, so the link points to the portal's asset URL."""
    for token in tokens:
        if not token.children:
            continue
        children: list[Token] = []
        depth = 0
        for child in token.children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            if child.type == "image" and depth == 0 and child.attrGet("src"):
                link = Token("link_open", "a", 1)
                link.attrSet("href", str(child.attrGet("src")))
                link.attrSet("class", FIGURE_LINK_CLASS)
                children += [link, child, Token("link_close", "a", -1)]
            else:
                children.append(child)
        token.children = children


def _prepare(tokens: list[Token], asset_base: str | None,
             links: Mapping[str, str] | None = None, link_images: bool = False) -> None:
    """Rewrite asset and page URLs, turn table alignment into classes, add heading anchors
    and lazy image loading, wrap tables in a scroll container and (``link_images``) link
    images to themselves, in place."""
    for token, _line in list(_walk(tokens)):
        if token.type in ("link_open", "image"):
            attr = "href" if token.type == "link_open" else "src"
            url = str(token.attrGet(attr) or "")
            new = _rewrite(url, asset_base, links)
            if new != url:
                token.attrSet(attr, new)
            if token.type == "image":
                token.attrSet("loading", "lazy")
        elif token.type in ("s_open", "s_close"):
            token.tag = "del"
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrGet("style") or "")
            match = re.search(r"text-align:\s*(left|center|right)", style)
            if token.attrs:
                token.attrs.pop("style", None)
            if match:
                token.attrSet("class", f"align-{match.group(1)}")
    # Heading anchors: the inline token after heading_open holds the text.
    headings = [index for index, token in enumerate(tokens)
                if token.type == "heading_open" and index + 1 < len(tokens)]
    slugs = unique_slugs(_slugify(tokens[index + 1].content) for index in headings)
    for index, slug in zip(headings, slugs):
        tokens[index].attrSet("id", HEADING_ID_PREFIX + slug)
    if link_images:
        _link_images(tokens)
    _wrap_tables(tokens)


def clean_html(html: str) -> str:
    """Clean HTML against the allowlist (tags, attributes, URL schemes, ``rel``)."""
    return _cleaner.clean(html)


def render_markdown(text: str, asset_base: str | None = None,
                    links: Mapping[str, str] | None = None, link_images: bool = False) -> str:
    """Render Markdown (CommonMark + tables + strikethrough) to sanitised HTML.

    Every table comes wrapped in a scroll container (:data:`TABLE_SCROLL_OPEN`); headings
    get unique ``bagian-`` anchors (:func:`unique_slugs`).

    Args:
        text: Markdown source; raw HTML in it is shown as text, never interpreted.
        asset_base: prefix for links/images into ``assets/``, e.g. ``/courses/x/assets/``;
            None leaves them relative.
        links: relative file names to rewrite (``{"02-standar.md": "/courses/x/modules/
            standar"}``); a ``#fragment`` is kept.
        link_images: make each image that is not inside a link a link to itself (class
            :data:`FIGURE_LINK_CLASS`), so it opens full size. For reading pages (modules,
            course descriptions); off for quizzes, where a tap on an image must not leave
            the attempt or miss the option it illustrates.

    Returns:
        HTML safe to insert into a page with ``|safe``.
    """
    md = _parser()
    env: dict = {}
    tokens = md.parse(text or "", env)
    _prepare(tokens, asset_base, links, link_images)
    return clean_html(md.renderer.render(tokens, md.options, env))


def render_inline(text: str, asset_base: str | None = None,
                  links: Mapping[str, str] | None = None) -> str:
    """Render one line of Markdown (emphasis, code, links) without a ``<p>`` wrapper."""
    md = _parser()
    env: dict = {}
    tokens = md.parseInline(text or "", env)
    _prepare(tokens, asset_base, links)
    return clean_html(md.renderer.render(tokens, md.options, env)).strip()
