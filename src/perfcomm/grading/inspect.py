"""Look at one submitted notebook before grading and make it gradable, reporting what was wrong.

The released notebook is the frame: learners answer in widgets (answers.json) and in prose cells,
so the graded notebook is the released one with the learner's prose answers copied in. Edited
locked cells, deleted cells, added cells (code that raises, loops or floods output included) and
corrupt files are each reported with learner, notebook and cell, and never stop the batch. A prose
answer that holds HTML, a link, TeX or other markup is neutralised (neutral.py) and reported too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import neutral


@dataclass(frozen=True)
class Finding:
    learner: str
    assignment: str
    notebook: str
    cell: str
    message: str

    def __str__(self) -> str:
        where = f"submitted/{self.learner}/{self.assignment}" + (f"/{self.notebook}" if self.notebook else "")
        return f"{where}: cell '{self.cell}' {self.message}" if self.cell else f"{where}: {self.message}"


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _text(source) -> str | None:
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return source if isinstance(source, str) else None


def repair(released: Path, submitted: Path, learner: str, assignment: str,
           into: Path | None = None) -> list[Finding]:
    """Write the released notebook plus the learner's prose answers from `submitted` to `into`
    (default: over `submitted`)."""
    findings: list[Finding] = []
    name = submitted.name

    def note(cell, message):
        findings.append(Finding(learner, assignment, name, cell, message))

    frame = nbformat.read(released, as_version=4)
    try:
        mine = nbformat.read(submitted, as_version=4)
    except Exception:  # noqa: BLE001 - any unreadable file is the same finding
        note("", "is empty or not a notebook (corrupt file); graded from the released notebook and the"
                 " saved answers, prose answers lost")
        mine = None
    theirs = {}
    if mine is not None:
        for index, cell in enumerate(mine.cells):
            gid = _grade_id(cell)
            if gid is None:
                note(f"#{index + 1}", "was added by the learner and was not run")
            elif gid in theirs:
                note(gid, "appears twice; the first copy was graded")
            else:
                theirs[gid] = cell
    for cell in frame.cells:
        gid = _grade_id(cell)
        meta = cell.metadata.get("nbgrader", {})
        own = theirs.get(gid)
        if own is None:
            if mine is not None:
                note(gid, "was deleted; graded from the released version")
            continue
        if meta.get("solution"):
            cell.source = _text(own.get("source", ""))
            if cell.source is None:
                note(gid, "is not text (a forged notebook); graded as unanswered")
                cell.source = ""
            elif cell.cell_type == "markdown":
                cell.source, changed = neutral.prose(cell.source)
                if changed:
                    note(gid, "holds HTML, an entity, a link, TeX or other markup: shown as text in"
                              " feedback and the formgrader; the answer as handed in is in"
                              f" originals/{learner}/{assignment}/{name}")
        elif own.get("source", "") != cell.source:
            note(gid, "was edited although it is locked; graded from the released version")
    nbformat.write(frame, into or submitted)
    return findings
