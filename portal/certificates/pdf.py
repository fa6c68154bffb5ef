"""Certificate PDFs: rendering with WeasyPrint and storing the first render for good.

The PDF is A4 landscape, drawn from the certificate's snapshot alone through the Jinja
template ``certificates/pdf.html`` and the stylesheet ``static/css/certificate.css``, with
the bundled Noto Sans font (SIL OFL 1.1) embedded. WeasyPrint fetches resources through
:class:`StaticOnlyFetcher`, which serves the portal's own static files and ``data:`` URIs
and refuses everything else: no network access, no file outside ``portal/static``.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import DataHandler, Request, url2pathname

import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup, escape
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from portal.auth.nip import format_nip, nip_label
from portal.certificates.codes import format_code
from portal.certificates.models import Certificate
from portal.certificates.qr import qr_svg_data_uri, verification_url
from portal.extensions import db

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
TEMPLATE = "certificates/pdf.html"

_CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


@lru_cache(maxsize=32)
def _decompressed_font(path: Path, mtime_ns: int) -> bytes:
    """A WOFF2 font file as plain TrueType/OpenType bytes, cached per file and version.

    WeasyPrint would otherwise decompress each WOFF2 face again on every render (about
    0.2 s per face); the result is the same font.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(path.read_bytes()))
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class RefusedUrl(ValueError):
    """Raised by :class:`StaticOnlyFetcher` for a URL it will not fetch."""


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher limited to the portal's static files and ``data:`` URIs.

    ``file:`` URLs are served only when the resolved path (symlinks and ``..`` followed)
    is a file inside ``root`` (WOFF2 fonts are handed over decompressed, see
    :func:`_decompressed_font`); every other scheme (http, https, ftp, ...) and every other
    path raises :class:`RefusedUrl`, which WeasyPrint reports as a failed resource.
    """

    def __init__(self, root: Path | str = STATIC_DIR) -> None:
        super().__init__(timeout=1, allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = Path(root).resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        """Return the resource at ``url``.

        Raises:
            RefusedUrl: a scheme other than ``file``/``data``, a host in a ``file:`` URL,
                or a path outside ``root`` (or not a file).
        """
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            response = DataHandler().data_open(Request(url))
            return URLFetcherResponse(
                url, body=response.read(),
                headers={"Content-Type": response.headers.get("Content-Type", "text/plain")})
        if scheme != "file":
            raise RefusedUrl(f"refused to fetch {url!r}: only the portal's static files")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedUrl(f"refused to fetch {url!r}: remote file host")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedUrl(f"refused to fetch {url!r}: outside the static folder")
        suffix = path.suffix.lower()
        if suffix == ".woff2":
            body = _decompressed_font(path, path.stat().st_mtime_ns)
            content_type = "font/ttf"
        else:
            body = path.read_bytes()
            content_type = (_CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0]
                            or "application/octet-stream")
        return URLFetcherResponse(path2url(str(path)), body=body,
                                  headers={"Content-Type": content_type})


LONG_WORD = 30
"""Characters beyond which a word (a run without spaces) gets break opportunities; no
Indonesian word is this long ("mempertanggungjawabkan" has 22 letters)."""

WORD_PIECE = 10
"""Characters between two break opportunities inside a long word."""

_WHITESPACE = re.compile(r"(\s+)")


def breakable(text: str | None) -> Markup:
    """``text`` escaped for HTML, with a ``<wbr>`` every :data:`WORD_PIECE` characters inside
    each word longer than :data:`LONG_WORD`, so the certificate wraps a 143-character word
    instead of letting it cross the frame (CSS ``overflow-wrap`` cannot narrow a table
    cell without ``anywhere``, which makes WeasyPrint several times slower). ``<wbr>`` draws
    nothing: the PDF's text holds the word unchanged, split only where lines break."""
    pieces = []
    for part in _WHITESPACE.split(text or ""):
        if len(part) > LONG_WORD and not part.isspace():
            pieces.append(Markup("<wbr>").join(
                escape(part[i:i + WORD_PIECE]) for i in range(0, len(part), WORD_PIECE)))
        else:
            pieces.append(escape(part))
    return Markup("").join(pieces)


