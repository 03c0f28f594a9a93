"""Run by Pyodide's own Python (Node, at build time; see run.mjs): write the modules a learner's
kernel imports at start-up (the kernel's and the notebooks' imports, and all they load) as bytecode
for this very interpreter, beside their sources in the standard library's zip and in each wheel, so
that the kernel loads instead of compiling them (Pyodide ships its standard library as source).
Modules imported later are compiled when imported, as before; only the start-up set is worth the
bytes.

Unchecked hash-based .pyc (PEP 552): valid whatever the files' times after unpacking; the sources
stay beside them for tracebacks. The job (/work/job.json, written by __init__.py): the modules to
import, and pairs of archives (source, target) under /work; the *.zip is the standard library."""

import importlib
import importlib.util
import json
import site
import sys
import warnings
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

STDLIB = next(p for p in sys.path if p.endswith(".zip"))      # where Pyodide mounts the zip
SITE = site.getsitepackages()[0]
TAG = sys.implementation.cache_tag


def bytecode(source: bytes, filename: str) -> bytes:
    """The .pyc for a module's source as imported from filename (it imported here: it compiles)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")        # invalid escapes in third-party sources
        code = compile(source, filename, "exec", dont_inherit=True)
    return _code_to_hash_pyc(code, importlib.util.source_hash(source), False)


def quiet_kernel() -> None:
    """Once the kernel is imported: it talks to no page here, so a widget made at import (a shared
    Layout, say) sends its messages nowhere instead of failing the import."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if shell is not None and not hasattr(shell, "send_comm"):
        shell.send_comm = lambda *args, **kwargs: None


def imported(modules: list[str]) -> set[str]:
    """The source files loaded by importing modules (what fails to import here is skipped: the
    browser's kernel will compile it when it gets there)."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:       # noqa: BLE001  (any error: that module just stays uncompiled)
            pass
        quiet_kernel()
    return {module.__file__ for module in list(sys.modules.values())
            if (getattr(module, "__file__", None) or "").endswith(".py")}


def stdlib(source: str, target: str, loaded: set[str]) -> None:
    """zipimport looks for name.pyc beside name.py in the archive and prefers it."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data)
            if f"{STDLIB}/{info.filename}" in loaded:
                extra = zipfile.ZipInfo(info.filename + "c", info.date_time)
                extra.compress_type, extra.external_attr = info.compress_type, info.external_attr
                dst.writestr(extra, bytecode(data, f"{STDLIB}/{info.filename}"))


def wheel(source: str, target: str, loaded: set[str]) -> None:
    """Each module's __pycache__/name.TAG.pyc, in RECORD without a hash (as installers do)."""
    added, record = [], None
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                record = (info, data.decode("utf-8"))
                continue
            dst.writestr(info, data)
            if f"{SITE}/{info.filename}" in loaded:
                folder, _, name = info.filename.rpartition("/")
                path = f"{folder + '/' if folder else ''}__pycache__/{name[:-3]}.{TAG}.pyc"
                dst.writestr(zipfile.ZipInfo(path, info.date_time),
                             bytecode(data, f"{SITE}/{info.filename}"), zipfile.ZIP_DEFLATED)
                added.append(path)
        if record is not None:
            info, text = record
            if text and not text.endswith("\n"):
                text += "\n"
            dst.writestr(info, (text + "".join(f"{path},,\n" for path in added)).encode("utf-8"))


def main(root: str) -> None:
    with open(f"{root}/job.json", encoding="utf-8") as file:
        job = json.load(file)
    loaded = imported(job["imports"])
    for source, target in job["archives"]:
        compile_one = stdlib if source.endswith(".zip") else wheel
        compile_one(f"{root}/{source}", f"{root}/{target}", loaded)


main("/work")
