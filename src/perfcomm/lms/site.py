"""The course site as a package's content: built once with `--no-directory-urls` (every link names an
.html file, so pages work from any path an LMS serves them under and from the file system), then
written to a zip with, for each unit, a launch copy of its page that loads the platform's adapter.

The copies sit beside their pages, so every relative link in them still resolves; the pages
themselves stay as on the site, so a page reached from a lesson by a link never reports to the
platform as if it were the unit."""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ..course import Course
from ..site.player import ASSETS, site_root
from .units import Outline, Unit

WEB_DIR = Path(__file__).resolve().parent / "web"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)      # every entry's date: the same course gives the same zip


class PackageError(Exception):
    """The package cannot be made; the message says why and what to do."""


def build_site(course: Course, dest: Path) -> Path:
    """mkdocs build --strict --no-directory-urls into dest; a failed build is a PackageError with
    mkdocs' own last lines (they name the file that is wrong)."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--no-directory-urls",
                             "--config-file", str(course.root / "mkdocs.yml"), "--site-dir", str(dest)],
                            cwd=course.root, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-12:])
        raise PackageError(f"the course site did not build — fix what mkdocs reports, then run again:\n{tail}")
    return dest


def check_site(site: Path, outline: Outline) -> None:
    missing = [unit.page for unit in outline.units if not (site / unit.page).is_file()]
    if missing:
        raise PackageError(f"{site}: no page {missing[0]} — pass a site built with"
                           " `mkdocs build --no-directory-urls`, or leave out --site to build one")


def launch_page(site: Path, unit: Unit, config: dict, adapter: str) -> str:
    """The unit's page with, before </head>, the package's style, the unit's settings as JSON and
    the shared and platform adapters (classic scripts, so they run before the player does)."""
    page = (site / unit.page).read_text(encoding="utf-8")
    root = site_root(unit.page)
    data = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    head = (f'<link rel="stylesheet" href="{root}{ASSETS}/lms.css">'
            f'<script type="application/json" data-perfcomm-lms>{data}</script>'
            f'<script src="{root}{ASSETS}/lms.js"></script>'
            f'<script src="{root}{ASSETS}/{html.escape(adapter)}"></script>')
    at = page.find("</head>")
    if at < 0:
        raise PackageError(f"{unit.page}: the page has no </head> — was it built by mkdocs?")
    return page[:at] + head + page[at:]


def write_zip(out: Path, site: Path, extra: dict[str, bytes]) -> int:
    """Every file of the site, then the extra files (launch copies, adapters, manifest, schemas), in
    a stable order with fixed dates. Written beside `out` first, so a failure leaves no half zip."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name in names:
                if name not in extra:
                    archive.writestr(_entry(name), (site / name).read_bytes())
            for name in sorted(extra):
                archive.writestr(_entry(name), extra[name])
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)        # as any file written here, not mkstemp's owner-only mode
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out.stat().st_size


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def offline_search(site: Path) -> dict[str, bytes]:
    """Search from the file system: a page opened from disk cannot fetch search_index.json, so
    mkdocs-material loads search/search_index.js instead, as its offline plugin writes it."""
    return {index.relative_to(site).with_suffix(".js").as_posix(): b"var __index = " + index.read_bytes()
            for index in site.rglob("search/search_index.json")}


def web_asset(name: str) -> bytes:
    return (WEB_DIR / name).read_bytes()
