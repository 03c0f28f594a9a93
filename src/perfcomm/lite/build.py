"""Build the in-browser exercises: a JupyterLite site under /lab/ of the course site.

Inputs, all on this machine after `make` (it downloads them once, at set-up):
- Pyodide's core from the npm package (node_modules/pyodide/);
- the pure-Python wheels the kernel loads (lite/requirements-browser.txt, in .cache/lite/wheels/);
- the JupyterLite app and the Pyodide kernel's extension (Python packages of the venv);
- perfcomm-learner, built here from the source tree (learner.py).
Contents: each stage exercise as released (nbgrader release, both languages), the practice notebooks,
and the exam's start page (upload the paper HR sent). The modules the kernel and the notebooks import
at start-up are compiled to bytecode by Pyodide's own Python, in Node (bytecode/). The result is
cached under .cache/lite/ keyed on every input, so a `mkdocs serve` rebuild that touched none of them
only copies it."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

from ..course import LANGUAGES, Course
from ..players.words import words
from . import learner
from .bytecode import BytecodeError, compile_archives
from .lock import write_lock

SITE_FOLDER = "lab"
CACHE = ".cache/lite"
WHEELS = f"{CACHE}/wheels"
PYODIDE = "node_modules/pyodide"
STDLIB = "python_stdlib.zip"
CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")   # and STDLIB, with bytecode added
# Pyodide's wasm compiled once in the page, where Chromium caches the compiled code, and handed to the
# kernel's worker (web/: the page's script, and the module the kernel loads Pyodide through).
WEB = Path(__file__).parent / "web"
PAGE_SCRIPT, WORKER_MODULE = "wasm-page.js", "pyodide-worker.mjs"
HEAD = "<head>"    # the page's script goes first in the notebook page's head, before the app's code
KERNEL_EXTENSION = "@jupyterlite/pyodide-kernel-extension"
WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
KERNEL_PLUGIN = f"{KERNEL_EXTENSION}:kernel"
KERNEL_WHEELS = ("piplite-", "pyodide_kernel-", "ipykernel-")   # from the kernel extension's pypi/
APPS = ("notebooks", "tree")
# Parts of wheels the learner's kernel never uses, dropped to start faster: jedi's bundled type stubs
# (5,500 files unpacked at every kernel start; completion still works, with fewer hints).
TRIM = {"jedi": ("jedi/third_party/",)}
# Plugins an exercise page never uses, left out to start faster: extra renderers and themes, the
# language server, table of contents, help, licences, log console, cell tags and metadata forms.
DISABLED = [
    "@jupyterlab/mermaid-extension", "@jupyterlab/vega5-extension", "@jupyterlab/json-lines-extension",
    "@jupyterlab/audio-extension", "@jupyterlab/video-extension", "@jupyterlab/lsp-extension",
    "@jupyterlab/toc-extension:registry", "@jupyterlab/toc-extension:tracker",
    "@jupyterlab/notebook-extension:toc", "@jupyterlab/notebook-extension:language-server",
    "@jupyterlite/application-extension:lsp-connection-manager", "@jupyterlab/help-extension",
    "@jupyter-notebook/help-extension", "@jupyterlab/apputils-extension:licenses-client",
    "@jupyterlab/apputils-extension:licenses-plugin", "@jupyterlite/application-extension:licenses-client",
    "@jupyterlab/logconsole-extension", "@jupyterlab/notebook-extension:log-output",
    "@jupyterlab/theme-dark-extension", "@jupyterlab/theme-dark-high-contrast-extension",
    "@jupyterlab/celltags-extension", "@jupyterlab/metadataform-extension",
    "@jupyterlab/notebook-extension:update-raw-mimetype",
    "@jupyterlab/completer-extension:inline-history",
    "@jupyterlab/completer-extension:inline-completer-factory",
    "@jupyterlab/completer-extension:inline-completer",
    # their icons are not in the build: 404s
    "@jupyterlab/application-extension:faviconbusy", "@jupyter-notebook/notebook-extension:tab-icon",
    "@jupyterlite/application-extension:about", "@jupyterlite/application-extension:share-file",
    "@jupyterlite/application-extension:plugin-manager",
]
# What the kernel's worker imports before it is ready (@jupyterlite/pyodide-kernel's worker.js).
KERNEL_IMPORTS = ["piplite.piplite", "pyodide_kernel"]
PRACTICE = "practice"
EXAM_START = "exam.{lang}.ipynb"


# Every cell stays in the page (no virtual scrolling): a widget answered off-screen keeps its state;
# a notebook written for desktop Jupyter ("python3") starts the browser's Python without asking.
OVERRIDES = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none",
                                                        "autoStartDefaultKernel": True}}


class LiteError(RuntimeError):
    """A missing input, said with the command that provides it."""


def _extensions() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "labextensions"


def inputs(course: Course) -> dict:
    """Every input folder, or LiteError naming the set-up step that provides it."""
    found = {"pyodide": course.root / PYODIDE, "wheels": course.root / WHEELS,
             "kernel": _extensions() / KERNEL_EXTENSION, "widgets": _extensions() / WIDGETS_EXTENSION}
    fixes = {"pyodide": "make lite (npm ci)", "wheels": "make lite (downloads the browser wheels)",
             "kernel": "make .venv/.installed", "widgets": "make .venv/.installed"}
    for what, path in found.items():
        if not path.is_dir():
            raise LiteError(f"{path}: missing — run `{fixes[what]}` first")
    if not (found["wheels"] / ".ready").is_file():
        raise LiteError(f"{found['wheels']}: incomplete — run `make lite` first")
    return found


def _files(folder: Path, patterns=("*",)) -> list[Path]:
    return sorted(p for pattern in patterns for p in folder.rglob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts)


def key(course: Course, found: dict) -> str:
    """A digest of everything the build reads: change any of it and /lab/ is built again."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    sources = [p for p in _files(package, ("*.py", "*.yaml", "*.js", "*.mjs")) if p.parent.name != "site"]
    sources += _files(course.root / "exercises") + [course.catalogue_file]
    sources += _files(course.lessons_data / "scenarios") + _files(course.lessons_data / "notebooks")
    sources += _files(course.root / "grader") + _files(course.root / "lite")
    sources += [found["pyodide"] / "package.json", found["kernel"] / "package.json",
                found["widgets"] / "package.json"]
    for path in sources:
        shown = path.relative_to(course.root) if path.is_relative_to(course.root) else path.name
        digest.update(str(shown).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for wheel in sorted(found["wheels"].glob("*.whl")):
        digest.update(wheel.name.encode())
    return digest.hexdigest()[:20]


def build(course: Course, site_dir: Path, say=print) -> Path:
    """Put the JupyterLite site into site_dir/lab/, from the cache when its inputs are unchanged."""
    found = inputs(course)
    cache = course.root / CACHE
    built = cache / f"site-{key(course, found)}"
    if not built.is_dir():
        say("perfcomm: building the in-browser exercises (/lab/); later builds reuse it")
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache, prefix="work-") as work:
            out = _build(course, found, Path(work))
            for old in cache.glob("site-*"):
                shutil.rmtree(old, ignore_errors=True)
            out.rename(built)
    target = site_dir / SITE_FOLDER
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(built, target)     # a copy, not links: nothing done to the site reaches the cache
    return target


