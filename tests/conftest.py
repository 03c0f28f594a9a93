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
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def guarded_page(browser, **context_options):
    """A new tab in a fresh context that blocks every non-loopback request and records errors:
    tab.blocked (URLs refused), tab.errors (console errors, page errors, HTTP errors)."""
    context = browser.new_context(**context_options)
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
    return tab


@pytest.fixture()
def page(browser):
    tab = guarded_page(browser)
    yield tab
    tab.context.close()


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
