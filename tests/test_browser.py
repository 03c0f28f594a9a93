"""The built site in Debian's headless Chromium, every request off this machine blocked."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_home_page_loads_without_console_errors_or_outside_requests(page, server):
    page.goto(server + "/", wait_until="networkidle")
    assert page.locator("h1").first.is_visible()
    assert page.errors == []
    assert page.blocked == []


def test_language_switch_lands_on_the_english_twin(page, server):
    page.goto(server + "/lessons/01-goal-setting/", wait_until="networkidle")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('.md-select__link[hreflang="en"]').first.click()
    page.wait_for_url("**/en/lessons/01-goal-setting/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.blocked == []


def test_chinese_search_lists_the_feedback_lesson(page, server):
    page.goto(server + "/", wait_until="networkidle")
    box = page.locator("input.md-search__input")
    results = page.locator(".md-search-result__item a")
    for _ in range(20):  # the search worker loads its index in the background; ask until it answers
        box.click()
        box.fill("反馈")
        page.keyboard.press("End")  # material searches on key events
        page.wait_for_timeout(750)
        if results.count():
            break
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("lessons/03-appraisal-feedback/" in href for href in hrefs), hrefs
    assert page.errors == [] and page.blocked == []


def test_a_mermaid_diagram_renders(page, server):
    page.goto(server + "/lessons/05-cycle/", wait_until="networkidle")
    # mkdocs-material swaps the source block for a div.mermaid holding the SVG in a closed shadow root.
    diagram = page.locator("div.mermaid").first
    diagram.wait_for(timeout=15000)
    box = diagram.bounding_box()
    assert box and box["height"] > 80 and box["width"] > 80
    assert page.locator("pre.mermaid").count() == 0
    assert page.errors == [] and page.blocked == []
