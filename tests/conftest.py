"""Shared fixtures: the course folder, a copy of it to break, and one strict build of the site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

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
def independent_verifier():
    """Run tests/verifier/verify.mjs (Digital Bazaar's VC libraries, offline) on credential files,
    with the base URL's files read from a published folder; one result dict per file."""
    if not (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir() or not shutil.which("node"):
        pytest.fail("the independent verifier is not installed: run `make test` (it runs npm ci)")

    def verify(published: Path | None, base: str | None, *files: Path) -> list[dict]:
        """published=None: --online, the verifier fetches what the credentials name."""
        import json

        where = ["--online"] if published is None else ["--map", f"{base}={published}"]
        result = subprocess.run(["node", str(ROOT / "tests" / "verifier" / "verify.mjs"), *where, *map(str, files)],
                                capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert not result.stderr, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines()]
    return verify
