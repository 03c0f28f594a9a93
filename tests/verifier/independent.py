"""Run verify.mjs (Digital Bazaar's Verifiable Credentials libraries, offline) on credential files,
the base URL's files read from a published folder, or fetched (--online) when no folder is given."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("verify.mjs")


def verify_independently(published: Path | None, base: str | None, *files: Path) -> list[dict]:
    """One result per file: {file, verified, revoked, errors}."""
    if not (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir() or not shutil.which("node"):
        pytest.fail("the independent verifier is not installed: run `make test` (it runs npm ci)")
    where = ["--online"] if published is None else ["--map", f"{base}={published}"]
    result = subprocess.run(["node", str(SCRIPT), *where, *map(str, files)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert not result.stderr, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]
