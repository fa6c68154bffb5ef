"""The verification URL printed on a certificate and its QR code."""

from __future__ import annotations

import segno


def verification_url(base_url: str, code: str) -> str:
    """Absolute verification URL: ``<base_url>/verify/<code>``.

    Args:
        base_url: scheme and host, e.g. ``https://portal.bpsdm.jambiprov.go.id`` (a trailing
            slash or a path prefix is kept as given).
        code: the canonical code (20 characters, no dashes).
    """
    return f"{base_url.rstrip('/')}/verify/{code}"


def qr_svg_data_uri(text: str) -> str:
    """A QR code for ``text`` as an SVG ``data:`` URI (error correction M or better).

    SVG stays sharp at any print size; a data URI needs no file and no network, so the PDF
    renderer's restricted fetcher accepts it.
    """
    qr = segno.make(text, error="m", micro=False)
    return qr.svg_data_uri(scale=4, border=0, dark="#000000")
