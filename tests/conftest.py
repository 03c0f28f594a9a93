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