def _build(course: Course, found: dict, work: Path) -> Path:
    contents, lite, out = work / "contents", work / "lite", work / "out"
    contents.mkdir()
    lite.mkdir()
    released = _release(course, work / "grading")
    for assignment in sorted(released.iterdir()):
        shutil.copytree(assignment, contents / assignment.name)
    practice = contents / PRACTICE
    practice.mkdir()
    for notebook in sorted((course.lessons_data / "notebooks").glob("*.ipynb")):
        shutil.copyfile(notebook, practice / notebook.name)
    for lang in LANGUAGES:
        nbformat.write(exam_start(lang), contents / EXAM_START.format(lang=lang))
    wheels = [learner.build_wheel(course, work / "wheels")]
    wheels += [trim(w, work / "wheels") for w in sorted(found["wheels"].glob("*.whl"))]
    kernel_wheels = (found["kernel"] / "static" / "pypi").glob("*.whl")
    wheels += sorted(p for p in kernel_wheels if p.name.startswith(KERNEL_WHEELS))
    try:    # Pyodide ships its modules as source: compiled once here, not in every learner's page
        stdlib, *wheels = compile_archives(found["pyodide"], [found["pyodide"] / STDLIB, *wheels],
                                           KERNEL_IMPORTS + learner.modules()
                                           + notebook_imports(contents),
                                           work / "compiled")
    except BytecodeError as error:
        raise LiteError(str(error)) from None
    config = {"LiteBuildConfig": {
        "apps": list(APPS), "contents": [str(contents)], "output_dir": str(out),
        "federated_extensions": [str(found["kernel"]), str(found["widgets"])],
        "ignore_sys_prefix": True, "no_sourcemaps": True, "no_unused_shared_packages": True}}
    (lite / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    (lite / "jupyter-lite.json").write_text(json.dumps(_lite_json([]), indent=1), encoding="utf-8")
    (lite / "overrides.json").write_text(json.dumps(OVERRIDES, indent=1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite)],
                            cwd=lite, capture_output=True, text=True)
    if result.returncode != 0:
        raise LiteError(f"jupyter lite build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    pyodide = out / "static" / "pyodide"
    pyodide.mkdir(parents=True, exist_ok=True)
    for name in CORE:
        shutil.copyfile(found["pyodide"] / name, pyodide / name)
    shutil.copyfile(stdlib, pyodide / STDLIB)
    for name in (PAGE_SCRIPT, WORKER_MODULE):
        shutil.copyfile(WEB / name, pyodide / name)
    add_page_script(out / "notebooks" / "index.html")
    for wheel in wheels:
        shutil.copyfile(wheel, pyodide / wheel.name)
    names = write_lock(found["pyodide"] / "pyodide-lock.json", [pyodide / w.name for w in wheels],
                       pyodide / "pyodide-lock.json")
    lite_json = out / "jupyter-lite.json"
    data = json.loads(lite_json.read_text(encoding="utf-8"))
    settings = data["jupyter-config-data"].setdefault("litePluginSettings", {})
    ours = _lite_json(names)["jupyter-config-data"]["litePluginSettings"]
    settings[KERNEL_PLUGIN] = ours[KERNEL_PLUGIN]
    lite_json.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return out


def notebook_imports(folder: Path) -> list[str]:
    """Every module the code cells of the notebooks under folder import, in order of first sight."""
    found: dict[str, None] = {}
    for path in sorted(folder.rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(dict.fromkeys(alias.name for alias in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found[node.module] = None
    return list(found)


def add_page_script(page: Path) -> None:
    """Load the page's wasm script first in page's head; LiteError if the head is not found once
    (a JupyterLite upgrade changed the page: the build stops rather than lose the warm start)."""
    html = page.read_text(encoding="utf-8")
    if html.count(HEAD) != 1:
        raise LiteError(f"{page}: expected one {HEAD!r}, found {html.count(HEAD)} — update "
                        "add_page_script in src/perfcomm/lite/build.py for this JupyterLite")
    tag = f'<script src="../static/pyodide/{PAGE_SCRIPT}"></script>'
    page.write_text(html.replace(HEAD, f"{HEAD}\n    {tag}", 1), encoding="utf-8")


def trim(wheel: Path, out_dir: Path) -> Path:
    """The wheel without the parts TRIM names (a copy in out_dir), or the wheel itself."""
    drop = next((prefixes for name, prefixes in TRIM.items() if wheel.name.startswith(f"{name}-")), None)
    if not drop:
        return wheel
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel.name
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.startswith(drop):
                continue
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                data = "".join(line for line in data.decode("utf-8").splitlines(keepends=True)
                               if not line.startswith(drop)).encode("utf-8")
            dst.writestr(info, data)
    return target


def _lite_json(packages: list[str]) -> dict:
    return {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "perfcomm", "exposeAppInBrowser": True,   # the hand-in script saves through it
        "disabledExtensions": DISABLED,
        "litePluginSettings": {KERNEL_PLUGIN: {
            "pyodideUrl": f"./static/pyodide/{WORKER_MODULE}", "disablePyPIFallback": True,
            "pipliteUrls": [],
            # everything the kernel imports, loaded by Pyodide in one batch from the lock beside it
            "loadPyodideOptions": {"packages": packages}}}}}


def _release(course: Course, root: Path) -> Path:
    """Every stage exercise, both languages, as nbgrader releases it to learners."""
    from ..grading.release import release
    from ..grading.workdir import Workdir

    workdir = Workdir(root)
    workdir.write_config(course, None)
    with workdir.gradebook():
        pass
    release(course, workdir, say=lambda _: None)
    return workdir.folder("release")


def exam_start(lang: str):
    """The exam's first page in the browser: upload the paper HR sent."""
    say = words(lang)["handin"]
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {say['exam_title']}\n\n{say['exam_intro']}"),
                nbformat.v4.new_code_cell("from perfcomm.exercise.handin import open_exam\n"
                                          f"open_exam({lang!r})")]
    return nb