def _size_class(text: str, steps: tuple[int, ...]) -> str:
    """``s0`` for short text, ``s1``, ``s2``, ... as ``len(text)`` passes each step."""
    level = sum(1 for step in steps if len(text) > step)
    return f"s{level}"


def verify_base_url(certificate: Certificate, settings: dict) -> str:
    """The base URL printed on ``certificate`` (QR code and link): the one frozen in its
    snapshot at issue (``verify_base_url``, from ``PUBLIC_BASE_URL``).

    A snapshot from before the setting was required holds None; it then takes the current
    ``PUBLIC_BASE_URL`` once, at the first render, which stores the PDF for good. A request's
    host is never used: a client chooses its ``Host`` header, and a stored certificate must
    not point where a client said.

    Raises:
        ValueError: neither the snapshot nor the setting holds a base URL.
    """
    base_url = certificate.snapshot.get("verify_base_url") or settings.get("PUBLIC_BASE_URL")
    if not base_url:
        raise ValueError("no base URL for the verification link; set PUBLIC_BASE_URL")
    return base_url


def certificate_html(certificate: Certificate) -> str:
    """The certificate's HTML, from its snapshot only (Indonesian whatever the UI locale).

    Raises:
        ValueError: no base URL is known for the verification link (see
            :func:`verify_base_url`).
    """
    snap = certificate.snapshot
    url = verification_url(verify_base_url(certificate, current_app.config), certificate.code)
    details = " ".join(snap.get(k) or "" for k in ("pangkat_golongan", "jabatan", "unit_kerja",
                                                   "instansi"))
    printed = sum(len(snap.get(k) or "") for k in ("name", "course_title", "partner")) + len(details)
    template = current_app.jinja_env.get_template(TEMPLATE)
    return template.render(
        s=snap,
        code_display=format_code(certificate.code),
        nip_display=format_nip(snap.get("nip")),
        nip_label=nip_label(snap.get("nip")),
        signatory_nip_display=format_nip(snap.get("signatory_nip")),
        verify_url=url,
        qr_uri=qr_svg_data_uri(url),
        # Font size steps by length keep the longest names and titles on one page.
        name_size=_size_class(snap.get("name") or "", (44, 80, 160)),
        title_size=_size_class(snap.get("course_title") or "", (70, 140, 200)),
        details_size=_size_class(details, (200, 360)),
        dense=printed > 600,
        breakable=breakable,
        created=snap.get("issued_on", ""),
    )


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """Render the certificate as a one-page A4 landscape PDF and return its bytes.

    Uses the snapshot only, the bundled Noto Sans font and :class:`StaticOnlyFetcher`.
    PDF metadata: title (``Sertifikat <number>``), author (the issuer), subject (the
    course), language ``id``. Measured on a 2-core x86-64 build machine: about 0.1 s per
    render (median of 30; 0.14 s with a 120-character name), 0.5 s for the first render in
    a process (fonts are decompressed once, then cached); the PDF weighs 16-18 KB.

    Raises:
        ValueError: no base URL is known for the verification link (see
            :func:`certificate_html`).
    """
    html = certificate_html(certificate)
    document = HTML(string=html, base_url=path2url(str(STATIC_DIR)) + "/",
                    url_fetcher=StaticOnlyFetcher(STATIC_DIR))
    return document.write_pdf()


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF: rendered and stored on first call, the stored bytes after.

    The first render is stored in ``certificate.pdf`` with its SHA-256 in
    ``pdf_sha256`` by a conditional UPDATE (``WHERE pdf_sha256 IS NULL``). When two
    requests race, the second one's UPDATE changes nothing (on PostgreSQL it waits for the
    first to commit) and it returns the bytes the first stored, so every download of a
    certificate is byte-identical. Flushes, no commit.

    Raises:
        ValueError: see :func:`render_certificate_pdf`.
    """
    if certificate.pdf_sha256 and certificate.pdf is not None:
        return certificate.pdf
    data = render_certificate_pdf(certificate)
    digest = hashlib.sha256(data).hexdigest()
    db.session.execute(
        sa.update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.pdf_sha256.is_(None))
        .values(pdf=data, pdf_sha256=digest)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(certificate, attribute_names=["pdf", "pdf_sha256"])
    return certificate.pdf
