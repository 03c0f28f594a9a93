"""The exercises in the browser, without a browser: the learner package holds no grading, exam or key
code and works on its own; the hand-in zip and hostile zips through `collect`; and a search of the
whole built site — every file, inside wheels and JSON too — for every answer key, hidden test line,
rubric line and exam item, which finds none."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from perfcomm.catalogue import load_catalogue
from perfcomm.course import LANGUAGES, Course
from perfcomm.exam.bank import load_bank
from perfcomm.exercise.build import hidden_test
from perfcomm.exercise.handin import package, safe_name, unpack_exam
from perfcomm.exercise.safezip import BadZip
from perfcomm.grading.collect import collect
from perfcomm.grading.release import course_exercises
from perfcomm.grading.roster import read_roster
from perfcomm.grading.workdir import Workdir
from perfcomm.lite.learner import build_wheel

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course(ROOT)
ASSIGNMENT = "stage1-zh"
LEARNER_ONLY = ("perfcomm/grading/", "perfcomm/exam/", "perfcomm/lite/", "perfcomm/site/",
                "perfcomm/exercise/scoring.py", "perfcomm/exercise/build.py", "perfcomm/exercise/load.py",
                "perfcomm/exercise/library.py", "perfcomm/cli.py")


def secrets() -> dict[str, str]:
    """Every text a learner must never get: {text: where it comes from}."""
    exercises, scenarios = course_exercises(COURSE)
    out = {"BEGIN HIDDEN TESTS": "nbgrader's hidden-test marker",
           "from perfcomm.exercise import scoring": "a hidden test's import",
           "scoring.slot(": "exam hidden test"}
    for exercise in exercises:
        for q in exercise.questions:
            if q.kind != "prose":
                out[hidden_test(q, scenarios)] = f"{exercise.name} {q.id}: hidden test with its key"
            for lang in LANGUAGES:
                for line in (q.rubric or {}).get(lang, []):
                    out[line] = f"{exercise.name} {q.id}: rubric ({lang})"
    items, _ = load_bank(COURSE, load_catalogue(COURSE.catalogue_file, "x"))
    for item in items:
        for lang in LANGUAGES:
            out[item.prompt[lang]] = f"exam item {item.id}: prompt ({lang})"
            for option in item.options:
                out[option.feedback[lang]] = f"exam item {item.id} option {option.id}: feedback ({lang})"
    return {text.strip(): why for text, why in out.items() if len(text.strip()) >= 8}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(COURSE, tmp_path_factory.mktemp("wheel"))


def test_the_learner_wheel_holds_no_grading_exam_or_key_handling_module(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "perfcomm/exercise/widgets.py" in names and "perfcomm/players/widgets.py" in names
    assert "perfcomm/scenario/dialogue.py" in names and "perfcomm/exercise/handin.py" in names
    assert any(n.startswith("perfcomm/coursedata/lessons/scenarios/") for n in names)
    leaked = [n for n in names if n.startswith(LEARNER_ONLY)]
    assert leaked == []


def test_the_learner_wheel_holds_no_key_rubric_or_exam_item(wheel):
    with zipfile.ZipFile(wheel) as archive:
        text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    found = [why for secret, why in secrets().items() if secret in text]
    assert found == []


def test_the_learner_wheel_works_on_its_own(wheel, tmp_path):
    """Unpacked alone (no checkout, no course folder), it plays a scenario and shows the widgets;
    grading and exam modules cannot be imported from it."""
    unpacked = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(unpacked)
    script = (
        "import importlib.util, perfcomm\n"
        f"assert perfcomm.__file__.startswith({str(unpacked)!r}), perfcomm.__file__\n"
        "for name in ('perfcomm.grading', 'perfcomm.exam', 'perfcomm.exercise.scoring', 'perfcomm.lite'):\n"
        "    assert importlib.util.find_spec(name) is None, name\n"
        "from perfcomm.players.widgets import ScenarioPlayer\n"
        "player = ScenarioPlayer('s3-defensive-low-score', 'en', save_to='run.json')\n"
        "while not player.dialogue.finished:\n"
        "    player.choose(player.dialogue.choices[0].number)\n"
        "import json; print(json.load(open('run.json'))['scenario'])\n")
    env = {k: v for k, v in os.environ.items() if k != "PERFCOMM_COURSE"}
    env["PYTHONPATH"] = str(unpacked)
    work = tmp_path / "learner"
    work.mkdir()
    done = subprocess.run([sys.executable, "-c", script], cwd=work, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "s3-defensive-low-score"


def test_every_yaml_the_learner_wheel_carries_reads_without_libyaml(wheel):
    """The browser's PyYAML is pure Python: what libyaml forgives must not be in these files."""
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.endswith(".yaml"):
                yaml.load(archive.read(name).decode("utf-8"), Loader=yaml.SafeLoader)  # noqa: S506


