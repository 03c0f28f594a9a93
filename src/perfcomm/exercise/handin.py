"""The "hand in" control at the end of an exercise or exam notebook, and the exam's upload.

`hand_in()` draws a name box and a button. The button sends players/web/handin.js, which saves the
notebook and calls `emit()` through the kernel; `emit()` packs the learner's folder — the notebook as
saved, answers.json, questions.json and runs/ — into one zip, `<assignment>-<learner>.zip` holding
`<learner>/<assignment>/…`: the layout `perfcomm grade collect` files, like a desktop submission.

`open_exam()` takes the zip HR sent a candidate (`<candidate>/<exam>/…`, from `perfcomm exam forms`),
unpacks it safely beside the notebook and links to the paper."""

from __future__ import annotations

import base64
import html
import io
import json
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from ..players.words import words
from . import answers, questions
from .cells import _grading
from .safezip import BadZip, extract

MIME = "application/vnd.perfcomm.handin+json"
SCRIPT = Path(__file__).resolve().parent.parent / "players" / "web" / "handin.js"
HANDIN_FILE = "handin.json"
MAX_MB = 20
EMIT = "from perfcomm.exercise.handin import emit\nemit({notebook}, {learner})"
_controls: list = []   # the hand-in controls drawn in this kernel; emit() reports on the latest


def safe_name(text: str) -> str:
    """A folder name from what the learner typed: letters (any script), digits, '.', '-', '_', spaces."""
    return re.sub(r"[^\w.\- ]+", "_", str(text)).strip(" ._")[:80]


def _lang() -> str:
    try:
        return questions.load().get("lang", "zh")
    except (OSError, ValueError):
        return "zh"


def hand_in():
    """The control: the learner's name (an exam's candidate is filled in and fixed) and the button."""
    if _grading():
        return None
    import ipywidgets as w
    from IPython.display import Javascript, display

    lang = _lang()
    say = words(lang)["handin"]
    try:
        candidate = questions.load().get("candidate")
    except (OSError, ValueError):
        candidate = None
    name = w.Text(value=candidate or answers.get("_learner") or "", description=say["name"],
                  placeholder=say["name_placeholder"], disabled=bool(candidate),
                  style={"description_width": "initial"}, layout=w.Layout(width="24em"))
    button = w.Button(description=say["button"], button_style="primary", icon="download",
                      layout=w.Layout(width="auto"))
    status = w.HTML('<span data-perfcomm-handin-status></span>')
    script = w.Output()

    def click(_):
        learner = safe_name(name.value)
        if not learner:
            status.value = f'<span data-perfcomm-handin-status>{html.escape(say["name_missing"])}</span>'
            return
        if not candidate:
            answers.save("_learner", name.value.strip())
        status.value = f'<span data-perfcomm-handin-status>{html.escape(say["packing"])}</span>'
        config = {"learner": name.value.strip(), "mime": MIME, "code": EMIT,
                  "words": {k: say[k] for k in ("done", "failed", "no_app")}}
        script.clear_output()
        with script:
            display(Javascript(f"{SCRIPT.read_text(encoding='utf-8')}({json.dumps(config)});"))
    button.on_click(click)
    intro = w.HTML(f"<p>{html.escape(say['intro'])}</p>")
    control = w.VBox([intro, w.HBox([name, button]), status, script])
    _controls.append(status)
    return control


