"""Measure the in-page scenario player: for every scenario page, navigation start to the first choice
clickable, with a cold cache (a fresh browser context per load), in Debian's headless Chromium; the
bytes the player needs (script, style and one scenario's data, gzipped); and requests to any host
other than the site's own (blocked and counted).

    .venv/bin/python benchmarks/player.py                 # builds the site, 10 loads per page
    .venv/bin/python benchmarks/player.py --site site --loads 5

Prints the figures; asserts nothing. Goals: median ≤ 1 s per page; ≤ 100 KB gzipped; no outside request.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from perfcomm.course import Course  # noqa: E402
from perfcomm.scenario.library import load_all  # noqa: E402

from serving import build, serve  # noqa: E402  (beside this script)

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def data_bytes(site: Path, page: Path, scenario_id: str) -> int:
    text = page.read_text(encoding="utf-8")
    story = re.search(rf'<script type="application/json" data-perfcomm-story="{scenario_id}">(.*?)</script>', text, re.S)
    words = re.search(r'<script type="application/json" data-perfcomm-words>(.*?)</script>', text, re.S)
    assets = site / "assets/perfcomm"
    blob = (assets / "player.js").read_bytes() + (assets / "player.css").read_bytes()
    return len(gzip.compress(blob + story.group(1).encode() + words.group(1).encode(), 9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--loads", type=int, default=10, help="cold loads per page (default 10)")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="perfcomm-site-"))
        print(f"building the site into {site} …", flush=True)
        build(site)
    httpd = serve(site)
    base = httpd.url
    prefix = "" if args.lang == "zh" else "/en"
    scenarios, _ = load_all(Course(ROOT), None)
    outside: list[str] = []

    def guard(route):
        if (urlparse(route.request.url).hostname or "") in LOOPBACK or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    print(f"{'scenario page':<34} {'median ms':>9} {'min':>6} {'max':>6} {'gzip KB':>8}")
    medians = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for scenario in scenarios:
            times = []
            for _ in range(args.loads):
                context = browser.new_context()          # empty cache, empty storage
                context.route("**/*", guard)
                tab = context.new_page()
                tab.goto(f"{base}{prefix}/scenarios/{scenario.id}/", wait_until="commit")
                tab.wait_for_selector("[data-perfcomm-player] button[data-choice]")
                times.append(tab.evaluate(
                    f"performance.getEntriesByName('perfcomm-ready:{scenario.id}')[0].startTime"))
                context.close()
            page = site / prefix.lstrip("/") / "scenarios" / scenario.id / "index.html"
            size = data_bytes(site, page, scenario.id) / 1000
            medians.append(statistics.median(times))
            print(f"{scenario.id:<34} {statistics.median(times):>9.0f} {min(times):>6.0f} {max(times):>6.0f}"
                  f" {size:>8.1f}")
        browser.close()
    httpd.shutdown()
    print(f"\nslowest page median: {max(medians):.0f} ms (goal ≤ 1000 ms); loads per page: {args.loads}")
    print(f"requests to other hosts: {len(outside)}" + (f" — {sorted(set(outside))[:5]}" if outside else ""))


if __name__ == "__main__":
    main()
