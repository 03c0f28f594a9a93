"""pyodide-lock.json for the site's own wheels: Pyodide loads every package the kernel needs from
the site, in one parallel batch at start-up, and never asks a CDN or PyPI (the lock's `info` is the
one of the Pyodide core served beside it; every package entry is a pure-Python wheel of ours)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

# What Pyodide's Python reports for environment markers.
ENVIRONMENT = {"sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
               "platform_machine": "wasm32", "implementation_name": "cpython",
               "platform_python_implementation": "CPython", "extra": ""}


def _metadata(archive: zipfile.ZipFile):
    name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    return HeaderParser().parsestr(archive.read(name).decode("utf-8"))


def _imports(archive: zipfile.ZipFile) -> list[str]:
    tops = set()
    for name in archive.namelist():
        first = name.split("/", 1)[0]
        if first.endswith((".dist-info", ".data")):
            continue
        if "/" in name or first.endswith(".py"):
            tops.add(first.removesuffix(".py"))
    return sorted(tops)


def entry(wheel: Path, python: str) -> tuple[str, dict, list[Requirement]]:
    name, version, _, _ = parse_wheel_filename(wheel.name)
    with zipfile.ZipFile(wheel) as archive:
        meta, imports = _metadata(archive), _imports(archive)
    env = dict(ENVIRONMENT, python_version=python, python_full_version=f"{python}.0",
               implementation_version=f"{python}.0")
    needs = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    needs = [r for r in needs if r.marker is None or Marker(str(r.marker)).evaluate(env)]
    return str(name), {
        "name": str(name), "version": str(version), "file_name": wheel.name, "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(), "package_type": "package",
        "imports": imports, "depends": [], "unvendored_tests": False, "shared_library": False,
    }, needs


def write_lock(core_lock: Path, wheels: list[Path], target: Path) -> list[str]:
    """Write target (pyodide-lock.json) for the wheels; return the package names. A requirement
    that no wheel provides is left out (ipywidgets' lab extension packages, say: the page has them)."""
    info = json.loads(core_lock.read_text(encoding="utf-8"))["info"]
    python = ".".join(info["python"].split(".")[:2])
    packages, needs = {}, {}
    for wheel in sorted(wheels):
        name, spec, requires = entry(wheel, python)
        packages[name], needs[name] = spec, requires
    for name, requires in needs.items():
        packages[name]["depends"] = sorted({str(canonicalize_name(r.name)) for r in requires}
                                           & set(packages))
    target.write_text(json.dumps({"info": info, "packages": packages}, indent=1, sort_keys=True),
                      encoding="utf-8")
    return sorted(packages)