# -- hand-in zips through collect ----------------------------------------------------------------
def _zip(members: dict, symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _handin(tmp_path: Path, learner: str) -> tuple[str, bytes]:
    folder = tmp_path / f"browser-{learner}"
    (folder / "runs").mkdir(parents=True)
    (folder / f"{ASSIGNMENT}.ipynb").write_text('{"cells": []}', encoding="utf-8")
    (folder / "answers.json").write_text('{"q1": "B"}', encoding="utf-8")
    (folder / "runs" / "s1.json").write_text("{}", encoding="utf-8")
    (folder / "stray.txt").write_text("not handed in", encoding="utf-8")
    return package(folder, f"{ASSIGNMENT}.ipynb", learner)


GOOD = {f"learner-x/{ASSIGNMENT}/{ASSIGNMENT}.ipynb": "{}", f"learner-x/{ASSIGNMENT}/answers.json": "{}"}
HOSTILE = [
    ("traversal.zip", _zip({"../../escaped.txt": "x", **GOOD}), "points outside the folder"),
    ("absolute.zip", _zip({"/tmp/perfcomm-absolute.txt": "x"}), "is an absolute path"),
    ("drive.zip", _zip({"C:/windows.txt": "x"}), "is an absolute path"),
    ("link.zip", _zip(GOOD, symlink="learner-x/passwd"), "is a link"),
    ("many.zip", _zip({f"learner-x/f{n}.txt": "x" for n in range(501)}), "more than 500 files"),
    ("huge.zip", _zip({"learner-x/big.bin": b"\0" * (65 * 1024 * 1024)}), "MB once unpacked"),
    ("file-and-folder.zip", _zip({"learner-x/a": "x", "learner-x/a/b": "y"}), "is damaged"),
    ("not-a-zip.zip", b"this is an e-mail, not a zip", "is not a zip file"),
    ("cut-short.zip", _zip(GOOD)[:60], "is not a zip file"),
]


@pytest.fixture(scope="module")
def inbox_collected(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("handins")
    inbox = tmp / "inbox"
    inbox.mkdir()
    for name, data, _ in HOSTILE:
        (inbox / name).write_bytes(data)
    name, data = _handin(tmp, "learner-a")           # the browser's hand-in
    (inbox / name).write_bytes(data)
    name, data = _handin(tmp, "Learner B")           # by name, as the learner typed it
    (inbox / name).write_bytes(data)
    (inbox / "learner-c.zip").write_bytes(_zip({f"{ASSIGNMENT}.ipynb": "{}", "answers.json": "{}"}))
    desktop = inbox / "learner-d" / ASSIGNMENT       # a desktop Jupyter folder beside the zips
    desktop.mkdir(parents=True)
    (desktop / f"{ASSIGNMENT}.ipynb").write_text("{}", encoding="utf-8")
    (inbox / "who-is-this.zip").write_bytes(_zip({"readme.txt": "hello"}))
    roster = tmp / "roster.csv"
    roster.write_text("id,name\n" + "".join(f"learner-{x},Learner {x.upper()}\n" for x in "abcde"),
                      encoding="utf-8")
    workdir = Workdir(tmp / "work")
    workdir.write_config(COURSE, None)
    report = collect(workdir, ASSIGNMENT, read_roster(roster), inbox, [ASSIGNMENT, "stage1-en"])
    return report, workdir, tmp


def test_handins_and_desktop_folders_are_filed_together(inbox_collected):
    report, workdir, _ = inbox_collected
    assert sorted(report.filed) == ["learner-a", "learner-b", "learner-c", "learner-d"]
    assert report.missing == ["learner-e"]
    submitted = workdir.folder("submitted") / "learner-a" / ASSIGNMENT
    assert sorted(p.relative_to(submitted).as_posix() for p in submitted.rglob("*") if p.is_file()) == [
        "answers.json", "handin.json", "runs/s1.json", f"{ASSIGNMENT}.ipynb", "timestamp.txt"]
    assert json.loads((submitted / "handin.json").read_text(encoding="utf-8"))["learner"] == "learner-a"


@pytest.mark.parametrize("name,why", [(n, w) for n, _, w in HOSTILE], ids=[n for n, _, _ in HOSTILE])
def test_a_hostile_zip_is_reported_kept_and_never_stops_the_batch(inbox_collected, name, why):
    report, workdir, tmp = inbox_collected
    reasons = dict(report.rejected)
    assert why in reasons.get(name, ""), report.rejected
    assert (workdir.folder("unmatched") / ASSIGNMENT / name).is_file()
    assert not any(tmp.parent.rglob("escaped.txt")) and not Path("/tmp/perfcomm-absolute.txt").exists()
    assert any(why in line for line in report.lines(ASSIGNMENT) if name in line)


def test_a_zip_with_no_learner_in_it_is_kept_as_unknown(inbox_collected):
    report, workdir, _ = inbox_collected
    assert "who-is-this.zip" in report.unknown
    assert (workdir.folder("unmatched") / ASSIGNMENT / "who-is-this.zip").is_file()


@pytest.mark.parametrize("typed,folder", [("zhang.wei", "zhang.wei"), ("张 伟", "张 伟"),
                                          ("../../etc", "etc"), ("a/b\\c", "a_b_c"), ("  ", "")],
                         ids=["id", "chinese-name", "traversal", "slashes", "blank"])
def test_the_name_a_learner_types_becomes_a_safe_folder_name(typed, folder):
    assert safe_name(typed) == folder


@pytest.mark.parametrize("members,message", [
    ({"readme.txt": "x"}, "no exam paper"),
    ({"c1/certification/questions.json": '{"candidate": "c1"}'}, "incomplete"),
    ({"c1/certification/certification.ipynb": "{}", "c1/certification/questions.json": '{"candidate": "c2"}'},
     "incomplete"),
    ({"c1/a/a.ipynb": "{}", "c1/a/questions.json": "{}", "c1/b/b.ipynb": "{}", "c1/b/questions.json": "{}"},
     "more than one"),
    ({"../x/x.ipynb": "{}"}, "outside the folder"),
], ids=["no-paper", "no-notebook", "someone-elses-form", "two-papers", "traversal"])
def test_an_exam_upload_that_is_not_a_paper_is_refused(tmp_path, members, message):
    with pytest.raises(BadZip, match=message):
        unpack_exam(_zip(members), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_exam_paper_uploaded_again_keeps_the_answers(tmp_path):
    paper = _zip({"c1/certification/certification.ipynb": "{}",
                  "c1/certification/questions.json": '{"candidate": "c1", "lang": "zh"}'})
    notebook = unpack_exam(paper, tmp_path)
    assert notebook == tmp_path / "certification" / "certification.ipynb"
    (notebook.parent / "answers.json").write_text('{"slot-1": "A"}', encoding="utf-8")
    notebook.write_text('{"edited": true}', encoding="utf-8")
    unpack_exam(paper, tmp_path)
    assert notebook.read_text(encoding="utf-8") == '{"edited": true}'
    assert (notebook.parent / "answers.json").is_file()


# -- the whole built site --------------------------------------------------------------------------
def _texts(path: Path, data: bytes):
    """The file's text, and the text of each member when it is a zip or wheel; JSON also re-written
    without \\u escapes, so that text inside notebooks and contents listings is searched as written."""
    if path.suffix in (".zip", ".whl") and zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                yield from _texts(path / name, archive.read(name))
        return
    text = data.decode("utf-8", "replace")
    yield path, text
    if path.suffix in (".json", ".ipynb"):
        try:
            yield path, json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass


@pytest.mark.slow
def test_no_key_hidden_test_rubric_or_exam_item_anywhere_in_the_built_site(built_site):
    assert (built_site / "lab" / "static" / "pyodide" / "pyodide-lock.json").is_file()
    wanted = secrets()
    assert len(wanted) > 100
    found, searched = [], 0
    for path in sorted(p for p in built_site.rglob("*") if p.is_file()):
        if path.suffix in (".wasm", ".png", ".ico", ".woff", ".woff2", ".ttf"):
            continue
        for where, text in _texts(path, path.read_bytes()):
            searched += 1
            shown = where.relative_to(built_site)
            found += [f"{shown}: {why}" for secret, why in wanted.items() if secret in text]
    assert searched > 1000
    assert found == []


@pytest.mark.parametrize("missing,message", [
    ("node_modules/pyodide", "node_modules/pyodide: missing — run `make lite (npm ci)` first"),
    (".cache/lite/wheels", "wheels: missing — run `make lite (downloads the browser wheels)` first"),
    (".cache/lite/wheels/.ready", "wheels: incomplete — run `make lite` first"),
], ids=["pyodide", "wheels", "wheels-incomplete"])
def test_a_missing_build_input_names_the_command_that_provides_it(tmp_path, missing, message):
    from perfcomm.lite.build import LiteError, inputs

    for folder in ("node_modules/pyodide", ".cache/lite/wheels"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / ".cache/lite/wheels/.ready").touch()
    target = tmp_path / missing
    target.unlink() if target.is_file() else shutil.rmtree(target)
    with pytest.raises(LiteError, match=re.escape(message)):
        inputs(Course(tmp_path))


@pytest.mark.parametrize("html,found", [
    ("<html><body></body></html>", "found 0"),
    ("<html><head></head><head></head></html>", "found 2"),
], ids=["no-head", "two-heads"])
def test_a_notebook_page_the_build_cannot_place_its_script_in_stops_the_build(tmp_path, html, found):
    from perfcomm.lite.build import LiteError, add_page_script

    page = tmp_path / "index.html"
    page.write_text(html, encoding="utf-8")
    with pytest.raises(LiteError, match=f"index.html: expected one '<head>', {found} — update"):
        add_page_script(page)
    assert page.read_text(encoding="utf-8") == html


def test_the_notebook_page_compiles_pyodide_and_the_kernel_loads_it_through_the_worker_module(
        built_site):
    lab = built_site / "lab"
    html = (lab / "notebooks" / "index.html").read_text(encoding="utf-8")
    script = '<script src="../static/pyodide/wasm-page.js"></script>'
    assert html.index(script) < html.index("config-utils.js")
    assert (lab / "static" / "pyodide" / "wasm-page.js").is_file()
    settings = json.loads((lab / "jupyter-lite.json").read_text(encoding="utf-8"))
    kernel = settings["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide-worker.mjs"
    assert (lab / "static" / "pyodide" / "pyodide-worker.mjs").is_file()


def _pyc_flags(data: bytes) -> int:
    return int.from_bytes(data[4:8], "little")      # PEP 552: 0b01 = hash-based, unchecked


def test_the_modules_the_kernel_starts_with_are_served_as_bytecode(built_site):
    pyodide = built_site / "lab" / "static" / "pyodide"
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as stdlib:
        names = set(stdlib.namelist())
        assert {"asyncio/base_events.py", "asyncio/base_events.pyc"} <= names
        assert _pyc_flags(stdlib.read("asyncio/base_events.pyc")) == 0b01
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"]
    wanted = {"ipython": "IPython/core/__pycache__/interactiveshell.cpython-314.pyc",
              "perfcomm-learner": "perfcomm/exercise/__pycache__/widgets.cpython-314.pyc",
              "ipywidgets": "ipywidgets/widgets/__pycache__/widget.cpython-314.pyc"}
    for package, member in wanted.items():
        wheel = pyodide / lock[package]["file_name"]
        assert lock[package]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
        with zipfile.ZipFile(wheel) as archive:
            assert _pyc_flags(archive.read(member)) == 0b01, member
            assert member.replace("__pycache__/", "").replace(".cpython-314.pyc", ".py") in archive.namelist()
            record = archive.read(next(n for n in archive.namelist() if n.endswith("RECORD")))
            assert f"{member},,".encode() in record
    # what the kernel does not import at start-up stays source only: the bytes are not worth it
    with zipfile.ZipFile(pyodide / lock["pygments"]["file_name"]) as pygments:
        assert not any(n.startswith("pygments/lexers/__pycache__/rust.") for n in pygments.namelist())


def test_the_notebooks_imports_are_read_from_their_code_cells(tmp_path):
    import nbformat

    from perfcomm.lite.build import notebook_imports

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("import not_this"),
                nbformat.v4.new_code_cell("from perfcomm.exercise.cells import ask\nimport yaml, json"),
                nbformat.v4.new_code_cell("%pip install nothing"),          # not Python: skipped
                nbformat.v4.new_code_cell("from . import relative\nimport yaml")]
    (tmp_path / "a").mkdir()
    nbformat.write(nb, tmp_path / "a" / "one.ipynb")
    assert notebook_imports(tmp_path) == ["perfcomm.exercise.cells", "yaml", "json"]


def test_without_node_the_build_says_how_to_get_it(tmp_path, monkeypatch):
    from perfcomm.lite.bytecode import BytecodeError, compile_archives

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BytecodeError, match=r"node: not found — run `make lite`"):
        compile_archives(tmp_path, [], [], tmp_path / "out")


@pytest.mark.parametrize("platform,exists,misses,result", [
    ("emscripten", True, 3, "text"),            # the page missed a file that is there: read again
    ("emscripten", False, 1, FileNotFoundError),   # truly absent (no answers yet): at once
    ("linux", True, 1, FileNotFoundError),      # a desktop file system does not miss
    ("emscripten", True, 99, FileNotFoundError),   # not there after all the tries: believed
], ids=["browser-miss", "browser-absent", "desktop", "browser-gives-up"])
def test_a_file_the_browser_page_misses_is_read_again(tmp_path, monkeypatch, platform, exists, misses,
                                                       result):
    from perfcomm.exercise import questions

    path = tmp_path / "answers.json"
    path.write_text("text", encoding="utf-8")
    calls = []
    real = Path.read_text

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) <= misses:
            raise FileNotFoundError(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(questions.sys, "platform", platform)
    monkeypatch.setattr(questions, "PAUSE", 0)
    monkeypatch.setattr(Path, "read_text", flaky)
    monkeypatch.setattr(Path, "exists", lambda self: exists)
    if result is FileNotFoundError:
        with pytest.raises(FileNotFoundError):
            questions.read_text(path)
    else:
        assert questions.read_text(path) == result
