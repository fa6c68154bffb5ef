"""Regressions of the page frame in a real browser: the language switch in the header keeps
its select and its button side by side on a phone and on a desktop (the generic full-width
select rule pushed the button onto a line of its own, below the header's bottom edge)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 900)])
def test_language_switch_select_and_button_share_a_line(live_server, browser, width, height):
    base_url, _app = live_server
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{base_url}/courses")
    select = page.locator("form.lang-switch select").bounding_box()
    button = page.locator("form.lang-switch button").bounding_box()
    header = page.locator("header.site-header").bounding_box()
    assert button["x"] >= select["x"] + select["width"]
    assert abs((button["y"] + button["height"] / 2) - (select["y"] + select["height"] / 2)) < 4
    assert button["y"] + button["height"] <= header["y"] + header["height"]
