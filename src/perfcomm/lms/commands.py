"""`perfcomm package scorm|cmi5`: the course as a package a company learning platform imports."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ..course import LANGUAGES, find_course
from .schemas import SchemaError
from .site import PackageError, build_site
from .units import course_outline

STANDARDS = ("scorm", "cmi5")


def make_package(standard: str, lang: str, out: Path, site: Path | None = None, course=None) -> dict:
    """Build the site (unless `site` is one built with --no-directory-urls) and write the package."""
    from .cmi5 import package_cmi5
    from .scorm import package_scorm

    course = course or find_course()
    outline = course_outline(course, lang)
    write = package_scorm if standard == "scorm" else package_cmi5
    if site is not None:
        return write(course, outline, Path(site), Path(out))
    with tempfile.TemporaryDirectory(prefix="perfcomm-site-") as tmp:
        return write(course, outline, build_site(course, Path(tmp) / "site"), Path(out))


def cmd_package(args) -> int:
    try:
        report = make_package(args.standard, args.lang, Path(args.out), Path(args.site) if args.site else None)
    except PackageError as err:
        print(f"perfcomm package: {err}", file=sys.stderr)
        return 1
    except SchemaError as err:     # the packager's own mistake, never the author's
        print(f"perfcomm package: {err} — please report this with the course you packaged", file=sys.stderr)
        return 1
    print(f"{report['out']}: {report['standard']}, {report['units']} units, {report['files']} files,"
          f" {report['bytes'] / 1024:.0f} KB ({report['manifest']} validated against the vendored schema)")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("package", help="the course as a SCORM 1.2 or cmi5 package for a learning platform")
    p.add_argument("standard", choices=STANDARDS, help="scorm (SCORM 1.2) or cmi5")
    p.add_argument("--lang", choices=LANGUAGES, default="zh", help="the language the platform shows (default zh)")
    p.add_argument("--out", required=True, help="the zip to write, e.g. perfcomm-zh-scorm12.zip")
    p.add_argument("--site", help="a site already built with `mkdocs build --no-directory-urls` (default: build one)")
    p.set_defaults(func=cmd_package)
