"""The QR code printed on a certificate encodes its public verification URL."""

from __future__ import annotations

import re

import segno

from portal.certificates.pdf import certificate_html


def svg_modules(data_uri: str) -> set[tuple[int, int]]:
    """The dark modules of segno's SVG (one path of horizontal runs, in module units)."""
    from urllib.parse import unquote

    svg = unquote(data_uri.split(",", 1)[1])
    path = re.search(r"""\bd=['"]([^'"]+)['"]""", svg).group(1)
    tokens = re.findall(r"[MmHhVvZz]|-?[\d.]+", path)
    dark, x, y, i = set(), 0.0, 0.0, 0
    while i < len(tokens):
        cmd = tokens[i]
        if cmd in ("M", "m"):
            dx, dy = float(tokens[i + 1]), float(tokens[i + 2])
            x, y = (dx, dy) if cmd == "M" else (x + dx, y + dy)
            i += 3
        elif cmd == "h":
            length = float(tokens[i + 1])
            dark |= {(int(y), col) for col in range(round(x), round(x + length))}
            x += length
            i += 2
        else:
            raise AssertionError(f"unexpected SVG path command {cmd!r}")
    return dark


def test_qr_encodes_the_public_verification_url(issue):
    certificate = issue()
    html = certificate_html(certificate)
    uri = re.search(r'src="(data:image/svg\+xml[^"]+)"', html).group(1)
    expected = segno.make(f"http://portal.test/verify/{certificate.code}", error="m", micro=False)
    dark = {(r, c) for r, row in enumerate(expected.matrix) for c, v in enumerate(row) if v}
    assert svg_modules(uri) == dark
    changed = "X" if certificate.code[-1] != "X" else "Y"  # always a different code
    other = segno.make(f"http://portal.test/verify/{certificate.code[:-1]}{changed}",
                       error="m", micro=False)
    assert {(r, c) for r, row in enumerate(other.matrix) for c, v in enumerate(row) if v} != dark
