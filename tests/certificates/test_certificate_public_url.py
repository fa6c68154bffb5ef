"""A certificate says where to verify it, and no request can choose that (issue 5, §3).

Observed before: with ``PUBLIC_BASE_URL`` unset, the first download took the host from the
request, so a download sent with a forged ``Host:`` stored a PDF pointing to that host, which
``/verify`` then vouched for; behind an HTTPS proxy the printed link was ``http://``.
"""

from __future__ import annotations

import hashlib
import re

import segno

from portal.certificates.pdf import certificate_html
from tests.factories import pdf_text
from tests.certificates.test_certificate_qr import svg_modules

PUBLIC = "https://portal.bpsdm.jambiprov.go.id"


def session_for_host(client, host: str) -> None:
    """Send the logged-in session cookie (made for ``portal.test``) to ``host`` too, as a
    browser would for a cookie it got from a page served under that host."""
    cookie = client.get_cookie("session", domain="portal.test")
    assert cookie is not None
    client.set_cookie("session", cookie.value, domain=host)


def printed(data: bytes) -> str:
    """A PDF's text without spaces: a long link wraps across lines on the page."""
    return "".join(pdf_text(data).split())


def qr_modules(text: str) -> set[tuple[int, int]]:
    qr = segno.make(text, error="m", micro=False)
    return {(r, c) for r, row in enumerate(qr.matrix) for c, v in enumerate(row) if v}


def test_the_base_url_is_frozen_from_the_setting_at_issue(app, issue):
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    certificate = issue()
    assert certificate.snapshot["verify_base_url"] == PUBLIC
    app.config["PUBLIC_BASE_URL"] = "https://portal-baru.example.go.id"
    html = certificate_html(certificate)
    assert f"{PUBLIC}/verify/{certificate.code}" in html
    assert "portal-baru" not in html


def test_a_first_download_with_a_forged_host_stores_the_public_address(
        app, client, login, make_user, issue):
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    owner = make_user()
    certificate = issue(user=owner)
    login(client, owner)
    session_for_host(client, "evil.example")
    response = client.get(f"/certificates/{certificate.code}.pdf",
                          headers={"Host": "evil.example",
                                   "X-Forwarded-Host": "evil.example"})
    assert response.status_code == 200
    text = printed(response.data)
    assert f"{PUBLIC}/verify/{certificate.code}" in text
    assert "evil.example" not in text
    # /verify vouches for exactly these bytes, and they were stored by this first download.
    digest = hashlib.sha256(response.data).hexdigest()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert digest in page
    again = client.get(f"/certificates/{certificate.code}.pdf")
    assert again.data == response.data


def test_the_qr_code_encodes_the_public_address_whatever_the_request_host(app, issue):
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    certificate = issue()
    with app.test_request_context("/", base_url="http://evil.example"):
        html = certificate_html(certificate)
    uri = re.search(r'src="(data:image/svg\+xml[^"]+)"', html).group(1)
    assert svg_modules(uri) == qr_modules(f"{PUBLIC}/verify/{certificate.code}")


def test_behind_an_https_proxy_the_printed_link_is_https(app, client, login, make_user, issue):
    """The proxy talks plain HTTP to the portal: the link still says https, from the
    setting."""
    app.config["PUBLIC_BASE_URL"] = PUBLIC
    owner = make_user()
    certificate = issue(user=owner)
    login(client, owner)
    session_for_host(client, "10.0.0.5")
    response = client.get(f"/certificates/{certificate.code}.pdf",
                          base_url="http://10.0.0.5:8000",
                          headers={"X-Forwarded-Proto": "https"})
    text = printed(response.data)
    assert f"{PUBLIC}/verify/{certificate.code}" in text
    assert "http://" not in text
