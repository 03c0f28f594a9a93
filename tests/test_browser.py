"""The built site in Debian's headless Chromium, every request off this machine blocked."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    blocked, errors = [], []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    tab.blocked, tab.errors = blocked, errors
    yield tab
    context.close()


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
