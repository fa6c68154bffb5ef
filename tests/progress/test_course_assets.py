"""The asset route serves only regular files whose real path stays in the course's assets/.

Observed before: ``/courses/<slug>/assets/<name>`` followed symbolic links out of
``assets/`` (``send_from_directory`` refuses ``..`` but not links).
"""

from __future__ import annotations

import os

import pytest

from portal.courses.assets import asset_file

SECRET = "KUNCI-JAWABAN"


@pytest.fixture
def content(app, tmp_path, make_course):
    """CONTENT_DIR with course ``etika-asn`` (one real asset), a post-test beside its assets,
    and a secret outside the content folder; the course row exists."""
    root = tmp_path / "content"
    assets = root / "etika-asn" / "assets"
    assets.mkdir(parents=True)
    (assets / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (assets / "sub").mkdir()
    (assets / "sub" / "foto.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "etika-asn" / "posttest.md").write_text(SECRET)
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text(SECRET)
    app.config["CONTENT_DIR"] = str(root)
    make_course()
    return root


def url(name: str) -> str:
    return f"/courses/etika-asn/assets/{name}"


def test_regular_files_are_served_at_any_depth(client, content):
    assert client.get(url("diagram.svg")).status_code == 200
    response = client.get(url("sub/foto.png"))
    assert response.status_code == 200
    assert response.mimetype == "image/png"


@pytest.mark.parametrize("name, target", [
    ("kunci.svg", "../posttest.md"),           # a file of the course outside assets/
    ("passwd.png", "/etc/passwd"),              # a system file
    ("rahasia.txt", "{tmp}/secret.txt"),       # beside the content folder
])
def test_a_link_to_a_file_outside_assets_is_404(client, content, tmp_path, name, target):
    os.symlink(target.format(tmp=tmp_path), content / "etika-asn" / "assets" / name)
    response = client.get(url(name))
    assert response.status_code == 404
    assert SECRET.encode() not in response.data
    assert b"root:" not in response.data


def test_a_linked_folder_inside_assets_is_404(client, content, tmp_path):
    os.symlink(tmp_path / "outside", content / "etika-asn" / "assets" / "luar")
    assert client.get(url("luar/secret.txt")).status_code == 404


def test_a_linked_assets_folder_is_404(client, content, tmp_path):
    elsewhere = tmp_path / "outside"
    (elsewhere / "gambar.svg").write_text("<svg/>")
    assets = content / "etika-asn" / "assets"
    assets.rename(content / "etika-asn" / "assets-asli")
    os.symlink(elsewhere, assets)
    assert client.get(url("gambar.svg")).status_code == 404
    assert client.get(url("secret.txt")).status_code == 404


def test_a_linked_course_folder_is_404(client, content, tmp_path, make_course):
    real = tmp_path / "elsewhere" / "kursus-tautan"
    (real / "assets").mkdir(parents=True)
    (real / "assets" / "gambar.svg").write_text("<svg/>")
    os.symlink(real, content / "kursus-tautan")
    make_course(slug="kursus-tautan")
    assert client.get("/courses/kursus-tautan/assets/gambar.svg").status_code == 404


def test_a_folder_or_a_fifo_is_not_served(client, content):
    assets = content / "etika-asn" / "assets"
    os.mkfifo(assets / "pipa.svg")  # opening it would block the worker
    assert client.get(url("pipa.svg")).status_code == 404
    assert client.get(url("sub")).status_code == 404
    assert client.get(url("sub/")).status_code == 404


def test_a_link_that_stays_inside_assets_resolves_to_the_real_file(content):
    """The route's rule is the real path; ``flask content check`` refuses every link anyway."""
    assets = content / "etika-asn" / "assets"
    os.symlink("diagram.svg", assets / "alias.svg")
    assert asset_file(content, "etika-asn", "alias.svg") == (assets / "diagram.svg").resolve()


@pytest.mark.parametrize("name", ["../posttest.md", "/etc/passwd", "sub/../../posttest.md",
                                  "missing.svg", "", "."])
def test_asset_file_refuses_names_that_leave_or_miss(content, name):
    assert asset_file(content, "etika-asn", name) is None


def test_a_link_loop_is_404(client, content):
    assets = content / "etika-asn" / "assets"
    os.symlink("loop-b", assets / "loop-a")
    os.symlink("loop-a", assets / "loop-b")
    assert client.get(url("loop-a")).status_code == 404


def test_content_dir_itself_may_be_a_link(app, client, content, tmp_path):
    os.symlink(content, tmp_path / "content-link")
    app.config["CONTENT_DIR"] = str(tmp_path / "content-link")
    assert client.get(url("diagram.svg")).status_code == 200
