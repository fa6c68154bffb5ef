"""The public verification form (/verify) is linked where people look: in the footer of
every page, on the home page, on the certificate pages, in the HR register and next to a
learner's certificate (observed: nothing on the site linked to it)."""

from __future__ import annotations

import re

import pytest

VERIFY_LINK = 'href="/verify"'


def _footer(html: str) -> str:
    match = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S)
    assert match, "page without the site footer"
    return match.group(1)


def _main(html: str) -> str:
    return re.search(r'<main id="main">(.*?)</main>', html, re.S).group(1)


def test_every_page_without_arguments_has_the_link_in_its_footer(app, client, login, make_user):
    """Every GET page without URL arguments, as a visitor and as an admin (who reaches
    every role's pages)."""
    seen = set()
    for who in ("visitor", "admin"):
        if who == "admin":
            login(client, make_user(role="admin"))
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
                continue
            response = client.get(rule.rule)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            html = response.get_data(as_text=True)
            if not html.lstrip().lower().startswith("<!doctype html>"):
                continue  # an htmx fragment (e.g. /register/units), not a page
            seen.add(rule.rule)
            footer = _footer(html)
            assert VERIFY_LINK in footer and "Verifikasi sertifikat" in footer, rule.rule
    assert {"/", "/courses", "/login", "/register", "/verify", "/dashboard",
            "/hr/certificates", "/teaching", "/profile"} <= seen


@pytest.mark.parametrize("path", ["/tidak-ada", "/verify/BUKAN-KODE"])
def test_error_and_not_found_pages_have_it_too(client, path):
    html = client.get(path).get_data(as_text=True)
    assert VERIFY_LINK in _footer(html)


def test_the_home_page_offers_verification_in_its_content(client):
    main = _main(client.get("/").get_data(as_text=True))
    assert VERIFY_LINK in main
    assert "Ditunjukkan sertifikat dari portal ini? Periksa keasliannya" in main


def test_the_certificate_page_links_to_verify_another(client, issue):
    certificate = issue()
    main = _main(client.get(f"/verify/{certificate.code}").get_data(as_text=True))
    assert f'{VERIFY_LINK}>Verifikasi sertifikat lain</a>' in main


def test_the_hr_register_and_detail_link_to_it(client, login, make_user, issue):
    certificate = issue()
    login(client, make_user(role="hr"))
    register = _main(client.get("/hr/certificates").get_data(as_text=True))
    assert VERIFY_LINK in register and "halaman verifikasi publik" in register
    detail = _main(client.get(f"/hr/certificates/{certificate.code}").get_data(as_text=True))
    assert VERIFY_LINK in detail


def test_the_learners_certificate_says_how_it_is_verified(client, login, make_user, issue, db):
    user = make_user()
    certificate = issue(user=user)
    login(client, user)
    slug = certificate.enrolment.course.slug
    main = _main(client.get(f"/courses/{slug}").get_data(as_text=True))
    assert f"/certificates/{certificate.code}.pdf" in main
    assert f"{VERIFY_LINK}>Cara BKD/BPSDM dan pihak lain memverifikasi sertifikat Anda</a>" in main
