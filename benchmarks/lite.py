"""Measure the in-browser exercises (/lab/ of the site) in Debian's headless Chromium: from navigation
start to the kernel idle, and to the first answer widget drawn (the notebook's first cells run), with
a cold cache (a fresh browser context per load) and a warm one (the same context, loaded again); the
size of /lab/ and of what the kernel loads; and requests to any host other than the site's own
(refused by the browser's resolver and counted). Each figure is split into page (the app until
the kernel's worker starts), runtime (until the worker has Pyodide's compiled wasm), python
(Python's start, the wheels unpacked, the kernel's imports) and cells (the first cells run); the
load average is printed beside them, since the machine is shared.

    .venv/bin/python benchmarks/lite.py                          # builds the site, 5 loads each
    .venv/bin/python benchmarks/lite.py --site site --loads 5 --notebook stage3-en/stage3-en.ipynb

Prints the figures; asserts nothing. Goals: median ≤ 15 s cold, ≤ 5 s warm; /lab/ ≤ 60 MB; no
outside request.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from serving import build, serve  # noqa: E402  (beside this script)

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PANEL = "window.jupyterapp && window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = f"""() => {{ const w = {PANEL};
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  // and the notebook read: a warm kernel can be idle before the document has its cells
  return !!k && k.status === 'idle' && w.context.isReady && w.content.widgets.length > 0; }}"""
# run the notebook up to its first answer widget: the setup cell and the first question's cell
RUN_TO_FIRST_WIDGET = f"""async () => {{ const w = {PANEL}; w.content.activate();
  const cells = w.content.widgets; let code = 0;
  for (let i = 0; i < cells.length && code < 2; i++) {{
    if (cells[i].model.type !== 'code') continue;
    code += 1; w.content.activeCellIndex = i;
    await window.jupyterapp.commands.execute('notebook:run-cell');
  }} }}"""
WIDGET = ".jp-OutputArea .jupyter-widgets"
CODE_CELLS = f"""() => {PANEL}.content.widgets.filter(c => c.model.type === 'code').slice(0, 3)
  .map(c => [c.model.executionCount, c.outputArea.node.innerText.slice(-600)])"""


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


PHASES = ("page", "runtime", "python", "cells")


def load(page, url: str) -> dict:
    """Seconds from navigation start to the kernel idle and to the first widget drawn, and the split
    of the latter: page (the app until the kernel's worker starts), runtime (until Pyodide's wasm is
    fetched and compiled, or handed over compiled by the page), python (Python's start, the wheels
    unpacked, the kernel's imports, until idle) and cells (the first cells run until the widget is
    drawn)."""
    marks = {}
    start = time.perf_counter()

    def worker(_):
        marks.setdefault("worker", time.perf_counter() - start)

    def finished(request):
        if request.url.endswith("/pyodide.asm.wasm"):
            marks["wasm"] = time.perf_counter() - start

    page.on("worker", worker)
    page.context.on("requestfinished", finished)
    page.goto(url)
    page.wait_for_function(KERNEL_IDLE, timeout=300_000, polling=100)
    idle = time.perf_counter() - start
    page.evaluate(RUN_TO_FIRST_WIDGET)
    try:
        page.locator(WIDGET).first.wait_for(timeout=60_000)
    except PlaywrightTimeout:
        cells = page.evaluate(CODE_CELLS)
        raise SystemExit(f"no widget drawn in 60 s; the first code cells (run count, output): {cells}")
    widget = time.perf_counter() - start
    page.remove_listener("worker", worker)
    page.context.remove_listener("requestfinished", finished)
    # the page compiles the wasm and hands it to the worker (src/perfcomm/lite/web/): runtime ends
    # when the worker has the module, not when the page's download of it finished
    handed = page.evaluate("() => performance.getEntriesByName('perfcomm-wasm-handed')"
                           ".map(m => m.startTime / 1000)")
    worker_at, wasm_at = marks.get("worker", 0.0), marks.get("wasm", marks.get("worker", 0.0))
    if handed:
        wasm_at = max(worker_at, min(handed[0], idle))
    return {"idle": idle, "widget": widget, "page": worker_at, "runtime": wasm_at - worker_at,
            "python": idle - wasm_at, "cells": widget - idle}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", help="a built site (default: build one into a scratch folder)")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--notebook", default="stage1-zh/stage1-zh.ipynb")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = Path(args.site) if args.site else Path(scratch) / "site"
        if not args.site:
            print("building the site …", flush=True)
            build(site)
        lab = site / "lab"
        pyodide = lab / "static" / "pyodide"
        lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
        wheels = sum((pyodide / p["file_name"]).stat().st_size for p in lock["packages"].values())
        core = sum(p.stat().st_size for p in pyodide.iterdir() if p.suffix in (".mjs", ".wasm", ".zip"))
        httpd = serve(site)
        url = f"{httpd.url}/lab/notebooks/index.html?path={args.notebook}"
        outside: list[str] = []
        cold, warm = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            for _ in range(args.loads):
                context = browser.new_context()
                context.on("request", lambda r: outside.append(r.url)
                           if (urlparse(r.url).hostname or "") not in LOOPBACK
                           and not r.url.startswith(("data:", "blob:")) else None)
                page = context.new_page()
                cold.append(load(page, url))
                warm.append(load(page, url))      # the same context: browser cache, storage kept
                context.close()
            browser.close()
        httpd.shutdown()

    def line(name, values):
        idle = statistics.median(v["idle"] for v in values)
        widget = statistics.median(v["widget"] for v in values)
        runs = ", ".join(f"{v['widget']:.1f}" for v in values)
        split = ", ".join(f"{k} {statistics.median(v[k] for v in values):.1f}" for k in PHASES)
        return (f"{name:<6} median {idle:5.1f} s to kernel idle, {widget:5.1f} s to the first widget"
                f"  ({runs})\n       split (medians, s): {split}")

    print(f"notebook: {args.notebook}, {args.loads} loads each; load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(line("cold", cold) + "   goal ≤ 15 s")
    print(line("warm", warm) + "   goal ≤ 5 s")
    print(f"/lab/ size: {folder_bytes(lab) / 1e6:.1f} MB   goal ≤ 60 MB "
          f"(Pyodide core {core / 1e6:.1f} MB, {len(lock['packages'])} wheels {wheels / 1e6:.1f} MB)")
    print(f"requests to other hosts: {len(outside)}" + (f"  {sorted(set(outside))[:5]}" if outside else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
