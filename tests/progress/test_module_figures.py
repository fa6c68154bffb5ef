"""A course asset opened on its own (a diagram's full-size link) runs nothing: its response
carries a sandboxing Content-Security-Policy, so an SVG's script never runs as the portal."""

from __future__ import annotations


def test_an_asset_opened_full_size_is_sandboxed(app, client, tmp_path, make_course):
    assets = tmp_path / "content" / "etika-asn" / "assets"
    assets.mkdir(parents=True)
    (assets / "diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="400">'
        '<script>alert(document.cookie)</script><text x="10" y="20">Jalur kritis</text></svg>')
    app.config["CONTENT_DIR"] = str(tmp_path / "content")
    make_course()
    response = client.get("/courses/etika-asn/assets/diagram.svg")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    directives = {part.strip().split(" ")[0]: part.strip() for part in policy.split(";")}
    assert directives["sandbox"] == "sandbox"
    assert directives["default-src"] == "default-src 'none'"
    assert "script-src" not in directives
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
