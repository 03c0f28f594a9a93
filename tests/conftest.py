"""Shared fixtures: the course folder, a copy of it to break, and one strict build of the site."""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture()
def course_copy(tmp_path, monkeypatch) -> Path:
    """A throw-away copy of the course's authored files, to break in a test."""
    dest = tmp_path / "course"
    dest.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", dest)
    for folder in ("docs", "lessons"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("vendor"))
    monkeypatch.setenv("PERFCOMM_COURSE", str(dest))
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built once with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def lms_site(tmp_path_factory) -> Path:
    """The site built once with --no-directory-urls, as the LMS packages hold it. Set
    PERFCOMM_LMS_SITE to such a build to skip the minute it takes when re-running these tests."""
    from perfcomm.course import Course
    from perfcomm.lms.site import build_site

    prebuilt = os.environ.get("PERFCOMM_LMS_SITE")
    if prebuilt:
        return Path(prebuilt)
    return build_site(Course(ROOT), tmp_path_factory.mktemp("lms-site") / "site")


# -- browsers: Debian's chromium through Playwright, every request off this machine blocked ----------
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    """A loopback HTTP server for a folder: (base URL, server). Call server.shutdown() when done."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


@pytest.fixture(scope="session")
def server(built_site):
    url, httpd = serve(built_site)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="session")
def playwright_driver():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver):
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
    yield chromium
    chromium.close()


def guarded_page(browser, intercept: bool = True, **context_options):
    """A new tab in a fresh context that blocks every non-loopback request (files on this machine
    load) and records errors:
    tab.blocked (URLs refused), tab.errors (console errors, page errors, HTTP errors).
    intercept=False, for a browser from `proxied_browser` (the network itself refuses what is not
    loopback): requests are watched, not intercepted, since Playwright's interception drops the
    requests a page sends while it unloads."""
    context = browser.new_context(**context_options)
    blocked, errors = [], []

    def outside(url):
        host = urlparse(url).hostname or ""
        return not (url.startswith(("data:", "blob:", "file:", "about:")) or host in LOOPBACK)

    def guard(route):
        if outside(route.request.url):
            blocked.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    if intercept:
        context.route("**/*", guard)
    else:
        context.on("request", lambda request: blocked.append(request.url) if outside(request.url) else None)
    tab = context.new_page()
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    tab.blocked, tab.errors = blocked, errors
    return tab


@pytest.fixture(scope="session")
def proxied_browser(playwright_driver):
    """Chromium whose requests off this machine go to a proxy that is not there (a closed loopback
    port; loopback itself bypasses proxies), so they fail in the network stack."""
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=FLAGS + ["--proxy-server=http://127.0.0.1:9"])
    yield chromium
    chromium.close()


@pytest.fixture()
def page(browser):
    tab = guarded_page(browser)
    yield tab
    tab.context.close()


# -- scenarios ---------------------------------------------------------------------------------------
def paths_to_endings(scenario) -> dict[str, list[int]]:
    """ending node -> the fewest 1-based choices that reach it (a breadth-first walk of the states)."""
    from collections import deque

    from perfcomm.scenario import rules

    start, _ = rules.settle(scenario, rules.initial(scenario))
    paths, seen, queue = {}, {start}, deque([(start, [])])
    while queue:
        state, path = queue.popleft()
        if scenario.nodes[state.node].ending:
            paths.setdefault(state.node, path)
            continue
        for number, (_, choice) in enumerate(rules.offered(scenario, state), 1):
            following, _ = rules.settle(scenario, rules.apply(scenario, state, choice))
            if following not in seen:
                seen.add(following)
                queue.append((following, path + [number]))
    return paths


# -- a real PostgreSQL server (Debian's postgresql), started once; a new database for each test -----
def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        pytest.fail("PostgreSQL server binaries not found — `make test` installs Debian's postgresql")
    return versions[-1].parent


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """(bin folder, port) of a PostgreSQL server that trusts the user `perfcomm` on 127.0.0.1."""
    bin_dir = _pg_bin()
    base = Path(tempfile.mkdtemp(prefix="perfcomm-pg-"))  # outside pytest's root-only tmp tree
    data = base / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "perfcomm", "--auth=trust",
                                 "-E", "UTF8"]), check=True, capture_output=True)
    port = _free_port()
    subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"), "-o",
                                 f"-p {port} -k {data} -h 127.0.0.1", "start"]), check=True, capture_output=True)
    yield bin_dir, port
    subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                   capture_output=True)
    shutil.rmtree(base, ignore_errors=True)


_databases = itertools.count(1)


@pytest.fixture()
def postgres_url(postgres_server):
    """The URL of a new, empty database on the test server."""
    bin_dir, port = postgres_server
    name = f"gradebook{next(_databases)}"
    subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "perfcomm", name],
                   check=True, capture_output=True)
    return f"postgresql://perfcomm@127.0.0.1:{port}/{name}"