def package(folder: Path, notebook: str, learner: str, now: datetime | None = None) -> tuple[str, bytes]:
    """(file name, zip bytes) of the hand-in: folder's notebook, answers, questions and runs."""
    now = now or datetime.now(timezone.utc)
    stem, who = Path(notebook).stem, safe_name(learner)
    wanted = [Path(Path(notebook).name), Path(answers.ANSWERS_FILE), Path(questions.QUESTIONS_FILE)]
    wanted += sorted(p.relative_to(folder) for p in (folder / "runs").glob("*.json"))
    stamp = now.timetuple()[:6]
    buffer, total = io.BytesIO(), 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in wanted:
            path = folder / rel
            if not path.is_file():
                continue
            data = path.read_bytes()
            total += len(data)
            if total > MAX_MB * 1024 * 1024:
                raise ValueError(words(_lang())["handin"]["too_big"].format(mb=MAX_MB))
            archive.writestr(zipfile.ZipInfo(f"{who}/{stem}/{rel.as_posix()}", stamp), data,
                             zipfile.ZIP_DEFLATED)
        record = {"learner": str(learner), "assignment": stem,
                  "handed_in": now.isoformat(timespec="seconds")}
        archive.writestr(zipfile.ZipInfo(f"{who}/{stem}/{HANDIN_FILE}", stamp),
                         json.dumps(record, ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED)
    return f"{stem}-{who}.zip", buffer.getvalue()


def emit(notebook: str, learner: str) -> None:
    """Called by handin.js through the kernel: send the zip to the browser as one display message."""
    from IPython.display import display

    try:
        name, data = package(Path.cwd(), notebook, learner)
    except (OSError, ValueError) as err:
        if _controls:
            _controls[-1].value = f"<span data-perfcomm-handin-status>{html.escape(str(err))}</span>"
        return
    display({MIME: {"name": name, "data": base64.b64encode(data).decode("ascii")}}, raw=True)
    if _controls:
        done = words(_lang())["handin"]["done"].format(file=name)
        _controls[-1].value = f"<span data-perfcomm-handin-status>{html.escape(done)}</span>"


def unpack_exam(data: bytes, into: Path) -> Path:
    """Unpack the zip HR sent (`<candidate>/<exam>/<exam>.ipynb` and questions.json) into
    `into/<exam>/`; return the notebook. A paper already there is kept as it is, answers and all."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        extract(data, Path(scratch), max_files=20, max_bytes=MAX_MB * 1024 * 1024)
        papers = sorted(Path(scratch).glob("*/*/questions.json"))
        if len(papers) != 1:
            raise BadZip("it holds no exam paper" if not papers else "it holds more than one exam paper")
        paper = papers[0].parent
        notebook = paper / f"{paper.name}.ipynb"
        form = json.loads(papers[0].read_text(encoding="utf-8"))
        mine = isinstance(form, dict) and form.get("candidate") == paper.parent.name
        if not notebook.is_file() or not mine:
            raise BadZip("its exam paper is incomplete")
        target = into / paper.name
        if not (target / notebook.name).is_file():
            target.mkdir(parents=True, exist_ok=True)
            for name in (notebook.name, questions.QUESTIONS_FILE):
                (target / name).write_bytes((paper / name).read_bytes())
        return target / notebook.name


def open_exam(lang: str = "zh"):
    """The exam's first page: upload the zip HR sent, then a link to the paper."""
    if _grading():
        return None
    import ipywidgets as w

    say = words(lang)["handin"]
    upload = w.FileUpload(accept=".zip", multiple=False, description=say["exam_upload"],
                          layout=w.Layout(width="auto"))
    result = w.HTML()

    def received(change):
        files = change["new"]
        if not files:
            return
        try:
            notebook = unpack_exam(bytes(files[0]["content"]), Path.cwd())
        except (BadZip, ValueError, OSError) as err:
            result.value = f"<p>{html.escape(say['exam_bad'].format(why=err))}</p>"
            return
        rel = notebook.relative_to(Path.cwd()).as_posix()
        href = html.escape(f"index.html?path={quote(rel)}")
        result.value = (f"<p>{html.escape(say['exam_ready'])}<a href=\"{href}\" data-perfcomm-exam-paper>"
                        f"{html.escape(say['exam_open'])}</a> "
                        f"(<code>{html.escape(rel)}</code>)</p>")
    upload.observe(received, names="value")
    return w.VBox([w.HTML(f"<p>{html.escape(say['exam_intro'])}</p>"), upload, result])
